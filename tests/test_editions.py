"""The second edition's autoencoder, number for number (its notebook `03_vae/01_autoencoder`),
beside the first edition's: the presets, the new choices, the padding and the two losses."""

import math
from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest
import torch

from ae import cli
from ae.analysis import classifier
from ae.model import checkpoint, choices
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig, ConfigError
from ae.model.presets import ED1, ED2, PRESETS, matching
from ae.model.summary import summary
from ae.model.vae import VariationalAutoencoder
from ae.train.losses import bce_loss, r_loss, reconstruction_loss
from ae.train.recipe import Recipe


def test_second_edition_parameters_per_layer():
    enc, dec = summary(Autoencoder.from_config(ED2.config))
    with_params = [(r.kind, r.params) for r in enc.rows if r.params]
    assert with_params == [("Conv2D", 320), ("Conv2D", 18_496), ("Conv2D", 73_856),
                           ("Dense", 4_098)]
    assert [(r.kind, r.params) for r in dec.rows if r.params] == [
        ("Dense", 6_144), ("Conv2DTranspose", 147_584), ("Conv2DTranspose", 73_792),
        ("Conv2DTranspose", 18_464), ("Conv2D", 289)]
    assert (enc.total, dec.total) == (96_770, 246_273)
    assert enc.total + dec.total == ED2.config.n_params() == 343_043
    assert {r.kind for r in enc.rows} >= {"ReLU", "ZeroPadding2D"}
    assert "LeakyReLU" not in {r.kind for r in enc.rows + dec.rows}


def test_first_edition_is_unchanged():
    enc, dec = summary(Autoencoder.from_config(ED1.config))
    assert (enc.total, dec.total) == (98_946, 102_017)  # the article's summaries
    assert {"ZeroPadding2D", "Cropping2D", "ReLU"}.isdisjoint(r.kind for r in enc.rows + dec.rows)


def test_padded_image_runs_at_32_and_comes_back_at_28():
    model = Autoencoder.from_config(ED2.config).eval()
    enc, dec = summary(model)
    rows = {r.name: r.shape for r in enc.rows + dec.rows}
    assert rows["encoder_input"] == (28, 28, 1)
    assert rows["zero_padding"] == (32, 32, 1)
    assert rows["encoder_conv_2"] == (4, 4, 128)
    assert rows["decoder_output"] == (32, 32, 1)  # the book's 32 x 32 x 1 output
    assert rows["cropping"] == (28, 28, 1)  # what the rest of the dashboard shows
    x = torch.rand(3, 1, 28, 28)
    with torch.no_grad():
        padded = model.target(x)
        assert padded.shape == (3, 1, 32, 32)
        assert torch.equal(padded[:, :, 2:30, 2:30], x)
        assert torch.count_nonzero(padded) == torch.count_nonzero(x)  # zeros around
        assert model.paint(model.encoder(x)).shape == (3, 1, 32, 32)
        full = torch.sigmoid(model.paint(model.encoder(x)))
        assert torch.allclose(model(x), full[:, :, 2:30, 2:30])


def test_bce_and_mse_against_hand_computed_values():
    y = torch.tensor([[0.0, 1.0, 0.5, 0.25]])
    p = torch.tensor([[0.1, 0.8, 0.5, 0.9]])
    logits = torch.log(p / (1 - p))
    hand_bce = -sum(t * math.log(q) + (1 - t) * math.log(1 - q)
                    for t, q in zip([0.0, 1.0, 0.5, 0.25], [0.1, 0.8, 0.5, 0.9], strict=True)) / 4
    assert bce_loss(y, logits).item() == pytest.approx(hand_bce, rel=1e-6)
    hand_mse = (0.1**2 + 0.2**2 + 0 + 0.65**2) / 4
    assert r_loss(y, p).item() == pytest.approx(hand_mse, rel=1e-6)
    assert reconstruction_loss("mse", y, p).item() == pytest.approx(hand_mse, rel=1e-6)
    assert reconstruction_loss("bce", y, logits).item() == pytest.approx(hand_bce, rel=1e-6)
    # two images: a per-image mean, then the batch mean (Keras' reduction of both losses)
    y2, p2 = torch.cat([y, torch.ones(1, 4)]), torch.cat([p, torch.full((1, 4), 0.5)])
    want = (hand_bce + math.log(2)) / 2
    assert bce_loss(y2, torch.log(p2 / (1 - p2))).item() == pytest.approx(want, rel=1e-6)


