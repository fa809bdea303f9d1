"""The book's variational autoencoder (GDL 1st edition, `models/VAE.py`) in PyTorch.

The same constructor, layers and decoder as the `Autoencoder`; only the encoder's end differs.
Instead of one dense layer to a point z, it has two dense heads, `mu` and `log_var` (z_dim each),
and a sampling layer `encoder_output`: z = mu + exp(log_var / 2) * eps, eps ~ N(0, I). N.Coder
pins a small fuzzy patch, not a point. The loss adds the KL divergence of that patch from N(0, I)
to `r_loss_factor` x the reconstruction loss (`ae.train.losses.vae_loss`).

In eval mode the sampling layer returns `mu`: the wall, the reconstructions and the analysis are
deterministic, and the patch's spread exp(log_var / 2) is read with `encoder.distribution(x)`.
"""

from __future__ import annotations

import torch
from torch import nn

from ae.model import kinds
from ae.model.autoencoder import Autoencoder
from ae.train.losses import vae_loss

R_LOSS_FACTOR = 1000.0  # the book's `vae.compile(LEARNING_RATE, R_LOSS_FACTOR)`


class Sampling(nn.Module):
    """The book's Lambda layer: mu + exp(log_var / 2) * eps while training; mu in eval mode."""

    def forward(self, mu: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
        if not self.training:
            return mu
        return mu + torch.exp(log_var / 2) * torch.randn_like(mu)


class GaussianEncoder(nn.Module):
    """conv blocks -> flatten -> `mu`, `log_var` -> `encoder_output` (a sample of z).

    Its children run in the order they are listed, so the Keras-style summary reads them as the
    book's summary prints them (mu and log_var both take the flatten's output).
    """

    def __init__(self, body: list[tuple[str, nn.Module]], flat: int, z_dim: int):
        super().__init__()
        self.body = [name for name, _ in body]
        for name, module in body:
            self.add_module(name, module)
        self.mu = nn.Linear(flat, z_dim)
        self.log_var = nn.Linear(flat, z_dim)
        self.encoder_output = Sampling()

    def distribution(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(mu, log_var) of each image's patch on the wall, each (B, z_dim)."""
        for name in self.body:
            x = getattr(self, name)(x)
        return self.mu(x), self.log_var(x)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.encoder_output(*self.distribution(x))


@kinds.register("vae")
class VariationalAutoencoder(Autoencoder):
    """The book's `VariationalAutoencoder`: same constructor and methods as the `Autoencoder`,
    plus `r_loss_factor` in `compile(learning_rate, r_loss_factor)`."""

    KIND = "vae"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.r_loss_factor = R_LOSS_FACTOR

    def _build(self) -> None:
        body, flat = self._encoder_body()
        self.encoder = GaussianEncoder(body, flat, self.config.z_dim)
        self.decoder = self._decoder()

    def compile(self, learning_rate: float,  # noqa: A003 - the book's name
                r_loss_factor: float = R_LOSS_FACTOR) -> None:
        """Remember the learning rate and the weight of the reconstruction term, as the book's
        `compile(learning_rate, r_loss_factor)` does."""
        super().compile(learning_rate)
        self.r_loss_factor = float(r_loss_factor)

    def loss_parts(self, x: torch.Tensor, r_loss_factor: float | None = None) -> dict:
        """{"loss", "r_loss", "kl_loss"} on images `x`: z sampled in training mode, mu in eval."""
        mu, log_var = self.encoder.distribution(x)
        y = self.paint(self.encoder.encoder_output(mu, log_var))
        factor = self.r_loss_factor if r_loss_factor is None else r_loss_factor
        return vae_loss(self.target(x), y, mu, log_var, factor, self.config.loss)

    @torch.no_grad()
    def spread(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(mu, sigma = exp(log_var / 2)) of images `x`, in eval mode (batch norm and dropout
        as at test time): the patch N.Coder pins."""
        was_training = self.training
        nn.Module.train(self, False)
        try:
            mu, log_var = self.encoder.distribution(x)
        finally:
            nn.Module.train(self, was_training)
        return mu, torch.exp(log_var / 2)
