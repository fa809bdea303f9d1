"""The wall: the test set encoded onto it, and points of it decoded, as arrays in, numpy out.

Encode images into codes and decode points into pictures, draw the book's random red points
and its 20 x 20 grid over the encoded box, interpolate between two codes, and probe continuity:
does a small step on the wall give a small change in the picture? Reconstructions and their
errors are in `reconstructions`, the three defects in `defects`, the figures in `ae.plots`.

Everything runs under `torch.inference_mode()` (no autograd bookkeeping), in batches of 256: a
batch's activations then stay in the CPU cache, which measured faster than batches of 2,048.
On a CPU that computes bf16 natively (AVX-512 BF16, AMX), `encode` runs the convolutions in
bf16 and the last dense layer in fp32 (precision="auto"): 2-3x faster, codes within ~1% of the
fp32 ones and not rounded to bf16's coarse steps. precision="fp32" gives the exact codes. The
model's training mode is restored afterwards, so these functions are safe in a training callback.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import torch
from torch import nn

from ae.device import pick_precision

ArrayLike = np.ndarray | torch.Tensor | Sequence


# -- helpers: device, eval mode, input conversion -------------------------------------------
def model_device(module: nn.Module) -> torch.device:
    p = next(module.parameters(), None)
    return p.device if p is not None else torch.device("cpu")


@contextlib.contextmanager
def evaluating(model: nn.Module) -> Iterator[nn.Module]:
    """Eval mode + inference mode for the block, then the caller's training mode back."""
    was_training = model.training
    model.eval()  # nn.Module.eval -> train(False), which Autoencoder.train passes through
    try:
        with torch.inference_mode():
            yield model
    finally:
        if was_training:
            model.train(True)


def to_input(x: ArrayLike) -> torch.Tensor:
    """uint8 (N, H, W) or float (N, H, W) / (N, C, H, W) -> float32 (N, C, H, W) in [0, 1]."""
    x = torch.as_tensor(np.asarray(x) if not isinstance(x, torch.Tensor) else x)
    if x.dtype == torch.uint8:
        x = x.float().div_(255.0)  # the article scales pixels to [0, 1]
    x = x.float()
    if x.ndim == 3:
        x = x.unsqueeze(1)  # (N, H, W) -> (N, 1, H, W)
    if x.ndim != 4:
        raise ValueError(f"images must be (N, H, W) or (N, C, H, W), got shape {tuple(x.shape)}")
    return x


def images_np(x: torch.Tensor) -> np.ndarray:
    """(N, C, H, W) tensor -> numpy float32 (N, H, W) for one channel, else (N, H, W, C)."""
    x = x.detach().float().cpu()
    x = x[:, 0] if x.shape[1] == 1 else x.permute(0, 2, 3, 1)
    return np.ascontiguousarray(x.numpy(), dtype=np.float32)


def use_bf16(model: nn.Module, precision: str = "auto") -> bool:
    """Whether `encode` runs in bf16: "bf16" yes, "fp32" no, "auto" on CPUs with native bf16."""
    if precision not in ("auto", "bf16", "fp32"):
        raise ValueError(f'precision must be "auto", "bf16" or "fp32", not {precision!r}')
    if precision != "auto":
        return precision == "bf16"
    dev = model_device(model)
    if dev.type != "cpu":
        return False  # a GPU encodes 10,000 images in milliseconds in fp32 anyway
    return pick_precision(dev, "auto") == "bf16"  # the training's rule: native bf16 hardware


def _encode_batch(encoder: nn.Module, xb: torch.Tensor, bf16: bool) -> torch.Tensor:
    """The encoder on one batch; in bf16 all but a final dense layer, which stays fp32."""
    if not bf16:
        return encoder(xb)
    layers = list(encoder.children()) if isinstance(encoder, nn.Sequential) else []
    head = layers.pop() if layers and isinstance(layers[-1], nn.Linear) else None
    xb = xb.contiguous(memory_format=torch.channels_last)  # oneDNN's fast bf16 kernels are NHWC
    with torch.autocast(xb.device.type, dtype=torch.bfloat16):
        if head is None:
            return encoder(xb).float()
        for layer in layers:
            xb = layer(xb)
    return head(xb.float())


def _codes_tensor(model: nn.Module, z: ArrayLike) -> torch.Tensor:
    z = torch.as_tensor(np.asarray(z, dtype=np.float32)).reshape(-1, np.shape(z)[-1])
    z_dim = model.config.z_dim if hasattr(model, "config") else z.shape[1]
    if z.shape[1] != z_dim:
        raise ValueError(f"points have {z.shape[1]} coordinates but the model's z_dim is {z_dim}")
    return z


