"""The two books, one click each: network, data and training recipe of each edition's chapter 3.

The first edition (the article) trains its `Autoencoder` on MNIST digits; the second edition
(2023) builds a smaller ReLU network on Fashion-MNIST padded to 32 x 32, with binary
cross-entropy (`notebooks/03_vae/01_autoencoder` of its repository). A preset sets every field
a teacher would otherwise set by hand, so "the second edition's model" is one thing everywhere:
the sidebar, the CLI (`--preset`), the shipped checkpoints and the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ae.model.config import AEConfig
from ae.train.recipe import Recipe


@dataclass(frozen=True)
class Preset:
    name: str            # "ed1" | "ed2": in the URL and the CLI
    config: AEConfig     # the autoencoder (`vae()` gives the same body as the book's VAE)
    dataset: str         # ae.data.load's name
    recipe: Recipe       # the autoencoder's training
    vae_recipe: Recipe   # the VAE's training, as the same edition's VAE notebook does it
    n_samples: int       # points drawn in the wall's box and decoded (the book's figure)
    grid_side: int       # the decoded grid's side

    def vae(self) -> AEConfig:
        return replace(self.config, kind="vae").validate()


ED1 = Preset(
    "ed1", AEConfig.book(), "mnist", Recipe(),
    Recipe(),  # the book's VAE: Adam 0.0005, r_loss_factor 1000 x MSE + KL
    n_samples=30, grid_side=20)

ED2 = Preset(
    "ed2",
    AEConfig((28, 28, 1), [32, 64, 128], [3, 3, 3], [2, 2, 2], [128, 64, 32], [3, 3, 3],
             [2, 2, 2], 2, activation="relu", pad_to=32, output_conv=True, loss="bce").validate(),
    "fashion-mnist",
    # Keras' Adam default (lr 0.001), batch 100, 3 epochs on all 60,000 training images
    Recipe(lr=0.001, batch_size=100, epochs=3, subset=None, precision="fp32"),
    # 02_vae_fashion: Adam 0.0005, 5 epochs, loss 500 x BCE (pixel mean) + KL
    Recipe(lr=0.0005, batch_size=100, epochs=5, subset=None, precision="fp32",
           r_loss_factor=500.0),
    n_samples=18, grid_side=15)

PRESETS = {p.name: p for p in (ED1, ED2)}
DATASETS = tuple(p.dataset for p in PRESETS.values())  # what the dashboard trains on


def matching(cfg: AEConfig, dataset: str) -> Preset | None:
    """The preset whose network (either kind) and data these are, or None (a custom model)."""
    for p in PRESETS.values():
        if p.dataset == dataset and replace(cfg, kind="autoencoder") == p.config:
            return p
    return None


def for_dataset(name: str) -> Preset:
    """The edition whose chapter uses data set `name`: its figure counts (samples, grid side)
    are the ones a model of that data shows. MNIST and the synthetic digits that stand in for
    it are the first edition's; an unknown data set falls back to it too."""
    return next((p for p in PRESETS.values() if p.dataset == name), ED1)
