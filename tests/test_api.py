"""The Python API a notebook user expects: load, read cells and ranges, set inputs, recalculate
only what depends on them, save a copy — and never touch the source file."""
from __future__ import annotations

import hashlib
import math

import numpy as np
import pytest
from cellgrad import Workbook, WorkbookError
from cellgrad.core.errors import DefinedNameError

from .conftest import reference_path


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_values_and_arrays() -> None:
    book = Workbook.load(reference_path("entropy_example.xlsx"))
    book.calculate()
    assert book["softmax!A3"] == "cat"
    logits = book.array("softmax!B3:B7")[:, 0]
    softmax = np.exp(logits) / np.exp(logits).sum()
    assert np.allclose(book.array("softmax!D3:D7")[:, 0], softmax, rtol=1e-15, atol=0)
    assert book.values("softmax!B2:C2") == [["output", "exp"]]
    assert np.isnan(book.array("softmax!A3:B3")[0, 0])  # text is not a number


def test_only_dependents_are_recalculated() -> None:
    book = Workbook.load(reference_path("entropy_example.xlsx"))
    book.calculate()
    book.automatic = False
    book["entropy!C2"] = 0.25  # read by D2 and E2 only
    assert book.recalculate() == 2
    assert book["entropy!D2"] == pytest.approx(-math.log10(0.25), rel=1e-15)


def test_set_a_range_and_a_sheet_scoped_name() -> None:
    book = Workbook.load(reference_path("graddesc.xlsm"))
    book.calculate()
    book.set("slope", 2.0, sheet="adam")
    book.set("const", 30.0, sheet="adam")
    assert book["adam!C2"] == 2.0 and book["adam!E4"] == 30.0 + 2.0 * book["adam!A4"]
    assert book.resolve("lr", "adam").a1() == "adam!D2"  # a name, not column LR
    assert book.resolve("LR:LR", "adam").a1() == "adam!LR1:LR1048576"
    with pytest.raises(DefinedNameError, match="gradtarget"):
        book.resolve("gradtarget", "momentum")  # momentum's gradtarget is #REF! in the reference


def test_formulas_cannot_be_overwritten() -> None:
    book = Workbook.load(reference_path("entropy_example.xlsx"))
    with pytest.raises(WorkbookError, match="formula"):
        book["softmax!C3"] = 1.0


def test_save_values_writes_a_copy_and_leaves_the_source_alone(tmp_path) -> None:
    source = reference_path("graddesc.xlsm")
    before = digest(source)
    book = Workbook.load(source)
    book.set("slope", 1.0, sheet="adam")
    book.set("const", 1.0, sheet="adam")
    out = tmp_path / "reset.xlsm"
    book.save_values(out)
    assert digest(source) == before
    copy = Workbook.load(out)
    assert copy["adam!C1"] == 1.0 and copy["adam!C2"] == 1.0
    assert copy.sheets["adam"].cells[(4, 5)].formula == "=C4+D4*A4"  # formulas kept
    copy.calculate()
    book.calculate()
    assert copy["adam!D32"] == book["adam!D32"]
    with pytest.raises(WorkbookError, match="overwrite"):
        book.save_values(source)
