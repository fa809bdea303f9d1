"""Pen strokes traced from an MNIST picture, so that a browser test can draw a real digit with the
mouse the way a person would (pen down, along the stroke, pen up) on the dashboard's canvas.

`trace` upsamples the 28 x 28 picture, thresholds it, thins the ink to a one-pixel skeleton
(Zhang-Suen), prunes the short spurs thinning leaves at corners and stroke ends, walks the
skeleton into polylines (from its ends first, then around loops, straight on at crossings) and
simplifies them (Ramer-Douglas-Peucker). `pen_width` matches the pen to the digit's stroke
thickness; `render` draws strokes with PIL, an offline stand-in for the canvas.
"""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

from ae.data.idx import parse_idx

UP = 4  # upsampling factor before thinning: a 2-px MNIST stroke becomes 8 px, thinned well
LEVEL = 0.45  # ink threshold on the upsampled picture (0..1)
BOX = 20  # MNIST scales a digit's longer side to 20 px
SPUR = 2.0  # skeleton branches shorter than this many MNIST pixels are thinning artefacts
MAX_POINTS = 40  # per stroke, after simplification
WIDTHS = (10, 36)  # the pen widths `pen_width` chooses between (canvas pixels)
THIN = 0.8  # pen / measured thickness: the grey edges count as ink; 0.6-0.8 read best
RING = [(-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1)]  # N, NE, .. NW


def _grey(image) -> np.ndarray:
    """uint8 0..255 or float 0..1, white ink on black -> float32 in [0, 1]."""
    a = np.asarray(image)
    a = a.astype(np.float32) / 255.0 if a.dtype == np.uint8 else a.astype(np.float32)
    if a.ndim != 2:
        raise ValueError(f"a picture must be 2-D, not of shape {a.shape}")
    return np.clip(a, 0.0, 1.0)


def _ink(image) -> np.ndarray:
    """The upsampled, thresholded ink (bool, UP times the picture's size)."""
    t = torch.from_numpy(_grey(image))[None, None]
    big = F.interpolate(t, scale_factor=UP, mode="bilinear", align_corners=False)[0, 0]
    return big.numpy() >= LEVEL


def _neighbours(b: np.ndarray) -> list[np.ndarray]:
    """The eight neighbours of every pixel of `b` (bool), in RING order, zero outside."""
    p = np.pad(b, 1)
    h, w = b.shape
    return [p[1 + dy:1 + dy + h, 1 + dx:1 + dx + w] for dy, dx in RING]


