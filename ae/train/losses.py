"""The book's losses: the autoencoder's per-image mean squared error, and the variational
autoencoder's `r_loss_factor x MSE + KL` with its two parts kept apart.

Kept below the models so the trainer, the models and the analysis share one definition of each.
"""

from __future__ import annotations

import torch


def r_loss(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """The article's loss: mean squared error per image (over C, H, W), averaged over the batch."""
    per_image = (y_true - y_pred).square().flatten(1).mean(dim=1)  # (B,)
    return per_image.mean()


def kl_loss(mu: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, exp(log_var)) || N(0, I)) per image, summed over z, averaged over the batch:
    the book's `-0.5 * sum(1 + log_var - mu^2 - exp(log_var))`."""
    per_image = -0.5 * (1 + log_var - mu.square() - log_var.exp()).sum(dim=1)  # (B,)
    return per_image.mean()


def vae_loss(y_true: torch.Tensor, y_pred: torch.Tensor, mu: torch.Tensor,
             log_var: torch.Tensor, r_loss_factor: float) -> dict[str, torch.Tensor]:
    """The book's `vae_loss` and its two parts: {"loss", "r_loss", "kl_loss"}, loss = r + kl."""
    r = r_loss_factor * r_loss(y_true, y_pred.float())
    kl = kl_loss(mu.float(), log_var.float())
    return {"loss": r + kl, "r_loss": r, "kl_loss": kl}
