"""The cure page's figures: the autoencoder's wall and the VAE's side by side on the same axes
and colours, continuity profiles on one scale, and the VAE's two loss parts over training.

Why one figure for both walls: two figures would each pick their own axes, and a wall twice as
wide as the other would look the same size. Here both panels share one range and the equal
aspect of `style.equal_axes`, and a legend click hides a digit on both. The profiles are the
wall page's (`continuity_profile_figure`), put on one y scale by `same_scale`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ae.plots.latent import digit_traces
from ae.plots.own_digit import OWN_TEXTS, own_trace
from ae.plots.style import (
    AXIS_COLOR,
    ZERO_COLOR,
    as_points,
    merge_texts,
    no_fade,
    padded_range,
    template,
)

WALLS_TEXTS = {
    "title": "Two walls, same axes, same colours",
    "left": "autoencoder",
    "right": "variational autoencoder (mu)",
    "missing": "no VAE yet",
    "x_title": "z₁",
    "y_title": "z₂",
    "digit": "digit",
    "index": "test image",
} | OWN_TEXTS


def walls_figure(left: tuple[Any, Any], right: tuple[Any, Any] | None, *,
                 max_points: int = 3000, height: int = 480,
                 own: tuple[Any, Any, Sequence[int | None]] | None = None,
                 class_names: Sequence[str] | None = None,
                 texts: Mapping[str, str] | None = None) -> go.Figure:
    """Two walls, (xy (N, 2), labels (N,)) each, in two panels with one range for both axes of
    both panels (1 unit as long everywhere). `right` None: its panel says there is no VAE.
    At most `max_points` marks per panel (a fixed random subset, the same for both): 3,000
    show a wall's shape as well as 10,000, and the browser draws fewer.
    `own`: a learner's kept digits, (marks on the left wall, on the right one, digits said);
    `class_names`: the legend's names of the labels (digits by default)."""
    t = merge_texts(WALLS_TEXTS, texts)
    fig = make_subplots(rows=1, cols=2, subplot_titles=(t["left"], t["right"]),
                        horizontal_spacing=0.08)
    fig.update_layout(template=template(), height=height, title=dict(text=t["title"]),
                      legend=dict(title_text=t["digit"], tracegroupgap=2),
                      hovermode="closest", uirevision="cure-walls")
    drawn = []
    for col, wall in ((1, left), (2, right)):
        if wall is None:
            continue
        xy, labels = as_points(wall[0]), np.asarray(wall[1]).astype(np.int64)
        index = np.arange(len(xy))
        if len(xy) > max_points:
            index = np.sort(np.random.default_rng(0).choice(len(xy), max_points, replace=False))
        for tr in digit_traces(xy[index], labels[index], index, texts={
                k: t[k] for k in ("digit", "index")}, names=class_names, size=3, opacity=0.55):
            tr.showlegend = col == 1 or left is None
            fig.add_trace(tr, row=1, col=col)
        drawn.append(xy[np.isfinite(xy).all(axis=1)])
        if own is not None and own[col - 1] is not None:
            tr = own_trace(own[col - 1], own[2], texts={k: t[k] for k in OWN_TEXTS})
            tr.showlegend = col == 1
            fig.add_trace(tr, row=1, col=col)
    pts = np.concatenate(drawn) if drawn else np.zeros((0, 2))
    lo, hi = (float(pts.min()), float(pts.max())) if len(pts) else (-1.0, 1.0)
    rng = padded_range(lo, hi)
    zl = dict(zeroline=True, zerolinecolor=ZERO_COLOR, zerolinewidth=1.5, range=rng)
    for col, xa in ((1, "x"), (2, "x2")):
        fig.update_xaxes(title_text=t["x_title"], row=1, col=col, **zl)
        fig.update_yaxes(title_text=t["y_title"] if col == 1 else None, row=1, col=col,
                         scaleanchor=xa, scaleratio=1, **zl)
    if right is None:  # an empty panel keeps its axes only with a trace on them
        fig.add_trace(go.Scatter(x=[rng[0]], y=[rng[0]], mode="markers", showlegend=False,
                                 marker=dict(opacity=0), hoverinfo="skip"), row=1, col=2)
        fig.add_annotation(text=t["missing"], xref="x2", yref="y2", x=sum(rng) / 2,
                           y=sum(rng) / 2, showarrow=False, font=dict(size=16, color=AXIS_COLOR))
    return no_fade(fig)


def same_scale(figures: Sequence[go.Figure], axis: str = "yaxis") -> list[go.Figure]:
    """Give the figures' `axis` one range, 0 to the largest value drawn on it: two continuity
    profiles on one scale, so the smaller jumps look smaller."""
    top = 0.0
    for fig in figures:
        anchor = axis.replace("axis", "")
        for tr in fig.data:
            if (tr.yaxis or "y") == anchor and tr.y is not None and len(tr.y):
                y = np.asarray(tr.y, dtype=np.float64)
                y = y[np.isfinite(y)]
                top = max(top, float(y.max()) if len(y) else 0.0)
    for fig in figures:
        fig.update_layout({axis: dict(range=[0.0, top * 1.08 if top > 0 else 1.0])})
    return list(figures)


TEXTS = {"walls": WALLS_TEXTS}
