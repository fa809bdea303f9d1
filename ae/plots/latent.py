"""The wall: the encoded test set as an interactive scatter, with the overlays a learner picks.

One trace per digit (a legend click hides a digit): WebGL for a wall of more than
GL_MIN_POINTS marks (10,000 points stay smooth), SVG for fewer. Each WebGL figure costs the
browser a fixed ~0.3-0.5 s to set up its context where it has no GPU and draws in software
(a headless Chromium, many school laptops), which SVG beats below a couple of thousand points
(a training snapshot's 1,000 probes); from ~3,000 marks on, WebGL is the faster. Unscaled
axes with (0, 0) marked, `customdata` = the test index of each code. Positions go to the
browser as float32 and indices as int32 (half the bytes of float64 / int64: the wall's figure
is sent to every student; a hover shows at most a few decimals). Optional overlays: the
book's red random samples, a faint grid of pickable markers (Streamlit reports clicks on
markers only, never on empty space, so this grid is how a learner picks a free point of the
wall), and the picked point. Every trace has a `legendgroup` key that Streamlit passes back
with a selected point; `ae.analysis.selection.read_pick` turns that selection into a `Pick`.

For `st.plotly_chart(fig, on_select="rerun", selection_mode=("points", "box"))` leave
`dragmode` as None: Streamlit then starts in pan mode, where a click selects a point, and the
box tool in the mode bar draws a box (its centre becomes the pick).

A variational autoencoder's mark is the centre mu of a small fuzzy patch; `spread_traces` draws
that patch as axis-aligned ellipses at 1 and 2 spreads (sigma = exp(log_var / 2) per axis),
on any wall figure (`latent_figure(..., spread=(mu, sigma))`) or on a close-up around one mark
(`spread_figure`).

Hover texts round positions to the wall's size (`ae.fmt`): two decimals on a trained wall,
more on an untrained one whose marks all lie within a few hundredths of (0, 0).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ae import fmt
from ae.analysis.selection import (
    GROUP_CODES,
    GROUP_GRID,
    GROUP_PICKED,
    GROUP_SAMPLES,
    digit_group,
)
from ae.plots.style import (
    DIGIT_COLORS,
    DIGIT_SYMBOLS,
    INK,
    PICK_COLOR,
    SAMPLE_RED,
    as_points,
    equal_axes,
    merge_texts,
    new_figure,
    no_fade,
)
from ae.plots.style import class_names as names_of  # the figures' parameter has the same name

LATENT_TEXTS = {
    "title": "The wall: the test set encoded",
    "x_title": "z₁",
    "y_title": "z₂",
    "digit": "digit",
    "index": "test image",
    "samples": "random samples",
    "sample": "sample",
    "grid": "pickable grid",
    "picked": "picked point",
    "spread": "{k} σ patch",
}
GROUP_SPREAD = "spread"  # legendgroup of the VAE's patch ellipses
GL_MIN_POINTS = 2000  # a wall of more marks than this is drawn with WebGL (see the notes)
SPREAD_TEXTS = {"title": "The patch N.Coder pins for this image"}
def axis_titles(axis_label: str | None, t: Mapping[str, str]) -> tuple[str, str]:
    """ "PCA 1/2" (ae.analysis.project_2d) -> ("PCA 1", "PCA 2"); None -> the plain z axes."""
    if not axis_label:
        return t["x_title"], t["y_title"]
    head, _, tail = axis_label.rpartition(" ")
    if head and "/" in tail:
        a, b = tail.split("/", 1)
        return f"{head} {a}", f"{head} {b}"
    return f"{axis_label} (x)", f"{axis_label} (y)"


def digit_traces(xy: Any, labels: Any = None, index: Any = None, *, color_by: str = "digit",
                 names: Sequence[str] | None = None, texts: Mapping[str, str] | None = None,
                 size: float = 4.0, opacity: float = 0.7) -> list[go.Scatter | go.Scattergl]:
    """One trace per digit (always 10 when labels are given, possibly empty, so trace
    numbers and legend stay stable), WebGL beyond GL_MIN_POINTS marks; customdata = the test
    index. Non-finite codes are left out (a diverged model must not put NaN into the
    figure)."""
    if color_by not in ("digit", "none"):
        raise ValueError(f"color_by must be 'digit' or 'none', got {color_by!r}")
    t = merge_texts(LATENT_TEXTS, texts)
    pts = as_points(xy)
    idx = np.arange(len(pts)) if index is None else np.asarray(index, dtype=np.int64).ravel()
    lab = np.zeros(len(pts), np.int64) if labels is None else np.asarray(labels).astype(np.int64)
    if not len(idx) == len(lab) == len(pts):
        raise ValueError(f"xy, labels and index differ in length: {len(pts)}, {len(lab)}, "
                         f"{len(idx)}")
    ok = np.isfinite(pts).all(axis=1)
    xy_f = fmt.d3(fmt.spread(pts), extra=1)
    names = names_of(names)
    digits = range(10) if labels is not None else [0]
    scatter = go.Scattergl if ok.sum() > GL_MIN_POINTS else go.Scatter
    traces = []
    for d in digits:
        m = ok & (lab == d)
        colored = color_by == "digit" and labels is not None
        who = f"{t['digit']} {names[d]}<br>" if labels is not None else ""
        traces.append(scatter(
            x=pts[m, 0].astype(np.float32), y=pts[m, 1].astype(np.float32),
            customdata=idx[m].astype(np.int32), mode="markers",
            name=names[d] if labels is not None else t["title"],
            legendgroup=digit_group(d) if labels is not None else GROUP_CODES,
            showlegend=colored,
            marker=dict(size=size, opacity=opacity,
                        color=DIGIT_COLORS[d] if colored else INK,
                        symbol=DIGIT_SYMBOLS[d] if colored else "circle"),
            # clicking selects; without this every other point would fade to 20 %
            selected=dict(marker=dict(color=PICK_COLOR, opacity=1.0, size=size * 3)),
            unselected=dict(marker=dict(opacity=opacity)),
            hovertemplate=(f"{who}{t['index']} %{{customdata}}<br>"
                           f"(%{{x:{xy_f}}}, %{{y:{xy_f}}})<extra></extra>"),
        ))
    return traces


def latent_figure(xy: Any, labels: Any = None, index: Any = None, *, color_by: str = "digit",
                  class_names: Sequence[str] | None = None, samples: Any = None,
                  grid: Any = None, picked: Sequence[float] | None = None,
                  axis_label: str | None = None, marker_size: float = 4.0,
                  opacity: float = 0.7, x_range: Sequence[float] | None = None,
                  y_range: Sequence[float] | None = None, uirevision: str = "latent",
                  dragmode: str | None = None, height: int = 600,
                  spread: tuple[Any, Any] | None = None,
                  texts: Mapping[str, str] | None = None) -> go.Figure:
    """The latent wall. xy (N, 2) codes (or their PCA view, then pass `axis_label`);
    labels (N,) digits or None; index (N,) test indices (default 0..N-1) -> customdata.
    samples (n, 2): red points, customdata = sample number; grid (m, 2): faint pickable markers,
    customdata = grid position; picked (2,): a ring around the chosen point; spread
    (mu (2,), sigma (2,)): a VAE's patch around one mark, as 1 and 2 sigma ellipses.
    Keep `uirevision` fixed across reruns so zoom and legend state survive; change it to reset.
    """
    t = merge_texts(LATENT_TEXTS, texts)
    fig = new_figure(t["title"], height=height)
    size = fmt.spread(as_points(xy))
    # the overlays as the marks: one WebGL context or none (see GL_MIN_POINTS)
    scatter = go.Scattergl if np.isfinite(as_points(xy)).all(axis=1).sum() > GL_MIN_POINTS \
        else go.Scatter
    xy_f = fmt.d3(size, extra=1)
    if grid is not None:  # drawn first, so codes and samples stay on top of it
        g = as_points(grid, "grid")
        fig.add_trace(scatter(
            x=g[:, 0].astype(np.float32), y=g[:, 1].astype(np.float32),
            customdata=np.arange(len(g), dtype=np.int32), mode="markers", name=t["grid"],
            legendgroup=GROUP_GRID, legendrank=1003,
            marker=dict(size=7, color="#9aa0a6", opacity=0.18, symbol="square"),
            selected=dict(marker=dict(opacity=0.6)), unselected=dict(marker=dict(opacity=0.18)),
            hovertemplate=f"{t['grid']}<br>(%{{x:{xy_f}}}, %{{y:{xy_f}}})<extra></extra>"))
    for tr in digit_traces(xy, labels, index, color_by=color_by, names=class_names, texts=texts,
                           size=marker_size, opacity=opacity):
        fig.add_trace(tr)
    if samples is not None:
        s = as_points(samples, "samples")
        fig.add_trace(scatter(
            x=s[:, 0], y=s[:, 1], customdata=np.arange(len(s)), mode="markers",
            name=t["samples"], legendgroup=GROUP_SAMPLES, legendrank=1001,
            marker=dict(size=9, color=SAMPLE_RED, symbol="circle",
                        line=dict(width=1, color="white")),
            unselected=dict(marker=dict(opacity=1.0)),
            hovertemplate=(f"{t['sample']} %{{customdata}}<br>"
                           f"(%{{x:{xy_f}}}, %{{y:{xy_f}}})<extra></extra>")))
    if spread is not None:
        for tr in spread_traces(*spread, texts=t, scale=size):
            fig.add_trace(tr)
    if picked is not None:
        fig.add_trace(picked_trace(picked, t["picked"], size))
    equal_axes(fig, x_title=axis_titles(axis_label, t)[0], y_title=axis_titles(axis_label, t)[1],
               x_range=x_range, y_range=y_range)
    fig.update_layout(uirevision=uirevision, hovermode="closest",
                      legend=dict(title_text=t["digit"] if color_by == "digit" else None,
                                  tracegroupgap=2))
    if dragmode is not None:
        fig.update_layout(dragmode=dragmode)
    return no_fade(fig)


def picked_trace(point: Sequence[float], name: str, scale: float | None = None) -> go.Scatter:
    """A black ring with a dot: visible on any colour of the wall (`scale`: the wall's size,
    for the hover's rounding; by default the point's own size)."""
    p = as_points(point, "picked")[0]
    xy_f = fmt.d3(fmt.spread(p) if scale is None else scale, extra=1)
    return go.Scatter(
        x=[p[0], p[0]], y=[p[1], p[1]], mode="markers", name=name, legendgroup=GROUP_PICKED,
        legendrank=1002,
        marker=dict(size=[20, 5], color=["rgba(0,0,0,0)", PICK_COLOR], symbol="circle",
                    line=dict(width=[3, 0], color=PICK_COLOR)),
        hovertemplate=f"{name}<br>(%{{x:{xy_f}}}, %{{y:{xy_f}}})<extra></extra>")


def ellipse(center: Sequence[float], radii: Sequence[float], n: int = 73) -> np.ndarray:
    """(n, 2) points on the axis-aligned ellipse with these radii, closed (last = first)."""
    a = np.linspace(0.0, 2 * np.pi, n)
    c, r = (np.asarray(v, dtype=np.float64).ravel()[:2] for v in (center, radii))
    return np.stack([c[0] + r[0] * np.cos(a), c[1] + r[1] * np.sin(a)], 1)


def spread_traces(mu: Any, sigma: Any, *, ks: Sequence[float] = (1, 2),
                  texts: Mapping[str, str] | None = None,
                  scale: float | None = None) -> list[go.Scatter]:
    """A VAE's patch around its mark mu (2,): one outline per k in `ks`, radii k * sigma (2,)
    (sigma = exp(log_var / 2) on each axis; the patch is a Gaussian with a diagonal
    covariance, so its outlines are axis-aligned ellipses). Nothing for a non-finite patch."""
    t = merge_texts(LATENT_TEXTS, texts)
    m, sd = (np.asarray(v, dtype=np.float64).ravel()[:2] for v in (mu, sigma))
    if not (np.isfinite(m).all() and np.isfinite(sd).all()):
        return []
    xy_f = fmt.d3(fmt.spread(m) if scale is None else scale, extra=1)
    out = []
    for i, k in enumerate(ks):
        e = ellipse(m, k * sd)
        name = t["spread"].format(k=f"{k:g}")
        out.append(go.Scatter(
            x=e[:, 0], y=e[:, 1], mode="lines", name=name, legendgroup=GROUP_SPREAD,
            legendrank=1004 + i, line=dict(color=PICK_COLOR, width=2.4 if i == 0 else 1.4,
                                           dash="solid" if i == 0 else "dash"),
            fill="toself", fillcolor=f"rgba(255,176,0,{0.28 if i == 0 else 0.12})",
            hovertemplate=(f"{name}<br>mu (%{{customdata[0]:{xy_f}}}, "
                           f"%{{customdata[1]:{xy_f}}})<extra></extra>"),
            customdata=np.tile(m, (len(e), 1))))
    return out


def spread_figure(xy: Any, labels: Any, mu: Any, sigma: Any, *, reach: float = 3.0,
                  context: float = 0.1, height: int = 320, color_by: str = "digit",
                  class_names: Sequence[str] | None = None,
                  texts: Mapping[str, str] | None = None) -> go.Figure:
    """A close-up of the wall around one VAE mark: its patch (1 and 2 sigma), its centre mu
    and the other marks nearby. The window reaches `reach` spreads from mu, and at least
    `context` x the wall's size, so a tiny patch still shows its neighbours."""
    t = merge_texts(LATENT_TEXTS | SPREAD_TEXTS, texts)
    pts = as_points(xy)
    m, sd = (np.asarray(v, dtype=np.float64).ravel()[:2] for v in (mu, sigma))
    half = np.maximum(reach * sd, context * fmt.spread(pts))
    half = np.where(np.isfinite(half) & (half > 0), half, 1.0)
    inside = np.all(np.abs(pts - m) <= half * 1.5, axis=1)
    index = np.flatnonzero(inside)
    lab = None if labels is None else np.asarray(labels)[index]
    fig = latent_figure(pts[index], lab, index, color_by=color_by, picked=m,
                        class_names=class_names,
                        spread=(m, sd), marker_size=6, height=height,
                        x_range=[m[0] - half[0], m[0] + half[0]],
                        y_range=[m[1] - half[1], m[1] + half[1]],
                        uirevision="spread", texts=t)
    fig.update_layout(margin=dict(l=48, r=8, t=48, b=40), showlegend=False)
    return fig


