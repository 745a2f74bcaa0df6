"""CI runs the README's test command, verbatim, in parallel."""
from __future__ import annotations

import re

from tests.conftest import ROOT


def test_ci_runs_the_readmes_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [line for block in re.findall(r"```bash\n(.*?)```", readme, re.S)
                for line in block.splitlines() if "python -m pytest" in line]
    assert len(commands) == 1, commands
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert ci[-1] == commands[0]
    assert " -n auto" in commands[0]  # one worker per core (pytest-xdist)
