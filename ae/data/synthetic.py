"""Digits drawn by the code itself: the last resort when no copy of MNIST can be reached.

A class must never be left without digits to train on, so when the cache, the download and
the PyPI mirror all fail, `ae.data` draws a small MNIST-shaped set here: each digit 0-9 is a
few pen strokes (polylines, in the spirit of Hershey's vector fonts) that are jittered by a
random affine map, drawn with a random pen width and anti-aliased, like MNIST's 20 x 20 digit
box centred in 28 x 28. Seeded and vectorised (torch's grid_sample does the warping): the same
seed gives the same bytes, in about a second. It is not MNIST, and `ae.data` labels it so.
"""

from __future__ import annotations

import functools

import numpy as np
import torch
import torch.nn.functional as F

SIDE = 28  # image side, as MNIST
BOX = 20  # MNIST centres each digit in a 20 x 20 box
N_CLASSES = 10
UP = 4  # the upright strokes are drawn at 4x resolution ...
SAMPLES = 2  # ... and each warped pixel averages 2 x 2 samples of them (anti-aliasing)
PEN_HALF_WIDTHS = (0.95, 1.2, 1.45, 1.7)  # pixels; MNIST strokes are ~2-3 px wide


def _arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float, n: int = 12):
    """Points on an ellipse from angle a0 to a1 (degrees; y points down, 0 = right, 90 = down)."""
    t = np.radians(np.linspace(a0, a1, n))
    return list(zip(cx + rx * np.cos(t), cy + ry * np.sin(t), strict=True))


# Each digit: polylines in the unit box (x right, y down).
STROKES: dict[int, list[list[tuple[float, float]]]] = {
    0: [_arc(0.5, 0.5, 0.3, 0.45, 0, 360, 24)],
    1: [[(0.33, 0.22), (0.52, 0.05), (0.52, 0.95)]],
    2: [_arc(0.5, 0.3, 0.28, 0.25, -180, 35) + [(0.18, 0.95), (0.85, 0.95)]],
    3: [_arc(0.48, 0.28, 0.27, 0.23, -160, 90), _arc(0.48, 0.73, 0.3, 0.23, -90, 160)],
    4: [[(0.66, 0.95), (0.66, 0.05), (0.14, 0.66), (0.86, 0.66)]],
    5: [[(0.8, 0.05), (0.3, 0.05), (0.26, 0.46)] + _arc(0.48, 0.68, 0.3, 0.27, -140, 150)],
    6: [[(0.74, 0.05), (0.5, 0.13), (0.32, 0.3), (0.24, 0.55), (0.26, 0.72)],
        _arc(0.5, 0.7, 0.25, 0.24, 0, 360, 20)],
    7: [[(0.18, 0.05), (0.82, 0.05), (0.42, 0.95)]],
    8: [_arc(0.5, 0.27, 0.22, 0.21, 0, 360, 20), _arc(0.5, 0.72, 0.27, 0.23, 0, 360, 20)],
    9: [_arc(0.5, 0.3, 0.25, 0.24, 0, 360, 20), [(0.75, 0.3), (0.72, 0.6), (0.6, 0.95)]],
}


def _segments(digit: int) -> np.ndarray:
    """(S, 2, 2) start/end points of every stroke segment of one digit, in output pixels."""
    out = []
    for line in STROKES[digit]:
        p = (np.asarray(line, dtype=np.float64) - 0.5) * BOX + SIDE / 2
        out.append(np.stack([p[:-1], p[1:]], axis=1))
    return np.concatenate(out)


