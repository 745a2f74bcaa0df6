"""What a long command shows while it works, and the one line it ends with.

:class:`Progress` is a bar on stderr with step counts and what is being done now ("adam",
"objective 0.39301"), redrawn in place at most ten times a second, and only where a person
watches: when the stream is a terminal. Into a file or a pipe it writes nothing, so logs and
``--json`` output stay clean. :func:`verdict` is the command's last line ("16 tabs agree within
4.1e-13"): on stdout after a table, on stderr when stdout carries JSON.
"""
from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

REDRAW_SECONDS = 0.1
BAR_WIDTH = 30


class Progress:
    """``with Progress(7, "tabs", label="check") as bar: bar.update(1, "basic") ...``"""

    def __init__(self, total: int, unit: str, *, label: str = "", stream: TextIO | None = None,
                 shown: bool = True) -> None:
        self.total = max(total, 0)
        self.unit = unit
        self.label = label
        self.stream = stream or sys.stderr
        # the caller can hide the bar where its own output already shows progress
        self.live = shown and _is_terminal(self.stream)
        self.done = 0
        self.current = ""
        self.drawn_at = -REDRAW_SECONDS
        self.drawn = False

    def update(self, done: int, current: str = "", *, total: int | None = None) -> None:
        """``done`` of ``total`` finished; ``current``: what is being worked on now; ``total``
        where the count is known only once the work has started."""
        if total is not None:
            self.total = total
        self.done, self.current = done, current
        now = time.perf_counter()
        if self.live and (done >= self.total or now - self.drawn_at >= REDRAW_SECONDS):
            self.drawn_at = now
            self._draw()

    def line(self) -> str:
        filled = BAR_WIDTH * self.done // self.total if self.total else BAR_WIDTH
        head = f"{self.label}: " if self.label else ""
        tail = f"  {self.current}" if self.current else ""
        return (f"{head}[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] "
                f"{self.done}/{self.total} {self.unit}{tail}")

    def _draw(self) -> None:
        self.stream.write("\r\033[K" + self.line())
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        """Erase the bar: the command's own output (its table, its verdict) follows."""
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.drawn = False

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


def verdict(text: str, *, json_on_stdout: bool = False) -> None:
    """The command's last line: after the table on stdout; on stderr when stdout is JSON."""
    print(text, file=sys.stderr if json_on_stdout else sys.stdout, flush=True)


def _is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
