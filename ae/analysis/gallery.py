"""Readers of page state kept in the URL: an int in a range, n floats, n ints, or None.

(They move to `ae.ui`, beside the rest of the URL state; this module then goes away.)
"""

from __future__ import annotations

from typing import Any

import numpy as np


# -- page state kept in the URL --------------------------------------------------------------
def parse_int(text: Any, lo: int, hi: int) -> int | None:
    """An int in [lo, hi] from a URL parameter, or None for anything else."""
    try:
        v = int(str(text).strip())
    except (TypeError, ValueError):
        return None
    return v if lo <= v <= hi else None


def parse_floats(text: Any, n: int) -> list[float] | None:
    """n finite floats from "a,b,...", or None for anything else."""
    try:
        vals = [float(s) for s in str(text).split(",")]
    except (TypeError, ValueError):
        return None
    return vals if len(vals) == n and all(np.isfinite(vals)) else None


def parse_ints(text: Any, n: int) -> list[int] | None:
    """n ints from "a,b,...", or None for anything else (ranges are the caller's to check)."""
    try:
        vals = [int(s) for s in str(text).split(",")]
    except (TypeError, ValueError):
        return None
    return vals if len(vals) == n else None
