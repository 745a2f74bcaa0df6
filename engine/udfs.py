"""The module xlwings imports for worksheet functions (UDF Modules: ``cellgrad.udfs``). A stable
entry point; the functions themselves are :mod:`cellgrad.hosts.udfs`."""
from .hosts.udfs import CROSS_ENTROPY, EMBEDDING, FUNCTIONS, SOFTMAX, TRAJECTORY

__all__ = ["CROSS_ENTROPY", "EMBEDDING", "FUNCTIONS", "SOFTMAX", "TRAJECTORY"]
