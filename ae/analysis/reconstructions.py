"""How well the model repaints its input: reconstructions of chosen test images, and every test
image's error in one pass.

The article's figure shows ten random test images beside their reconstructions; the
reconstruction page also shows the mean test error, the mean per digit and the worst image of
each digit. All of those come from the same per-image errors, and a forward pass over the test
set is the slow part on a classroom CPU, so `recon_errors` makes it once (or, given the codes
the wall already encoded, runs only the decoder).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ae.analysis.latent import (
    ArrayLike,
    decode,
    encode,
    evaluating,
    images_np,
    model_device,
    to_input,
)


@dataclass
class Reconstructions:
    index: np.ndarray   # (n,) int64 positions in the data set
    images: np.ndarray  # (n, H, W) originals in [0, 1]
    labels: np.ndarray  # (n,) int64
    codes: np.ndarray   # (n, z) the marks on the wall
    recons: np.ndarray  # (n, H, W) decoded marks
    mse: np.ndarray     # (n,) per-image mean squared error, the article's loss


def reconstruct_indices(model: nn.Module, x: ArrayLike, y: ArrayLike,
                        indices: Sequence[int]) -> Reconstructions:
    """The test images at `indices` (in that order, repeats allowed): the originals in [0, 1],
    their codes, the decoded codes and each image's squared error."""
    index = np.asarray(indices, dtype=np.int64).ravel()
    if len(index) and not (0 <= index.min() and index.max() < len(x)):
        raise IndexError(f"test indices must lie in 0..{len(x) - 1}, got {index.tolist()}")
    picked = x[torch.as_tensor(index)] if isinstance(x, torch.Tensor) else np.asarray(x)[index]
    xb = to_input(picked)
    codes = encode(model, xb, precision="fp32")  # a few images: exact, as the loss sees them
    recons = decode(model, codes)
    images = images_np(xb)
    mse = ((images - recons) ** 2).mean(axis=tuple(range(1, images.ndim)))  # the article's loss
    return Reconstructions(index, images, np.asarray(y)[index].astype(np.int64), codes, recons,
                           mse.astype(np.float32))


def reconstruct(model: nn.Module, x: ArrayLike, y: ArrayLike, n: int = 10,
                seed: int = 0) -> Reconstructions:
    """The article's figure: n random test images (seeded), their codes and reconstructions."""
    rng = np.random.default_rng(seed)
    index = rng.choice(len(x), size=min(n, len(x)), replace=False)
    return reconstruct_indices(model, x, y, index)


def per_image_mse(model: nn.Module, x: ArrayLike, batch_size: int = 256) -> np.ndarray:
    """Reconstruction error of every image, float32 (N,), in batches."""
    dev, out = model_device(model), []
    with evaluating(model):
        for i in range(0, len(x), batch_size):
            xb = to_input(x[i:i + batch_size]).to(dev)
            out.append(((model(xb).float() - xb) ** 2).flatten(1).mean(1).cpu())
    return torch.cat(out).numpy() if out else np.zeros(0, np.float32)


def decoded_mse(model: nn.Module, x: ArrayLike, codes: ArrayLike,
                batch_size: int = 1024) -> np.ndarray:
    """Per-image squared error (the article's loss) of decoding `codes` against the images
    `x`, float32 (N,); in batches, so no float copy of the whole test set is made."""
    c = np.asarray(codes, dtype=np.float32)
    if len(c) != len(x):
        raise ValueError(f"{len(c)} codes for {len(x)} images")
    out = []
    for i in range(0, len(x), batch_size):
        images = to_input(x[i:i + batch_size]).numpy()
        images = images.reshape(len(images), -1)
        recons = decode(model, c[i:i + batch_size]).reshape(len(images), -1)
        out.append(((images - recons) ** 2).mean(axis=1))
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, np.float32)


@dataclass
class ReconErrors:
    """How well the model repaints the whole test set: every image's error and summaries."""

    mse: np.ndarray        # (N,) per-image mean squared error (the article's loss)
    labels: np.ndarray     # (N,) digits
    mean: float            # mean over the test set
    per_digit: np.ndarray  # (10,) mean error of each digit (NaN where a digit is absent)

    def worst(self, per_digit: int = 1) -> np.ndarray:
        """Test indices of the `per_digit` worst-reconstructed images of each digit, by digit."""
        picks = []
        for d in range(len(self.per_digit)):
            idx = np.flatnonzero(self.labels == d)
            picks.extend(idx[np.argsort(-self.mse[idx], kind="stable")[:per_digit]])
        return np.asarray(picks, dtype=np.int64)


def recon_errors(model: nn.Module, x: ArrayLike, y: ArrayLike, n_classes: int = 10,
                 codes: ArrayLike | None = None) -> ReconErrors:
    """One forward pass over the test set -> `ReconErrors` (mean, per digit, worst per digit).

    With `codes` (the marks of these images, as `encode` gave them for the wall) only the
    decoder runs. Those codes may come from bf16 (see `encode`); the errors then differ from
    the fp32 pass by ~1e-4 per image at most, far below the 4 decimals of a mean a page shows."""
    if codes is None:
        mse = np.asarray(per_image_mse(model, x), dtype=np.float64)
    else:
        mse = decoded_mse(model, x, codes).astype(np.float64)
    labels = np.asarray(y).astype(np.int64)
    per_digit = np.array([mse[labels == d].mean() if (labels == d).any() else np.nan
                          for d in range(n_classes)])
    finite = mse[np.isfinite(mse)]
    return ReconErrors(mse, labels, float(finite.mean()) if len(finite) else float("nan"),
                       per_digit)


def worst_per_digit(model: nn.Module, x: ArrayLike, y: ArrayLike,
                    per_digit: int = 1) -> Reconstructions:
    """The images the model reconstructs worst, `per_digit` of each digit, sorted by digit."""
    return reconstruct_indices(model, x, y, recon_errors(model, x, y).worst(per_digit))
