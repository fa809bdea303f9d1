"""A model's copies at a glance: one image's trip through the autoencoder (the home page's
picture: image -> encoder -> mark on the wall -> decoder -> repainted image) and the mean test
error of each digit (`ae.analysis.reconstructions.ReconErrors`) as bars.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from ae import fmt
from ae.plots.grid import GROUNDS, as_images
from ae.plots.style import ACCENT, AXIS_COLOR, ZERO_COLOR, merge_texts, padded_range, template
from ae.plots.style import class_names as names_of  # the figure's parameter has the same name

PIPELINE_TEXTS = {"in": "image", "enc": "encoder", "wall": "mark on the wall",
                  "dec": "decoder", "out": "repainted"}


def pipeline_figure(image: Any, code: Sequence[float], recon: Any, *,
                    wall: Any = None, height: int = 260,
                    texts: Mapping[str, str] | None = None) -> go.Figure:
    """One image's journey: the picture, the encoder's arrow, its mark on the wall (the first
    two coordinates; `wall` (N, 2) draws the other marks faintly behind it), the decoder's
    arrow, the repainted picture."""
    t = merge_texts(PIPELINE_TEXTS, texts)
    c = np.asarray(code, dtype=np.float64).ravel()
    mark = np.array([c[0], c[1] if len(c) > 1 else 0.0])
    fig = make_subplots(rows=1, cols=3, column_widths=[0.3, 0.4, 0.3], horizontal_spacing=0.14,
                        subplot_titles=[t["in"], t["wall"], t["out"]])
    ground, ink = GROUNDS[True]
    for col, img in ((1, image), (3, recon)):
        fig.add_trace(go.Heatmap(z=as_images(img)[0], zmin=0, zmax=1, zsmooth=False,
                                 showscale=False, colorscale=[[0, ground], [1, ink]],
                                 hoverinfo="skip"), 1, col)
        fig.update_xaxes(visible=False, constrain="domain", row=1, col=col)
        fig.update_yaxes(visible=False, autorange="reversed", scaleanchor=f"x{col}",
                         constrain="domain", row=1, col=col)
    size = fmt.spread(mark)  # the wall's size when it is given, else the mark's own
    if wall is not None:
        w = np.asarray(wall, dtype=np.float64).reshape(-1, 2)
        w = w[np.isfinite(w).all(axis=1)]
        size = fmt.spread(np.vstack([w, mark[None]]))
        fig.add_trace(go.Scattergl(x=w[:, 0], y=w[:, 1], mode="markers", hoverinfo="skip",
                                   marker=dict(size=2, color="#b0b0b0", opacity=0.5)), 1, 2)
        lo, hi = np.vstack([w, mark[None]]).min(0), np.vstack([w, mark[None]]).max(0)
    else:  # no other marks: show the origin too, so the mark has a place to be seen from
        lo, hi = np.minimum(mark, 0.0) - 1.0, np.maximum(mark, 0.0) + 1.0
    fig.add_trace(go.Scatter(x=[mark[0]], y=[mark[1]], mode="markers+text",
                             text=[fmt.point(c, size, extra=1)], textposition="top center",
                             marker=dict(size=12, color="black"), hoverinfo="skip"), 1, 2)
    # no tick labels: they would sit in the gaps where the arrows are; the label gives the values
    axes = dict(zeroline=True, zerolinecolor=ZERO_COLOR, showticklabels=False, ticks="")
    fig.update_xaxes(range=padded_range(lo[0], hi[0], 0.15), row=1, col=2, **axes)
    fig.update_yaxes(range=padded_range(lo[1], hi[1], 0.15), row=1, col=2, **axes)
    domains = [fig.layout[f"xaxis{i if i > 1 else ''}"].domain for i in (1, 2, 3)]
    for (left, right), key in zip(((domains[0], domains[1]), (domains[1], domains[2])),
                                  ("enc", "dec"), strict=True):
        x = (left[1] + right[0]) / 2  # the middle of the gap between two panels
        fig.add_annotation(x=x, y=0.5, xref="paper", yref="paper", xshift=30, ax=-60, ay=0,
                           axref="pixel", ayref="pixel", text="", showarrow=True,
                           arrowhead=2, arrowsize=1.2, arrowwidth=2, arrowcolor=AXIS_COLOR)
        fig.add_annotation(x=x, y=0.5, xref="paper", yref="paper", yshift=18,
                           showarrow=False, text=t[key], font=dict(size=13, color=AXIS_COLOR))
    fig.update_layout(template=template(), height=height, showlegend=False,
                      margin=dict(l=16, r=16, t=40, b=16))
    return fig


ERROR_TEXTS = {"title": "Mean error per digit", "x": "digit", "y": "mean squared error",
               "mean": "all digits: {mean:.4f}"}


def error_bars_figure(errors: Any, *, height: int = 300,
                      class_names: Sequence[str] | None = None,
                      texts: Mapping[str, str] | None = None) -> go.Figure:
    """A bar per digit (its mean test error) with the overall mean as a dashed line; `errors`
    is a `ReconErrors` (read by attribute: `per_digit`, `mean`); `class_names` name the bars
    (the digits by default, Fashion-MNIST's items for its models)."""
    t = merge_texts(ERROR_TEXTS, texts)
    names = names_of(class_names, len(errors.per_digit))
    fig = go.Figure(go.Bar(x=names,
                           y=np.nan_to_num(errors.per_digit), marker_color=ACCENT,
                           hovertemplate="%{x}: %{y:.4f}<extra></extra>"))
    if np.isfinite(errors.mean):
        fig.add_hline(y=errors.mean, line_dash="dash", line_color=AXIS_COLOR,
                      annotation_text=t["mean"].format(mean=errors.mean),
                      annotation_position="top left")
    fig.update_layout(template=template(), title=t["title"], height=height,
                      xaxis_title=t["x"], yaxis_title=t["y"], margin=dict(t=48, b=40))
    fig.update_xaxes(type="category", tickmode="linear")  # a tick under every digit
    return fig
