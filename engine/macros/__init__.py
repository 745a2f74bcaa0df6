"""The graddesc macros (Reset, Run, Step), run from their VBA text on any spreadsheet adapter."""
from .adapter import EngineSheet, SheetAdapter
from .observe import Epoch
from .runner import EpochLoop, MacroRunner
from .training import Training
from .vba import optimizer_tabs, parse_module, tab_module

__all__ = ["EngineSheet", "SheetAdapter", "EpochLoop", "MacroRunner", "Epoch", "Training",
           "optimizer_tabs", "parse_module", "tab_module"]