# -- encode / decode ----------------------------------------------------------------------
def encode(model: nn.Module, x: ArrayLike, batch_size: int = 256,
           precision: str = "auto") -> np.ndarray:
    """Images -> their marks on the wall, float32 (N, z_dim).

    x: uint8 (N, 28, 28) or float (N, C, H, W) in [0, 1]. precision: "auto" (bf16 where the
    CPU has it natively, see the module docstring), "bf16" or "fp32" (exact)."""
    dev, out, bf16 = model_device(model), [], use_bf16(model, precision)
    with evaluating(model):
        for i in range(0, len(x), batch_size):
            # convert batch by batch: a float copy of the whole set would be 4x the uint8 size
            xb = to_input(x[i:i + batch_size]).to(dev)
            out.append(_encode_batch(model.encoder, xb, bf16).float().cpu())
    if not out:
        return np.zeros((0, model.config.z_dim), np.float32)
    return torch.cat(out).numpy()


def encode_spread(model: nn.Module, x: ArrayLike,
                  batch_size: int = 256) -> tuple[np.ndarray, np.ndarray] | None:
    """A VAE's patches: (mu, sigma = exp(log_var / 2)) of images x, float32 (N, z_dim) each, in
    fp32; None for the autoencoder, whose marks are points with no spread."""
    distribution = getattr(model.encoder, "distribution", None)
    if distribution is None:
        return None
    dev, mus, sigmas = model_device(model), [], []
    with evaluating(model):
        for i in range(0, len(x), batch_size):
            mu, log_var = distribution(to_input(x[i:i + batch_size]).to(dev))
            mus.append(mu.float().cpu())
            sigmas.append(torch.exp(log_var.float() / 2).cpu())
    if not mus:
        empty = np.zeros((0, model.config.z_dim), np.float32)
        return empty, empty.copy()
    return torch.cat(mus).numpy(), torch.cat(sigmas).numpy()


def decode(model: nn.Module, z: ArrayLike, batch_size: int = 256) -> np.ndarray:
    """Points of the wall -> the pictures D.Coder paints there: float32 (K, H, W) in [0, 1]."""
    z, dev, out = _codes_tensor(model, z), model_device(model), []
    with evaluating(model):
        for i in range(0, len(z), batch_size):
            out.append(model.decoder(z[i:i + batch_size].to(dev)).float().cpu())
    if not out:
        h, w, _ = model.config.input_dim
        return np.zeros((0, h, w), np.float32)
    return images_np(torch.cat(out))


# -- the wall in 2-D, the book's sampling and grid --------------------------------------------
def project_2d(codes: ArrayLike) -> tuple[np.ndarray, str | None]:
    """A drawable 2-D view of the codes: the codes themselves when z_dim is 2, else PCA.

    The PCA axes are found on the centred codes but the projection is not re-centred, so
    (0, 0) of the picture is still the origin of the latent space and an off-centre wall stays
    off-centre (defect 2 must remain visible). Returns (xy float32 (N, 2), label): label is
    None for a true 2-D wall, "PCA 1/2" for a projection, "z (1-D)" when z_dim is 1.
    """
    c = np.asarray(codes, dtype=np.float64)
    if c.ndim != 2:
        raise ValueError(f"codes must be (N, z_dim), got shape {c.shape}")
    if c.shape[1] == 2:
        return c.astype(np.float32), None
    if c.shape[1] == 1:
        return np.hstack([c, np.zeros_like(c)]).astype(np.float32), "z (1-D)"
    basis = pca_basis(c)
    return (c @ basis.T).astype(np.float32), "PCA 1/2"


def pca_basis(codes: ArrayLike) -> np.ndarray:
    """The two main directions of the codes, (2, z_dim) orthonormal rows; `xy @ basis` lifts
    a point of the PCA picture back into the latent space (for decoding it)."""
    c = np.asarray(codes, dtype=np.float64)
    _, _, vt = np.linalg.svd(c - c.mean(axis=0), full_matrices=False)
    basis = vt[:2]
    # SVD signs are arbitrary: make each axis' largest loading positive, so the picture is stable
    signs = np.sign(basis[np.arange(len(basis)), np.abs(basis).argmax(axis=1)])
    return basis * signs[:, None]


def sample_box(xy: ArrayLike) -> tuple[float, float, float, float]:
    """(xmin, xmax, ymin, ymax) of the encoded points: where the book draws its samples."""
    xy = np.asarray(xy)
    return (float(xy[:, 0].min()), float(xy[:, 0].max()),
            float(xy[:, 1].min()), float(xy[:, 1].max()))