@functools.lru_cache(maxsize=N_CLASSES)  # same strokes every call: draw them once per process
def _templates(digit: int) -> torch.Tensor:
    """The digit drawn upright at UP x resolution with each pen of PEN_HALF_WIDTHS:
    float32 (pens, SIDE*UP, SIDE*UP) in [0, 1]."""
    seg = _segments(digit)
    yy, xx = (np.mgrid[0 : SIDE * UP, 0 : SIDE * UP] + 0.5) / UP
    pix = np.stack([xx.ravel(), yy.ravel()], axis=1)[:, None, :]  # (P, 1, 2)
    p0, d = seg[None, :, 0], (seg[:, 1] - seg[:, 0])[None]  # (1, S, 2)
    t = np.clip(((pix - p0) * d).sum(-1) / np.maximum((d * d).sum(-1), 1e-9), 0, 1)
    dist = np.sqrt(((pix - p0 - t[..., None] * d) ** 2).sum(-1)).min(-1)  # to the nearest stroke
    widths = np.asarray(PEN_HALF_WIDTHS)[:, None]
    ink = np.clip((widths - dist) * UP + 0.5, 0, 1)  # anti-aliased over one fine pixel
    return torch.from_numpy(ink.reshape(-1, SIDE * UP, SIDE * UP).astype(np.float32))


def _grid(theta: torch.Tensor, size: int) -> torch.Tensor:
    """F.affine_grid(theta, (n, 1, size, size), align_corners=False), computed as one matmul
    (several times faster than affine_grid on CPU)."""
    c = (torch.arange(size, dtype=torch.float32) * 2 + 1) / size - 1  # pixel centres in [-1, 1]
    base = torch.stack([c.repeat(size), c.repeat_interleave(size), torch.ones(size * size)], 1)
    return (base @ theta.transpose(1, 2)).view(-1, size, size, 2)  # (n, size, size, [x, y])


def _render(template: torch.Tensor, rng: np.random.Generator, n: int) -> np.ndarray:
    """`n` randomly jittered copies of one (k, H, W) stack of pen widths -> uint8 (n, 28, 28)."""
    # random affine around the centre: rotation, anisotropic scale, shear, shift (pixels)
    ang = np.radians(rng.uniform(-14, 14, n))
    sx, sy = rng.uniform(0.75, 1.1, n), rng.uniform(0.8, 1.0, n)
    shear = rng.uniform(-0.3, 0.3, n)
    c, s = np.cos(ang), np.sin(ang)
    fwd = np.empty((n, 2, 2))  # rotation @ shear @ scale
    fwd[:, 0, 0], fwd[:, 0, 1] = c * sx, (c * shear - s) * sy
    fwd[:, 1, 0], fwd[:, 1, 1] = s * sx, (s * shear + c) * sy
    shift = rng.uniform(-1.2, 1.2, (n, 2)) * 2 / SIDE  # in grid_sample's [-1, 1] units
    inv = np.linalg.inv(fwd)  # grid_sample asks, for each output pixel, where to read from
    theta = np.concatenate([inv, -(inv @ shift[:, :, None])], axis=2)
    pen = rng.integers(0, template.shape[0], n)
    strength = rng.uniform(0.8, 1.0, (n, 1, 1, 1))
    noise = rng.normal(0, 0.04, (n, 1, SIDE, SIDE))

    src = template[torch.from_numpy(pen)][:, None]  # (n, 1, H, W)
    grid = _grid(torch.from_numpy(theta).float(), SIDE * SAMPLES)
    fine = F.grid_sample(src, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    ink = F.avg_pool2d(fine, SAMPLES).numpy() * strength  # box-filter down to 28 x 28
    ink += (ink > 0.02) * noise  # a little texture on the ink only: MNIST's background is 0
    return (np.clip(ink, 0, 1) * 255).round().astype(np.uint8).reshape(n, SIDE, SIDE)


def make_digits(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """`n` drawn digits, classes balanced and shuffled: uint8 (n, 28, 28), int64 labels (n,)."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % N_CLASSES).astype(np.int64)
    images = np.zeros((n, SIDE, SIDE), dtype=np.uint8)
    for digit in range(N_CLASSES):
        idx = np.flatnonzero(labels == digit)
        pens = _templates(digit)
        for chunk in np.array_split(idx, max(1, len(idx) // 512)):  # bounds memory per step
            if len(chunk):
                images[chunk] = _render(pens, rng, len(chunk))
    return images, labels
