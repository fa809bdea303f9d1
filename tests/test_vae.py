"""The book's VariationalAutoencoder: its summary numbers, its loss, its sampling, its files."""

import math

import numpy as np
import pytest
import torch
from test_model import BOOK_KWARGS
from torch.distributions import Normal, kl_divergence

from ae import AEConfig, Autoencoder
from ae import cli as ae_cli
from ae.cli import main as cli
from ae.data import synthetic
from ae.data.sources import Dataset
from ae.model import VariationalAutoencoder, checkpoint, kinds, load_model
from ae.model.checkpoint import CheckpointError
from ae.model.summary import summary
from ae.train.losses import kl_loss, r_loss, vae_loss
from ae.train.trainer import Trainer


def book_vae(seed: int = 0) -> VariationalAutoencoder:
    torch.manual_seed(seed)
    return VariationalAutoencoder(**BOOK_KWARGS)


def test_summary_numbers_and_layer_names_are_the_books():
    enc, dec = summary(book_vae())
    assert enc.total == 105_220 == 98_946 - 6_274 + 2 * 6_274
    assert dec.total == 102_017
    assert enc.total + dec.total == AEConfig.book("vae").n_params()
    rows = {r.name: (r.kind, r.shape, r.params) for r in enc.rows}
    assert rows["mu"] == ("Dense", (2,), 6_274)
    assert rows["log_var"] == ("Dense", (2,), 6_274)
    assert rows["encoder_output"] == ("Lambda", (2,), 0)
    names = [r.name for r in enc.rows]
    assert names[-4:] == ["flatten", "mu", "log_var", "encoder_output"]  # the order of the book
    assert "mu (Dense)" in str(enc) and "105,220" in str(enc)


def test_kind_is_part_of_the_configuration():
    vae = book_vae()
    assert vae.config == AEConfig.book("vae") and vae.config.is_vae
    assert Autoencoder(**BOOK_KWARGS).config.kind == "autoencoder"
    assert type(kinds.build(AEConfig.book("vae"))) is VariationalAutoencoder
    old = AEConfig.book().to_dict()
    del old["kind"]  # a checkpoint written before kinds existed
    assert AEConfig.from_dict(old).kind == "autoencoder"
    with pytest.raises(ValueError, match="kind must be one of"):
        AEConfig.from_dict({**old, "kind": "gan"})


def test_kl_matches_the_closed_form_of_two_normals():
    mu = torch.tensor([[0.0, 0.0], [1.0, -2.0], [0.5, 3.0]])
    log_var = torch.tensor([[0.0, 0.0], [0.0, math.log(4.0)], [-1.0, 0.5]])
    expected = kl_divergence(Normal(mu, torch.exp(log_var / 2)), Normal(0.0, 1.0)).sum(1)
    assert expected[0] == 0  # N(0, I) itself costs nothing
    assert torch.allclose(kl_loss(mu, log_var), expected.mean())
    # by hand for the second row: 0.5 * (sigma^2 + mu^2 - 1 - ln sigma^2), summed over z
    by_hand = 0.5 * (1 + 1 - 1 - 0) + 0.5 * (4 + 4 - 1 - math.log(4.0))
    assert kl_loss(mu[1:2], log_var[1:2]).item() == pytest.approx(by_hand, rel=1e-6)


def test_loss_parts_add_up_and_scale_with_the_factor():
    vae, x = book_vae(), torch.rand(4, 1, 28, 28)
    vae.eval()
    parts = vae.loss_parts(x, 1000.0)
    assert set(parts) == {"loss", "r_loss", "kl_loss"}
    assert torch.allclose(parts["loss"], parts["r_loss"] + parts["kl_loss"])
    mse = r_loss(x, vae(x))
    assert torch.allclose(parts["r_loss"], 1000 * mse)
    assert torch.allclose(vae.loss_parts(x, 1.0)["r_loss"], mse)
    mu, log_var = vae.encoder.distribution(x)
    assert torch.allclose(parts["kl_loss"], kl_loss(mu, log_var))
    same = vae_loss(x, vae(x), mu, log_var, 1000.0)
    assert torch.allclose(same["loss"], parts["loss"])


def test_sampling_draws_around_mu_in_training_and_is_mu_in_eval():
    vae, x = book_vae(), torch.rand(3, 1, 28, 28)
    vae.eval()
    mu, log_var = vae.encoder.distribution(x)
    assert torch.equal(vae.encoder(x), mu)  # the wall is deterministic
    m, sigma = vae.spread(x)
    assert torch.equal(m, mu) and torch.allclose(sigma, torch.exp(log_var / 2))
    vae.train(True)
    a, b = vae.encoder(x), vae.encoder(x)
    assert not torch.equal(a, b) and not torch.equal(a, mu.detach())


