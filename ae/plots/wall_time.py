"""The wall over time: one frame of the probe set's codes recorded during training
(`ae.analysis.wall_recorder.WallRecorder.snapshots()`, stored in the checkpoint), styled as
the latent wall.

The axis ranges are fixed over *all* frames, so moving the scrubber shows the wall growing and
shifting instead of the axes jumping. When z_dim > 2, every frame is projected on the same
two PCA directions (those of the last frame), so frames stay comparable.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ae.plots.latent import LATENT_TEXTS, axis_titles, digit_traces
from ae.plots.style import equal_axes, merge_texts, new_figure, no_fade, padded_range

FRAME_TEXTS = {
    "title": "The wall at step {step:,} (epoch {epoch})",
    "title_no_step": "The wall, frame {frame} of {frames}",
    "pca": "PCA 1/2",
}


def frames_2d(codes: Any) -> tuple[np.ndarray, bool]:
    """(T, P, z) codes -> (T, P, 2) and whether a projection was needed."""
    c = np.asarray(codes, dtype=np.float64)
    if c.ndim != 3:
        raise ValueError(f"snapshot codes must be (T, P, z), got shape {c.shape}")
    if c.shape[2] == 2:
        return c, False
    if c.shape[2] == 1:
        return np.concatenate([c, np.zeros_like(c)], axis=2), True
    last = c[-1]
    _, _, vt = np.linalg.svd(last - last.mean(axis=0), full_matrices=False)
    basis = vt[:2]
    basis *= np.sign(basis[np.arange(2), np.abs(basis).argmax(axis=1)])[:, None]
    return c @ basis.T, True


def wall_ranges(xy_frames: np.ndarray, pad: float = 0.05) -> tuple[list[float], list[float]]:
    """x and y ranges that hold every finite code of every frame."""
    f = xy_frames[np.isfinite(xy_frames).all(axis=-1)]
    if not len(f):
        return [-1.0, 1.0], [-1.0, 1.0]
    return (padded_range(f[:, 0].min(), f[:, 0].max(), pad),
            padded_range(f[:, 1].min(), f[:, 1].max(), pad))


def wall_frame_figure(snapshots: Mapping[str, Any], frame: int = -1, *,
                      color_by: str = "digit", class_names: Sequence[str] | None = None,
                      marker_size: float = 5.0, opacity: float = 0.75, height: int = 560,
                      texts: Mapping[str, str] | None = None,
                      code_texts: Mapping[str, str] | None = None) -> go.Figure:
    """Frame `frame` (negative counts from the end) of the snapshots dict: keys "codes"
    (T, P, z), "probe_index" (P,), "probe_labels" (P,), "steps" (T,), "epochs" (T,); numpy
    or torch. customdata = the probe's test index, as on the latent wall."""
    t = merge_texts(FRAME_TEXTS, texts)
    frames, projected = frames_2d(snapshots["codes"])
    n = len(frames)
    i = frame % n if n else 0
    x_range, y_range = wall_ranges(frames)
    steps, epochs = snapshots.get("steps"), snapshots.get("epochs")
    if steps is not None and epochs is not None and len(steps) == n:
        title = t["title"].format(step=int(np.asarray(steps)[i]), epoch=int(np.asarray(epochs)[i]))
    else:
        title = t["title_no_step"].format(frame=i + 1, frames=n)
    fig = new_figure(title, height=height)
    labels = snapshots.get("probe_labels")
    for tr in digit_traces(frames[i], labels, snapshots.get("probe_index"), color_by=color_by,
                           names=class_names, texts=code_texts, size=marker_size,
                           opacity=opacity):
        fig.add_trace(tr)
    lt = merge_texts(LATENT_TEXTS, code_texts)
    x_t, y_t = axis_titles(t["pca"] if projected else None, lt)
    equal_axes(fig, x_title=x_t, y_title=y_t, x_range=x_range, y_range=y_range)
    # one revision for all frames: a zoom chosen on one frame stays while scrubbing
    fig.update_layout(uirevision="wall-over-time", legend=dict(title_text=lt["digit"]))
    return no_fade(fig)
