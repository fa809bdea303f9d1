"""Digits as pictures: the article's reconstruction figure, the red samples' decoded images,
the 20 x 20 manifold, interpolation strips and a single decoded image.

Each is a captioned grid of `ae.plots.grid.image_grid_figure` (crisp pixels, one heatmap);
codes in captions and hovers are rounded to the wall's size by `ae.fmt`. Pickable grids carry
`customdata = [cell, x, y]` on each image.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ae import fmt
from ae.plots.grid import as_images, image_grid_figure
from ae.plots.style import merge_texts

RECON_TEXTS = {
    "title": "Originals, their marks on the wall, and the reconstructions",
    "original": "original",
    "code": "code",
    "reconstruction": "reconstruction",
    "error": "error (MSE)",
    "hover": "test image {index} · digit {label}<br>code {code}<br>MSE {mse:.4f}",
}


def reconstructions_figure(originals: Any, codes: Any, recons: Any, *, mse: Any = None,
                           index: Any = None, labels: Any = None, invert: bool = True,
                           cell_px: int = 64, scale: float | None = None,
                           texts: Mapping[str, str] | None = None) -> go.Figure:
    """The article's figure: originals on top, their codes in between (1 decimal for a
    trained wall, as the article; more for a small one: `scale` = the wall's size, see
    `ae.fmt`, by default the spread of these codes), reconstructions below (and each one's
    error, if `mse` is given). Takes the fields of `ae.analysis.Reconstructions`."""
    t = merge_texts(RECON_TEXTS, texts)
    orig, rec = as_images(originals), as_images(recons)
    c = np.asarray(codes, dtype=np.float64).reshape(len(orig), -1)
    n = len(orig)
    s = fmt.spread(c) if scale is None else scale
    err = None if mse is None else np.asarray(mse, dtype=np.float64).ravel()
    captions = [fmt.point(v, s) for v in c] + ([f"{e:.3f}" for e in err] if err is not None
                                               else [""] * n)
    idx = np.arange(n) if index is None else np.asarray(index).ravel()
    lab = ["?"] * n if labels is None else [str(v) for v in np.asarray(labels).ravel()]
    hover_t = t["hover"]
    if err is None:  # no errors given: drop the hover line that would show one
        hover_t = "<br>".join(p for p in hover_t.split("<br>") if "{mse" not in p)
    hover = [hover_t.format(index=idx[i], label=lab[i], code=fmt.point(c[i], s, extra=1),
                            mse=float(err[i]) if err is not None else 0.0)
             for i in range(n)]
    return image_grid_figure(
        np.concatenate([orig, rec]), cols=n, captions=captions, title=t["title"],
        row_labels=[t["original"], t["reconstruction"]],
        band_labels=[t["code"], t["error"] if err is not None else None],
        hovertext=hover * 2, invert=invert, cell_px=cell_px)


SAMPLES_TEXTS = {"title": "The red points, decoded", "hover": "sample {i}<br>{point}"}


def samples_figure(points: Any, images: Any, *, cols: int = 10, invert: bool = True,
                   cell_px: int = 56, scale: float | None = None,
                   texts: Mapping[str, str] | None = None) -> go.Figure:
    """The book's 3 x 10 grid of decoded random points, each captioned with its coordinates
    (rounded to `scale`, the wall's size; by default the points' spread, which for uniform
    samples over the wall's box is the same). Clicking an image selects it:
    customdata = [sample, x, y]."""
    t = merge_texts(SAMPLES_TEXTS, texts)
    p = np.asarray(points, dtype=np.float64).reshape(len(as_images(images)), -1)
    s = fmt.spread(p) if scale is None else scale
    return image_grid_figure(
        images, cols=cols, captions=[fmt.point(v, s) for v in p], title=t["title"],
        hovertext=[t["hover"].format(i=i, point=fmt.point(v, s, extra=1))
                   for i, v in enumerate(p)],
        customdata=_cells(p), invert=invert, cell_px=cell_px)


MANIFOLD_TEXTS = {
    "title": "What the decoder paints everywhere on the wall",
    # the fields are numbers already formatted for the wall's size (ae.fmt): no format spec
    "subtitle": "x from {xmin} to {xmax} (left to right), y from {ymax} to {ymin} "
                "(top to bottom)",
    "hover": "({x}, {y})",
}


def manifold_figure(images: Any, points: Any = None, *, invert: bool = True, cell_px: int = 30,
                    texts: Mapping[str, str] | None = None) -> go.Figure:
    """The book's n x n decoded grid (images row-major, top row = largest y, as
    `ae.analysis.grid_points`). With `points`, hovering shows where each image comes from and
    clicking one selects it (customdata = [cell, x, y])."""
    t = merge_texts(MANIFOLD_TEXTS, texts)
    im = as_images(images)
    n = int(round(np.sqrt(len(im))))
    if n * n != len(im):
        raise ValueError(f"a manifold needs n*n images, got {len(im)}")
    sub, hover, cd = None, None, None
    if points is not None:
        p = np.asarray(points, dtype=np.float64)[:, :2]
        s = fmt.spread(p)  # the grid spans the wall's box: its size is the wall's

        def c(v: float, extra: int = 0) -> str:
            return fmt.coord(v, s, extra=extra)

        sub = t["subtitle"].format(xmin=c(p[:, 0].min()), xmax=c(p[:, 0].max()),
                                   ymin=c(p[:, 1].min()), ymax=c(p[:, 1].max()))
        hover = [t["hover"].format(x=c(a, 1), y=c(b, 1)) for a, b in p]
        cd = _cells(p)
    return image_grid_figure(im, cols=n, title=t["title"], subtitle=sub, hovertext=hover,
                             customdata=cd, invert=invert, gap=1, cell_px=cell_px)


STRIP_TEXTS = {"title": "From one digit to another"}


def strip_figure(images: Any, points: Any = None, *, captions: Sequence[str] | None = None,
                 invert: bool = True, cell_px: int = 56, scale: float | None = None,
                 texts: Mapping[str, str] | None = None) -> go.Figure:
    """One row of images, e.g. an interpolation; captioned with `points` (rounded to `scale`,
    the wall's size, by default the points' spread; see `ae.fmt`) or `captions`."""
    t = merge_texts(STRIP_TEXTS, texts)
    im = as_images(images)
    if captions is None and points is not None:
        p = np.asarray(points, dtype=np.float64).reshape(len(im), -1)
        s = fmt.spread(p) if scale is None else scale
        captions = [fmt.point(v, s) for v in p]
    return image_grid_figure(im, cols=len(im), captions=captions, title=t["title"],
                             invert=invert, cell_px=cell_px)


IMAGE_TEXTS = {"title": "Decoded"}


def image_figure(image: Any, *, caption: str | None = None, invert: bool = True,
                 cell_px: int = 224, texts: Mapping[str, str] | None = None) -> go.Figure:
    """One decoded image, big (e.g. the picked point), with an optional caption under the title."""
    t = merge_texts(IMAGE_TEXTS, texts)
    return image_grid_figure(as_images(image)[:1], cols=1, title=t["title"], subtitle=caption,
                             invert=invert, cell_px=cell_px)


def _cells(p: np.ndarray) -> np.ndarray:
    """customdata rows [cell index, x, y] for pickable image cells."""
    return np.column_stack([np.arange(len(p)), p[:, 0], p[:, 1] if p.shape[1] > 1 else 0 * p[:, 0]])
