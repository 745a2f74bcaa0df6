"""The name Excel's buttons call: ``RunPython "import cellgrad.xlwings_bridge as cellgrad;
cellgrad.run_button()"``. A stable entry point for workbooks already handed out; the bridge itself
is :mod:`cellgrad.hosts.xlwings_bridge`."""
from .hosts.xlwings_bridge import BUTTONS, reset_button, run_button, step_button

__all__ = ["BUTTONS", "reset_button", "run_button", "step_button"]
