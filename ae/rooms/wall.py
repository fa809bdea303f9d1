"""A room's marks on the teacher's wall: where the model in play pins each student's picture,
what D.Coder repaints from there and what the digit classifier reads in that repainting; and
the wall figure with them as stars among the test marks.

The room keeps pictures, not marks (as a learner's `MarkBook` does): the teacher's model in
play places them, so switching models moves the whole class's digits with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
from torch import nn

from ae import fmt
from ae.analysis.classifier import predict_proba
from ae.analysis.latent import decode, encode
from ae.analysis.selection import GROUP_OWN
from ae.plots.own_digit import LANDING_TEXTS, landing_figure
from ae.plots.style import as_points
from ae.rooms.store import Mark

WALL_TEXTS = LANDING_TEXTS | {
    "title": "The class wall: the students' digits among the test marks",
    "own": "the class's digits",
    "mark": "digit",
    "reads": "repainting reads",
}


@dataclass(frozen=True)
class Placed:
    """A room's marks under one model, in the room's order."""

    ids: np.ndarray               # (n,) the marks' ids
    digits: list[int]             # what each student said
    images: np.ndarray            # (n, 28, 28) as sent
    codes: np.ndarray             # (n, z) where the encoder pins them (a VAE: mu)
    repainted: np.ndarray         # (n, 28, 28) what D.Coder paints from each code
    reads: list[tuple[int, float] | None]  # the classifier's digit and confidence per repainting

    def index(self, mark_id: int) -> int | None:
        hit = np.flatnonzero(self.ids == mark_id)
        return int(hit[0]) if len(hit) else None


def place(model: nn.Module, marks: Sequence[Mark], clf: nn.Module | None = None) -> Placed:
    """Encode every mark's picture with `model`, repaint it, read the repaintings (no `clf`:
    no readings). One batch: a room holds a few hundred pictures at most."""
    z = model.config.z_dim
    if not marks:
        empty = np.zeros((0, 28, 28), np.float32)
        return Placed(np.zeros(0, np.int64), [], empty, np.zeros((0, z), np.float32), empty, [])
    images = np.stack([m.image for m in marks]).astype(np.float32)
    codes = encode(model, images[:, None], precision="fp32")
    repainted = decode(model, codes)
    reads: list[tuple[int, float] | None] = [None] * len(marks)
    if clf is not None:
        p = predict_proba(clf, repainted)
        reads = [(int(row.argmax()), float(row.max())) for row in p]
    return Placed(np.array([m.id for m in marks], np.int64), [m.digit for m in marks], images,
                  codes, repainted, reads)


def wall_figure(xy: Any, labels: Any, marks_xy: Any, placed: Placed, *,
                axis_label: str | None = None, height: int = 620,
                texts: Mapping[str, str] | None = None) -> go.Figure:
    """The test marks (faint) and the class's marks as stars coloured by the digit said
    (`ae.plots.own_digit.own_trace`), each star's customdata its mark id and its hover the
    digit said and what the classifier reads in D.Coder's repainting."""
    t = WALL_TEXTS | dict(texts or {})
    landing = {k: v for k, v in t.items() if k in LANDING_TEXTS}
    fig = landing_figure(xy, labels, marks_xy, placed.digits, axis_label=axis_label,
                         height=height, texts=landing)
    fig.layout.uirevision = "class-wall"  # zoom survives the refreshes
    stars = fig.data[-1]
    pts = as_points(marks_xy) if len(placed.ids) else np.zeros((0, 2))
    ok = np.isfinite(pts).all(axis=1)  # the stars own_trace kept, in order
    reads = [placed.reads[i] for i in np.flatnonzero(ok)]
    xy_f = fmt.d3(fmt.spread(as_points(xy)), extra=1)
    stars.customdata = [[int(i), "–" if r is None else f"{r[0]} ({r[1]:.0%})"]
                        for i, r in zip(placed.ids[ok], reads, strict=True)]
    stars.hovertemplate = (f"{t['mark']} #%{{customdata[0]}}: %{{text}}<br>"
                           f"{t['reads']} %{{customdata[1]}}<br>"
                           f"(%{{x:{xy_f}}}, %{{y:{xy_f}}})<extra></extra>")
    return fig


def picked_id(selection: Mapping[str, Any] | None, fig: go.Figure | None = None) -> int | None:
    """The mark id of the first star in a chart selection (Streamlit's `event.selection`),
    or None: a click on a test mark is no student's digit."""
    for p in (selection or {}).get("points") or []:
        group = p.get("legendgroup")
        if group is None and fig is not None and p.get("curve_number") is not None:
            group = fig.data[int(p["curve_number"])].legendgroup
        data = p.get("customdata")
        if group != GROUP_OWN or data is None:
            continue
        if isinstance(data, Mapping):
            data = [data[k] for k in sorted(data, key=int)]
        first = data[0] if isinstance(data, (list, tuple)) else data
        try:
            return int(first)
        except (TypeError, ValueError):
            continue
    return None
