"""The torch backend: a workbook's formulas as a differentiable torch function of chosen inputs.

The same IR and the same block evaluator as the exact engine (:mod:`cellgrad.calc.blocks`), run through
:class:`TorchOps` instead of numpy: float64 tensors on ``cuda`` when available, else ``cpu``.
The workbook's units are evaluated in calculation order — each block as batched operations, every
other formula cell (array formulas included) as a block of one. Values that cannot be
differentiated are taken from the exact engine as constants: text, MATCH positions, OFFSET
targets (their positions are constant), and any unit the evaluator leaves to the interpreter.
A unit of that last kind that depends on an input is an error, never a silent zero gradient.

>>> tw = TorchWorkbook(book, inputs=["dotprod!B25:F39", "dotprod!H19:V23"])
>>> values = tw.evaluate()             # tw.inputs are leaf tensors (requires_grad)
>>> values["dotprod!V41"].backward()   # RMSE; tw.inputs[0].grad is d RMSE / d user factors
>>> tw.write_inputs()                  # put the inputs' current values back into the workbook
"""
from __future__ import annotations

import contextlib
from typing import Any, ContextManager, Sequence

import numpy as np
import torch

from ..calc.blocks import KEY, Block, Evaluator
from ..functions.array_kernels import Fallback, Gather
from ..core.errors import DeviceError, FormulaError, WorkbookError
from ..core.references import Range, cell_name
from ..core.values import Scalar
from ..workbook import Workbook

DTYPE = torch.float64
Address = tuple[str, int, int]


def pick_device(name: str | torch.device | None = None) -> torch.device:
    """``cuda`` when available and nothing was asked for, else ``cpu``; DeviceError for a device
    this machine does not have."""
    if name is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except (RuntimeError, TypeError):
        raise DeviceError(f"unknown torch device {name!r} (use cpu or cuda)") from None
    if device.type == "cuda" and not torch.cuda.is_available():
        raise DeviceError(f"CUDA is not available on this machine (torch {torch.__version__}); "
                          "use --device cpu")
    if device.type not in ("cpu", "cuda"):
        raise DeviceError(f"unsupported torch device {name!r} (use cpu or cuda)")
    return device


class _Unit:
    """One unit of the calculation order as the torch backend evaluates it."""

    __slots__ = ("block", "array", "outputs")

    def __init__(self, block: Block, array: Range | None) -> None:
        self.block = block
        self.array = array  # an array formula's target range
        self.outputs: list[Address] = [(block.sheet, r, c) for r, c in array.cells()] if array \
            else [(c.sheet, c.row, c.col) for c in block.cells]


def _units(book: Workbook) -> list[_Unit]:
    units = []
    for unit in book.units():
        if isinstance(unit, Block):
            # its cells row by row, the order ranges read them in: a range over the block is
            # then its values as they are, with no reordering gather recorded
            ordered = sorted(unit.cells, key=lambda c: (c.row, c.col))
            units.append(_Unit(unit if ordered == unit.cells or unit.outputs is not unit.cells
                               else Block(unit.sheet, unit.node, ordered), None))
        else:
            units.append(_Unit(Block(unit.sheet, unit.node, [unit]), unit.array_range))  # type: ignore[arg-type]
    return units


class _Gather:
    """How to assemble the values of some cells: slices of slots plus constants. Each piece that
    is not needed is None (a whole slot in its order: no index; no constants; already in order),
    so that a replayed evaluation (the Solver's) records no operation that does nothing."""

    __slots__ = ("parts", "constant", "order", "empty")

    def __init__(self, parts: list[tuple[int, torch.Tensor | None]], constant: torch.Tensor | None,
                 order: torch.Tensor | None, empty: np.ndarray) -> None:
        self.parts = parts
        self.constant = constant
        self.order = order
        self.empty = empty


