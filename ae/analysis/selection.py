"""What a learner selected on a figure, as plain data: Streamlit's chart selection -> a `Pick`.

Every trace the figure builders of `ae.plots` draw carries a `legendgroup` key from this
module; Streamlit passes that key back with a selected point, so `read_pick` can tell a test
image's mark from a red sample, a grid marker, a manifold cell or the picked point itself.
The keys live here, below the figures, so that reading a pick needs no plotting code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# legendgroup keys: stable machine names that come back in Streamlit's selection
GROUP_SAMPLES, GROUP_GRID, GROUP_PICKED, GROUP_CELL = "samples", "grid", "picked", "cell"
GROUP_CODES = "codes"  # the codes when no labels are given
GROUP_OWN = "own"  # a learner's own digits (ae.plots.own_digit)


def digit_group(d: int) -> str:
    """The key of digit `d`'s marks."""
    return f"digit:{d}"


@dataclass(frozen=True)
class Pick:
    """What the learner picked on a figure of `ae.plots`."""
    kind: str            # "code" | "sample" | "grid" | "cell" (manifold) | "picked" | "box"
    x: float             # latent coordinates (for "cell": of the grid point behind that image)
    y: float
    index: int | None    # test index / sample number / grid or cell position; None for "box"
    digit: int | None = None


def _listed(v: Any) -> Any:
    """customdata as it may come back: a number, a list, or a typed array turned into
    {"0": .., "1": ..} by JSON."""
    if isinstance(v, Mapping):
        return [v[k] for k in sorted(v, key=lambda k: int(k))]
    return list(v) if isinstance(v, tuple) else v


def read_pick(selection: Mapping[str, Any] | None, fig: Any = None) -> Pick | None:
    """Streamlit's `event.selection` -> a Pick, or None when nothing usable was selected.

    A drawn box wins (its centre; box selections also list every point inside). Else the first
    point: its kind comes from its `legendgroup` (or, without one, from the trace of that
    `curve_number` in `fig`, the Plotly figure that was drawn).
    """
    if not selection:
        return None
    boxes = selection.get("box") or []
    if boxes:
        b = boxes[-1]
        xs, ys = b.get("x") or [], b.get("y") or []
        if len(xs) >= 2 and len(ys) >= 2:
            return Pick("box", (float(xs[0]) + float(xs[1])) / 2,
                        (float(ys[0]) + float(ys[1])) / 2, None)
    for p in selection.get("points") or []:
        group = p.get("legendgroup")
        curve = p.get("curve_number")
        if not group and fig is not None and curve is not None and curve < len(fig.data):
            group = fig.data[curve].legendgroup
        cd = _listed(p.get("customdata"))
        idx = cd[0] if isinstance(cd, list) and cd else cd
        idx = None if idx is None else int(idx)
        x, y = p.get("x"), p.get("y")
        if group and group.startswith("digit:"):
            return Pick("code", float(x), float(y), idx, int(group.split(":", 1)[1]))
        if group == GROUP_CODES:
            return Pick("code", float(x), float(y), idx)
        if group == GROUP_CELL and isinstance(cd, list) and len(cd) >= 3:
            return Pick("cell", float(cd[1]), float(cd[2]), idx)
        if group in (GROUP_SAMPLES, GROUP_GRID, GROUP_PICKED, GROUP_OWN) and x is not None:
            kind = {GROUP_SAMPLES: "sample", GROUP_GRID: "grid", GROUP_PICKED: "picked",
                    GROUP_OWN: "own"}[group]
            return Pick(kind, float(x), float(y), idx if kind != "picked" else None)
    return None
