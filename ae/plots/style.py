"""One look for every figure of the dashboard: fonts, margins, the digit palette and markers,
and the small helpers the builders share (overridable texts, finite arrays, axis settings).

Why a palette *and* markers: ten classes are more than any palette keeps apart for every kind
of colour blindness, so each digit also gets its own marker shape. The ten colours are Plotly's
"Safe" set (Carto, after Paul Tol's muted scheme); in a simulation of protanopia, deuteranopia
and tritanopia (Machado et al. 2009, full severity) its closest pair stays ~15 CIELAB units
apart, where Okabe-Ito + two extras falls to ~7 and Tableau 10 to ~5.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import plotly.graph_objects as go

DIGIT_COLORS: tuple[str, ...] = (
    "#88CCEE", "#CC6677", "#DDCC77", "#117733", "#332288",
    "#AA4499", "#44AA99", "#999933", "#882255", "#661100",
)
# marker shapes that Scattergl (WebGL) draws; different outlines, not just different sizes
DIGIT_SYMBOLS: tuple[str, ...] = (
    "circle", "square", "diamond", "triangle-up", "triangle-down",
    "cross", "x", "star", "hexagon", "triangle-left",
)
INK = "#111111"           # the book's black points (color_by="none")
SAMPLE_RED = "#E8000B"    # the book's red random samples
PICK_COLOR = "#000000"
GRID_COLOR = "#ececec"
AXIS_COLOR = "#6b6b6b"
ZERO_COLOR = "#555555"    # the (0, 0) crosshair
ACCENT = "#0072B2"        # one-series lines (smoothed loss, profiles)
ACCENT_2 = "#D55E00"      # the second series (test loss, sample share, the jump)
# Streamlit's own face first, then CJK faces so the Chinese texts render well
FONT = ("Source Sans Pro, 'Source Sans 3', 'Noto Sans CJK SC', 'PingFang SC', "
        "'Microsoft YaHei', 'Helvetica Neue', Arial, sans-serif")
MARGIN = dict(l=56, r=16, t=64, b=48)


@lru_cache(maxsize=1)
def template() -> go.layout.Template:
    """The house template: white ground, light grid, Streamlit's font, titles top left."""
    return go.layout.Template(layout=dict(
        font=dict(family=FONT, size=13, color="#262730"),
        title=dict(x=0.0, xanchor="left", xref="paper", font=dict(size=16)),
        paper_bgcolor="white", plot_bgcolor="white",
        margin=MARGIN,
        colorway=[ACCENT, ACCENT_2, "#009E73", "#CC79A7", "#E69F00", "#56B4E9"],
        # exponentformat "power": tiny values (an untrained model's codes, a flat profile)
        # read 2×10⁻⁹, not Plotly's SI default "2n" that no learner takes for a number
        xaxis=dict(gridcolor=GRID_COLOR, linecolor=AXIS_COLOR, zeroline=False, ticks="outside",
                   tickcolor=AXIS_COLOR, title=dict(standoff=8), exponentformat="power"),
        yaxis=dict(gridcolor=GRID_COLOR, linecolor=AXIS_COLOR, zeroline=False, ticks="outside",
                   tickcolor=AXIS_COLOR, title=dict(standoff=8), exponentformat="power"),
        legend=dict(bgcolor="rgba(255,255,255,0.8)", itemsizing="constant", font=dict(size=12)),
        hoverlabel=dict(font=dict(family=FONT, size=12)),
    ))