def test_gradients_flow_through_the_sampling_to_both_heads():
    vae, x = book_vae(), torch.rand(8, 1, 28, 28)
    vae.train(True)
    vae.loss_parts(x)["loss"].backward()
    for name in ("mu", "log_var", "encoder_conv_0"):
        grad = getattr(vae.encoder, name).weight.grad
        assert grad is not None and grad.abs().sum() > 0, name
    # the reconstruction term alone reaches log_var only through the sample z
    vae.zero_grad()
    mu, log_var = vae.encoder.distribution(x)
    z = vae.encoder.encoder_output(mu, log_var)
    r_loss(x, vae.decoder(z)).backward()
    assert vae.encoder.log_var.weight.grad.abs().sum() > 0


@pytest.mark.usefixtures("one_thread")
def test_one_trainer_trains_both_kinds_and_keeps_the_parts():
    x = torch.rand(40, 1, 28, 28)
    vae = book_vae()
    vae.compile(0.0005, r_loss_factor=100)
    tr = vae.train(x[:32], batch_size=16, epochs=2)
    h = tr.history
    assert len(h.steps) == 4 and len(h.parts["r_loss"]) == len(h.parts["kl_loss"]) == 4
    for total, r, kl in zip(h.steps, h.parts["r_loss"], h.parts["kl_loss"], strict=True):
        assert total == pytest.approx(r + kl, rel=1e-5)
    for e in h.epochs:
        assert e["train_loss"] == pytest.approx(e["train_r_loss"] + e["train_kl_loss"], rel=1e-5)
    test = Trainer(vae, x[:32], x[32:], r_loss_factor=100, threads=1)
    test.fit(1)
    rec = test.history.epochs[-1]
    assert rec["test_loss"] == pytest.approx(rec["test_r_loss"] + rec["test_kl_loss"], rel=1e-5)
    ae = Autoencoder(**BOOK_KWARGS)
    h_ae = ae.train(x[:32], batch_size=16, epochs=1).history
    assert h_ae.parts == {} and "train_kl_loss" not in h_ae.epochs[0]


@pytest.mark.usefixtures("one_thread")
@pytest.mark.parametrize("cls", [Autoencoder, VariationalAutoencoder])
@pytest.mark.parametrize("as_numpy", [True, False])
def test_train_takes_the_books_channels_last_float_arrays(cls, as_numpy):
    x = np.random.default_rng(0).random((32, 28, 28, 1))  # float64, as x_train[:1000] is
    model = cls(**BOOK_KWARGS)
    model.compile(0.0005)
    tr = model.train(x if as_numpy else torch.from_numpy(x), batch_size=16, epochs=1)
    assert len(tr.history.steps) == 2 and tuple(tr.x_train.shape[1:]) == (1, 28, 28)
    with pytest.raises(ValueError, match="do not fit"):
        model.train(np.zeros((4, 28, 27, 1)), batch_size=2, epochs=1)


def test_vae_checkpoint_round_trip_records_the_kind(tmp_path):
    vae = book_vae().eval()
    path = vae.save(tmp_path / "run")
    ck = checkpoint.load(path)
    assert ck.config.kind == "vae"
    back = load_model(tmp_path / "run")
    assert type(back) is VariationalAutoencoder
    x = torch.rand(2, 1, 28, 28)
    assert torch.equal(back.encoder(x), vae.encoder(x))
    twin = VariationalAutoencoder(**BOOK_KWARGS)
    twin.load_weights(path)
    assert torch.equal(twin.encoder.distribution(x)[1], vae.encoder.distribution(x)[1])
    with pytest.raises(CheckpointError, match="kind vae"):
        Autoencoder(**BOOK_KWARGS).load_weights(path)  # the other kind: named, not a crash


def test_cli_summary_and_train_of_a_vae(tmp_path, capsys, monkeypatch):
    assert cli(["summary", "--kind", "vae"]) == 0
    out = capsys.readouterr().out
    assert "105,220" in out and "102,017" in out and "log_var (Dense)" in out
    x_train, y_train = synthetic.make_digits(80, seed=0)
    x_test, y_test = synthetic.make_digits(40, seed=1)
    t = torch.from_numpy
    small = Dataset("mnist", "synthetic", t(x_train), t(y_train), t(x_test), t(y_test), [])
    monkeypatch.setattr(ae_cli.data, "load", lambda *a, **k: small)
    out_file = tmp_path / "vae.pt"
    code = cli(["train", "--kind", "vae", "--r-loss-factor", "500", "--subset", "64",
                "--epochs", "1", "--threads", "1", "--out", str(out_file)])
    assert code == 0
    ck = checkpoint.load(out_file)
    assert ck.config.kind == "vae" and ck.meta["recipe"]["r_loss_factor"] == 500
    assert ck.meta["test_loss"] == pytest.approx(ck.meta["test_r_loss"] + ck.meta["test_kl_loss"],
                                                 rel=1e-5)
    assert "r_loss_factor 500" in capsys.readouterr().out


def test_a_loaded_vae_keeps_the_factor_it_was_trained_with(tmp_path):
    vae = book_vae()
    for recipe, factor in (({"r_loss_factor": 30.0}, 30.0), ({"r_loss_factor": "x"}, 1000.0),
                           ([1, 2], 1000.0)):
        path = checkpoint.save(tmp_path / "v.pt", vae, meta={"recipe": recipe})
        assert checkpoint.load(path).model().r_loss_factor == factor
