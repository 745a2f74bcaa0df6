"""When a search must end before it converges: its deadline passed, or Ctrl-C was pressed.

Ctrl-C during a search does what it does in Excel's Solver: the search stops and the best point
found so far is kept (and written). The first press only sets a flag that the searches look at
between steps, so no half-finished step is ever kept; a second press interrupts at once.
"""
from __future__ import annotations

import contextlib
import signal
import threading
import time
from typing import Iterator

from .outcome import Status


class Stop:
    def __init__(self, seconds: float) -> None:
        self.began = time.perf_counter()
        self.deadline = self.began + seconds
        self.interrupted = False

    def reason(self) -> Status | None:
        """Why the search must stop now, or None."""
        if self.interrupted:
            return "interrupted"
        if time.perf_counter() >= self.deadline:
            return "time_limit"
        return None

    def left(self) -> float:
        return max(self.deadline - time.perf_counter(), 0.0)

    def elapsed(self) -> float:
        return time.perf_counter() - self.began

    @contextlib.contextmanager
    def on_interrupt(self) -> Iterator["Stop"]:
        """Inside: the first SIGINT sets :attr:`interrupted` (main thread only; elsewhere, and
        after a second SIGINT, Ctrl-C raises KeyboardInterrupt as usual)."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return

        def handler(signum: int, frame: object) -> None:
            self.interrupted = True
            signal.signal(signal.SIGINT, previous)

        previous = signal.signal(signal.SIGINT, handler)
        try:
            yield self
        finally:
            signal.signal(signal.SIGINT, previous)