class TorchWorkbook:
    """A workbook's formulas as a differentiable function of input ranges.

    ``inputs`` are ranges of constant numbers (A1 text or defined names); each becomes a float64
    leaf tensor of the range's shape in :attr:`inputs`, initialised from the workbook. With
    ``outputs``, only the units those cells need are evaluated (an optimizer's loop wants one
    objective, not the whole workbook). The workbook is fully recalculated first, so that the exact engine and torch start from the same
    state. Constants are read once: build a new TorchWorkbook after changing the workbook.
    """

    def __init__(self, book: Workbook, inputs: Sequence[str] = (),
                 device: str | torch.device | None = None, outputs: Sequence[str] | None = None) -> None:
        self.book = book
        self.device = pick_device(device)
        book.calculate()
        self.input_ranges = [book.resolve(ref) for ref in inputs]
        self.inputs = [self._leaf(rng) for rng in self.input_ranges]
        self.units = _units(book)
        self.slot_of: dict[Address, tuple[int, int]] = {}
        for slot, rng in enumerate(self.input_ranges):
            for i, (r, c) in enumerate(rng.cells()):
                self.slot_of[(rng.sheet, r, c)] = (slot, i)
        first = len(self.input_ranges)
        for k, unit in enumerate(self.units):
            for i, address in enumerate(unit.outputs):
                self.slot_of[address] = (first + k, i)
        self.unit_slot = {cell: first + k for k, unit in enumerate(self.units) for cell in unit.block.cells}
        self.live = self._live_slots()
        self.needed = None if outputs is None else self._needed_slots(outputs)
        self._gathers: dict[tuple, _Gather | None] = {}
        # constant tensors (masks, fills, numbers), made once: a recording (the Solver's) then
        # holds them as constants instead of replaying their creation at every evaluation
        self.constants: dict[tuple, torch.Tensor] = {}
        self._settled: dict[int, tuple[torch.Tensor | None, bool]] = {}  # units no input reaches

    # -- construction --------------------------------------------------------------------------
    def _leaf(self, rng: Range) -> torch.Tensor:
        rows = []
        for r in range(rng.r1, rng.r2 + 1):
            row = []
            for c in range(rng.c1, rng.c2 + 1):
                cell = self.book.cell(rng.sheet, r, c)
                if cell is None or cell.node is not None or cell.master is not None \
                        or type(cell.value) is not float:
                    raise WorkbookError(f"input {rng}: {cell_name(r, c)} is not a constant number",
                                        file=self.book.path, sheet=rng.sheet)
                row.append(cell.value)
            rows.append(row)
        return torch.tensor(rows, dtype=DTYPE, device=self.device, requires_grad=True)

    def _live_slots(self) -> set[int]:
        """The slots of units that depend on an input, directly or not."""
        first = len(self.input_ranges)
        live: set[int] = set()
        stack = [a for a, (slot, _) in self.slot_of.items() if slot < first]
        while stack:
            for reader in self.book.dependents(*stack.pop()):
                slot = self.unit_slot[reader]
                if slot not in live:
                    live.add(slot)
                    stack.extend(self.units[slot - first].outputs)
        return live

    def _needed_slots(self, outputs: Sequence[str]) -> set[int]:
        """The units the outputs need, directly or not (OFFSET's reads included)."""
        first = len(self.input_ranges)
        reads: dict[int, set[int]] = {}
        for k, unit in enumerate(self.units):
            for address in unit.outputs:
                for reader in self.book.dependents(*address):
                    reads.setdefault(self.unit_slot[reader], set()).add(first + k)
        stack = [self.slot_of[(rng.sheet, r, c)][0] for rng in map(self.book.resolve, outputs)
                 for r, c in rng.cells() if (rng.sheet, r, c) in self.slot_of]
        needed: set[int] = set()
        while stack:
            slot = stack.pop()
            if slot >= first and slot not in needed:
                needed.add(slot)
                stack.extend(reads.get(slot, ()))
        return needed

    # -- evaluation ------------------------------------------------------------------------------
    def evaluate(self, *values: torch.Tensor) -> "TorchValues":
        """Every formula as tensors of the inputs (``values``, default :attr:`inputs`)."""
        tensors = list(values) if values else self.inputs
        if len(tensors) != len(self.inputs) or any(
                t.shape != i.shape for t, i in zip(tensors, self.inputs)):
            raise WorkbookError(f"expected {len(self.inputs)} tensors shaped "
                                f"{[tuple(i.shape) for i in self.inputs]}")
        store: list[torch.Tensor | None] = [
            (t if t.dtype == DTYPE and t.device == self.device else t.to(self.device, DTYPE)).reshape(-1)
            for t in tensors]
        computed: list[bool] = [True] * len(store)
        evaluator = Evaluator(TorchOps(self, store))
        for unit in self.units:
            slot = len(store)
            if self.needed is not None and slot not in self.needed:
                value, done = None, False  # not needed by the outputs
            elif slot in self._settled:
                value, done = self._settled[slot]
            else:
                value, done = self._compute(evaluator, slot, unit)
                if slot not in self.live:  # no input reaches it: the same in every evaluation
                    self._settled[slot] = (value, done)
            store.append(value)
            computed.append(done)
        return TorchValues(self, store, computed)

    def _compute(self, evaluator: Evaluator, slot: int, unit: _Unit) -> tuple[torch.Tensor | None, bool]:
        """A unit's values, and whether torch computed them (else they are the exact engine's:
        None when they are not all numbers)."""
        try:
            values = evaluator.evaluate(unit.block, unit.array is not None)
            if unit.array is not None and tuple(values.shape) != (1, unit.array.height, unit.array.width):
                raise Fallback  # Excel broadcasts or pads with #N/A: the exact engine knows how
            return values.reshape(-1), True
        except Fallback:
            if slot in self.live:
                cell = unit.block.cells[0]
                raise FormulaError(cell.sheet, cell.address,
                                   f"the torch backend cannot compute {cell.formula}, which "
                                   "depends on the inputs", file=self.book.path) from None
        exact = [self.book.current(*a) for a in unit.outputs]
        if all(type(v) is float for v in exact):
            return torch.tensor(exact, dtype=DTYPE, device=self.device), False
        return None, False

    def gather(self, sheet: str, rows: np.ndarray, cols: np.ndarray) -> _Gather | None:
        """The (cached) recipe for reading these cells; None if one holds text, a logical or an error."""
        key = (sheet, rows.tobytes(), cols.tobytes())
        if key not in self._gathers:
            self._gathers[key] = self._plan(sheet, rows.tolist(), cols.tolist())
        return self._gathers[key]

    def _plan(self, sheet: str, rows: list[int], cols: list[int]) -> _Gather | None:
        groups: dict[int, tuple[list[int], list[int]]] = {}
        const_at, const_values = [], []
        empty = np.zeros(len(rows), dtype=np.bool_)
        for i, (r, c) in enumerate(zip(rows, cols)):
            source = self.slot_of.get((sheet, r, c))
            if source is not None:
                at, index = groups.setdefault(source[0], ([], []))
                at.append(i)
                index.append(source[1])
                continue
            v = self.book.current(sheet, r, c)
            if v is None:
                empty[i] = True
                v = 0.0
            elif type(v) is not float:
                return None
            const_at.append(i)
            const_values.append(v)
        positions = const_at + [i for at, _ in groups.values() for i in at]
        parts = [(slot, None if index == list(range(self._slot_size(slot)))
                  else torch.tensor(index, device=self.device)) for slot, (_, index) in groups.items()]
        order = np.argsort(positions)
        return _Gather(parts, torch.tensor(const_values, dtype=DTYPE, device=self.device)
                       if const_values or not parts else None,
                       None if np.array_equal(order, np.arange(len(order))) else
                       torch.tensor(order, device=self.device), empty)

    def _slot_size(self, slot: int) -> int:
        first = len(self.input_ranges)
        return self.input_ranges[slot].size if slot < first else len(self.units[slot - first].outputs)

    def skipped(self, address: Address) -> bool:
        """A formula cell left out of every evaluation because no output needs it."""
        source = self.slot_of.get(address)
        return self.needed is not None and source is not None and source[0] >= len(self.inputs) \
            and source[0] not in self.needed

    # -- the workbook ----------------------------------------------------------------------------
    def write_inputs(self) -> None:
        """Store the inputs' current values into the workbook (it recalculates as it would)."""
        for rng, tensor in zip(self.input_ranges, self.inputs):
            self.book.set(str(rng), tensor.detach().cpu().numpy())


