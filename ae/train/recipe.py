"""How a model is trained: the article's recipe as a dataclass, its defaults written once.

`Recipe` (lr, batch size, epochs, subset, seed, precision, and the VAE's r_loss_factor) is what
the CLI, the bench, the training page, the shipped-model builds and a checkpoint's meta all use;
the defaults are the book's (Adam 0.0005, batch 32, 200 epochs on the first 1,000 training
images)."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

BOOK_SUBSET = 1_000  # the article trains on the first 1,000 of MNIST's training images
MAX_EPOCHS, MAX_BATCH = 10_000, 4_096
PRECISIONS = ("auto", "bf16", "fp32")
R_LOSS_FACTOR_RANGE = (1.0, 10_000.0)  # the VAE's weight of the MSE: the dashboard's slider


@dataclass(frozen=True)
class Recipe:
    """How a model is trained; the defaults are the article's (Adam, per-image MSE)."""

    lr: float = 0.0005  # Adam's learning rate
    batch_size: int = 32
    epochs: int = 200
    subset: int | None = BOOK_SUBSET  # train on the first `subset` training images; None: all
    seed: int = 0  # the model's initial weights and the shuffling
    precision: str = "auto"  # auto: bf16 autocast where the CPU computes bf16 natively
    r_loss_factor: float = 1000.0  # the VAE's loss: r_loss_factor x MSE + KL (the book's 1000)

    def n_images(self, n_available: int) -> int:
        """How many training images this recipe uses out of `n_available`."""
        return n_available if self.subset is None else self.subset

    def check(self, n_available: int | None = None) -> Recipe:
        """Self, or ValueError saying which value is out of range."""
        if not (isinstance(self.lr, (int, float)) and math.isfinite(self.lr) and 0 < self.lr <= 10):
            raise ValueError(f"the learning rate must lie in (0, 10], not {self.lr:g}")
        for name, v, lo, hi in (("the batch size", self.batch_size, 1, MAX_BATCH),
                                ("epochs", self.epochs, 1, MAX_EPOCHS),
                                ("the seed", self.seed, 0, 2**31 - 1)):
            if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= hi:
                raise ValueError(f"{name} must lie in {lo}..{hi:,}, not {v}")
        n = n_available if n_available is not None else 2**31 - 1
        if self.subset is not None and not 1 <= self.subset <= n:
            raise ValueError(f"the training subset must lie in 1..{n:,} images, "
                             f"not {self.subset:,}")
        f, (lo, hi) = self.r_loss_factor, R_LOSS_FACTOR_RANGE
        if isinstance(f, bool) or not isinstance(f, (int, float)) or not lo <= f <= hi:
            raise ValueError(f"r_loss_factor must lie in {lo:g}..{hi:,g}, not {f!r}")
        if self.precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, "
                             f"not {self.precision!r}")
        return self

    def describe(self, kind: str = "autoencoder") -> str:
        """One line, as a checkpoint's meta "command" records it: `lr=0.0005 batch_size=32 ...`
        (with the r_loss_factor for a VAE)."""
        subset = "all" if self.subset is None else self.subset
        factor = f" r_loss_factor={self.r_loss_factor:g}" if kind == "vae" else ""
        return (f"lr={self.lr:g} batch_size={self.batch_size} epochs={self.epochs} "
                f"subset={subset} seed={self.seed}{factor}")

    def to_dict(self) -> dict:
        """Plain values, for a checkpoint's meta."""
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Recipe:
        """Back from `to_dict()`; unknown keys are refused, missing ones take the defaults."""
        unknown = set(d) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown recipe keys: {sorted(unknown)}")
        return cls(**d).check()