def sample_uniform(xy: ArrayLike, n: int = 30, seed: int = 0) -> np.ndarray:
    """The book's red points: n points uniform between the min and max of encoded x and y."""
    xmin, xmax, ymin, ymax = sample_box(xy)
    rng = np.random.default_rng(seed)
    return np.stack([rng.uniform(xmin, xmax, n), rng.uniform(ymin, ymax, n)], 1).astype(np.float32)


def grid_points(xy: ArrayLike, n: int = 20) -> np.ndarray:
    """The book's n x n grid over the same box, (n*n, 2) row-major, top row (max y) first,
    as in its `np.meshgrid(linspace(min_x, max_x), linspace(max_y, min_y))`."""
    xmin, xmax, ymin, ymax = sample_box(xy)
    xv, yv = np.meshgrid(np.linspace(xmin, xmax, n), np.linspace(ymax, ymin, n))
    return np.stack([xv.ravel(), yv.ravel()], 1).astype(np.float32)


def sample_normal(n: int = 30, z_dim: int = 2, seed: int = 0) -> np.ndarray:
    """n points from N(0, I): how a VAE is meant to be sampled (the prior its KL term pulls
    the patches towards), float32 (n, z_dim)."""
    return np.random.default_rng(seed).standard_normal((n, z_dim)).astype(np.float32)


def normal_grid_points(n: int = 20, lo: float = 0.01, hi: float = 0.99) -> np.ndarray:
    """The book's VAE grid: n x n points at the standard normal's quantiles lo..hi on each axis
    (its analysis notebook's `norm.ppf(np.linspace(0.01, 0.99, n))`), (n*n, 2) row-major, top
    row (max y) first like `grid_points`."""
    q = np.array([NormalDist().inv_cdf(p) for p in np.linspace(lo, hi, n)], dtype=np.float32)
    xv, yv = np.meshgrid(q, q[::-1])
    return np.stack([xv.ravel(), yv.ravel()], 1).astype(np.float32)


def interpolate(model: nn.Module, z_a: ArrayLike, z_b: ArrayLike,
                k: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """k evenly spaced points on the segment from z_a to z_b (ends included), and their pictures."""
    a, b = (np.asarray(z, dtype=np.float32).ravel() for z in (z_a, z_b))
    t = np.linspace(0.0, 1.0, k, dtype=np.float32)[:, None]
    points = (a + t * (b - a)).astype(np.float32)
    return points, decode(model, points)


# -- continuity ------------------------------------------------------------------------------
CHANGED = 0.25  # a pixel "changes" when it moves by more than a quarter of black-to-white


@dataclass
class ContinuityReport:
    z_a: np.ndarray      # (z,)
    z_b: np.ndarray      # (z,)
    image_a: np.ndarray  # (H, W)
    image_b: np.ndarray  # (H, W)
    mse: float           # mean squared difference of the two pictures
    max_abs: float       # the largest change of one pixel
    changed_share: float  # share of pixels that change by more than CHANGED


def continuity(model: nn.Module, z_a: ArrayLike = (2.0, -2.0),
               z_b: ArrayLike = (2.1, -2.1)) -> ContinuityReport:
    """The article's question: if (2, -2) paints a good digit, does (2.1, -2.1) paint a similar one?

    Decodes both points and measures how different the two pictures are. Nothing in an
    autoencoder's training asks for neighbouring points to give neighbouring pictures, so a
    small step can give a large change; a small number here is luck, not a guarantee.
    """
    a, b = (np.asarray(z, dtype=np.float32).ravel() for z in (z_a, z_b))
    img_a, img_b = decode(model, np.stack([a, b]))
    diff = np.abs(img_a - img_b)
    return ContinuityReport(a, b, img_a, img_b, float((diff ** 2).mean()), float(diff.max()),
                            float((diff > CHANGED).mean()))


@dataclass
class ContinuityProfile:
    points: np.ndarray       # (k, z)
    images: np.ndarray       # (k, H, W)
    step_change: np.ndarray  # (k-1,) mse between neighbouring pictures
    jump_index: int          # the biggest jump is between images[jump_index] and [jump_index + 1]


def continuity_profile(model: nn.Module, z_a: ArrayLike, z_b: ArrayLike,
                       k: int = 21) -> ContinuityProfile:
    """Walk the straight line from z_a to z_b in k equal steps and measure how much the picture
    changes at each step. A smooth wall gives small, even changes; a spike shows where the
    decoded image jumps from one thing to another."""
    points, images = interpolate(model, z_a, z_b, k)
    step = ((images[1:] - images[:-1]) ** 2).reshape(max(k - 1, 0), -1).mean(axis=1)
    return ContinuityProfile(points, images, step.astype(np.float32),
                             int(step.argmax()) if len(step) else 0)
