"""Is the wall continuous? The article's probe ((2, -2) vs (2.1, -2.1)) as a pair of pictures
with their difference, and the profile along a line: how much the picture changes at each
step, with the biggest jump marked above the strip of images it comes from, unless no step
stands out (`is_flat`): then the figure says the profile is flat instead of crowning an
arbitrary step, e.g. on an untrained model whose pictures hardly change at all.

Reads `ae.analysis.ContinuityReport` / `ContinuityProfile` by attribute. Points are rounded by
`ae.fmt`; the changes are shown with significant digits, since they can be ~1e-9.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ae import fmt
from ae.plots.grid import as_images, image_grid_figure, picture_trace, tile
from ae.plots.style import ACCENT, ACCENT_2, AXIS_COLOR, merge_texts, new_figure, no_fade

# {mse}, {max_abs}, {jump}, {a}, {b}: already formatted (ae.fmt), so no format spec
PAIR_TEXTS = {
    "title": "A small step on the wall: {a} → {b}",
    "subtitle": "difference of the pictures: MSE {mse} · largest pixel change "
                "{max_abs} · {changed:.0%} of pixels change by more than a quarter",
    "difference": "difference",
}
FLAT_ABS = 1e-6  # MSE between neighbouring pictures below which nothing visible changes
FLAT_REL = 1.5   # a jump must exceed the mean step by this factor to stand out


def is_flat(step_change: Any) -> bool:
    """True when no step stands out: the largest change is ~0 (< FLAT_ABS) or not clearly
    above the typical one (<= FLAT_REL x the mean), so "the biggest jump" would be noise."""
    step = np.nan_to_num(np.asarray(step_change, dtype=np.float64).ravel())
    if not len(step):
        return True
    top = float(step.max())
    return top < FLAT_ABS or top <= FLAT_REL * float(step.mean())


def pair_places(z_a: Any, z_b: Any, least: int = 2) -> int:
    """Decimals for two nearby points: enough to tell them apart and to show each one (the
    finer of their distance and their size), at least `least` (the inputs' 2 decimals)."""
    a, b = (np.asarray(z, dtype=np.float64).ravel() for z in (z_a, z_b))
    sizes = [float(np.abs(b - a).max()), float(np.abs(a).max()), float(np.abs(b).max())]
    sizes = [v for v in sizes if np.isfinite(v) and v > 0]
    return fmt.decimals(min(sizes), least=least) if sizes else least


def continuity_figure(report: Any, *, show_difference: bool = True, invert: bool = True,
                      cell_px: int = 140, texts: Mapping[str, str] | None = None) -> go.Figure:
    """The two decoded pictures side by side, captioned with their points, and (by default)
    their absolute difference as a third picture: dark where the pictures disagree."""
    t = merge_texts(PAIR_TEXTS, texts)
    a, b = as_images(report.image_a)[0], as_images(report.image_b)[0]
    places = pair_places(report.z_a, report.z_b)
    images = [a, b]
    captions = [fmt.point(report.z_a, places=places), fmt.point(report.z_b, places=places)]
    if show_difference:
        images.append(np.abs(a - b))
        captions.append(t["difference"])
    return image_grid_figure(
        np.stack(images), cols=len(images), captions=captions, band=6, gap=4,
        title=t["title"].format(a=captions[0], b=captions[1]),
        subtitle=t["subtitle"].format(mse=fmt.number(report.mse),
                                      max_abs=fmt.number(report.max_abs),
                                      changed=float(report.changed_share)),
        invert=invert, cell_px=cell_px, caption_size=12)


PROFILE_TEXTS = {
    "title": "Where the picture jumps on the way from {a} to {b}",
    "subtitle": "biggest change between pictures {i} and {j}: MSE {jump}",
    "flat": "no jump: every step changes the picture about as much as the others "
            "(at most MSE {jump})",
    "still": "no jump: each step changes the picture by next to nothing (MSE {jump} at "
             "most)",
    "x_title": "position on the line (0 = start, 1 = end)",
    "y_title": "change (MSE)",
    "step": "change",
    "jump": "biggest jump",
    "image": "picture",
}


def continuity_profile_figure(profile: Any, *, invert: bool = True, height: int = 400,
                              texts: Mapping[str, str] | None = None) -> go.Figure:
    """Top: MSE between neighbouring pictures along the line (`step_change`, k-1 values at the
    midpoints), the jump in colour (none when `is_flat`: the subtitle says so). Bottom: the k
    pictures, each under its position t = i/(k-1), so the spike sits right above the pair it
    measures."""
    t = merge_texts(PROFILE_TEXTS, texts)
    im = as_images(profile.images)
    k, h, w = im.shape
    step = np.nan_to_num(np.asarray(profile.step_change, dtype=np.float64))
    j = int(profile.jump_index)
    pts = np.asarray(profile.points, dtype=np.float64).reshape(k, -1)
    span = max(k - 1, 1)
    mid = (np.arange(len(step)) + 0.5) / span
    places = pair_places(pts[0], pts[-1], least=1)
    jump = len(step) > 0 and not is_flat(step)
    if jump:
        sub = t["subtitle"].format(i=j, j=j + 1, jump=fmt.number(step[j]))
    elif len(step):
        top = float(step.max())
        sub = t["still" if top < FLAT_ABS else "flat"].format(jump=fmt.number(top, 2))
    else:
        sub = None
    fig = new_figure(t["title"].format(a=fmt.point(pts[0], places=places),
                                       b=fmt.point(pts[-1], places=places)),
                     height=height, subtitle=sub)
    # ".3g": a change of 1e-9 reads 1e-09, not 0.0000
    fig.add_trace(go.Scatter(x=mid, y=step, mode="lines+markers", name=t["step"],
                             line=dict(color=ACCENT, width=2), marker=dict(size=5),
                             hovertemplate=f"{t['step']} %{{y:.3g}}<extra></extra>"))
    if jump:
        fig.add_trace(go.Scatter(x=[mid[j]], y=[step[j]], mode="markers", name=t["jump"],
                                 marker=dict(size=12, color=ACCENT_2, symbol="diamond"),
                                 hovertemplate=f"{t['jump']} %{{y:.3g}}<extra></extra>"))
        fig.add_vline(x=mid[j], line=dict(color=ACCENT_2, width=1, dash="dot"))
    # the strip: pixel columns mapped onto t, one picture centred on each i/(k-1)
    gap = 3
    tl = tile(im, k, gap=gap)
    dx = 1.0 / ((w + gap) * span)
    fig.add_trace(picture_trace(tl.z, invert, x0=-(w - 1) / 2 * dx, dx=dx, xaxis="x",
                                yaxis="y2"))
    fig.add_trace(go.Scatter(
        x=np.arange(k) / span, y=np.full(k, (h - 1) / 2), mode="markers", yaxis="y2",
        marker=dict(size=14, opacity=0), showlegend=False, name=t["image"],
        hovertext=[f"{t['image']} {i} · t = {i / span:.2f}<br>"
                   f"{fmt.point(p, places=places + 1)}" for i, p in enumerate(pts)],
        hovertemplate="%{hovertext}<extra></extra>"))
    if jump:  # frame the two pictures on either side of the jump
        x0, x1 = (j / span) - (w / 2 + 1) * dx, ((j + 1) / span) + (w / 2 + 1) * dx
        fig.add_shape(type="rect", x0=x0, x1=x1, y0=-1.5, y1=h + 0.5, xref="x", yref="y2",
                      line=dict(color=ACCENT_2, width=2))
    lo, hi = -(w / 2 + 2) * dx, 1 + (w / 2 + 2) * dx
    fig.update_layout(
        xaxis=dict(range=[lo, hi], title_text=t["x_title"], anchor="y2", showgrid=False),
        yaxis=dict(domain=[0.42, 1.0], title_text=t["y_title"], rangemode="tozero"),
        # square pixels: one pixel row as tall on screen as one pixel column (dx in t) is wide
        yaxis2=dict(domain=[0.0, 0.34], range=[h + 1.5, -2.5], visible=False, fixedrange=True,
                    scaleanchor="x", scaleratio=dx, constrain="domain",
                    constraintoward="top"),
        showlegend=False, hovermode="closest", plot_bgcolor="white")
    fig.update_xaxes(linecolor=AXIS_COLOR)
    return no_fade(fig)
