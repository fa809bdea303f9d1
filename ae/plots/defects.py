"""One figure per defect of the wall (the article's three, plus continuity), drawn from the
reports of `ae.analysis.defects` and `ae.analysis.latent` (read by attribute, so any object
with the same fields works):

1. uneven areas: each digit's share of the wall next to its share of random samples;
   and a map of which digit owns which part of the wall;
2. not centred, not bounded: the codes with their centroid, min/max box, 1/2/3-spread ellipses
   and (0, 0);
3. gaps: where on the wall no code lies within the gap radius, and the samples that land there;
4. continuity: two nearby points and their pictures; a profile of how much the picture
   changes along a line, with the jump marked (in `ae.plots.continuity`).

Titles carry the numbers through `str.format` fields ({ratio:.1f} ...): a translation must keep
the fields it wants to show. Positions and distances ({cx}, {radius}, {spacing}) come already
formatted for the wall's size by `ae.fmt` (an untrained wall is a few hundredths wide), so
their fields have no format spec.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ae import fmt
from ae.analysis.selection import GROUP_SAMPLES
from ae.plots.latent import axis_titles, digit_traces
from ae.plots.style import (
    ACCENT,
    ACCENT_2,
    AXIS_COLOR,
    DIGIT_COLORS,
    as_points,
    equal_axes,
    merge_texts,
    new_figure,
    no_fade,
)
from ae.plots.style import class_names as names_of

AREA_TEXTS = {
    "title": "Uneven areas: the biggest digit owns {ratio:.1f} × the wall of the smallest",
    "cell_share": "share of the wall",
    "sample_share": "share of random samples",
    "equal": "equal share",
    "x_title": "digit",
    "y_title": "share",
}


def area_figure(report: Any, *, class_names: Sequence[str] | None = None, height: int = 380,
                texts: Mapping[str, str] | None = None) -> go.Figure:
    """Bars per digit: its share of the occupied wall and its share of uniform random samples
    (`ae.analysis.defects.AreaReport`), with the equal share 1/10 as a line."""
    t = merge_texts(AREA_TEXTS, texts)
    names = names_of(class_names)
    digits = np.asarray(report.digits).astype(int)
    x = [names[d] for d in digits]
    fig = new_figure(t["title"].format(ratio=_finite(report.ratio)), height=height,
                     legend_top=True)
    for key, color in (("cell_share", ACCENT), ("sample_share", ACCENT_2)):
        fig.add_trace(go.Bar(x=x, y=_finite(np.asarray(getattr(report, key), float)),
                             name=t[key], marker_color=color,
                             hovertemplate=f"{t['x_title']} %{{x}}<br>{t[key]} "
                                           "%{y:.1%}<extra></extra>"))
    fig.add_hline(y=1 / len(digits), line=dict(color=AXIS_COLOR, dash="dot", width=1),
                  annotation_text=t["equal"], annotation_position="top right",
                  annotation_font=dict(size=11, color=AXIS_COLOR))
    fig.update_xaxes(title_text=t["x_title"], type="category", showgrid=False)
    fig.update_yaxes(title_text=t["y_title"], tickformat=".0%", rangemode="tozero")
    fig.update_layout(barmode="group", bargap=0.25)
    return fig


OWNER_TEXTS = {
    "title": "Who owns the wall: each cell goes to the digit most of its codes belong to",
    "x_title": "z₁", "y_title": "z₂", "digit": "digit", "empty": "no code",
}


def area_map_figure(report: Any, *, class_names: Sequence[str] | None = None,
                    axis_label: str | None = None, height: int = 560,
                    texts: Mapping[str, str] | None = None) -> go.Figure:
    """`AreaReport.occupancy` (G x G, -1 empty, row 0 = top) as a map in the digit colours."""
    t = merge_texts(OWNER_TEXTS, texts)
    names = names_of(class_names)
    occ = np.asarray(report.occupancy).astype(int)
    xs, ys = _cell_centres(report.box, occ.shape)
    xy_f = fmt.d3(_box_size(report.box), extra=1)
    # value v+1: -1 empty -> transparent (grid and (0, 0) show through), digit d -> its colour
    steps = ["rgba(255,255,255,0)", *DIGIT_COLORS]
    scale = [[p, c] for i, c in enumerate(steps) for p in (i / 11, (i + 1) / 11)]
    fig = new_figure(t["title"], height=height)
    hover = np.where(occ < 0, t["empty"], np.array([f"{t['digit']} {n}" for n in names])[
        np.clip(occ, 0, 9)])
    fig.add_trace(go.Heatmap(z=(occ + 1).astype(np.uint8), x=xs, y=ys, zmin=-0.5, zmax=10.5,
                             colorscale=scale, zsmooth=False, text=hover,
                             colorbar=dict(tickvals=list(range(1, 11)), ticktext=names,
                                           title=dict(text=t["digit"]), thickness=14,
                                           len=0.8, outlinewidth=0, ticks=""),
                             hovertemplate=f"%{{text}}<br>(%{{x:{xy_f}}}, %{{y:{xy_f}}})"
                                           "<extra></extra>"))
    x_t, y_t = axis_titles(axis_label, t)
    equal_axes(fig, x_title=x_t, y_title=y_t)
    return fig


SYMMETRY_TEXTS = {
    "title": "Not centred, not bounded",
    "subtitle": "centroid ({cx}, {cy}): {ox:.1f} spreads from 0 along x, {oy:.1f} "
                "along y · {far:.1%} of codes lie beyond 3 spreads<br>"
                "codes left / right of 0: {x_neg:.0%} / {x_pos:.0%} · "
                "below / above 0: {y_neg:.0%} / {y_pos:.0%}",
    "centroid": "centroid",
    "box": "min / max",
    "spread": "{k} × spread",
    "x_title": "z₁", "y_title": "z₂",
}


def symmetry_figure(xy: Any, report: Any, labels: Any = None, index: Any = None, *,
                    color_by: str = "none", class_names: Sequence[str] | None = None,
                    axis_label: str | None = None, height: int = 600,
                    texts: Mapping[str, str] | None = None,
                    code_texts: Mapping[str, str] | None = None) -> go.Figure:
    """The codes with a `SymmetryReport` (`ae.analysis.defects`) drawn over them: centroid,
    the min/max box, ellipses at 1, 2 and 3 spreads (std) around the centroid, and the (0, 0)
    crosshair."""
    t = merge_texts(SYMMETRY_TEXTS, texts)
    c, s = np.asarray(report.centroid, float), np.asarray(report.spread, float)
    lo, hi = np.asarray(report.mins, float), np.asarray(report.maxs, float)
    side, off = report.side_share, np.abs(np.asarray(report.offset_sigma, float))
    size = fmt.spread(np.stack([lo, hi]))  # the wall's size: its min/max box
    fig = new_figure(t["title"], height=height, subtitle=t["subtitle"].format(
        cx=fmt.coord(c[0], size, extra=1), cy=fmt.coord(c[1], size, extra=1), ox=off[0],
        oy=off[1], x_neg=side.get("x<0", 0.0),
        x_pos=side.get("x>0", 0.0), y_neg=side.get("y<0", 0.0), y_pos=side.get("y>0", 0.0),
        far=float(report.far_share)))
    for tr in digit_traces(xy, labels, index, color_by=color_by, names=class_names,
                           texts=code_texts, size=3, opacity=0.35):
        fig.add_trace(tr)
    fig.add_shape(type="rect", x0=lo[0], x1=hi[0], y0=lo[1], y1=hi[1], name=t["box"],
                  showlegend=True, line=dict(color=AXIS_COLOR, dash="dash", width=1.5))
    for k in (1, 2, 3):
        fig.add_shape(type="circle", x0=c[0] - k * s[0], x1=c[0] + k * s[0],
                      y0=c[1] - k * s[1], y1=c[1] + k * s[1], name=t["spread"].format(k=k),
                      showlegend=True, line=dict(color=ACCENT, width=2.2 - 0.5 * k,
                                                 dash=("solid", "dash", "dot")[k - 1]))
    fig.add_trace(go.Scatter(
        x=[c[0]], y=[c[1]], mode="markers", name=t["centroid"],
        marker=dict(symbol="x", size=14, color=ACCENT_2, line=dict(width=1.5, color="white")),
        hovertemplate=f"{t['centroid']}<br>(%{{x:{fmt.d3(size, extra=1)}}}, "
                      f"%{{y:{fmt.d3(size, extra=1)}}})<extra></extra>"))
    x_t, y_t = axis_titles(axis_label, t)
    equal_axes(fig, x_title=x_t, y_title=y_t)
    fig.update_layout(uirevision="symmetry")
    return no_fade(fig)


GAP_TEXTS = {
    "title": "Gaps: {gap_share:.0%} of random samples land farther than {radius} "
             "from every code",
    "subtitle": "typical distance between neighbouring codes: {spacing}",
    "gap": "gap",
    "in_gap": "samples in a gap",
    "near": "samples near a code",
    "x_title": "z₁", "y_title": "z₂",
}
GAP_FILL = "rgba(213, 94, 0, 0.28)"


def gap_figure(xy: Any, report: Any, labels: Any = None, index: Any = None, *,
               color_by: str = "none", class_names: Sequence[str] | None = None,
               show_near: bool = False, axis_label: str | None = None, height: int = 600,
               texts: Mapping[str, str] | None = None,
               code_texts: Mapping[str, str] | None = None) -> go.Figure:
    """A `GapReport` (`ae.analysis.defects`): the gap map shaded over the sampling box, the
    codes on top and the uniform samples that fell into a gap marked."""
    t = merge_texts(GAP_TEXTS, texts)
    gm = np.asarray(report.gap_map).astype(np.uint8)
    xs, ys = _cell_centres(report.box, gm.shape)
    radius, spacing = gap_lengths(report)
    fig = new_figure(t["title"].format(gap_share=float(report.gap_share), radius=radius),
                     height=height, subtitle=t["subtitle"].format(spacing=spacing))
    fig.add_trace(go.Heatmap(z=gm, x=xs, y=ys, zmin=0, zmax=1, zsmooth=False, showscale=False,
                             colorscale=[[0, "rgba(255,255,255,0)"], [1, GAP_FILL]],
                             hoverinfo="skip", name=t["gap"], showlegend=True))
    for tr in digit_traces(xy, labels, index, color_by=color_by, names=class_names,
                           texts=code_texts, size=3, opacity=0.45):
        fig.add_trace(tr)
    smp, gap = as_points(report.samples, "samples"), np.asarray(report.in_gap, bool)
    xy_f = fmt.d3(_box_size(report.box), extra=1)
    groups = [(gap, t["in_gap"], dict(symbol="x", size=7, color=ACCENT_2))]
    if show_near:
        groups.append((~gap, t["near"], dict(symbol="circle-open", size=5, color=AXIS_COLOR)))
    for m, name, marker in groups:
        fig.add_trace(go.Scattergl(
            x=smp[m, 0], y=smp[m, 1], customdata=np.flatnonzero(m), mode="markers", name=name,
            legendgroup=GROUP_SAMPLES, marker=marker,
            hovertemplate=f"{name}<br>(%{{x:{xy_f}}}, %{{y:{xy_f}}})<extra></extra>"))
    x_t, y_t = axis_titles(axis_label, t)
    equal_axes(fig, x_title=x_t, y_title=y_t)
    fig.update_layout(uirevision="gaps")
    return no_fade(fig)


def gap_lengths(report: Any) -> tuple[str, str]:
    """(radius, spacing) of a `GapReport` as shown: rounded to the wall's size (its box), the
    spacing one decimal finer, since it is usually a small fraction of the radius."""
    size = _box_size(report.box)
    return (fmt.length(report.radius, size, extra=1), fmt.length(report.spacing, size, extra=2))


def _box_size(box: Any) -> float:
    """The longer side of a box (xmin, xmax, ymin, ymax): the wall's size for `ae.fmt`."""
    xmin, xmax, ymin, ymax = (float(v) for v in np.asarray(box).ravel()[:4])
    return fmt.spread([[xmin, ymin], [xmax, ymax]])


def _cell_centres(box: Any, shape: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
    """Centres of a G x G grid over box (xmin, xmax, ymin, ymax); rows from the top (ymax)."""
    xmin, xmax, ymin, ymax = (float(v) for v in np.asarray(box).ravel()[:4])
    rows, cols = shape
    xs = xmin + (np.arange(cols) + 0.5) * (xmax - xmin) / cols
    ys = ymax - (np.arange(rows) + 0.5) * (ymax - ymin) / rows
    return xs, ys


def _finite(v: Any) -> Any:
    """NaN/inf -> 0 so a degenerate report cannot put NaN into the figure."""
    return np.nan_to_num(v, nan=0.0, posinf=0.0, neginf=0.0)