def thin(ink: np.ndarray) -> np.ndarray:
    """Zhang-Suen thinning (1984), each sub-iteration vectorised: a one-pixel-wide skeleton."""
    s = ink.astype(bool).copy()
    while True:
        changed = False
        for step in (0, 1):
            n = [x.astype(np.int8) for x in _neighbours(s)]
            count = sum(n)
            turns = sum((1 - n[i]) * n[(i + 1) % 8] for i in range(8))  # 0 -> 1 around
            p2, p4, p6, p8 = n[0], n[2], n[4], n[6]
            if step == 0:
                side = (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
            else:
                side = (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            gone = s & (count >= 2) & (count <= 6) & (turns == 1) & side
            if gone.any():
                s &= ~gone
                changed = True
        if not changed:
            return s


def _around(s: np.ndarray, y: int, x: int) -> list[tuple[int, int]]:
    """The set 8-neighbours of pixel (y, x) of `s`."""
    h, w = s.shape
    return [(y + dy, x + dx) for dy, dx in RING
            if 0 <= y + dy < h and 0 <= x + dx < w and s[y + dy, x + dx]]


def _one_group(s: np.ndarray, y: int, x: int) -> bool:
    """Whether the set neighbours of (y, x) are 8-connected among themselves (the ring)."""
    near = _around(s, y, x)
    if not near:
        return False
    seen, todo = {near[0]}, [near[0]]
    while todo:
        a = todo.pop()
        for b in near:
            if b not in seen and max(abs(a[0] - b[0]), abs(a[1] - b[1])) == 1:
                seen.add(b)
                todo.append(b)
    return len(seen) == len(near)


def _unstair(s: np.ndarray) -> np.ndarray:
    """Remove the staircase pixels thinning leaves (a pixel with two 4-neighbours at a right
    angle whose removal keeps its neighbours connected), so that a line's middle pixels have
    exactly two neighbours and a crossing is the only place with three or more."""
    s = s.copy()
    for y, x in zip(*np.nonzero(s), strict=True):
        up, right = s[y - 1, x] if y else False, s[y, x + 1] if x + 1 < s.shape[1] else False
        down, left = s[y + 1, x] if y + 1 < s.shape[0] else False, s[y, x - 1] if x else False
        corner = (up and right) or (right and down) or (down and left) or (left and up)
        if corner and len(_around(s, y, x)) >= 2 and _one_group(s, y, x):
            s[y, x] = False
    return s


def _prune(s: np.ndarray, length: int) -> np.ndarray:
    """Cut the branches of at most `length` pixels that run from an end to a crossing: thinning
    grows them at the corners and ends of thick strokes; a person would not draw them."""
    s = s.copy()
    for end in [p for p in zip(*np.nonzero(s), strict=True) if len(_around(s, *p)) == 1]:
        path, prev, here = [end], None, end
        while len(path) <= length + 1:
            nxt = [q for q in _around(s, *here) if q != prev]
            if here != end and len(nxt) >= 2:  # a crossing: what came before is a spur
                for y, x in path[:-1]:
                    s[y, x] = False
                break
            if len(nxt) != 1:
                break  # a short piece on its own, or already cut: kept
            prev, here = here, nxt[0]
            path.append(here)
    return s


def _walk(s: np.ndarray) -> list[list[tuple[int, int]]]:
    """The skeleton's pixels as paths: from an end (top first) straight on through crossings;
    a path that starts or stops beside pixels already drawn is joined to them."""
    left = s.copy()
    done = np.zeros_like(s)
    paths = []
    while left.any():
        pixels = list(zip(*np.nonzero(left), strict=True))
        ends = [p for p in pixels if len(_around(left, *p)) <= 1]
        start = min(ends or pixels)  # top-most (then left-most) end, or any loop pixel
        path = [start]
        joined = _around(done, *start)
        if joined:
            path.insert(0, joined[0])
        left[start] = False
        done[start] = True
        while True:
            here = path[-1]
            nxt = _around(left, *here)
            if not nxt:
                break
            back = path[max(0, len(path) - 4)]
            d = (here[0] - back[0], here[1] - back[1])
            if d == (0, 0):
                best = min(nxt, key=lambda q: abs(q[0] - here[0]) + abs(q[1] - here[1]))
            else:  # the straightest continuation: largest cosine with the recent direction
                def cos(q, here=here, d=d):
                    v = (q[0] - here[0], q[1] - here[1])
                    return (v[0] * d[0] + v[1] * d[1]) / np.hypot(*v)
                best = max(nxt, key=cos)
            path.append(best)
            left[best] = False
            done[best] = True
        recent = set(path[-4:])
        close = [q for q in _around(done, *path[-1]) if q not in recent]
        if close:
            path.append(close[0])  # closes a loop, or meets a stroke drawn before
        paths.append(path)
    return paths


def _length(path) -> float:
    a = np.asarray(path, np.float64)
    return float(np.hypot(*np.diff(a, axis=0).T).sum()) if len(a) > 1 else 0.0


def _rdp(points: np.ndarray, eps: float) -> np.ndarray:
    """Ramer-Douglas-Peucker: the fewest points within `eps` of the polyline."""
    if len(points) < 3:
        return points
    a, b = points[0], points[-1]
    ab = b - a
    norm = np.hypot(*ab)
    rel = points - a
    if norm < 1e-9:
        dist = np.hypot(rel[:, 0], rel[:, 1])
    else:
        dist = np.abs(ab[0] * rel[:, 1] - ab[1] * rel[:, 0]) / norm
    i = int(np.argmax(dist))
    if dist[i] <= eps:
        return np.stack([a, b])
    return np.concatenate([_rdp(points[:i + 1], eps)[:-1], _rdp(points[i:], eps)])


def _skeleton_paths(image) -> list[list[tuple[int, int]]]:
    """The skeleton walked into paths (upsampled pixels), its staircases and spurs removed."""
    s = _unstair(thin(_ink(image)))
    s = _unstair(_prune(s, round(SPUR * UP)))
    return _walk(s)


def _placement(image, size: int, margin: int) -> tuple[float, float, float]:
    """(scale, offset x, offset y): canvas = offset + scale * MNIST coordinate (pixel edges),
    the ink's box centred on the canvas, a 20-px MNIST box spanning size - 2 * margin."""
    g = _grey(image)
    rows, cols = np.nonzero(g >= LEVEL)
    if not len(rows):
        raise ValueError("the picture has no ink to trace")
    scale = (size - 2 * margin) / BOX
    cy, cx = (rows.min() + rows.max() + 1) / 2, (cols.min() + cols.max() + 1) / 2
    return scale, size / 2 - scale * cx, size / 2 - scale * cy


def trace(image, size: int = 280, margin: int = 40) -> list[list[tuple[float, float]]]:
    """The pen strokes of an MNIST-like picture (28 x 28, uint8 or float, white ink on black):
    polylines of canvas pixels (x right, y down) on a size x size canvas, the digit drawn at
    (size - 2 * margin) / 20 canvas pixels per MNIST pixel and centred. A stroke may be a
    single point (a dot)."""
    scale, ox, oy = _placement(image, size, margin)
    strokes = []
    for path in _skeleton_paths(image):
        a = (np.asarray(path, np.float64) + 0.5) / UP  # upsampled pixel centres -> MNIST
        xy = np.stack([ox + scale * a[:, 1], oy + scale * a[:, 0]], axis=1)
        eps = scale / UP  # one upsampled pixel: smooths the skeleton's staircase
        pts = _rdp(xy, eps)
        while len(pts) > MAX_POINTS:
            eps *= 1.5
            pts = _rdp(xy, eps)
        pts = np.clip(pts, 0, size - 1)
        strokes.append([(round(float(x), 1), round(float(y), 1)) for x, y in pts])
    return strokes


def pen_width(image, size: int = 280, margin: int = 40) -> int:
    """A canvas pen width matching the digit's stroke thickness: its ink area over its skeleton
    length (in MNIST pixels), times the canvas scale, clamped to WIDTHS."""
    g = _grey(image)
    scale = (size - 2 * margin) / BOX
    area = float(g.sum())  # MNIST pixels of ink, its grey edges counted in part
    length = sum(_length(p) for p in _skeleton_paths(image)) / UP
    thickness = area / max(length, 1.0)
    return int(np.clip(round(THIN * thickness * scale), *WIDTHS))


def render(strokes, width: int, size: int = 280) -> np.ndarray:
    """Draw strokes as the canvas would (black pen of `width`, round joins and caps, white
    paper): a float32 (size, size) picture in [0, 1], 0 is ink."""
    im = Image.new("L", (size, size), 255)
    draw = ImageDraw.Draw(im)
    r = width / 2
    for stroke in strokes:
        pts = [(float(x), float(y)) for x, y in stroke]
        if len(pts) > 1:
            draw.line(pts, fill=0, width=int(width), joint="curve")
        for x, y in pts:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    return np.asarray(im, np.float32) / 255.0


def mnist_test(n: int, root: str | os.PathLike | None) -> tuple[np.ndarray, np.ndarray] | None:
    """The first n MNIST test images and labels under `root` (torchvision's MNIST/raw layout,
    plain or gzipped), or None when they are not there (the tests then skip)."""
    if not root:
        return None
    raw = Path(root) / "MNIST" / "raw"
    arrays = []
    for name in ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        plain, packed = raw / name, raw / f"{name}.gz"
        if plain.is_file():
            arrays.append(parse_idx(plain.read_bytes(), name))
        elif packed.is_file():
            arrays.append(parse_idx(gzip.decompress(packed.read_bytes()), name))
        else:
            return None
    return arrays[0][:n], arrays[1][:n]
