"""Figures of the architecture page: the feature maps shrinking and growing, a real digit's
feature maps before and after a stride-2 convolution, and a kernel sliding with step 1 vs 2.

Each builder draws a result of `ae.analysis.featuremaps` (sizes, activations, kernel positions) and
computes nothing about the network itself. Pixel pictures are heatmaps with `zsmooth=False`
drawn at one scale, so a 14 x 14 map really looks half as tall as a 28 x 28 one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from ae.analysis.featuremaps import LayerMaps, Slide, Stage
from ae.plots.style import AXIS_COLOR, merge_texts, new_figure

# (front, top, side) faces: the side is the darkest, as if lit from the top left
PART_COLORS = {
    "input": ("#bdbdbd", "#d9d9d9", "#969696"),
    "encoder": ("#6baed6", "#9ecae1", "#3182bd"),
    "latent": ("#e8000b", "#ff6b6b", "#a50008"),
    "decoder": ("#fd8d3c", "#fdae6b", "#e6550d"),
    "output": ("#bdbdbd", "#d9d9d9", "#969696"),
}

BLOCKS_TEXTS = {
    "title": "The feature maps: height × width × channels, image → code → image",
    "encoder": "encoder",
    "decoder": "decoder",
    "input": "input",
    "z": "code z",
    "conv": "conv {k}×{k}<br>stride {s}",
    "conv_t": "conv_t {k}×{k}<br>stride {s}",
    "flatten": "flatten<br>+ dense",
    "reshape": "dense<br>+ reshape",
    "pad": "zero<br>padding",
    "crop": "crop",
    "hover": "{name}<br>{shape}",
}


def _box(x0: float, h: float, width: float, dx: float, dy: float,
         colors: tuple[str, str, str]) -> list[go.Scatter]:
    """A block in oblique projection: front face (width x h), top and side faces receding."""
    y0 = -h / 2
    front = ([x0, x0 + width, x0 + width, x0, x0], [y0, y0, y0 + h, y0 + h, y0])
    top = ([x0, x0 + width, x0 + width + dx, x0 + dx, x0],
           [y0 + h, y0 + h, y0 + h + dy, y0 + h + dy, y0 + h])
    side = ([x0 + width, x0 + width + dx, x0 + width + dx, x0 + width, x0 + width],
            [y0, y0 + dy, y0 + h + dy, y0 + h, y0])
    return [go.Scatter(x=xs, y=ys, fill="toself", fillcolor=color, mode="lines",
                       line=dict(color="#444444", width=0.8), hoverinfo="skip", showlegend=False)
            for (xs, ys), color in zip((front, top, side), colors, strict=True)]


def _label(s: Stage, t: Mapping[str, str]) -> str:
    """The text above a block: what made it (bold when it changes the size)."""
    if s.part == "input":
        return t["input"]
    if s.is_vector:
        return t["z"]
    if s.name in ("zero_padding", "cropping"):
        return t["pad" if s.name == "zero_padding" else "crop"]
    if s.kernel is None:
        return ""
    conv = s.part == "encoder" or s.name == "decoder_conv"  # the 2nd edition's output conv
    text = t["conv" if conv else "conv_t"].format(k=s.kernel, s=s.stride)
    return f"<b>{text}</b>" if s.stride != 1 else text


def blocks_figure(stages: Sequence[Stage], *, height: int = 360,
                  texts: Mapping[str, str] | None = None) -> go.Figure:
    """The network as blocks: height ∝ H, depth ∝ W, thickness ∝ √channels; the code z as a
    red bar of z_dim cells. Labels: the layer above, the shape below; hover repeats both.
    Annotations and shapes are added in one go (plotly re-validates the layout per add_*)."""
    t = merge_texts(BLOCKS_TEXTS, texts)
    side = max(max(s.h, s.w) for s in stages if not s.is_vector)
    unit, gap = 3.0 / side, 1.1  # the largest map is 3 units tall
    x, tops, centres, edges = 0.0, [], [], []
    traces: list[go.Scatter] = []
    notes: list[dict] = []
    shapes: list[dict] = []
    spans: dict[str, list] = {"encoder": [], "decoder": []}
    small = dict(showarrow=False, font=dict(size=11, color=AXIS_COLOR))
    for i, s in enumerate(stages):
        if s.is_vector:
            h, width, dx, dy = min(0.22 * s.c, 3.0), 0.3, 0.0, 0.0
            traces += _box(x, h, width, 0, 0, PART_COLORS["latent"])
            shapes += [dict(type="line", x0=x, x1=x + width, y0=-h / 2 + j * h / s.c,
                            y1=-h / 2 + j * h / s.c, line=dict(color="white", width=1))
                       for j in range(1, s.c)]  # one cell per number of the code
        else:
            h, width = s.h * unit, 0.12 + 0.1 * math.sqrt(s.c)
            dx, dy = s.w * unit * 0.35, s.w * unit * 0.25
            traces += _box(x, h, width, dx, dy, PART_COLORS[s.part])
        edges.append((x, x + width + dx))
        part = "decoder" if s.part == "output" else s.part  # the last conv_t is the decoder's
        if part in spans:
            spans[part].append(edges[-1])
        centres.append(x + (width + dx) / 2)
        tops.append(h / 2 + dy)
        notes.append(dict(x=centres[-1], y=tops[-1] + 0.12, text=_label(s, t), yanchor="bottom",
                          **small))
        notes.append(dict(x=centres[-1], y=-h / 2 - 0.15, text=f"<b>{s.shape_text}</b>",
                          showarrow=False, yanchor="top", font=dict(size=11)))
        nxt = stages[i + 1] if i + 1 < len(stages) else None
        wide = s.is_vector or (nxt is not None and nxt.is_vector)  # room for the labels
        x += width + dx + gap * (1.7 if wide else 1.0)
    for i in range(len(stages) - 1):  # arrows in the gaps; the two around z are labelled
        a, b = stages[i], stages[i + 1]
        x0, x1 = edges[i][1] + 0.12, edges[i + 1][0] - 0.12
        notes.append(dict(x=x1, y=0, ax=x0, ay=0, axref="x", ayref="y", text="",
                          showarrow=True, arrowhead=2, arrowsize=1, arrowwidth=1.2,
                          arrowcolor=AXIS_COLOR))
        label = t["flatten"] if b.is_vector else t["reshape"] if a.is_vector else ""
        if label:
            notes.append(dict(x=(x0 + x1) / 2, y=-0.2, text=label, yanchor="top",
                              showarrow=False, font=dict(size=10, color=AXIS_COLOR)))
    top = max(tops) + 1.3
    for part, marks in spans.items():
        if marks:
            lo, hi = marks[0][0], marks[-1][1]
            color = PART_COLORS[part][2]
            shapes.append(dict(type="line", x0=lo, x1=hi, y0=top, y1=top,
                               line=dict(color=color, width=3)))
            notes.append(dict(x=(lo + hi) / 2, y=top, text=f"<b>{t[part]}</b>", showarrow=False,
                              yanchor="bottom", font=dict(color=color, size=13)))
    traces.append(go.Scatter(
        x=centres, y=[0.0] * len(stages), mode="markers", marker=dict(size=18, opacity=0),
        hovertext=[t["hover"].format(name=s.name, shape=s.shape_text) for s in stages],
        hovertemplate="%{hovertext}<extra></extra>", showlegend=False))
    fig = new_figure(t["title"], height=height)
    fig.add_traces(traces)
    fig.update_xaxes(visible=False, range=[-0.4, edges[-1][1] + 0.4])
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1, range=[-2.6, max(tops) + 2.1])
    fig.update_layout(showlegend=False, margin=dict(l=8, r=8, t=48, b=8), annotations=notes,
                      shapes=shapes)
    return fig


MAPS_TEXTS = {
    "title": "One test digit through the first convolutions (true size: one square = one pixel)",
    "input": "input {h}×{w}",
    "layer": "{name}, stride {s}: {h}×{w}, {k} of its {n} maps",
    "hover": "row %{y}, column %{x}<br>value %{z:.3f}<extra></extra>",
}


def feature_maps_figure(picture: np.ndarray, layers: Sequence[LayerMaps], *, px: float = 4.0,
                        texts: Mapping[str, str] | None = None) -> go.Figure:
    """The input, then one row per layer of its maps, all at the same pixel scale (a stride-2
    layer's maps come out half as wide). Dark = large; each map has its own scale."""
    t = merge_texts(MAPS_TEXTS, texts)
    gap, band = 3, 7  # pixels between maps / for a row's label
    rows = [(t["input"].format(h=picture.shape[0], w=picture.shape[1]), [picture])]
    for lm in layers:
        h, w = lm.side
        rows.append((t["layer"].format(name=lm.name, s=lm.stride, h=h, w=w, k=len(lm.channels),
                                       n=lm.n_channels), list(lm.maps)))
    width = max(sum(m.shape[1] + gap for m in maps) - gap for _, maps in rows)
    y, notes, traces = 0.0, [], []
    for label, maps in rows:
        notes.append(dict(x=-0.5, y=y + band - 2, text=label, showarrow=False, xanchor="left",
                          yanchor="bottom", font=dict(size=12, color=AXIS_COLOR)))
        y += band
        x = 0.0
        for m in maps:
            lo, hi = float(np.min(m)), float(np.max(m))
            traces.append(go.Heatmap(z=m, x0=x, dx=1, y0=y, dy=1, zsmooth=False, showscale=False,
                                     colorscale="Greys", zmin=lo, zmax=hi if hi > lo else lo + 1,
                                     hovertemplate=t["hover"]))
            x += m.shape[1] + gap
        y += max(m.shape[0] for m in maps) + gap
    fig = new_figure(t["title"], height=int((y - gap) * px) + 60)
    fig.add_traces(traces)
    fig.update_xaxes(visible=False, range=[-0.5, width - 0.5], fixedrange=True)
    fig.update_yaxes(visible=False, range=[y - gap - 0.5, -0.5], scaleanchor="x", scaleratio=1,
                     fixedrange=True)
    fig.update_layout(annotations=notes, margin=dict(l=8, r=8, t=44, b=8))
    return fig


# cell states of the sliding-kernel picture, one colour each
PAD, PIXEL, UNDER, CENTRE, TODO, DONE, NOW, BLANK = range(8)  # BLANK: no cell (transparent)
STATE_COLORS = ["#c9c9c9", "#f6f2e6", "#9ecae1", "#2171b5", "#f6f2e6", "#fdd0a2", "#e6550d",
                "rgba(0,0,0,0)"]

SLIDE_TEXTS = {
    "title": "A {k}×{k} kernel sliding over an {n}×{n} input (grey: padding)",
    "row": "<b>stride {s}</b>: the kernel moves {s} px per step<br>→ {o}×{o} output, {p} "
           "positions",
    "output": "output",
    "play": "▶ play",
    "pause": "❚❚ pause",
}


def _discrete_scale(colors: Sequence[str]) -> list:
    n = len(colors)
    return [pair for i, c in enumerate(colors) for pair in ([i / n, c], [(i + 1) / n, c])]


def slide_state(sl: Slide, j: int) -> tuple[np.ndarray, np.ndarray]:
    """(input grid with padding, output grid) cell states when the kernel is at position j.
    The input grid spans rows/cols -1..n; cells that are neither pixel nor padding are NaN."""
    lo, hi = -sl.pads[0], sl.n - 1 + sl.pads[1]
    grid = np.full((sl.n + 2, sl.n + 2), np.nan)
    grid[lo + 1:hi + 2, lo + 1:hi + 2] = PAD
    grid[1:sl.n + 1, 1:sl.n + 1] = PIXEL
    r, c = sl.windows[j]
    grid[r + 1:r + 1 + sl.k, c + 1:c + 1 + sl.k] = UNDER
    grid[r + 1 + sl.k // 2, c + 1 + sl.k // 2] = CENTRE
    out = np.full(sl.out * sl.out, float(TODO))
    out[:j] = DONE
    out[j] = NOW
    return grid, out.reshape(sl.out, sl.out)


ROW_GAP, COL_GAP = 4, 3  # cells between the rows (room for their titles) / input and output


def _slide_canvas(slides: Sequence[Slide], f: int) -> np.ndarray:
    """All rows' input and output grids in one uint8 array (BLANK between them), frame f: one
    heatmap per frame keeps the figure light (Streamlit re-validates every frame on every
    rerun), and one byte per cell keeps its 64 frames ~60 kB, not the ~500 kB of float64."""
    side = slides[0].n + 2
    canvas = np.full((len(slides) * (side + ROW_GAP), 2 * side + COL_GAP), float(BLANK))
    for i, sl in enumerate(slides):
        grid, res = slide_state(sl, min(f, len(sl.windows) - 1))
        y = ROW_GAP + i * (side + ROW_GAP)
        canvas[y:y + side, :side] = grid
        x = side + COL_GAP  # the output's pixel (0, 0) sits level with the input's
        canvas[y + 1:y + 1 + sl.out, x:x + sl.out] = res
    return np.nan_to_num(canvas, nan=BLANK).astype(np.uint8)


def stride_figure(slides: Sequence[Slide], *, start: int = 1, frame_ms: int = 300,
                  px: float = 16.0, texts: Mapping[str, str] | None = None) -> go.Figure:
    """One row per stride: the padded input with the kernel on it (blue, its centre dark) and
    the output filling in (orange = this position's result), every cell the same size. Play
    animates all rows together one position per frame, so the stride-2 row finishes in a
    quarter of the steps."""
    t = merge_texts(SLIDE_TEXTS, texts)
    n, k = slides[0].n, slides[0].k
    n_frames = max(len(sl.windows) for sl in slides)
    start = min(start, n_frames - 1)
    heat = dict(colorscale=_discrete_scale(STATE_COLORS), zmin=-0.5,
                zmax=len(STATE_COLORS) - 0.5, showscale=False, zsmooth=False, xgap=2, ygap=2,
                hoverinfo="skip")
    first = _slide_canvas(slides, start)
    side = n + 2
    notes = []
    for i, sl in enumerate(slides):
        y = i * (side + ROW_GAP) + ROW_GAP - 0.8
        notes.append(dict(x=-0.5, y=y, text=t["row"].format(s=sl.s, o=sl.out, p=len(sl.windows)),
                          xanchor="left", yanchor="bottom", align="left", showarrow=False,
                          font=dict(size=12)))
        notes.append(dict(x=side + COL_GAP + (sl.out - 1) / 2, y=y + 1.2, text=t["output"],
                          yanchor="bottom", showarrow=False, font=dict(size=11, color=AXIS_COLOR)))
    fig = new_figure(t["title"].format(k=k, n=n), height=int(first.shape[0] * px) + 190)
    fig.add_trace(go.Heatmap(z=first, **heat))
    fig.frames = [go.Frame(data=[go.Heatmap(z=_slide_canvas(slides, f))], traces=[0],
                           name=str(f)) for f in range(n_frames)]
    fig.update_xaxes(visible=False, fixedrange=True, range=[-0.5, first.shape[1] - 0.5])
    fig.update_yaxes(visible=False, fixedrange=True, range=[first.shape[0] - 0.5, 0.5],
                     scaleanchor="x", scaleratio=1)
    anim = dict(frame=dict(duration=frame_ms, redraw=True), transition=dict(duration=0),
                mode="immediate")
    still = dict(anim, frame=dict(duration=0, redraw=True))
    fig.update_layout(
        annotations=notes,
        updatemenus=[dict(type="buttons", direction="left", x=0.0, y=0, xanchor="left",
                          yanchor="top", showactive=False, pad=dict(t=12), buttons=[
                              dict(label=t["play"], method="animate", args=[None, anim]),
                              dict(label=t["pause"], method="animate", args=[[None], still])])],
        sliders=[dict(active=start, x=0.0, len=1.0, y=0, yanchor="top", pad=dict(t=56),
                      currentvalue=dict(visible=False),
                      steps=[dict(label=str(f + 1), method="animate", args=[[str(f)], still])
                             for f in range(n_frames)])],
        margin=dict(l=8, r=8, t=48, b=110))
    return fig
