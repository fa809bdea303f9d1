"""The loss curve of a training run: every step faint, its smoothed trend bold, and each epoch's
train / test loss as markers, so a learner sees noise, trend and over-fitting on one chart.

Input is the trainer's `History` as primitives: `steps` (loss per step) and `epochs` (dicts with
`epoch`, `train_loss`, `test_loss` or None). Long runs (the full data set has ~375,000 steps in
200 epochs) are thinned to `max_points` bins drawn as a min-max band, so the browser receives a
few thousand numbers, not hundreds of thousands.

Every line is an SVG `go.Scatter`, not WebGL: a browser without a GPU (a school's laptop, a
headless one) draws a 1,500-point WebGL line in seconds, the SVG one in a tenth of that.

A variational autoencoder's loss has two parts (`History.parts`: `r_loss` = r_loss_factor x MSE
and `kl_loss`, per step; epoch records `train_r_loss`, `test_kl_loss`, ...): `parts_figure`
draws both on one chart, so a learner sees which of the two terms the training is fighting.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ae.plots.style import ACCENT, ACCENT_2, merge_texts, new_figure, no_fade

LOSS_TEXTS = {
    "title": "Loss (mean squared error per image)",
    "x_title": "training step",
    "x_title_epochs": "epoch",
    "y_title": "loss",
    "step": "loss per step",
    "smoothed": "smoothed",
    "train": "train loss (epoch)",
    "test": "test loss (epoch)",
    "epoch": "epoch",
}


PARTS_TEXTS = {
    "title": "The loss's two parts",
    "x_title": "training step",
    "x_title_epochs": "epoch",
    "y_title": "loss per image",
    "r_loss": "reconstruction (r_loss_factor × MSE)",
    "kl_loss": "KL divergence from N(0, I)",
    "train": "train, epoch",
    "test": "test, epoch (code at mu)",
    "epoch": "epoch",
}
PARTS = (("r_loss", ACCENT), ("kl_loss", ACCENT_2))  # the VAE's loss = r_loss + kl_loss


def ema(values: Sequence[float], alpha: float) -> np.ndarray:
    """Exponential moving average with TensorBoard's start-up correction, so the first points
    are not dragged towards zero. alpha in [0, 1): weight of the past."""
    out, s = np.empty(len(values)), 0.0
    for i, v in enumerate(values):
        s = alpha * s + (1 - alpha) * v
        out[i] = s / (1 - alpha ** (i + 1))
    return out


def loss_figure(steps: Sequence[float], epochs: Sequence[Mapping[str, Any]] = (), *,
                steps_per_epoch: int | None = None, log_y: bool = True,
                smoothing: float | None = None, max_points: int = 4000, height: int = 380,
                uirevision: str = "loss", texts: Mapping[str, str] | None = None) -> go.Figure:
    """Per-step loss (faint), its EMA (bold) and per-epoch markers on one step axis.

    Epoch record i is placed at the end of its epoch, step (i + 1) * steps_per_epoch; pass
    `steps_per_epoch` (= ceil(N / batch)) while an epoch is still running, otherwise it is
    taken as len(steps) // len(epochs). With no steps, the x axis is the epoch.
    smoothing: EMA weight of the past; None picks one that averages ~1 % of the run."""
    t = merge_texts(LOSS_TEXTS, texts)
    y = np.asarray(list(steps), dtype=np.float64)
    good = np.isfinite(y) & ((y > 0) if log_y else True)
    x = np.arange(1, len(y) + 1)[good]
    y = y[good]
    fig = new_figure(t["title"], height=height, legend_top=True)
    if len(y):
        alpha = smoothing if smoothing is not None else 1 - 1 / max(1.0, len(y) / 100)
        smooth = ema(y, min(max(alpha, 0.0), 0.9999))
        _add_steps(fig, x, y, max_points, t["step"])
        xs, ys = _thin(x, smooth, max_points)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=t["smoothed"],
                                   line=dict(color=ACCENT, width=2.2),
                                   hovertemplate=f"{t['x_title']} %{{x}}<br>{t['smoothed']} "
                                                 "%{y:.4f}<extra></extra>"))
    per_epoch = steps_per_epoch or (len(steps) // len(epochs) if epochs and len(steps) else 0)
    series = (("train_loss", ACCENT, "circle"), ("test_loss", ACCENT_2, "diamond"))
    for key, color, symbol in series:
        pts = [(i, r) for i, r in enumerate(epochs) if _ok(r.get(key), log_y)]
        if not pts:
            continue
        ex = [(i + 1) * per_epoch if per_epoch else r.get("epoch", i + 1) for i, r in pts]
        fig.add_trace(go.Scatter(
            x=ex, y=[float(r[key]) for _, r in pts], mode="markers+lines" if not len(y) else
            "markers", name=t["train" if key == "train_loss" else "test"],
            customdata=[r.get("epoch", i) for i, r in pts],
            marker=dict(color=color, size=7 if len(pts) <= 60 else 5, symbol=symbol,
                        line=dict(width=1 if len(pts) <= 60 else 0, color="white")),
            hovertemplate=f"{t['epoch']} %{{customdata}}<br>%{{y:.4f}}<extra></extra>"))
    fig.update_xaxes(title_text=t["x_title"] if len(y) else t["x_title_epochs"])
    ticks = _log_ticks(fig) if log_y else None
    fig.update_yaxes(title_text=t["y_title"], type="log" if log_y else "linear",
                     tickvals=ticks, ticktext=None if ticks is None else [f"{v:g}" for v in ticks])
    fig.update_layout(uirevision=uirevision, hovermode="closest")
    return no_fade(fig)


def _log_ticks(fig: go.Figure) -> list[float] | None:
    """Ticks for a log loss axis: a loss that ends at 0.06 should have a 0.06 tick (Plotly's
    own log ticks label only 0.1, 0.2, ... or bare digits). 1..9 per decade within one decade
    of span, else 1, 2, 5."""
    ys = [np.asarray(tr.y, dtype=np.float64) for tr in fig.data if tr.y is not None]
    ys = [y[np.isfinite(y) & (y > 0)] for y in ys]
    y = np.concatenate(ys) if ys else np.zeros(0)
    if not len(y):
        return None
    lo, hi = float(y.min()), float(y.max())
    mult = range(1, 10) if hi / lo < 10 else (1, 2, 5)
    vals = [m * 10.0 ** d for d in range(math.floor(math.log10(lo)), math.ceil(math.log10(hi)) + 1)
            for m in mult]
    keep = [float(f"{v:.6g}") for v in vals if lo / 1.15 <= v <= hi * 1.15]
    return keep or None


def _ok(v: Any, log_y: bool) -> bool:
    return v is not None and math.isfinite(float(v)) and (float(v) > 0 or not log_y)


def _thin(x: np.ndarray, y: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Every k-th point so that at most n remain (the smoothed curve has no spikes to lose)."""
    k = max(1, -(-len(y) // n))
    return x[::k], y[::k]


def _add_steps(fig: go.Figure, x: np.ndarray, y: np.ndarray, n: int, name: str) -> None:
    """The raw per-step loss: a faint line, or for long runs a faint min-max band per bin."""
    hover = f"%{{x}}<br>{name} %{{y:.4f}}<extra></extra>"
    if len(y) <= n:
        fig.add_trace(go.Scatter(x=x, y=y, mode="lines", name=name, hovertemplate=hover,
                                   line=dict(color="rgba(0,114,178,0.28)", width=1)))
        return
    starts = np.arange(0, len(y), -(-len(y) // n))
    lo, hi = np.minimum.reduceat(y, starts), np.maximum.reduceat(y, starts)
    xb = x[starts]
    # fill="tonexty" between the two bounds: n points of SVG
    fig.add_trace(go.Scatter(x=xb, y=hi, mode="lines", line=dict(width=0), name=name,
                             legendgroup="steps", showlegend=False, hoverinfo="skip"))
    fig.add_trace(go.Scatter(x=xb, y=lo, mode="lines", line=dict(width=0), name=name,
                             legendgroup="steps", fill="tonexty",
                             fillcolor="rgba(0,114,178,0.22)", hovertemplate=hover))


def parts_figure(parts: Mapping[str, Sequence[float]], epochs: Sequence[Mapping[str, Any]] = (),
                 *, steps_per_epoch: int | None = None, log_y: bool = True,
                 max_points: int = 2000, height: int = 380, uirevision: str = "parts",
                 texts: Mapping[str, str] | None = None) -> go.Figure:
    """The VAE's two loss parts on one step axis: each part per step (faint, thinned to
    `max_points`) and smoothed (bold), and each epoch's train / test value of the part as
    markers (records' `train_r_loss`, `test_r_loss`, `train_kl_loss`, `test_kl_loss`).
    A part with no steps and no epoch values is left out (the autoencoder has none)."""
    t = merge_texts(PARTS_TEXTS, texts)
    fig = new_figure(t["title"], height=height)  # six long names: at the side, not over the title
    n_steps = max((len(parts.get(k) or ()) for k, _ in PARTS), default=0)
    per_epoch = steps_per_epoch or (n_steps // len(epochs) if epochs and n_steps else 0)
    for key, color in PARTS:
        y = np.asarray(list(parts.get(key) or ()), dtype=np.float64)
        good = np.isfinite(y) & ((y > 0) if log_y else True)
        x, y = np.arange(1, len(y) + 1)[good], y[good]
        name = t[key]
        if len(y):
            xs, ys = _thin(x, y, max_points)
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=name, legendgroup=key,
                                       showlegend=False, opacity=0.25, hoverinfo="skip",
                                       line=dict(color=color, width=1)))
            alpha = min(max(1 - 1 / max(1.0, len(y) / 100), 0.0), 0.9999)
            xs, ys = _thin(x, ema(y, alpha), max_points)
            fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name=name, legendgroup=key,
                                       line=dict(color=color, width=2.2),
                                       hovertemplate=f"{t['x_title']} %{{x}}<br>{name} "
                                                     "%{y:.4g}<extra></extra>"))
        for split, symbol in (("train", "circle"), ("test", "diamond")):
            pts = [(i, r) for i, r in enumerate(epochs) if _ok(r.get(f"{split}_{key}"), log_y)]
            if not pts:
                continue
            ends = epoch_ends(epochs, per_epoch)
            ex = [ends[i] if ends and len(y) else r.get("epoch", i + 1) for i, r in pts]
            fig.add_trace(go.Scatter(
                x=ex, y=[float(r[f"{split}_{key}"]) for _, r in pts],
                mode="markers" if len(y) else "markers+lines", legendgroup=key,
                name=f"{name}: {t[split]}", customdata=[r.get("epoch", i) for i, r in pts],
                marker=dict(color=color, size=7 if len(pts) <= 60 else 5, symbol=symbol,
                            line=dict(width=1, color="white")),
                hovertemplate=f"{t['epoch']} %{{customdata}}<br>%{{y:.4g}}<extra></extra>"))
    fig.update_xaxes(title_text=t["x_title"] if n_steps else t["x_title_epochs"])
    ticks = _log_ticks(fig) if log_y else None
    fig.update_yaxes(title_text=t["y_title"], type="log" if log_y else "linear",
                     tickvals=ticks, ticktext=None if ticks is None else [f"{v:g}" for v in ticks])
    fig.update_layout(uirevision=uirevision, hovermode="closest")
    return no_fade(fig)


def epoch_ends(epochs: Sequence[Mapping[str, Any]], per_epoch: int) -> list[int] | None:
    """The step at which each epoch record ends: the running sum of the records' own "steps"
    (right after a stop and resume too), else (i + 1) * per_epoch; None without either."""
    steps = [r.get("steps") for r in epochs]
    if epochs and all(isinstance(n, int) and n > 0 for n in steps):
        return list(itertools.accumulate(steps))
    return [(i + 1) * per_epoch for i in range(len(epochs))] if per_epoch else None


def has_parts(parts: Mapping[str, Sequence[float]] | None,
              epochs: Sequence[Mapping[str, Any]] = ()) -> bool:
    """Whether a history holds a VAE's loss parts (per step or in an epoch record)."""
    return any((parts or {}).get(k) for k, _ in PARTS) or any(
        f"{s}_{k}" in r for r in epochs for k, _ in PARTS for s in ("train", "test"))
