"""Digits as pictures: the article's reconstruction figure, the red samples' decoded images,
the 20 x 20 manifold, interpolation strips and a single decoded image.

All images of a figure go into one tiled array drawn by a single `go.Heatmap` with
`zsmooth=False`, so a 28 x 28 digit stays crisp (every pixel a sharp square) and the browser
gets one small uint8 array instead of hundreds of subplots. Pixel values 1..255 are the
image (dark ink on a light ground, as the book's `cmap='gray_r'`; `invert=False` gives MNIST's
white on black), 0 is the paper between cells. Captions sit in a band under each row; an
invisible marker on each cell carries the hover text and, for pickable grids,
`customdata = [cell, x, y]` (see `ae.plots.latent.read_pick`).

Why a whole number of screen pixels per image pixel: Plotly snaps each heatmap brick to the
screen's pixels, so at 1.07 screen pixels per image pixel every fourteenth pixel is drawn twice
as wide, and the one-pixel paper gap that falls on such a pixel shows as a seam twice as wide
as the others (the 20 x 20 grid had one between columns 10 and 11). The figure's height is
chosen so the plot area holds exactly `scale` screen pixels per image pixel (`cell_px` rounded
to a multiple of the image height); the width follows through the square-pixel constraint.
Codes in captions and hovers are rounded to the wall's size by `ae.fmt`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ae import fmt
from ae.plots.latent import GROUP_CELL
from ae.plots.style import AXIS_COLOR, merge_texts, new_figure, no_fade

PAPER = "#ffffff"
GROUNDS = {True: ("#f3f3f3", "#000000"),   # invert=True: (ground, ink) like gray_r
           False: ("#000000", "#ffffff")}  # MNIST as stored: white digit on black


def as_images(images: Any) -> np.ndarray:
    """(H, W), (K, H, W), (K, 1, H, W) or (K, H, W, 1); float in [0, 1] or uint8 -> (K, H, W)."""
    a = np.asarray(images)
    scale = 255.0 if a.dtype == np.uint8 else 1.0
    a = a.astype(np.float32) / scale
    if a.ndim == 2:
        a = a[None]
    if a.ndim == 4 and a.shape[1] == 1:
        a = a[:, 0]
    elif a.ndim == 4 and a.shape[3] == 1:
        a = a[..., 0]
    if a.ndim != 3:
        raise ValueError(f"images must be grey (K, H, W) or one-channel, got shape {a.shape}")
    return np.clip(np.nan_to_num(a, nan=0.0), 0.0, 1.0)


@dataclass
class Tiles:
    z: np.ndarray        # (Ht, Wt) uint8: 0 paper, 1..255 image
    centres: np.ndarray  # (K, 2) pixel (x, y) of each image's centre
    band_y: np.ndarray   # (K,) y of the caption band under each image
    row_y: np.ndarray    # (rows,) y of each image row's centre
    row_band_y: np.ndarray  # (rows,) y of each row's caption band
    rows: int
    cols: int


def tile(images: Any, cols: int, *, gap: int = 2, band: int = 0) -> Tiles:
    """Lay K images out row-major in `cols` columns with `gap` pixels between them and a
    caption band of `band` pixels under each row."""
    im = as_images(images)
    k, h, w = im.shape
    cols = max(1, min(cols, k))
    rows = -(-k // cols)
    py, px = h + band + gap, w + gap  # pitch of a row / a column
    z = np.zeros((rows * py - gap, cols * px - gap), np.uint8)
    centres, band_y = np.zeros((k, 2)), np.zeros(k)
    for i in range(k):
        r, c = divmod(i, cols)
        y0, x0 = r * py, c * px
        z[y0:y0 + h, x0:x0 + w] = 1 + np.rint(im[i] * 254).astype(np.uint8)
        centres[i] = (x0 + (w - 1) / 2, y0 + (h - 1) / 2)
        band_y[i] = y0 + h + (band - 1) / 2
    row_y = np.arange(rows) * py + (h - 1) / 2
    return Tiles(z, centres, band_y, row_y, row_y + (h + band) / 2, rows, cols)


def image_grid_figure(images: Any, *, cols: int = 10, captions: Sequence[str] | None = None,
                      row_labels: Sequence[str | None] | None = None,
                      band_labels: Sequence[str | None] | None = None,
                      hovertext: Sequence[str] | None = None, customdata: Any = None,
                      title: str = "", subtitle: str | None = None, invert: bool = True,
                      gap: int | None = None, band: int | None = None, cell_px: int = 56,
                      caption_size: int = 11, height: int | None = None) -> go.Figure:
    """Any set of images as a crisp grid. captions: one per image, in the band below it;
    row_labels / band_labels: one per row, written left of the row / of its band;
    hovertext, customdata: per image, on an invisible marker over each cell. A caption wider
    than its cell is wrapped after a comma (an untrained wall's "(-0.020, 0.034)"), and the
    band grows to hold the lines."""
    im = as_images(images)
    if band is None:
        band = 11 if captions is not None or band_labels is not None else 0
    if gap is None:  # captions such as "(-13.3, -9.4)" are wider than a 28-pixel cell
        gap = 5 if captions is not None else 2
    if captions is not None:
        scale = pixel_scale(im.shape[1], cell_px)
        captions = [wrap_caption(c, (im.shape[2] + gap) * scale - 4, caption_size)
                    for c in captions]
        lines = max((c.count("<br>") + 1 for c in captions), default=1)
        if lines > 1:  # line height ~1.25 em, in image pixels of this scale
            band = max(band, -(-int(lines * caption_size * 1.25 + 4) // scale))
    tl = tile(im, cols, gap=gap, band=band)
    ht, wt = tl.z.shape
    ground, ink = GROUNDS[invert]
    fig = new_figure(title, height=height or _height(ht, im.shape[1], cell_px, title, subtitle),
                     subtitle=subtitle)
    fig.add_trace(go.Heatmap(
        z=tl.z, x0=0, dx=1, y0=0, dy=1, zmin=0, zmax=255, zsmooth=False, showscale=False,
        colorscale=[[0.0, PAPER], [1 / 255, ground], [1.0, ink]], hoverinfo="skip",
        name="images"))
    if captions is not None:
        if len(captions) != len(im):
            raise ValueError(f"{len(captions)} captions for {len(im)} images")
        fig.add_trace(go.Scatter(
            x=tl.centres[:, 0], y=tl.band_y, text=list(captions), mode="text",
            textfont=dict(size=caption_size, color="#333333"), hoverinfo="skip",
            name="captions"))
    if hovertext is not None or customdata is not None:
        fig.add_trace(go.Scatter(
            x=tl.centres[:, 0], y=tl.centres[:, 1], mode="markers", name=GROUP_CELL,
            legendgroup=GROUP_CELL, marker=dict(size=max(8, cell_px * 0.6), opacity=0),
            selected=dict(marker=dict(opacity=0)), unselected=dict(marker=dict(opacity=0)),
            # plain lists: a typed array would reach Streamlit's selection as {"0": ..} objects
            customdata=None if customdata is None else np.asarray(customdata).tolist(),
            hovertext=None if hovertext is None else list(hovertext),
            hovertemplate="%{hovertext}<extra></extra>" if hovertext is not None else None,
            hoverinfo=None if hovertext is not None else "skip"))
    ticks = [(y, s) for y, s in zip(tl.row_y, row_labels or [], strict=False) if s]
    ticks += [(y, s) for y, s in zip(tl.row_band_y, band_labels or [], strict=False) if s]
    # constrain="domain": keep square pixels by shrinking the plot area, left-aligned under
    # the title, rather than by widening the axis range
    fig.update_xaxes(visible=False, range=[-0.5, wt - 0.5], constrain="domain",
                     constraintoward="left", fixedrange=True)
    fig.update_yaxes(range=[ht - 0.5, -0.5], scaleanchor="x", scaleratio=1, constrain="domain",
                     fixedrange=True, showgrid=False, zeroline=False, showline=False,
                     ticks="", tickvals=[y for y, _ in ticks], ticktext=[s for _, s in ticks],
                     tickfont=dict(color=AXIS_COLOR, size=12), visible=bool(ticks))
    fig.update_layout(showlegend=False, hovermode="closest",
                      margin=dict(l=110 if ticks else 16, r=16, b=12))
    return no_fade(fig)


def text_px(text: str, size: float) -> float:
    """About how wide `text` is drawn at font `size` (px): digits ~0.5 em, the rest ~0.3 em
    in the house font (measured on Source Sans Pro); a little generous, never too short."""
    return size * sum(0.5 if ch.isdigit() or ch.isalpha() else 0.3 for ch in text)


def wrap_caption(text: str, width_px: float, size: float) -> str:
    """The caption on as few lines (`<br>`) as fit `width_px`, broken after ", " only."""
    parts = text.split(", ")
    if len(parts) == 1 or text_px(text, size) <= width_px:
        return text
    lines, line = [], parts[0]
    for part in parts[1:]:
        if text_px(f"{line}, {part}", size) <= width_px:
            line = f"{line}, {part}"
        else:
            lines.append(line + ",")
            line = part
    return "<br>".join([*lines, line])


def pixel_scale(h: int, cell_px: int) -> int:
    """Screen pixels per image pixel that show an image of height `h` about `cell_px` tall: a
    whole number, so every gap between images is drawn equally wide (see the module notes)."""
    return max(1, round(cell_px / max(h, 1)))


def _height(ht: int, h: int, cell_px: int, title: str, subtitle: str | None) -> int:
    """Figure height whose plot area is exactly `pixel_scale` screen pixels per image pixel
    (the top margin as `new_figure` computes it, the bottom margin of `image_grid_figure`)."""
    lines = subtitle.count("<br>") + 1 if subtitle else 0
    return ht * pixel_scale(h, cell_px) + 24 + (24 if title else 0) + 17 * lines + 12


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