def test_model_loss_is_bce_over_the_padded_image():
    torch.manual_seed(0)
    model = Autoencoder.from_config(ED2.config).eval()
    x = torch.rand(2, 1, 28, 28)
    with torch.no_grad():
        loss = model.loss_parts(x)["loss"].item()
        p = torch.sigmoid(model.paint(model.encoder(x))).double().numpy()
    t = np.pad(x.double().numpy(), ((0, 0), (0, 0), (2, 2), (2, 2)))
    hand = -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean()
    assert loss == pytest.approx(hand, rel=1e-5)
    book = Autoencoder.from_config(ED1.config).eval()  # the 1st edition: per-image MSE
    with torch.no_grad():
        assert book.loss_parts(x)["loss"].item() == pytest.approx(
            ((book(x) - x) ** 2).mean().item(), rel=1e-6)


def test_vae_of_the_second_edition_weights_bce():
    torch.manual_seed(0)
    vae = VariationalAutoencoder.from_config(ED2.vae()).eval()
    x = torch.rand(2, 1, 28, 28)
    with torch.no_grad():
        parts = vae.loss_parts(x, r_loss_factor=500.0)
        mu, _ = vae.encoder.distribution(x)
        want = 500.0 * bce_loss(vae.target(x), vae.paint(mu)).item()
    assert parts["r_loss"].item() == pytest.approx(want, rel=1e-5)
    assert parts["loss"].item() == pytest.approx(parts["r_loss"].item()
                                                 + parts["kl_loss"].item(), rel=1e-6)


def test_presets_set_every_field():
    ed2 = {"input_dim": (28, 28, 1), "encoder_conv_filters": [32, 64, 128],
           "encoder_conv_kernel_size": [3, 3, 3], "encoder_conv_strides": [2, 2, 2],
           "decoder_conv_t_filters": [128, 64, 32], "decoder_conv_t_kernel_size": [3, 3, 3],
           "decoder_conv_t_strides": [2, 2, 2], "z_dim": 2, "use_batch_norm": False,
           "use_dropout": False, "leaky_relu_slope": 0.3, "kind": "autoencoder",
           "activation": "relu", "pad_to": 32, "output_conv": True, "loss": "bce"}
    assert {f.name for f in fields(AEConfig)} == set(ed2)  # a new field must be listed here
    assert {k: getattr(ED2.config, k) for k in ed2} == ed2
    ed1 = dict(AEConfig.book().to_dict(), input_dim=(28, 28, 1))
    assert {k: getattr(ED1.config, k) for k in ed1} == ed1
    assert (ED1.config.activation, ED1.config.pad_to, ED1.config.output_conv,
            ED1.config.loss) == ("leaky_relu", 0, False, "mse")
    assert (ED1.dataset, ED2.dataset) == ("mnist", "fashion-mnist")
    assert ED1.recipe == Recipe()
    assert ED2.recipe == Recipe(lr=0.001, batch_size=100, epochs=3, subset=None, seed=0,
                                precision="fp32", r_loss_factor=Recipe.r_loss_factor)
    assert (ED2.vae_recipe.lr, ED2.vae_recipe.epochs, ED2.vae_recipe.r_loss_factor) == \
        (0.0005, 5, 500.0)
    assert (ED1.n_samples, ED1.grid_side, ED2.n_samples, ED2.grid_side) == (30, 20, 18, 15)
    assert set(PRESETS) == {"ed1", "ed2"}
    assert matching(ED2.vae(), "fashion-mnist") is ED2
    assert matching(ED2.config, "mnist") is None and matching(ED1.config, "mnist") is ED1


