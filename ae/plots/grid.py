"""Images drawn crisp: any set of digits tiled into one uint8 array and drawn as one PNG (a
`go.Image` whose `source` is the picture, `zsmooth=False`: every pixel a square), the base of
every picture figure (`ae.plots.images`, `ae.plots.continuity`).

One picture, not hundreds of subplots, and a PNG, not a heatmap: the 20 x 20 grid is 580 x 580
pixels, which as a heatmap's numbers weighed ~450 kB of JSON that the browser then painted brick
by brick; as a palette PNG it is a few tens of kB that the browser draws at once. The PNG's
palette index is the tile's value (`png_values` reads it back). Pixel values 1..255 are the
image (dark ink on a light ground, as the book's `cmap='gray_r'`; `invert=False` gives MNIST's
white on black), 0 is the paper between cells. Captions sit in a band under each row; an
invisible marker on each cell carries the hover text and, for pickable grids,
`customdata = [cell, x, y]` (read back by `ae.analysis.selection.read_pick`).

Why a whole number of screen pixels per image pixel: the browser enlarges the picture pixel by
pixel (nearest neighbour), so at 1.07 screen pixels per image pixel every fourteenth pixel is
drawn twice as wide, and the one-pixel paper gap that falls on such a pixel shows as a seam
twice as wide as the others. The figure's height is chosen so the plot area holds exactly
`scale` screen pixels per image pixel (`cell_px` rounded to a multiple of the image height);
the width follows through the square-pixel constraint.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go
from PIL import Image

from ae.analysis.selection import GROUP_CELL
from ae.plots.style import AXIS_COLOR, new_figure, no_fade

PAPER = "#ffffff"
GROUNDS = {True: ("#f3f3f3", "#000000"),   # invert=True: (ground, ink) like gray_r
           False: ("#000000", "#ffffff")}  # MNIST as stored: white digit on black


def _rgb(color: str) -> np.ndarray:
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)], np.float64)


def palette(invert: bool = True) -> np.ndarray:
    """(256, 3) uint8: 0 is the paper between cells, 1..255 run from the ground to the ink (the
    colours a heatmap with the scale [[0, PAPER], [1/255, ground], [1, ink]] gave)."""
    ground, ink = (_rgb(c) for c in GROUNDS[invert])
    frac = (np.arange(256) - 1).clip(0, 254)[:, None] / 254
    pal = ground + frac * (ink - ground)
    pal[0] = _rgb(PAPER)
    return np.rint(pal).astype(np.uint8)


def png_source(z: np.ndarray, pal: np.ndarray) -> str:
    """A uint8 (H, W) array as a data-URI palette PNG (index = value), for `go.Image.source`."""
    im = Image.fromarray(np.ascontiguousarray(z, dtype=np.uint8), mode="P")
    im.putpalette(pal.ravel().tolist())
    buf = io.BytesIO()
    im.save(buf, format="PNG", optimize=False, compress_level=6)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def png_values(source: str) -> np.ndarray:
    """The uint8 (H, W) values back from `png_source`'s data URI (tests, checks)."""
    raw = base64.b64decode(source.split(",", 1)[1])
    return np.asarray(Image.open(io.BytesIO(raw)))


def picture_trace(z: np.ndarray, invert: bool = True, **kw: Any) -> go.Image:
    """Tiles `z` (0 paper, 1..255 image) as one crisp picture, pixel (0, 0) at (x0, y0) with
    `dx`, `dy` per pixel (defaults 0, 1); no hover (the cells' invisible markers carry it)."""
    place = dict(x0=0, dx=1, y0=0, dy=1) | kw
    return go.Image(source=png_source(z, palette(invert)), zsmooth=False, hoverinfo="skip",
                    name="images", **place)


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
    fig = new_figure(title, height=height or _height(ht, im.shape[1], cell_px, title, subtitle),
                     subtitle=subtitle)
    fig.add_trace(picture_trace(tl.z, invert))
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
