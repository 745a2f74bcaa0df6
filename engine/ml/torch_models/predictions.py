"""What a hand-written model returns: (A1 range, values shaped like the range) pairs.

A range may appear more than once, once per formulation of the same quantity (an embedding
lookup beside a one-hot product), so that each is compared with the sheet.
"""
from __future__ import annotations

import torch

Predictions = list[tuple[str, torch.Tensor]]
