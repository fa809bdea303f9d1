"""AppTest of the existing pages with a variational autoencoder in play: the sidebar's model
kind (and `?kind=` in the URL) builds a VAE config, the architecture page shows its heads and the
book's counts, the training page has the r_loss_factor and reports both loss parts, a VAE
checkpoint can be uploaded, and the wall, reconstruction and generation pages render a small
VAE with its own notes (the patch close-up on the wall, N(0, I) samples and grid)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from pagekit import (  # noqa: F401 (own_tab_store, small_data: fixtures, found by name)
    APP,
    assert_ok,
    md_tables,
    open_page,
    own_tab_store,
    set_language,
    small_data,
    texts,
)
from streamlit.testing.v1 import AppTest

from ae.model import checkpoint, kinds
from ae.model.config import AEConfig
from ae.ui import resources
from ae.ui.state import InPlay
from tests.test_run import wait_for

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")  # 200 synthetic digits
TIMEOUT = 60


def vae_in_play(z_dim: int = 2) -> dict:
    """Session values that put an untrained VAE of the article's layers in play."""
    cfg = replace(AEConfig.book("vae"), z_dim=z_dim).validate()
    torch.manual_seed(0)
    model = kinds.build(cfg).eval()
    inplay = InPlay(key=f"untrained:vae{z_dim}", origin="untrained", model=model,
                    dataset="mnist")
    return {"in_play": inplay, "models": {"untrained": inplay}, "model_choice": "untrained"}


def everything(at) -> str:
    return texts(at) + "\n".join(e.value for e in [*at.success, *at.warning])


# -- the sidebar and the URL ------------------------------------------------------------------
def test_the_kind_choice_builds_a_vae_and_the_architecture_page_shows_its_heads():
    at = open_page("architecture")
    assert_ok(at)
    assert not at.session_state["config"].is_vae and "log_var" not in everything(at)
    at.radio(key="model_kind:en").set_value("vae").run()
    assert_ok(at)
    cfg = at.session_state["config"]
    assert cfg.is_vae and cfg == AEConfig.book("vae")
    assert at.query_params["kind"] == "vae"
    enc = md_tables(at.main)[0]
    enc["Param #"] = enc["Param #"].str.replace(",", "").astype(int)
    names = enc["Layer (type)"].tolist()
    assert {"mu (Dense)", "log_var (Dense)", "encoder_output (Lambda)"} <= set(names)
    assert enc["Param #"].sum() == 105_220
    page = everything(at)
    assert "105,220" in page and "102,017" in page
    assert "variational autoencoder" in page and "exp(log_var / 2)" in page
    at.selectbox(key="arch_layer").set_value("mu").run()  # one head's count, by hand
    assert_ok(at)
    assert "3,136 × 2 + 2 = 6,272 + 2 = 6,274" in texts(at)
    set_language(at, "zh")
    assert_ok(at)
    assert at.session_state["config"].is_vae  # the choice survives the language switch
    assert "变分自编码器" in everything(at)


def test_kind_in_the_url_and_a_bad_one_gives_a_notice():
    at = open_page("architecture", {"kind": "vae", "z": "3"})
    assert_ok(at)
    cfg = at.session_state["config"]
    assert cfg.is_vae and cfg.z_dim == 3
    assert at.radio(key="model_kind:en").value == "vae"
    bad = AppTest.from_file(APP, default_timeout=180)
    bad.query_params["kind"] = "gan"
    bad.run()  # the first page drawn says what was ignored
    assert not bad.exception
    assert not bad.session_state["config"].is_vae and bad.query_params["kind"] == "autoencoder"
    notices = [w.value for w in bad.warning]
    assert any("kind='gan'" in n and "autoencoder or vae" in n for n in notices), notices


# -- training ---------------------------------------------------------------------------------
def test_training_a_vae_has_the_factor_and_reports_both_loss_parts():
    torch.set_num_threads(1)
    at = open_page("training", {"kind": "vae", "tr_rf": "200"})
    assert_ok(at)
    assert at.select_slider(key="t_rf").value == 200
    plan = "\n".join(c.value for c in at.caption)
    assert "A new variational autoencoder" in plan and "200 × MSE + KL" in plan
    at.select_slider(key="t_rf").set_value(1000).run()
    assert at.query_params["tr_rf"] == "1000"
    at.radio(key="t_sub:en").set_value("custom").run()
    at.number_input(key="t_n").set_value(64).run()
    at.number_input(key="t_ep").set_value(2).run()
    at.button(key="t_start").click().run()
    assert_ok(at)
    run = at.session_state["t_run"]
    assert run.trainer.r_loss_factor == 1000
    assert wait_for(lambda: len(run.trainer.history.steps) >= 2, TIMEOUT)
    at.run()
    parts = [m.value for m in at.markdown if m.value.startswith("of which reconstruction")]
    assert parts and "KL **" in parts[0], [m.value for m in at.markdown]
    assert run.join(TIMEOUT) and run.state == "done"
    at.run()
    assert_ok(at)
    inplay = at.session_state["in_play"]
    assert inplay.origin == "trained_vae" and inplay.model.config.is_vae
    assert set(inplay.history["parts"]) == {"r_loss", "kl_loss"}
    assert "train_kl_loss" in inplay.history["epochs"][-1]
    assert len(at.get("plotly_chart")) == 4  # loss, its two parts, wall forming, repaintings