class TorchValues:
    """The result of one evaluation: any cell or range as a tensor."""

    def __init__(self, workbook: TorchWorkbook, store: list[torch.Tensor | None],
                 computed: list[bool]) -> None:
        self.workbook = workbook
        self.store = store
        self.computed = computed  # per slot: computed by torch (else taken from the exact engine)

    def range(self, rng: Range) -> torch.Tensor:
        ops = TorchOps(self.workbook, self.store)
        rows, cols = np.mgrid[rng.r1:rng.r2 + 1, rng.c1:rng.c2 + 1]
        gather = Gather(rng.sheet, rows.ravel(), cols.ravel(), KEY)
        try:
            values, _ = ops.load(gather)
            values = ops.take(values, gather.inverse)
        except Fallback:
            skipped = any(self.workbook.skipped((rng.sheet, r, c)) for r, c in rng.cells())
            reason = "is not among the outputs evaluated" if skipped else "holds values that are not numbers"
            raise WorkbookError(f"{rng} {reason}", file=self.workbook.book.path) from None
        return values.reshape(rng.height, rng.width)

    def __getitem__(self, ref: str) -> torch.Tensor:
        """``"sheet!A1"``: a 0-d tensor; ``"sheet!A1:B2"`` or a name: an (h, w) tensor."""
        rng = self.workbook.book.resolve(ref)
        values = self.range(rng)
        return values[0, 0] if rng.size == 1 else values

    def partial(self, output: str | torch.Tensor, wrt: str) -> torch.Tensor:
        """d output / d wrt through the formulas between them, everything else held fixed.

        ``output`` is a cell or a scalar tensor computed from these values; ``wrt`` an input or a
        formula cell or range: the derivative of a row's error with respect to that row's weight,
        as the sheet's gradient columns compute it. Shaped like ``wrt``; 0 where ``output`` does
        not depend on a cell.
        """
        book = self.workbook.book
        target = book.resolve(wrt)
        sources = []
        for address in ((target.sheet, r, c) for r, c in target.cells()):
            if address not in self.workbook.slot_of:
                raise WorkbookError(f"{wrt}: {cell_name(*address[1:])} is neither an input nor a "
                                    "formula computed by torch", file=book.path)
            sources.append(self.workbook.slot_of[address])
        slots = sorted({slot for slot, _ in sources})
        result = self[output] if isinstance(output, str) else output
        grads = torch.autograd.grad(result, [self.store[s] for s in slots],  # type: ignore[misc]
                                    retain_graph=True, allow_unused=True)
        by_slot = dict(zip(slots, grads))
        values = [by_slot[s][i] if by_slot[s] is not None else torch.zeros((), dtype=DTYPE)
                  for s, i in sources]
        return torch.stack([v.to(self.workbook.device) for v in values]).reshape(target.height, target.width)

    def computed_cells(self) -> dict[Address, float]:
        """The formula cells torch computed, with their values."""
        first = len(self.workbook.input_ranges)
        out: dict[Address, float] = {}
        for k, unit in enumerate(self.workbook.units):
            if self.computed[first + k]:
                values = self.store[first + k].detach().cpu().tolist()  # type: ignore[union-attr]
                out.update(zip(unit.outputs, values))
        return out


