"""The progress bar of a solve on stderr: run, step and objective.

On a terminal one line is redrawn at most ten times a second; into a file or a pipe a line is
written when a run ends, so a log shows each run's result without thousands of lines.
"""
from __future__ import annotations

import sys
import time
from typing import TextIO

import torch

from .search import Step

REDRAW_SECONDS = 0.1


class ProgressBar:
    def __init__(self, sheet: str, stream: TextIO | None = None) -> None:
        self.sheet = sheet
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.last: Step | None = None
        self.drawn = 0.0

    def __call__(self, step: Step, values: list[torch.Tensor]) -> None:
        if self.last is not None and step.run != self.last.run and not self.live:
            self._line(self.last, end="\n")
        self.last = step
        now = time.perf_counter()
        if self.live and now - self.drawn >= REDRAW_SECONDS:
            self.drawn = now
            self._line(step, end="")

    def close(self) -> None:
        """The last state, and the line ended."""
        if self.last is not None:
            self._line(self.last, end="\n")

    def _line(self, step: Step, end: str) -> None:
        width = len(str(step.runs))
        text = (f"solve {self.sheet}: run {step.run + 1:>{width}}/{step.runs} "
                f"step {step.step:>6}  objective {step.objective:.10g}")
        prefix = "\r\033[K" if self.live else ""
        self.stream.write(prefix + text + end)
        self.stream.flush()
