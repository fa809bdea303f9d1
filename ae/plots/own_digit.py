"""A learner's own digits on the wall: big outlined stars, coloured by the digit the learner says
each one is, among the test set's marks.

Stars because no digit's marker is a star outlined in black, so a learner finds theirs among
10,000 marks at once; the digit said is written beside each, because a colour alone does not
say which digit it stands for. `own_trace` goes on any wall figure (the wall page's, the cure
page's panels); `landing_figure` is the own-digit page's wall, with the digit being drawn now in
gold and, for a VAE, the patch N.Coder pins for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ae import fmt
from ae.analysis.selection import GROUP_OWN
from ae.plots.latent import LATENT_TEXTS, latent_figure
from ae.plots.style import DIGIT_COLORS, as_points, merge_texts

OWN_TEXTS = {
    "own": "your digits",
    "mark": "your digit",
    "now": "this drawing",
    "unsaid": "?",
}
LANDING_TEXTS = LATENT_TEXTS | OWN_TEXTS | {"title": "Where N.Coder pins your digit"}
UNSAID_COLOR = "#bbbbbb"  # a digit the learner did not name
NOW_COLOR = "#FFB000"     # the drawing on the canvas now: gold, as the wall page's picked ring


def own_trace(xy: Any, digits: Sequence[int | None], *, scale: float | None = None,
              texts: Mapping[str, str] | None = None) -> go.Scatter:
    """The learner's marks (n, 2) as one trace of outlined stars with the digit said beside
    each (customdata = mark number, from 1); an empty trace for no marks (it keeps its place
    so a figure can fill it in later). Non-finite marks are left out."""
    t = merge_texts(OWN_TEXTS, texts)
    pts = as_points(xy) if len(digits) else np.zeros((0, 2))
    ok = np.isfinite(pts).all(axis=1)
    number = np.arange(1, len(pts) + 1)[ok]
    said = [digits[i] for i in np.flatnonzero(ok)]
    xy_f = fmt.d3(fmt.spread(pts[ok]) if scale is None else scale, extra=1)
    return go.Scatter(
        x=pts[ok, 0], y=pts[ok, 1], customdata=number, mode="markers+text",
        name=t["own"], legendgroup=GROUP_OWN, legendrank=1000,
        text=[t["unsaid"] if d is None else str(d) for d in said],
        textposition="top right", textfont=dict(size=14, color="#000000"),
        marker=dict(size=18, symbol="star",
                    color=[UNSAID_COLOR if d is None else DIGIT_COLORS[d] for d in said],
                    line=dict(width=1.5, color="#000000")),
        unselected=dict(marker=dict(opacity=1.0)),
        hovertemplate=(f"{t['mark']} %{{customdata}}: %{{text}}<br>"
                       f"(%{{x:{xy_f}}}, %{{y:{xy_f}}})<extra></extra>"))


def now_trace(point: Sequence[float], digit: int | None, *, scale: float | None = None,
              texts: Mapping[str, str] | None = None) -> go.Scatter:
    """The drawing on the canvas now: a large gold star, its digit (or "?") written beside."""
    t = merge_texts(OWN_TEXTS, texts)
    p = as_points(point, "point")[0]
    xy_f = fmt.d3(fmt.spread(p) if scale is None else scale, extra=1)
    label = t["unsaid"] if digit is None else str(digit)
    return go.Scatter(
        x=[p[0]], y=[p[1]], mode="markers+text", name=t["now"], legendrank=999,
        text=[label], textposition="top right", textfont=dict(size=18, color="#000000"),
        marker=dict(size=28, symbol="star", color=NOW_COLOR, line=dict(width=2.5,
                                                                         color="#000000")),
        hovertemplate=f"{t['now']}: {label}<br>(%{{x:{xy_f}}}, %{{y:{xy_f}}})<extra></extra>")


def landing_figure(xy: Any, labels: Any, own_xy: Any, own_digits: Sequence[int | None], *,
                   now: Sequence[float] | None = None, now_digit: int | None = None,
                   spread: tuple[Any, Any] | None = None, axis_label: str | None = None,
                   height: int = 520, texts: Mapping[str, str] | None = None) -> go.Figure:
    """The test set's marks (faint, coloured by digit), the learner's marks, and the drawing
    of now (with a VAE's patch (mu, sigma) around it). The axes reach every mark drawn, the
    learner's included, so a digit pinned far off the wall is still in the picture."""
    t = merge_texts(LANDING_TEXTS, texts)
    fig = latent_figure(xy, labels, marker_size=3, opacity=0.35, spread=spread,
                        axis_label=axis_label, height=height, uirevision="own-wall",
                        texts={k: t[k] for k in LATENT_TEXTS})
    scale = fmt.spread(as_points(xy))
    own = {k: t[k] for k in OWN_TEXTS}
    fig.add_trace(own_trace(own_xy, own_digits, scale=scale, texts=own))
    if now is not None and np.isfinite(np.asarray(now, dtype=np.float64)).all():
        fig.add_trace(now_trace(now, now_digit, scale=scale, texts=own))
    return fig