class TorchOps:
    """The block evaluator's arrays as float64 torch tensors on the workbook's device."""

    xp = torch

    def __init__(self, workbook: TorchWorkbook, store: list[torch.Tensor | None]) -> None:
        self.workbook = workbook
        self.store = store
        self.device = workbook.device
        self.taken: dict[int, tuple[torch.Tensor, torch.Tensor, np.ndarray]] = {}

    def guard(self) -> ContextManager:
        return contextlib.nullcontext()

    def load(self, gather: Gather) -> tuple[torch.Tensor, np.ndarray]:
        plan = self.workbook.gather(gather.sheet, gather.rows, gather.cols)
        if plan is None:
            raise Fallback
        pieces = [] if plan.constant is None else [plan.constant]
        for slot, index in plan.parts:
            source = self.store[slot]
            if source is None:
                raise Fallback  # a unit whose values are not all numbers
            pieces.append(source if index is None else source[index])
        values = pieces[0] if len(pieces) == 1 else torch.cat(pieces)
        return (values if plan.order is None else values[plan.order]), plan.empty

    def take(self, x: torch.Tensor, index: np.ndarray) -> torch.Tensor:
        if x.dim() == 1 and index.size == x.shape[0] and np.array_equal(index.ravel(), np.arange(index.size)):
            return x.reshape(index.shape)  # every value in its place: no gather to record
        out = x[self.constant(index, torch.long)]
        self.taken[id(out)] = (out, x, index)  # for matmul: where a block's operands come from
        return out

    def constant(self, x: np.ndarray, dtype: torch.dtype) -> torch.Tensor:
        """``x`` as a tensor made once per workbook (read-only: no operation writes into it)."""
        key = (x.dtype.str, x.shape, x.tobytes(), dtype)
        made = self.workbook.constants.get(key)
        if made is None:
            made = self.workbook.constants[key] = torch.as_tensor(np.array(x), dtype=dtype, device=self.device)
        return made

    def full(self, n: int, value: float) -> torch.Tensor:
        return self.constant(np.full(n, value, dtype=np.float64), DTYPE)

    def mask(self, m: np.ndarray) -> torch.Tensor:
        return self.constant(np.asarray(m), torch.bool if np.asarray(m).dtype == np.bool_ else None)

    def from_numbers(self, x: np.ndarray) -> torch.Tensor:
        return self.constant(np.asarray(x, dtype=np.float64), DTYPE)

    @staticmethod
    def is_array(v: object) -> bool:
        return isinstance(v, torch.Tensor)

    @staticmethod
    def is_bool(x: torch.Tensor) -> bool:
        return x.dtype == torch.bool

    @staticmethod
    def to_float(x: torch.Tensor) -> torch.Tensor:
        return x.to(DTYPE)

    def tensor(self, v: Any) -> torch.Tensor:
        return v if isinstance(v, torch.Tensor) else self.constant(np.asarray(v, dtype=np.float64), DTYPE)

    def where(self, condition: torch.Tensor, a: Any, b: Any) -> torch.Tensor:
        return torch.where(condition, self.tensor(a), self.tensor(b))

    def power(self, a: Any, b: Any) -> torch.Tensor:
        return torch.pow(self.tensor(a), self.tensor(b))

    @staticmethod
    def sum(x: torch.Tensor) -> torch.Tensor:
        return x.sum(dim=1)

    def matmul(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
        product = self._whole_product(a, b)
        if product is not None:
            return product
        if a.shape[1] == 1 and b.shape[2] == 1:
            # a block of row-times-column MMULTs (dotprod's): one batched dot product, cheaper
            # forwards and backwards than as many 1x1 matrix products
            n = a.shape[0]
            return (a.reshape(n, -1) * b.reshape(n, -1)).sum(1).reshape(n, 1, 1)
        return torch.matmul(a, b)

    def _whole_product(self, a: torch.Tensor, b: torch.Tensor) -> torch.Tensor | None:
        """A block whose cells each multiply row r of a matrix U by column c of a matrix M
        (dotprod's ``MMULT($B25:$F25,H$19:H$23)``) as one product ``U @ M``, each cell taking
        entry (r, c): one matrix product instead of gathering a row and a column per cell.
        None when the operands are not rows and columns of two whole matrices."""
        if a.shape[1] != 1 or b.shape[2] != 1:
            return None
        left, right = self.taken.get(id(a)), self.taken.get(id(b))
        if left is None or right is None or left[0] is not a or right[0] is not b:
            return None
        (_, u, rows), (_, m, cols) = left, right
        n, k = int(a.shape[0]), int(a.shape[2])  # under a trace, sizes are tensors
        if u.dim() != 1 or m.dim() != 1 or int(u.shape[0]) % k or int(m.shape[0]) % k:
            return None
        width = int(m.shape[0]) // k
        rows, cols = rows.reshape(n, k), cols.reshape(n, k)
        first, column = rows[:, 0], cols[:, 0]
        if not (np.array_equal(rows, first[:, None] + np.arange(k)) and not (first % k).any()
                and np.array_equal(cols, column[:, None] + np.arange(k) * width)
                and (column < width).all()):
            return None
        whole = (u.reshape(-1, k) @ m.reshape(k, width)).reshape(-1)
        entries = first // k * width + column
        if n == int(whole.shape[0]) and np.array_equal(entries, np.arange(n)):
            return whole.reshape(n, 1, 1)  # every entry, in order (dotprod's)
        return whole[self.constant(entries, torch.long)].reshape(n, 1, 1)

    @staticmethod
    def numbers(x: Any) -> np.ndarray:
        if isinstance(x, torch.Tensor):
            return x.detach().cpu().numpy()
        return np.asarray(x, dtype=np.float64)

    def scalars(self, gather: Gather) -> list[Scalar]:
        out: list[Scalar] = []
        sheet = gather.sheet
        for r, c in zip(gather.rows.tolist(), gather.cols.tolist()):
            source = self.workbook.slot_of.get((sheet, r, c))
            values = self.store[source[0]] if source is not None else None
            out.append(values[source[1]].item() if values is not None  # type: ignore[index]
                       else self.workbook.book.current(sheet, r, c))
        return out

    def note_reads(self, rng: Range, block: Block) -> None:
        """Nothing to record: the exact engine's graph already knows what OFFSET reads."""

    @staticmethod
    def result(x: torch.Tensor, block: Block) -> torch.Tensor:
        # logical results, and errors (#DIV/0!, #NUM! appear here as inf or nan), come from the
        # exact engine
        if x.dtype == torch.bool or not bool(torch.isfinite(x).all()):
            raise Fallback
        return x


__all__ = ["TorchWorkbook", "TorchValues", "TorchOps", "pick_device"]
