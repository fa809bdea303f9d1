"""Numbers as the dashboard shows them: coordinates and distances on the wall rounded relative
to the wall's size, and small quantities (errors, changes) with significant digits.

Why one module: a trained wall spans units (the book's figure rounds codes to 1 decimal), an
untrained one a few hundredths, so any fixed number of decimals turns an untrained model's
marks into "(0.0, -0.0)" and its distances into "0.00 away". Every caption, hover text and
sentence that shows a position or a distance formats it here, with the decimals the wall's
size calls for; a rounded zero never keeps a minus sign. No Streamlit here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def spread(values: Any) -> float:
    """The size of a set of points (N, d) or of one point: the longer side of the box of its
    finite values; for a single point (or all points equal) its largest |coordinate|; 1.0 when
    nothing is left (so callers always get a usable scale)."""
    a = np.asarray(values, dtype=np.float64)
    a = a.reshape(-1, a.shape[-1]) if a.ndim else a.reshape(1, 1)
    a = a[np.isfinite(a).all(axis=1)]
    if not a.size:
        return 1.0
    side = float((a.max(axis=0) - a.min(axis=0)).max())
    if side > 0:
        return side
    size = float(np.abs(a).max())
    return size if size > 0 else 1.0


def decimals(scale: float, *, extra: int = 0, least: int = 1) -> int:
    """Decimals that resolve about a tenth to a hundredth of `scale` (a spread of 1-10 gets 1
    decimal, 0.01-0.1 gets 3), plus `extra`, and never fewer than `least`."""
    if not (math.isfinite(scale) and scale > 0):
        return max(least, 2 + extra)
    # + 1e-5: 2.1 - 2.0 = 0.0999999 (float32) is a scale of 0.1, not of 0.09
    return max(least, 1 - math.floor(math.log10(scale) + 1e-5) + extra)


def step_decimals(step: float, *, least: int = 0) -> int:
    """Decimals that show a change of one slider `step` (0.05 -> 2, 5e-5 -> 5, 2 -> 0), and
    never fewer than `least`: the rule of `decimals` for the span of ten steps."""
    return decimals(10 * step, least=least)


def fixed(v: float, places: int) -> str:
    """v with `places` decimals; a value that rounds to zero is "0.0", never "-0.0"."""
    v = float(v)
    if not math.isfinite(v):
        return str(v)
    s = f"{v:.{places}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def coord(v: float, scale: float, *, extra: int = 0, least: int = 1) -> str:
    """One coordinate on a wall of size `scale` (see `decimals`)."""
    return fixed(v, decimals(scale, extra=extra, least=least))


def point(p: Sequence[float], scale: float | None = None, *, extra: int = 0, least: int = 1,
          places: int | None = None) -> str:
    """"(x, y)" on a wall of size `scale` (default: the point's own size); longer codes are
    shortened with an ellipsis. `places` fixes the decimals instead."""
    vals = np.asarray(p, dtype=np.float64).ravel()
    if places is None:
        places = decimals(spread(vals[None]) if scale is None else scale, extra=extra,
                          least=least)
    shown = [fixed(v, places) for v in vals[:3]]
    return "(" + ", ".join(shown) + (", ..." if len(vals) > 3 else "") + ")"


def length(v: float, scale: float | None = None, *, extra: int = 0, least: int = 1) -> str:
    """A distance on a wall of size `scale` (default: the distance itself). A distance above
    zero is never shown as 0: it gets the decimals that show 2 significant digits."""
    v = float(v)
    places = decimals(abs(v) if scale is None else scale, extra=extra, least=least)
    if math.isfinite(v) and v != 0 and float(fixed(v, places)) == 0:
        places = 1 - math.floor(math.log10(abs(v)))
    return fixed(v, places)


def d3(scale: float, *, extra: int = 0, least: int = 1) -> str:
    """The same rounding as a Plotly/d3 format (".3f"), for hover templates: %{x:.3f}."""
    return f".{decimals(scale, extra=extra, least=least)}f"


def number(v: float, digits: int = 3) -> str:
    """A small positive quantity (an error, a change) with `digits` significant digits: plain
    decimals from 0.0001 up ("0.0123"), a power of ten below ("1.2×10⁻⁸"); never "0.0000"."""
    v = float(v)
    if not math.isfinite(v):
        return str(v)
    if v == 0:
        return "0"
    e = math.floor(math.log10(abs(v)))
    if -4 <= e < 6:
        return fixed(v, max(0, digits - 1 - e))
    mantissa = f"{v / 10 ** e:.{max(digits - 1, 0)}f}".rstrip("0").rstrip(".")
    if mantissa in ("10", "-10"):  # 9.99e-9 rounded up
        mantissa, e = mantissa[:-1], e + 1
    return f"{mantissa}×10{str(e).translate(SUPERSCRIPT)}"
