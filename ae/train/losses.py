"""The book's losses: the autoencoder's per-image mean squared error (1st edition) or binary
cross-entropy (2nd edition), and the variational autoencoder's `r_loss_factor x reconstruction +
KL` with its two parts kept apart.

Kept below the models so the trainer, the models and the analysis share one definition of each.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def r_loss(y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """The article's loss: mean squared error per image (over C, H, W), averaged over the batch."""
    per_image = (y_true - y_pred).square().flatten(1).mean(dim=1)  # (B,)
    return per_image.mean()


def bce_loss(y_true: torch.Tensor, logits: torch.Tensor) -> torch.Tensor:
    """Keras' binary_crossentropy as the 2nd edition compiles it: the mean over pixels of
    -(y log p + (1 - y) log(1 - p)), p = sigmoid(logits), averaged over the batch. Computed from
    the logits (as TensorFlow does for a sigmoid output): exact where p rounds to 0 or 1."""
    return F.binary_cross_entropy_with_logits(logits.float(), y_true.float())


def reconstruction_loss(kind: str, y_true: torch.Tensor, y_pred: torch.Tensor) -> torch.Tensor:
    """The configured reconstruction loss (AEConfig.loss) against the images: "mse" of the
    decoder's pictures, "bce" of its pre-sigmoid logits (what `Autoencoder.paint` gives)."""
    if kind == "bce":
        return bce_loss(y_true, y_pred)
    return r_loss(y_true, y_pred.float())


def kl_loss(mu: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """KL(N(mu, exp(log_var)) || N(0, I)) per image, summed over z, averaged over the batch:
    the book's `-0.5 * sum(1 + log_var - mu^2 - exp(log_var))`."""
    per_image = -0.5 * (1 + log_var - mu.square() - log_var.exp()).sum(dim=1)  # (B,)
    return per_image.mean()


def vae_loss(y_true: torch.Tensor, y_pred: torch.Tensor, mu: torch.Tensor,
             log_var: torch.Tensor, r_loss_factor: float,
             kind: str = "mse") -> dict[str, torch.Tensor]:
    """The book's `vae_loss` and its two parts: {"loss", "r_loss", "kl_loss"}, loss = r + kl;
    r is `r_loss_factor` x the reconstruction loss (`reconstruction_loss(kind, ...)`)."""
    r = r_loss_factor * reconstruction_loss(kind, y_true, y_pred)
    kl = kl_loss(mu.float(), log_var.float())
    return {"loss": r + kl, "r_loss": r, "kl_loss": kl}
