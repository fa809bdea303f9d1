"""AppTest of the pages with a second-edition model of Fashion-MNIST in play: the wall, the
reconstructions, generation, the cure and the lesson run in English and Chinese without an
error; Fashion-MNIST's class names (not the digits) name the labels in legends, tables and
texts; the figures have the second edition's counts (18 samples, a 15 x 15 grid); the
recognisability is scored by the Fashion-MNIST classifier, never the digit one.

The models are untrained ED2 networks (the preset's layers, random weights) and the data set
is pagekit's small synthetic set served under the name "fashion-mnist": the pages' logic keys
on the name, so that is what these tests need (no Fashion-MNIST files)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import torch
from pagekit import (  # noqa: F401 (own_tab_store, small_data: fixtures, found by name)
    assert_ok,
    figure,
    figures,
    md_tables,
    open_page,
    own_tab_store,
    set_language,
    small_data,
    texts,
    untrained_in_play,
)

from ae.analysis import classifier as digit_classifier
from ae.data.classes import FASHION
from ae.model import kinds
from ae.model.presets import ED2
from ae.ui import resources
from ae.ui.state import InPlay

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")
ZH = ("T恤/上衣", "裤子", "套头衫", "连衣裙", "外套", "凉鞋", "衬衫", "运动鞋", "包", "短靴")
DS = "fashion-mnist"


@pytest.fixture
def loaded(monkeypatch) -> list[str]:
    """The classifier files the pages load (names only); no shipped checkpoints (the page
    sees only the session's models); one torch thread."""
    seen: list[str] = []
    real = digit_classifier.load

    def load(src=digit_classifier.DEFAULT_PATH):
        seen.append(Path(src).name)
        return real(src)

    monkeypatch.setattr(digit_classifier, "load", load)
    monkeypatch.setattr(resources, "shipped_available", lambda dataset=None: [])
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield seen
    torch.set_num_threads(before)


def fashion_state() -> dict:
    """An untrained second-edition autoencoder of Fashion-MNIST in play."""
    torch.manual_seed(0)
    return untrained_in_play(2, ED2.config, dataset=DS)


def shown_ok(at) -> None:
    """No exception or error, and no text left with an unfilled {placeholder} (a count or a
    name the page forgot to pass)."""
    assert_ok(at)
    words = [texts(at), *(m.label for m in at.metric),
             *(o for c in at.get("segmented_control") for o in c.options),
             *(str(f["layout"].get("title", {}).get("text", "")) for f in figures(at))]
    holes = [w for w in words if re.search(r"\{[a-z_]+\}", w)]
    assert not holes, holes


def no_digits(at) -> None:
    """An English Fashion-MNIST page speaks of clothes: no text says "digit" (but the test
    data's own source, "synthetic digits drawn by the app")."""
    said = texts(at).replace("synthetic digits drawn by the app", "")
    hits = [s for s in re.split(r"(?<=[.!?:])\s|\n", said) if re.search(r"\bdigits?\b", s)]
    assert not hits, hits


def cells(fig: dict) -> int:
    """How many pictures an image-grid figure shows (one pickable marker per picture)."""
    return max(len(tr.get("customdata") or []) for tr in fig["data"])


def legend(fig: dict) -> list[str]:
    return [tr["name"] for tr in fig["data"] if str(tr.get("legendgroup", "")).startswith("digit")]


def test_the_wall_names_the_clothes_and_paints_the_second_editions_counts(loaded):
    at = open_page("wall", {"w_color": "digit", "w_part": "samples"}, state=fashion_state())
    shown_ok(at)
    no_digits(at)
    assert legend(figure(at, "The wall: the test set encoded")) == list(FASHION)
    shown = texts(at)
    assert "18 random points" in shown and "30 random points" not in shown
    assert cells(figure(at, "The red points, painted")) == 18
    # scored by the Fashion-MNIST classifier: its file, and the clothes named per class
    assert loaded == ["classifier_fashion.pt"]
    assert "How many of them are recognisable items of clothing?" in shown
    assert "of these 18 recognisable" in [m.label for m in at.metric]
    assert "T-shirt/top: " in shown and "Ankle boot: " in shown
    at.segmented_control(key="w_part:en").set_value("grid").run()
    shown_ok(at)
    assert cells(figure(at, "What D.Coder paints everywhere")) == 15 * 15
    assert "15 × 15" in texts(at)
    at = set_language(at, "zh")
    shown_ok(at)
    names = [n for fig in figures(at) for n in legend(fig)]
    assert names == list(ZH), names
    assert "15 × 15" in texts(at)


def test_the_wall_areas_defect_names_the_clothes(loaded):
    at = open_page("wall", {"w_part": "defects"}, state=fashion_state())
    shown_ok(at)
    no_digits(at)
    table = md_tables(at)[0]
    assert list(table.iloc[:, 0]) == list(FASHION)
    assert "item" in table.columns
    assert "largest: " in " ".join(m.label for m in at.metric)


def test_reconstructions_name_the_clothes_in_the_table_and_the_bars(loaded):
    at = open_page("reconstructions", state=fashion_state())
    shown_ok(at)
    no_digits(at)
    at.session_state["r_numbers"] = True  # the numbers' expander opened, as a click does
    at.run()
    table = md_tables(at)[0]
    assert set(table["item"]) <= set(FASHION)
    bars = figure(at, "Mean error per kind of clothing")
    assert bars["data"][0]["x"] == list(FASHION)
    assert any(f"· {name}<br>" in json.dumps(fig, ensure_ascii=False)
               for fig in figures(at) for name in FASHION)
    at = set_language(at, "zh")
    shown_ok(at)
    at.session_state["r_numbers"] = True  # a new label: opened again
    at.run()
    assert set(md_tables(at)[0]["类别"]) <= set(ZH)
    assert any(fig["data"][0].get("x") == list(ZH) for fig in figures(at))


def test_generation_names_the_nearest_item_of_a_point(loaded):
    at = open_page("generation", {"g_part": "point"}, state=fashion_state())
    shown_ok(at)
    no_digits(at)
    nearest = next(c.value for c in at.caption if c.value.startswith("Nearest mark"))
    assert any(f"(a {name})" in nearest for name in FASHION), nearest
    assert any(legend(fig) == list(FASHION) for fig in figures(at))


def test_generation_names_the_clothes_on_the_walk(loaded):
    at = open_page("generation", {"g_part": "walk"}, state=fashion_state())
    shown_ok(at)
    no_digits(at)
    pick = at.selectbox(key="g_dfrom")
    assert set(pick.options) <= set(FASHION) and pick.options
    assert "Walk from one item of clothing to another" in texts(at)
    assert any(legend(fig) == list(FASHION) for fig in figures(at))
    at = set_language(at, "zh")
    shown_ok(at)
    assert set(at.selectbox(key="g_dfrom").options) <= set(ZH)


def test_generation_samples_a_vae_with_the_second_editions_counts(loaded):
    torch.manual_seed(0)
    vae = kinds.build(ED2.vae()).eval()
    inplay = InPlay(key="trained:fvae", origin="trained_vae", model=vae, dataset=DS)
    state = {"in_play": inplay, "models": {"trained_vae": inplay},
             "model_choice": "trained_vae"}
    at = open_page("generation", {"g_part": "normal"}, state=state)
    shown_ok(at)
    assert cells(figure(at, "18 codes from N(0, I)")) == 18
    assert cells(figure(at, "The grid over N(0, I)")) == 15 * 15
    assert "a 15 × 15 grid" in texts(at)


def cure_state() -> dict:
    torch.manual_seed(0)
    ae = InPlay(key="trained:fae", origin="trained", model=kinds.build(ED2.config).eval(),
                dataset=DS)
    vae = InPlay(key="upload:fvae", origin="upload", model=kinds.build(ED2.vae()).eval(),
                 dataset=DS, label="vae.pt")
    return {"in_play": ae, "models": {"trained": ae, "upload": vae}, "model_choice": "trained"}


def test_the_cure_compares_with_the_fashion_classifier_and_counts(loaded):
    at = open_page("cure", state=cure_state())
    shown_ok(at)
    no_digits(at)
    assert "classifier_fashion.pt" in loaded and "classifier.pt" not in loaded
    table = md_tables(at)[0]
    assert "own samples: evenness over the ten kinds of clothing" in set(table.iloc[:, 0])
    assert "The 2nd edition's VAE (ReLU" in texts(at)  # what the slider's Start trains
    walls = next(f for f in figures(at) if len(f["data"]) >= 20)
    assert set(FASHION) <= {tr["name"] for tr in walls["data"]}
    samples = [f for f in figures(at) if "points from" in str(f["layout"].get("title"))]
    assert [cells(f) for f in samples] == [18, 18]
    at.segmented_control(key="cure_part:en").set_value("grid").run()
    shown_ok(at)
    assert [cells(f) for f in figures(at)[1:]] == [225, 225]
    assert "two 15 × 15 grids" in texts(at)
    at.segmented_control(key="cure_part:en").set_value("cont").run()
    shown_ok(at)
    assert "from the first test Trouser to the first test Ankle boot" in texts(at)
    at = set_language(at, "zh")
    shown_ok(at)
    assert "裤子" in texts(at) and "短靴" in texts(at)


def test_the_lesson_asks_about_clothes_and_scores_with_the_fashion_classifier(loaded):
    state = fashion_state()
    at = open_page("lesson", {"lesson": "ae", "step": "4"}, state=state)
    shown_ok(at)
    q = at.pills[0]
    assert q.label == "Which kind of clothing will D.Coder copy worst, on average?"
    assert set(q.options) == set(FASHION)
    at = open_page("lesson", {"lesson": "ae", "step": "10"}, state=state)
    shown_ok(at)
    assert "18 random points" in texts(at)
    assert at.pills[0].label == ("How many of the 18 random points will paint a recognisable "
                                 "item of clothing?")
    assert loaded == ["classifier_fashion.pt"]
    at.pills[0].set_value(at.pills[0].options[-1])
    at.run()
    shown_ok(at)
    assert cells(figure(at, "The red points, painted")) == 18
    assert "of 18**: the classifier reads them as one kind of clothing" in "\n".join(
        str(a.value) for a in [*at.success, *at.warning])
    at = set_language(at, "zh")
    shown_ok(at)
    assert "18 个随机点中，有几个能画出可辨认的服饰？" in texts(at)  # said, no longer asked


def test_a_first_edition_model_keeps_the_digits_and_the_digit_classifier(loaded):
    at = open_page("wall", {"w_color": "digit", "w_part": "samples"},
                   state=untrained_in_play(2))
    shown_ok(at)
    assert legend(figure(at, "The wall: the test set encoded")) == [str(d) for d in range(10)]
    assert cells(figure(at, "The red points, painted")) == 30
    assert loaded == ["classifier.pt"]
    assert "30 random points" in texts(at)



def test_the_cures_slider_trains_the_second_editions_vae(loaded):
    at = open_page("cure", state=cure_state())
    at.button(key="cure_start").click().run()
    run = at.session_state["t_run"]
    try:
        assert run.model.config == ED2.vae()  # ReLU, padded to 32, BCE: not the 1st's VAE
        assert run.dataset == DS
    finally:
        run.stop()