PATH_TEXTS = {"path": "interpolation"}


def wall_figure(xy: Any, labels: Any = None, *, point: Sequence[float] | None = None,
                path: Any = None, axis_label: str | None = None, height: int = 360,
                max_points: int = 3000, legend: bool = True,
                class_names: Sequence[str] | None = None,
                texts: Mapping[str, str] | None = None) -> go.Figure:
    """A small wall (`latent_figure`) with an optional picked point and an optional
    path (K, 2) of picture points, drawn as a line with a dot per step.

    At most `max_points` marks are drawn (a fixed random subset, so the picture does not
    flicker between reruns): a side figure redrawn on every slider move must stay light,
    and 3,000 marks show the wall's shape as well as 10,000 do."""
    t = dict(texts or {})
    path_name = t.pop("path", PATH_TEXTS["path"])
    xy = np.asarray(xy)
    index = np.arange(len(xy))
    if len(xy) > max_points:
        index = np.sort(np.random.default_rng(0).choice(len(xy), max_points, replace=False))
    labels = None if labels is None else np.asarray(labels)[index]
    fig = latent_figure(xy[index], labels, index, picked=point, axis_label=axis_label,
                        marker_size=3, opacity=0.5, height=height, class_names=class_names,
                        texts=t or None)
    if path is not None:
        p = np.asarray(path, dtype=np.float64).reshape(-1, 2)
        xy_f = fmt.d3(fmt.spread(xy), extra=1)
        fig.add_trace(go.Scatter(x=p[:, 0], y=p[:, 1], mode="lines+markers", name=path_name,
                                 line=dict(color="black", width=2),
                                 marker=dict(size=7, color="white",
                                             line=dict(color="black", width=2)),
                                 hovertemplate=f"(%{{x:{xy_f}}}, %{{y:{xy_f}}})<extra></extra>"))
    fig.update_layout(margin=dict(l=48, r=8, t=48, b=40), showlegend=legend)
    return fig
