"""The pieces the reconstruction, generation and home pages need beyond `ae.analysis` and
`ae.plots`: reconstructions of chosen test images, the test set's errors in one pass, the
pipeline picture (image -> encoder -> mark on the wall -> decoder -> image), the wall with an
interpolation path drawn on it, and the small readers for page state kept in the URL.

Why one pass for the errors: the reconstruction page shows the mean test error, the mean per
digit and the worst image of each digit; all three come from the same 10,000 per-image errors,
and a forward pass over the test set is the slow part on a classroom CPU.
No Streamlit here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots
from torch import nn

from ae import analysis, fmt
from ae.plots import latent_figure
from ae.plots.images import GROUNDS, as_images
from ae.plots.style import (
    ACCENT,
    AXIS_COLOR,
    ZERO_COLOR,
    merge_texts,
    padded_range,
    template,
)


# -- reconstructions and errors ----------------------------------------------------------------
def reconstruct_indices(model: nn.Module, x: Any, y: Any,
                        indices: Sequence[int]) -> analysis.Reconstructions:
    """The article's reconstruction of the test images at `indices` (in that order): the
    originals in [0, 1], their codes, the decoded codes and each image's squared error."""
    index = np.asarray(indices, dtype=np.int64).ravel()
    if len(index) and not (0 <= index.min() and index.max() < len(x)):
        raise IndexError(f"test indices must lie in 0..{len(x) - 1}, got {index.tolist()}")
    picked = x[torch.as_tensor(index)] if isinstance(x, torch.Tensor) else np.asarray(x)[index]
    images = (as_images(np.asarray(picked)) if len(index)
              else np.zeros((0, *tuple(x.shape[1:3])), np.float32))
    # a few images: exact fp32 codes, as the loss sees them (encode may use bf16 for speed)
    codes = analysis.encode(model, images[:, None], precision="fp32")  # (n, 1, H, W) in [0, 1]
    recons = analysis.decode(model, codes)
    mse = ((images - recons) ** 2).mean(axis=(1, 2)).astype(np.float32)  # the article's loss
    labels = np.asarray(y)[index].astype(np.int64)
    return analysis.Reconstructions(index, images, labels, codes, recons, mse)


@dataclass
class ReconErrors:
    """How well the model repaints the whole test set: every image's error and summaries."""

    mse: np.ndarray        # (N,) per-image mean squared error (the article's loss)
    labels: np.ndarray     # (N,) digits
    mean: float            # mean over the test set
    per_digit: np.ndarray  # (10,) mean error of each digit (NaN where a digit is absent)

    def worst(self, per_digit: int = 1) -> np.ndarray:
        """Test indices of the `per_digit` worst-reconstructed images of each digit, by digit."""
        picks = []
        for d in range(len(self.per_digit)):
            idx = np.flatnonzero(self.labels == d)
            picks.extend(idx[np.argsort(-self.mse[idx], kind="stable")[:per_digit]])
        return np.asarray(picks, dtype=np.int64)


def recon_errors(model: nn.Module, x: Any, y: Any, n_classes: int = 10,
                 codes: Any = None) -> ReconErrors:
    """One forward pass over the test set -> `ReconErrors` (mean, per digit, worst per digit).

    With `codes` (the marks of these images, as `analysis.encode` gave them for the wall) only
    the decoder runs: the pages share one encoding of the test set. Those codes may come from
    bf16 (see `analysis.encode`); the errors then differ from the fp32 pass by ~1e-4 per image
    at most, far below what the page shows (4 decimals of a mean)."""
    if codes is None:
        mse = np.asarray(analysis.per_image_mse(model, x), dtype=np.float64)
    else:
        mse = decoded_mse(model, x, codes).astype(np.float64)
    labels = np.asarray(y).astype(np.int64)
    per_digit = np.array([mse[labels == d].mean() if (labels == d).any() else np.nan
                          for d in range(n_classes)])
    finite = mse[np.isfinite(mse)]
    return ReconErrors(mse, labels, float(finite.mean()) if len(finite) else float("nan"),
                      per_digit)


def decoded_mse(model: nn.Module, x: Any, codes: Any, batch_size: int = 1024) -> np.ndarray:
    """Per-image squared error (the article's loss) of decoding `codes` against the images
    `x`, float32 (N,); in batches, so no float copy of the whole test set is made."""
    c = np.asarray(codes, dtype=np.float32)
    if len(c) != len(x):
        raise ValueError(f"{len(c)} codes for {len(x)} images")
    out = []
    for i in range(0, len(x), batch_size):
        images = analysis.to_input(x[i:i + batch_size]).numpy()
        images = images.reshape(len(images), -1)
        recons = analysis.decode(model, c[i:i + batch_size]).reshape(len(images), -1)
        out.append(((images - recons) ** 2).mean(axis=1))
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)


ERROR_TEXTS = {"title": "Mean error per digit", "x": "digit", "y": "mean squared error",
               "mean": "all digits: {mean:.4f}"}


def error_bars_figure(errors: ReconErrors, *, height: int = 300,
                      texts: Mapping[str, str] | None = None) -> go.Figure:
    """A bar per digit (its mean test error) with the overall mean as a dashed line."""
    t = merge_texts(ERROR_TEXTS, texts)
    fig = go.Figure(go.Bar(x=[str(d) for d in range(len(errors.per_digit))],
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


# -- interpolation on the wall --------------------------------------------------------------
def nth_of_digit(y: Any, digit: int, n: int) -> int:
    """The test index of the n-th image (0-based) of `digit`; n is clipped to what exists."""
    idx = np.flatnonzero(np.asarray(y) == digit)
    if not len(idx):
        raise ValueError(f"no test image of digit {digit}")
    return int(idx[min(max(int(n), 0), len(idx) - 1)])


def count_of_digit(y: Any, digit: int) -> int:
    return int((np.asarray(y) == digit).sum())


PATH_TEXTS = {"path": "interpolation"}


def wall_figure(xy: Any, labels: Any = None, *, point: Sequence[float] | None = None,
                path: Any = None, axis_label: str | None = None, height: int = 360,
                max_points: int = 3000, legend: bool = True,
                texts: Mapping[str, str] | None = None) -> go.Figure:
    """A small wall (`ae.plots.latent_figure`) with an optional picked point and an optional
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
                        marker_size=3, opacity=0.5, height=height, texts=t or None)
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


# -- the pipeline picture -------------------------------------------------------------------
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


def decimals_for(step: float, least: int = 2) -> int:
    """Decimals that show a change of one slider `step` (at least `least`): an untrained
    model's marks all sit within a few hundredths of (0, 0), a trained one's spread over units."""
    return max(least, -math.floor(math.log10(step))) if step > 0 else least


# -- page state kept in the URL --------------------------------------------------------------
def parse_int(text: Any, lo: int, hi: int) -> int | None:
    """An int in [lo, hi] from a URL parameter, or None for anything else."""
    try:
        v = int(str(text).strip())
    except (TypeError, ValueError):
        return None
    return v if lo <= v <= hi else None


def parse_floats(text: Any, n: int) -> list[float] | None:
    """n finite floats from "a,b,...", or None for anything else."""
    try:
        vals = [float(s) for s in str(text).split(",")]
    except (TypeError, ValueError):
        return None
    return vals if len(vals) == n and all(np.isfinite(vals)) else None


def parse_ints(text: Any, n: int) -> list[int] | None:
    """n ints from "a,b,...", or None for anything else (ranges are the caller's to check)."""
    try:
        vals = [int(s) for s in str(text).split(",")]
    except (TypeError, ValueError):
        return None
    return vals if len(vals) == n else None
