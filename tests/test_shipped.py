"""The shipped checkpoints load safely and match what assets/README.md says about them.

The losses in the README are checked against each file's own record; when MNIST is at hand
(the repo's data/ cache or the workplace copy), the test loss is measured again from scratch.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from ae import data
from ae.model import checkpoint
from ae.train.trainer import Trainer

ASSETS = Path(__file__).resolve().parents[1] / "assets"
README = (ASSETS / "README.md").read_text()
SHIPPED = [p for p in ("book.pt", "full.pt", "vae_book.pt", "vae_full.pt")
           if (ASSETS / p).exists()]
PAIRS = (("book.pt", "vae_book.pt"), ("full.pt", "vae_full.pt"))


def readme_loss(name: str, which: str) -> float:
    section = README.split(f"## `{name}`", 1)[1].split("\n## ", 1)[0]
    m = re.search(rf"final {which} loss[^|]*\|\s*([0-9.]+)", section)
    assert m, f"assets/README.md gives no final {which} loss for {name}"
    return float(m.group(1))


def mnist_root(tmp_path_factory) -> str | None:
    env = os.environ.get("AE_DATA_DIR") or "data"
    if (Path(env) / "MNIST" / "raw" / "t10k-images-idx3-ubyte").exists() or \
            (Path(env) / "MNIST" / "raw" / "t10k-images-idx3-ubyte.gz").exists():
        return env
    shared = Path(__file__).resolve().parents[2] / "shared" / "data" / "mnist"
    if (shared / "t10k-images-idx3-ubyte.gz").exists():
        root = tmp_path_factory.mktemp("mnist")
        shutil.copytree(shared, root / "MNIST" / "raw")
        return str(root)
    return None


def test_book_model_is_shipped():
    assert "book.pt" in SHIPPED


@pytest.mark.parametrize("pair", PAIRS)
def test_each_vae_is_paired_with_an_autoencoder_trained_the_same_way(pair):
    """Same data, seed, precision and epochs: only the kind (and the VAE's factor) differs."""
    if not all((ASSETS / p).exists() for p in pair):
        pytest.skip(f"{pair} not both shipped")
    ae, vae = (checkpoint.load(ASSETS / p) for p in pair)
    assert (ae.config.kind, vae.config.kind) == ("autoencoder", "vae")
    assert {**ae.config.to_dict(), "kind": "vae"} == vae.config.to_dict()
    for key in ("lr", "batch_size", "epochs", "subset", "seed"):
        assert ae.meta["recipe"][key] == vae.meta["recipe"][key], key
    assert ae.meta["precision"] == vae.meta["precision"]
    assert ae.meta["epochs_done"] == vae.meta["epochs_done"] == ae.meta["recipe"]["epochs"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_checkpoint_matches_readme(name, tmp_path_factory):
    ck = checkpoint.load(ASSETS / name)
    assert ck.dataset == "mnist"
    for which in ("train", "test"):
        assert ck.meta[f"{which}_loss"] == pytest.approx(readme_loss(name, which), abs=6e-5)
    assert ck.meta["command"].startswith("python -m ae train")
    assert ck.history["epochs"], "the history travels with the model"
    root = mnist_root(tmp_path_factory)
    if root is None:
        pytest.skip("MNIST not available here: the README's test loss was checked from meta")
    ds = data.load("mnist", root=root)
    if ds.synthetic:
        pytest.skip("MNIST could not be loaded")
    measured = Trainer(ck.model(), ds.x_test[:16], precision="fp32").evaluate_parts(ds.x_test)
    for part, value in measured.items():  # the VAE's parts too: r_loss and kl_loss
        assert value == pytest.approx(ck.meta[f"test_{part}"], rel=0.02), part
