"""AppTest of the cure page: an autoencoder and a VAE side by side with the defect table in
both columns; without a VAE the page says so and offers the slider; the r_loss_factor slider
and Start train a VAE that reports both loss parts, becomes the model in play and is
diagnosed from its numbers; the Chinese page.

Small models on the small synthetic data set (tests/pagekit.py); the shipped checkpoints are
hidden, so the page compares exactly the models the test puts in the session."""

from __future__ import annotations

from dataclasses import replace

import pytest
import torch
from pagekit import (  # noqa: F401 (own_tab_store, small_data: fixtures, found by name)
    assert_ok,
    md_tables,
    open_page,
    own_tab_store,
    set_language,
    small_data,
    texts,
)

from ae.model import kinds
from ae.model.config import AEConfig
from ae.train.recipe import Recipe
from ae.ui import cure_live, resources
from ae.ui.state import InPlay

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")
TIMEOUT = 120


@pytest.fixture(autouse=True)
def no_shipped(monkeypatch):
    """No shipped checkpoints: the page sees only the session's models; one torch thread."""
    monkeypatch.setattr(resources, "shipped_available", lambda dataset=None: [])
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def small(kind: str, seed: int) -> torch.nn.Module:
    torch.manual_seed(seed)
    cfg = AEConfig((28, 28, 1), [8, 8], [3, 3], [2, 2], [8, 1], [3, 3], [2, 2], 2, kind=kind)
    return kinds.build(cfg.validate()).eval()


def session(vae: bool = True) -> dict:
    """An autoencoder trained here, and (vae=True) a VAE uploaded, the autoencoder in play."""
    ae = InPlay(key="trained:ae", origin="trained", model=small("autoencoder", 0),
                dataset="mnist")
    own = {"trained": ae}
    if vae:
        own["upload"] = InPlay(key="upload:vae", origin="upload", model=small("vae", 1),
                               dataset="mnist", label="vae.pt",
                               history={"steps": [9.0, 8.0], "epochs": [],
                                        "parts": {"r_loss": [8.0, 7.0], "kl_loss": [1.0, 1.0]}})
    return {"in_play": ae, "models": own, "model_choice": "trained"}


def charts(at) -> list[str]:
    return [c.proto.spec for c in at.get("plotly_chart")]


def test_both_models_side_by_side_with_both_columns_in_the_table():
    at = open_page("cure", state=session())
    assert_ok(at)
    assert at.title[0].value == "The cure: a variational autoencoder"
    assert at.radio(key="cure_ae:en").value == "trained"
    assert at.radio(key="cure_vae:en").value == "upload"
    table = md_tables(at)[0]
    assert list(table.columns) == ["measure", "autoencoder", "VAE", "better is", "verdict"]
    assert len(table) == 11 and table["autoencoder"].ne("–").any() and table["VAE"].ne("–").any()
    assert all(v[:1] in "✅❌＝" for v in table["verdict"])  # every row has a verdict
    specs = charts(at)
    assert any("variational autoencoder (mu)" in s for s in specs)  # the two walls
    assert len(specs) == 1 + 2  # the walls, then one comparison at a time: the two samples
    pick = at.segmented_control(key="cure_part:en")
    assert pick.value == "samples" and len(pick.options) == 4
    shown = {}
    for part in ("grid", "cont", "parts"):
        at.segmented_control(key="cure_part:en").set_value(part).run()
        assert_ok(at)
        shown[part] = charts(at)[1:]
    assert len(shown["grid"]) == len(shown["cont"]) == 2  # each side by side
    assert len(shown["parts"]) == 1 and "KL divergence from N(0, I)" in shown["parts"][0]
    assert "No variational autoencoder yet" not in texts(at)
    assert at.button(key="cure_start") and not at.button(key="cure_start").disabled


def test_without_a_vae_the_page_says_so_and_offers_the_slider():
    at = open_page("cure", state=session(vae=False))
    assert_ok(at)
    assert "No variational autoencoder yet" in texts(at)
    assert not md_tables(at)  # nothing to compare with
    assert any("no VAE yet" in s for s in charts(at))  # the autoencoder's wall, a note beside
    assert at.select_slider(key="cure_factor").value == 1000
    assert not at.button(key="cure_start").disabled


def test_the_slider_and_start_train_a_vae_that_reports_both_loss_parts(monkeypatch):
    monkeypatch.setattr(cure_live, "LIVE", replace(Recipe(), epochs=2, subset=32,
                                                   batch_size=16))
    at = open_page("cure", state=session(vae=False))
    at.select_slider(key="cure_factor").set_value(10).run()
    at.button(key="cure_start").click().run()
    assert_ok(at)
    run = at.session_state["t_run"]
    assert run.recipe.r_loss_factor == 10 and run.trainer.model.config.is_vae
    assert run.join(TIMEOUT) and run.state == "done"
    parts = run.trainer.history.parts
    assert set(parts) == {"r_loss", "kl_loss"} and len(parts["kl_loss"]) == 4  # 2 x 2 steps
    at.run()
    at.run()  # the run that ended is adopted, then the page follows it
    assert_ok(at)
    inplay = at.session_state["in_play"]
    assert inplay.origin == "trained_vae" and inplay.model.config.is_vae
    assert set(inplay.history["parts"]) == {"r_loss", "kl_loss"}
    assert at.radio(key="cure_vae:en").value == "trained_vae"  # the comparison shows it
    assert at.radio(key="cure_ae:en").value == "trained"  # the autoencoder trained before stays
    assert at.session_state["models"]["trained"].model.config.kind == "autoencoder"
    assert any(m.value.startswith("Last step: reconstruction") for m in at.markdown)
    diagnosis = [e.value for e in (*at.success, *at.warning) if "The numbers:" in e.value]
    assert diagnosis and any(w in diagnosis[0] for w in
                             ("Posterior collapse", "Balanced", "Like the autoencoder"))


def test_the_page_in_chinese():
    at = set_language(open_page("cure", state=session()), "zh")
    assert_ok(at)
    assert at.title[0].value == "解药：变分自编码器"
    assert "自编码器" in md_tables(at)[0].columns
