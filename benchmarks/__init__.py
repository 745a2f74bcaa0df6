"""Speed and memory of cellgrad, each figure beside a peer measured in the same run.

Run from the repository root: ``python -m benchmarks.recalc [--json] [--repeat N]``.
"""
