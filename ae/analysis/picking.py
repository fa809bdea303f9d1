"""From a click on the wall to a point D.Coder can paint, and the small facts shown beside it
(the nearest mark, the coordinate sliders' ranges, the n-th test image of a digit).

Why this exists: Streamlit reports which *marker* was clicked (or the extent of a drawn box),
never a free position, and the wall a learner sees may be a PCA picture of a latent space with
more than two dimensions. So a pick has to be turned into a latent vector: a clicked code is
decoded from its exact code (not from its rounded picture position); any other pick (a faint
grid marker, a box's centre, a red sample, a manifold cell, the coordinate sliders) is a
position on the picture, lifted back into the latent space on the plane the picture shows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ae import fmt
from ae.analysis.latent import pca_basis
from ae.analysis.selection import Pick, read_pick


@dataclass(frozen=True)
class View:
    """How the 2-D picture of the wall relates to the latent space.

    z_dim 2: the picture *is* the latent space. z_dim 1: x is the code, y is always 0.
    z_dim > 2: the picture shows the codes projected on their two main (PCA) directions
    without re-centring (as `ae.analysis.project_2d`); a picture point lifts back to the point
    of the plane through the codes' mean spanned by those directions.
    """

    z_dim: int
    mean: np.ndarray             # (z_dim,) mean of the codes
    basis: np.ndarray | None     # (2, z_dim) orthonormal rows when z_dim > 2, else None

    @classmethod
    def of(cls, codes: Any) -> View:
        c = np.asarray(codes, dtype=np.float64)
        if c.ndim != 2 or len(c) == 0:
            raise ValueError(f"codes must be a non-empty (N, z_dim) array, got shape {c.shape}")
        basis = pca_basis(c) if c.shape[1] > 2 else None
        return cls(c.shape[1], c.mean(axis=0), basis)

    @property
    def projected(self) -> bool:
        return self.z_dim != 2

    def to_picture(self, z: Any) -> np.ndarray:
        """Latent points (K, z_dim) -> picture points (K, 2)."""
        z = np.asarray(z, dtype=np.float64).reshape(-1, self.z_dim)
        if self.z_dim == 2:
            return z.copy()
        if self.z_dim == 1:
            return np.hstack([z, np.zeros_like(z)])
        return z @ self.basis.T

    def to_latent(self, xy: Any) -> np.ndarray:
        """Picture points (K, 2) -> latent points (K, z_dim); `to_picture` undoes it exactly."""
        p = np.asarray(xy, dtype=np.float64).reshape(-1, 2)
        if self.z_dim == 2:
            return p.copy()
        if self.z_dim == 1:
            return p[:, :1].copy()
        centre = self.mean @ self.basis.T  # where the codes' mean sits on the picture
        return self.mean + (p - centre) @ self.basis


@dataclass(frozen=True)
class WallPoint:
    """A picked point: where it is on the picture, the latent vector to decode, and what it is."""

    xy: tuple[float, float]
    z: tuple[float, ...]
    kind: str                 # "code" | "grid" | "box" | "sample" | "cell" | "slider" | "own"
    index: int | None = None  # test index (code), sample number (sample), cell (cell)
    digit: int | None = None  # the clicked code's label


def at(xy: Any, view: View, kind: str = "slider") -> WallPoint:
    """The wall point at picture position xy (e.g. from the coordinate sliders)."""
    p = np.asarray(xy, dtype=np.float64).ravel()[:2]
    return WallPoint((float(p[0]), float(p[1])), tuple(float(v) for v in view.to_latent(p)[0]),
                     kind)


def code_point(index: int, codes: Any, view: View, labels: Any = None) -> WallPoint:
    """The mark of test image `index`: decoded from its exact code."""
    c = np.asarray(codes)
    if not 0 <= index < len(c):
        raise IndexError(f"test index {index} outside 0..{len(c) - 1}")
    z = np.asarray(c[index], dtype=np.float64)
    xy = view.to_picture(z)[0]
    digit = None if labels is None else int(np.asarray(labels)[index])
    return WallPoint((float(xy[0]), float(xy[1])), tuple(float(v) for v in z), "code",
                     int(index), digit)


def from_pick(pick: Pick | None, view: View, codes: Any, labels: Any = None) -> WallPoint | None:
    """A `Pick` (see `ae.analysis.selection`) -> the point to decode; None for nothing usable
    (no pick, a click on the picked-point ring itself, a code index that is not in this wall)."""
    if pick is None or pick.kind == "picked":
        return None
    if pick.kind == "code":
        if pick.index is None or not 0 <= pick.index < len(codes):
            return None
        return code_point(pick.index, codes, view, labels)
    if not (math.isfinite(pick.x) and math.isfinite(pick.y)):
        return None
    p = at((pick.x, pick.y), view, pick.kind)
    index = pick.index if pick.kind in ("sample", "cell", "grid", "own") else None
    return WallPoint(p.xy, p.z, p.kind, index)


def from_selection(selection: Mapping[str, Any] | None, view: View, codes: Any,
                   labels: Any = None, fig: Any = None,
                   kind: str | None = None) -> WallPoint | None:
    """Streamlit's `event.selection` of a chart -> the point to decode (or None).

    `kind` renames what the chart's cells are (the red samples' pictures report "cell", as
    the manifold's do; pass kind="sample" for them)."""
    try:
        pick = read_pick(selection, fig)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError):
        return None  # a selection of an unexpected shape is ignored, never a crash
    p = from_pick(pick, view, codes, labels)
    if p is not None and kind is not None and p.kind != "code":
        p = WallPoint(p.xy, p.z, kind, p.index, p.digit)
    return p