def test_mirror_with_an_output_conv_is_the_second_editions_decoder():
    enc = choices.encoder_of(ED2.config)
    cfg = choices.from_layers(enc, activation="relu", pad_to=32, output_conv=True, loss="bce")
    assert cfg == ED2.config and choices.is_mirrored(cfg)
    assert choices.mirrored(enc) == ([64, 32, 1], [3, 3, 3], [2, 2, 2])  # 1st edition's rule


@pytest.mark.parametrize("change, words", [
    ({"pad_to": 27}, "smaller than"), ({"pad_to": 31}, "unevenly"), ({"pad_to": -2}, "pad_to"),
    ({"activation": "tanh"}, "activation must be one of"), ({"loss": "l1"}, "loss must be"),
    ({"output_conv": "yes"}, "true or false"),
    ({"output_conv": False}, "output Conv2D"),  # its last transposed conv has 32 filters
    ({"pad_to": 0}, "not 28x28"),  # three halvings of 28 do not come back to 28
])
def test_impossible_second_edition_choices_are_refused(change, words):
    d = dict(ED2.config.to_dict(), **change)
    with pytest.raises(ConfigError, match=words):
        AEConfig.from_dict(d)


def test_old_configs_without_the_new_fields_still_load():
    d = AEConfig.book().to_dict()
    for k in ("activation", "pad_to", "output_conv", "loss"):
        d.pop(k)
    assert AEConfig.from_dict(d) == AEConfig.book()


def test_cli_preset_sets_the_defaults(capsys):
    assert cli.main(["summary", "--preset", "ed2"]) == 0
    out = capsys.readouterr().out
    assert "Total params: 96,770" in out and "Total params: 246,273" in out
    args = cli.build_parser(PRESETS["ed2"]).parse_args(["train", "--preset", "ed2"])
    assert cli.config_from_args(args) == ED2.config
    assert (args.dataset, args.lr, args.batch_size, args.epochs, args.subset) == \
        ("fashion-mnist", 0.001, 100, 3, None)
    assert cli.config_from_args(cli.build_parser().parse_args(["train"])) == ED1.config
    vae = cli.build_parser(PRESETS["ed2"], "vae").parse_args(["train", "--preset", "ed2",
                                                             "--kind", "vae"])
    assert cli.config_from_args(vae) == ED2.vae()
    assert (vae.lr, vae.epochs, vae.r_loss_factor) == (0.0005, 5, 500.0)


ASSETS = Path(__file__).resolve().parents[1] / "assets"
NOTEBOOK_VAL_LOSS = 0.2535  # the 2nd edition's notebook, epoch 3's val_loss


def test_shipped_second_edition_model_is_the_recipe_and_within_2_percent():
    ck = checkpoint.load(ASSETS / "fashion_2nd.pt")
    assert ck.dataset == "fashion-mnist" and ck.config == ED2.config
    assert Recipe.from_dict(ck.meta["recipe"]) == ED2.recipe
    assert ck.meta["epochs_done"] == 3 and ck.meta["precision"] == "fp32"
    assert abs(ck.meta["test_loss"] / NOTEBOOK_VAL_LOSS - 1) < 0.02
    readme = (ASSETS / "README.md").read_text()
    assert f"**{ck.meta['test_loss']:.5f}**" in readme  # the number the README gives
    vae = checkpoint.load(ASSETS / "vae_fashion_2nd.pt")
    assert vae.dataset == "fashion-mnist" and vae.config == ED2.vae()
    r = ED2.vae_recipe
    assert (vae.meta["recipe"]["lr"], vae.meta["recipe"]["epochs"],
            vae.meta["recipe"]["batch_size"], vae.meta["recipe"]["r_loss_factor"]) == \
        (r.lr, r.epochs, r.batch_size, r.r_loss_factor)
    assert f"Test loss {vae.meta['test_loss']:.3f}" in readme
    clf = classifier.load(ASSETS / "classifier_fashion.pt")
    assert clf.meta["dataset"] == "fashion-mnist"
    assert f"**{100 * clf.meta['test_accuracy']:.2f}%**" in readme