def test_an_autoencoder_recipe_has_no_factor():
    at = open_page("training")
    assert_ok(at)
    with pytest.raises(KeyError):
        at.select_slider(key="t_rf")
    assert "A new autoencoder" in "\n".join(c.value for c in at.caption)


def test_a_vae_checkpoint_uploads():
    at = open_page("training")
    model = kinds.build(AEConfig.book("vae"))
    history = {"steps": [60.0, 50.0], "parts": {"r_loss": [59.0, 48.0], "kl_loss": [1.0, 2.0]},
               "epochs": [dict(epoch=1, train_loss=50.0, train_r_loss=48.0, train_kl_loss=2.0)]}
    good = checkpoint.to_bytes(model, history=history, meta={"n": 1})
    at.file_uploader(key="t_upload").set_value(("vae.pt", good, "x")).run()
    assert_ok(at)
    inplay = at.session_state["in_play"]
    assert inplay.origin == "upload" and inplay.model.config.is_vae
    assert any("Loaded vae.pt" in s.value for s in at.success)
    at.run()  # the idle view shows how the model in play was trained: its loss and two parts
    assert_ok(at)
    assert len(at.get("plotly_chart")) == 2


# -- the other pages with a VAE in play ----------------------------------------------------------
def test_reconstructions_page_with_a_vae():
    at = open_page("reconstructions", state=vae_in_play())
    assert_ok(at)
    assert "repaints here from its centre, mu" in texts(at)


def test_wall_page_with_a_vae_shows_the_patch_of_the_picked_image():
    at = open_page("wall", state=vae_in_play())
    assert_ok(at)
    page = texts(at)
    assert "fuzzy patch, not a point" in page  # the picked test image's patch, close up
    assert "variational autoencoder" in page
    samples = open_page("wall", {"w_part": "samples"}, state=vae_in_play())
    assert_ok(samples)
    assert "N(0, I)" in texts(samples)  # the red points: what a VAE is meant to be sampled from


def test_wall_page_of_a_vae_with_more_dimensions_says_why_no_patch():
    at = open_page("wall", state=vae_in_play(z_dim=3))
    assert_ok(at)
    assert "drawn only on a two-number wall" in texts(at)


def test_generation_page_samples_a_vae_from_the_normal():
    at = open_page("generation", {"g_part": "normal"}, state=vae_in_play())
    assert_ok(at)
    page = texts(at)
    assert "Sampling a VAE as the book does" in page and "quantiles" in page
    assert len(at.get("plotly_chart")) == 2  # the samples and the grid (one part at a time)
    at = open_page("generation", {"g_part": "normal"}, state=vae_in_play(z_dim=3))
    assert_ok(at)  # no 2-D grid, samples still
    assert "Sampling a VAE" in texts(at) and "quantiles" not in texts(at)
    assert len(at.get("plotly_chart")) == 1


def test_a_shipped_vae_is_listed_by_its_name_only_when_its_file_exists(monkeypatch, tmp_path):
    monkeypatch.setitem(resources.SHIPPED, "vae_book", tmp_path / "vae_book.pt")  # not there
    at = open_page("home")
    assert "VAE, book recipe" not in at.sidebar.radio(key="model_choice:en").options  # no file
    path = tmp_path / "vae_book.pt"
    path.write_bytes(checkpoint.to_bytes(kinds.build(AEConfig.book("vae")), meta={"n": 1}))
    monkeypatch.setitem(resources.SHIPPED, "vae_book", path)
    at = open_page("home")
    radio = at.sidebar.radio(key="model_choice:en")
    assert "VAE, book recipe" in radio.options
    radio.set_value("VAE, book recipe").run()
    assert_ok(at)
    inplay = at.session_state["in_play"]
    assert inplay.origin == "vae_book" and inplay.model.config.is_vae and inplay.shared