def nearest_code(xy_all: Any, point: Any) -> tuple[int, float]:
    """(index, distance) of the code nearest to `point` on the picture: is the point in a gap?"""
    a = np.asarray(xy_all, dtype=np.float64)
    d = np.hypot(a[:, 0] - float(point[0]), a[:, 1] - float(point[1]))
    d[~np.isfinite(d)] = np.inf
    i = int(np.argmin(d))
    return i, float(d[i])


@dataclass(frozen=True)
class SliderBounds:
    """Ranges and step of the coordinate sliders: the wall's box widened a little, in round
    numbers, so every mark and a margin of empty wall can be reached."""

    x: tuple[float, float]
    y: tuple[float, float]
    step: float

    @property
    def format(self) -> str:
        """printf format showing the step's decimals (Streamlit's default shows 2)."""
        return f"%.{fmt.step_decimals(self.step)}f"

    def clamp(self, xy: Any) -> tuple[float, float]:
        """xy rounded to the step and kept inside the ranges (a value a slider accepts)."""
        out, p = [], np.asarray(xy, dtype=np.float64).ravel()[:2]
        for v, (lo, hi) in zip(p, (self.x, self.y), strict=True):
            v = lo if not math.isfinite(v) else min(max(v, lo), hi)
            out.append(round(round(v / self.step) * self.step, fmt.step_decimals(self.step)))
        return out[0], out[1]


def slider_bounds(xy: Any, pad: float = 0.1) -> SliderBounds:
    """Slider ranges for the wall `xy` (N, 2): min..max plus `pad` of the span, rounded out to
    the step; the step is about 1/200 of the larger span, a 1-2-5 number."""
    a = np.asarray(xy, dtype=np.float64)
    a = a[np.isfinite(a).all(axis=1)]
    if not len(a):
        return SliderBounds((-1.0, 1.0), (-1.0, 1.0), 0.01)
    lo, hi = a.min(axis=0), a.max(axis=0)
    span = np.maximum(hi - lo, 1e-6)
    step = _nice(float(span.max()) / 200)
    lo, hi = lo - pad * span, hi + pad * span
    d = fmt.step_decimals(step)
    rx = (round(math.floor(lo[0] / step) * step, d), round(math.ceil(hi[0] / step) * step, d))
    ry = (round(math.floor(lo[1] / step) * step, d), round(math.ceil(hi[1] / step) * step, d))
    return SliderBounds(rx, ry, step)


def _nice(x: float) -> float:
    """The largest 1-2-5 number <= x (0.01, 0.02, 0.05, 0.1, ...)."""
    e = math.floor(math.log10(x))
    for m in (5, 2, 1):
        if m * 10 ** e <= x:
            return round(m * 10 ** e, max(0, -e))
    return 10.0 ** e


# -- the two ends of an interpolation: the n-th test image of a digit ------------------------
def nth_of_digit(y: Any, digit: int, n: int) -> int:
    """The test index of the n-th image (0-based) of `digit`; n is clipped to what exists."""
    idx = np.flatnonzero(np.asarray(y) == digit)
    if not len(idx):
        raise ValueError(f"no test image of digit {digit}")
    return int(idx[min(max(int(n), 0), len(idx) - 1)])


def count_of_digit(y: Any, digit: int) -> int:
    """How many test images show `digit`."""
    return int((np.asarray(y) == digit).sum())
