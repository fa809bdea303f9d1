"""Convolutions with Keras `padding='same'` for any kernel and stride, as the book's layers.

A conv maps a side n to ceil(n / s) and a transposed conv maps n to n * s, with TensorFlow's
convention of putting the odd padding pixel at the bottom / right. The transposed conv runs as
one stride-1 conv plus a pixel shuffle (`conv_transpose2d_subpixel`): the same sums, on the
CPU's fast kernels instead of oneDNN's slow strided deconvolution.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def same_pads(n: int, k: int, s: int) -> tuple[int, int]:
    """TensorFlow's 'same' padding of one axis of length n: (before, after), after >= before."""
    out = math.ceil(n / s)
    total = max((out - 1) * s + k - n, 0)
    return total // 2, total - total // 2


class Conv2dSame(nn.Conv2d):
    """Conv2d with Keras padding='same': output side ceil(n / stride) for any kernel."""

    def __init__(self, in_ch: int, out_ch: int, k: int, s: int, in_hw: tuple[int, int]):
        (t, b), (l, r) = same_pads(in_hw[0], k, s), same_pads(in_hw[1], k, s)
        symmetric = t == b and l == r
        super().__init__(in_ch, out_ch, k, s, padding=(t, l) if symmetric else 0)
        # F.pad order is (left, right, top, bottom); None when the conv pads by itself
        self.extra_pad = None if symmetric else (l, r, t, b)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.kernel_size == (1, 1) and self.stride != (1, 1):
            # a 1x1 conv with stride s reads every s-th pixel (Keras 'same' pads nothing here):
            # take those pixels, then convolve with stride 1. The same numbers, and it avoids
            # PyTorch 2.14's strided 1x1 channels_last backward on the CPU, which corrupts the
            # heap for some channel counts (2 -> 48 at stride 2 or 4 aborted the process).
            sh, sw = self.stride
            return F.conv2d(x[:, :, ::sh, ::sw], self.weight, self.bias)
        if self.extra_pad is not None:
            x = F.pad(x, self.extra_pad)
        return super().forward(x)


class Crop2d(nn.Module):
    """The centre (h, w) of a larger map, as Keras' Cropping2D: the padded images' size undone."""

    def __init__(self, h: int, w: int):
        super().__init__()
        self.h, self.w = h, w

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        t, l = (x.shape[-2] - self.h) // 2, (x.shape[-1] - self.w) // 2
        return x[..., t:t + self.h, l:l + self.w]


class ConvTranspose2dSame(nn.ConvTranspose2d):
    """ConvTranspose2d with Keras padding='same': output side exactly n * stride.

    The transposed conv of an n-side input spans (n-1)*s + k pixels. Keras keeps n*s of them,
    dropping `total // 2` at the top/left (the mirror of Conv2dSame). When k < s the span is
    short of n*s; `output_padding` (which PyTorch fills with the bias, like Keras) makes it up.
    """

    def __init__(self, in_ch: int, out_ch: int, k: int, s: int, in_hw: tuple[int, int]):
        crops, out_pad = [], []
        for n in in_hw:
            full, want = (n - 1) * s + k, n * s
            crops.append(((full - want) // 2 if full >= want else 0, want))
            out_pad.append(max(want - full, 0))
        # PyTorch's own `padding=p` drops p pixels at both ends: exact when the excess is even
        symmetric = not any(out_pad) and all(((n - 1) * s + k - n * s) % 2 == 0 for n in in_hw)
        pad = tuple(c[0] for c in crops) if symmetric else (0, 0)
        super().__init__(in_ch, out_ch, k, s, padding=pad, output_padding=tuple(out_pad))
        self.crop = None if symmetric else crops
        self.subpixel = True  # strided, on a CPU: compute as a sub-pixel conv (see forward)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.subpixel and self.stride[0] > 1 and x.device.type == "cpu":
            # the same sums as one stride-1 conv + pixel shuffle, which oneDNN runs several
            # times faster than its strided deconvolution (more so in bf16): ae.accel
            start = (self.crop[0][0], self.crop[1][0]) if self.crop is not None else self.padding
            return conv_transpose2d_subpixel(x, self.weight, self.bias, self.stride[0], start)
        x = super().forward(x)
        if self.crop is not None:
            (t, h), (l, w) = self.crop
            x = x[:, :, t:t + h, l:l + w]
        return x


# -- a faster strided transposed convolution ---------------------------------------------------
def _phase_taps(k: int, s: int, c0: int) -> tuple[list[list[int]], int, int]:
    """For one axis: which kernel tap each output phase r uses at each window offset j.

    out[s*q + r] = sum_j xpad[q + j] * w[taps[r][j]] (tap k = a zero), with xpad = x padded by
    `before` on the left and `after` on the right. c0 = pixels cropped off the start.
    """
    ds = [d for r in range(s) for d in range(-k - c0, k + 1) if 0 <= s * d + r + c0 < k]
    lo, hi = min(ds), max(ds)
    taps = [[s * (hi - j) + r + c0 if 0 <= s * (hi - j) + r + c0 < k else k
             for j in range(hi - lo + 1)] for r in range(s)]
    return taps, hi, -lo


def conv_transpose2d_subpixel(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None,
                              stride: int, crop: tuple[int, int]) -> torch.Tensor:
    """A transposed conv with output exactly (H*s, W*s), starting `crop` pixels into the full
    output, computed as one stride-1 conv plus a pixel shuffle ("sub-pixel convolution").

    Why: oneDNN's strided deconvolution is several times slower than a plain conv of the same
    size on CPUs, and slower still in bf16; the same sums as a stride-1 conv run on its fast
    kernels. Equals conv_transpose2d(x, weight, bias, stride)[..., crop:, crop:] cut to
    (H*s, W*s), extended by the bias alone where the full output is shorter (k < s).
    """
    s = stride
    (th, bh, ah), (tw, bw, aw) = (_phase_taps(weight.shape[2 + i], s, crop[i]) for i in range(2))
    cin, cout = weight.shape[:2]
    ih = torch.tensor(th, device=weight.device).flatten()  # (s*Th,) taps, phase-major
    iw = torch.tensor(tw, device=weight.device).flatten()
    w = F.pad(weight, (0, 1, 0, 1))  # tap index k (the last) is a zero
    k = w.index_select(2, ih).index_select(3, iw)  # (Cin, Cout, s*Th, s*Tw)
    n_th, n_tw = len(th[0]), len(tw[0])
    # -> (s_h, s_w, Cout, Cin, Th, Tw): output channels ordered phase-major, channel-minor,
    # so the shuffle below moves whole channel vectors in channels_last memory
    k = k.view(cin, cout, s, n_th, s, n_tw).permute(2, 4, 1, 0, 3, 5)
    k = k.reshape(s * s * cout, cin, n_th, n_tw)
    b = None if bias is None else bias.repeat(s * s)
    y = F.conv2d(F.pad(x, (bw, aw, bh, ah)), k, b)  # (B, s*s*Cout, H, W)
    n, _, h, wd = y.shape
    z = y.permute(0, 2, 3, 1).reshape(n, h, wd, s, s, cout)  # NHWC view when channels_last
    z = z.permute(0, 1, 3, 2, 4, 5).reshape(n, h * s, wd * s, cout)  # (B, H*s, W*s, Cout)
    return z.permute(0, 3, 1, 2)  # (B, Cout, H*s, W*s), channels_last memory