def new_figure(title: str, *, height: int, subtitle: str | None = None,
               legend_top: bool = False) -> go.Figure:
    """An empty figure in the house style. The title (and a subtitle of any number of
    `<br>`-separated lines) is placed in pixels from the top and the top margin grows to hold
    it, so long translated subtitles never run into the plot; `legend_top` reserves a row for
    a horizontal legend between the title and the plot."""
    lines = subtitle.count("<br>") + 1 if subtitle else 0
    top = 14 + (24 if title else 0) + 17 * lines + (26 if legend_top else 0) + 10
    # y=1 of the container with a pixel pad: the same place whatever height is set later
    t: dict[str, Any] = dict(text=title, yref="container", y=1.0, yanchor="top",
                             pad=dict(t=12))
    if subtitle:
        t["subtitle"] = dict(text=subtitle, font=dict(size=12, color=AXIS_COLOR))
    fig = go.Figure()
    fig.update_layout(template=template(), title=t, height=height, margin=dict(t=top))
    if legend_top:
        fig.update_layout(legend=dict(orientation="h", x=0, xanchor="left", y=1.0,
                                      yanchor="bottom", bgcolor="rgba(0,0,0,0)"))
    return fig


def merge_texts(defaults: Mapping[str, str], texts: Mapping[str, str] | None) -> dict[str, str]:
    """The defaults with the caller's translations on top; an unknown key is a typo, so fail."""
    out = dict(defaults)
    if texts:
        unknown = set(texts) - set(defaults)
        if unknown:
            raise KeyError(f"unknown text keys {sorted(unknown)}; known: {sorted(defaults)}")
        out.update(texts)
    return out


def class_names(names: Sequence[str] | None, n: int = 10) -> list[str]:
    """Legend names of the classes: "0".."9" for digits, or e.g. Fashion-MNIST's names."""
    if names is None:
        return [str(i) for i in range(n)]
    if len(names) < n:
        raise ValueError(f"need {n} class names, got {len(names)}")
    return [str(s) for s in names[:n]]


def as_points(xy: Any, name: str = "xy") -> np.ndarray:
    """Any (N, 2) array-like (numpy, torch, lists) -> float64 numpy (N, 2)."""
    a = np.asarray(xy, dtype=np.float64)
    if a.ndim == 1 and a.size == 2:
        a = a[None, :]
    if a.ndim != 2 or a.shape[1] != 2:
        raise ValueError(f"{name} must be (N, 2), got shape {a.shape}")
    return a


def equal_axes(fig: go.Figure, *, x_title: str = "", y_title: str = "",
               x_range: Sequence[float] | None = None, y_range: Sequence[float] | None = None,
               zero: bool = True) -> None:
    """Unscaled axes (1 unit of x as long as 1 unit of y) with the (0, 0) crosshair: the wall's
    true shape is one of the things the article asks learners to look at."""
    zl = dict(zeroline=zero, zerolinecolor=ZERO_COLOR, zerolinewidth=1.5)
    fig.update_xaxes(title_text=x_title, range=list(x_range) if x_range is not None else None,
                     **zl)
    fig.update_yaxes(title_text=y_title, range=list(y_range) if y_range is not None else None,
                     scaleanchor="x", scaleratio=1, **zl)


def padded_range(lo: float, hi: float, pad: float = 0.05) -> list[float]:
    """[lo, hi] widened by `pad` of its span on each side (never a zero-width range)."""
    span = hi - lo if hi > lo else 1.0
    return [lo - pad * span, hi + pad * span]


def no_fade(fig: go.Figure) -> go.Figure:
    """Keep every trace as drawn when the learner selects a point. Plotly fades all
    unselected points to 20 % on a selection, which with Streamlit's click-to-select would
    wash out the wall, the captions and the picked-point ring at every click."""
    for tr in fig.data:
        if not hasattr(tr, "unselected") or isinstance(tr, go.Heatmap):
            continue
        if "marker" in tr and tr.unselected.marker.opacity is None:
            op = tr.marker.opacity
            tr.unselected.marker.opacity = op if isinstance(op, (int, float)) else 1.0
        if getattr(tr, "mode", None) and "text" in tr.mode and tr.unselected.textfont.color is None:
            tr.unselected.textfont.color = tr.textfont.color or "#333333"
    return fig
