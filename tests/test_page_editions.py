"""AppTest of the two editions in the sidebar: one click sets network, data and recipe (and
puts that edition's shipped model in play), a link with `preset=` does the same, the four
second-edition choices build the config and travel in the URL, and the data radio takes the
model in play along."""

import pytest
from pagekit import (  # noqa: F401 (own_tab_store, small_data: fixtures, found by name)
    APP,
    assert_ok,
    open_page,
    own_tab_store,
    small_data,
    texts,
)
from streamlit.testing.v1 import AppTest

from ae.model import presets
from ae.model.config import AEConfig
from ae.ui import models, resources, training_view

# a small synthetic set under each data set's name (page tests need no real files)
pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")

ED2_QUERY = {"enc": "32-3-2,64-3-2,128-3-2", "z": "2", "bn": "0", "do": "0", "kind": "autoencoder",
             "act": "relu", "pad": "32", "oc": "1", "loss": "bce", "data": "fashion-mnist",
             "preset": "ed2"}


def preset_button(at, name: str):
    return at.sidebar.button(key=f"preset_{name}")


def test_the_second_editions_button_sets_network_data_recipe_and_model():
    assert resources.SHIPPED["fashion_2nd"].exists()
    at = open_page("architecture")
    assert_ok(at)
    assert preset_button(at, "ed1").proto.type == "primary"  # the article's setup: the 1st
    preset_button(at, "ed2").click().run()
    assert_ok(at)
    assert at.session_state["config"] == presets.ED2.config
    assert at.session_state[models.DATA] == "fashion-mnist"
    assert at.session_state["in_play"].origin == "fashion_2nd"
    assert at.session_state["in_play"].dataset == "fashion-mnist"
    assert preset_button(at, "ed2").proto.type == "primary"
    offered = [o for radio in at.sidebar.radio for o in radio.options]
    assert "2nd edition: Fashion-MNIST, 3 epochs" in offered
    assert not any(o.startswith("Book recipe") for o in offered)  # MNIST's, though it was shown
    kept = at.session_state[training_view.KEPT]
    assert (kept["t_lr"], kept["t_bs"], kept["t_ep"], kept["t_sub"]) == (0.001, 100, 3, "all")
    for key, value in ED2_QUERY.items():
        assert at.query_params[key] == value, key
    page = texts(at)
    assert "96,770" in page and "246,273" in page  # the notebook's summaries
    # the sidebar's four choices show the edition
    assert at.sidebar.selectbox(key="pad").value == 32 and at.sidebar.checkbox(key="oc").value
    # and back: the article's network, MNIST and its shipped model
    preset_button(at, "ed1").click().run()
    assert_ok(at)
    assert at.session_state["config"] == AEConfig.book()
    assert at.session_state[models.DATA] == "mnist"
    assert at.session_state["in_play"].origin == "book"
    assert at.query_params["preset"] == "ed1"


def test_a_vae_takes_the_editions_vae_and_its_recipe():
    at = open_page("training", {"kind": "vae"})
    preset_button(at, "ed2").click().run()
    assert_ok(at)
    assert at.session_state["config"] == presets.ED2.vae()
    kept = at.session_state[training_view.KEPT]
    assert (kept["t_lr"], kept["t_ep"], kept["t_rf"]) == (0.0005, 5, 500.0)
    assert at.select_slider(key="t_lr").value == 0.0005  # the widget drawn shows it too
    page = texts(at)
    assert "Fashion-MNIST" in page and "500 × BCE (pixel mean) + KL" in page


def test_a_link_with_the_preset_opens_the_edition_and_its_own_values_win():
    at = open_page("training", {"preset": "ed2", "tr_ep": "1"})
    assert_ok(at)
    assert at.session_state["config"] == presets.ED2.config
    assert at.session_state["in_play"].origin == "fashion_2nd"
    assert at.number_input(key="t_ep").value == 1  # the link's own epochs
    assert at.select_slider(key="t_bs").value == 100  # the edition's batch
    assert "images of Fashion-MNIST" in texts(at)


def test_the_four_choices_build_the_config_and_the_url():
    at = open_page("architecture")
    at.sidebar.radio(key="arch_act:en").set_value("relu").run()
    at.sidebar.selectbox(key="pad").set_value(32).run()
    at.sidebar.checkbox(key="oc").check().run()
    at.sidebar.radio(key="arch_loss:en").set_value("bce").run()
    assert_ok(at)
    cfg = at.session_state["config"]
    assert (cfg.activation, cfg.pad_to, cfg.output_conv, cfg.loss) == ("relu", 32, True, "bce")
    assert cfg.decoder_conv_t_filters == [64, 64, 64, 32]  # the mirror with an output conv
    for key, value in {"act": "relu", "pad": "32", "oc": "1", "loss": "bce"}.items():
        assert at.query_params[key] == value, key
    assert at.session_state[models.DATA] == "mnist"  # data is its own choice
    assert "preset" not in at.query_params  # a custom network is no edition


def test_the_data_radio_takes_the_shipped_model_along():
    at = open_page("wall", state={"model_choice": "vae_book", "pending_model": "vae_book"})
    assert at.session_state["in_play"].origin == "vae_book"
    at.sidebar.radio(key=f"{models.DATA}:en").set_value("fashion-mnist").run()
    assert_ok(at)
    assert at.session_state["in_play"].origin == "vae_fashion_2nd"  # the same kind
    at.sidebar.radio(key=f"{models.DATA}:en").set_value("mnist").run()
    assert at.session_state["in_play"].origin == "vae_book"


def test_bad_links_keep_the_articles_values_and_say_why():
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in {"data": "cifar", "pad": "31", "act": "tanh", "preset": "ed9"}.items():
        at.query_params[key] = value
    at.run()  # the first page shows the link's notices
    assert not at.exception
    shown = "\n".join(w.value for w in at.warning)
    for word in ("data='cifar'", "act='tanh'", "preset='ed9'", "pad"):
        assert word in shown, word
    assert at.session_state["config"] == AEConfig.book()
    assert at.session_state[models.DATA] == "mnist"


def test_every_shipped_models_data_set_is_what_the_sidebar_says():
    from ae.model import checkpoint

    for name, path in resources.SHIPPED.items():
        if path.exists():
            assert checkpoint.load(path).dataset == resources.SHIPPED_DATA[name], name


def test_without_fashion_mnist_the_page_says_how_to_get_it_and_mnist_comes_back(monkeypatch,
                                                                                  small_data):  # noqa: F811
    from ae import data

    def load(name, progress=None):
        if name == "fashion-mnist":
            raise data.DataError("could not load fashion-mnist:\n  debian: not installed")
        return small_data

    monkeypatch.setattr(data, "load", load)
    at = open_page("wall")
    preset_button(at, "ed2").click().run()
    assert not at.exception
    shown = "\n".join(e.value for e in at.error)
    assert "dataset-fashion-mnist" in shown and "debian: not installed" in shown
    preset_button(at, "ed1").click().run()  # nothing lost: the 1st edition's wall is back
    assert_ok(at)
    assert at.session_state["in_play"].origin == "book"
    assert len(at.get("plotly_chart")) >= 1


PAGES = ("home", "lesson", "architecture", "training", "reconstructions", "wall", "own_digit",
         "class_wall", "generation", "cure")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_with_the_second_edition(lang):
    """The button, then each page from the navigation, as a teacher with the 2023 book: the
    edition's model on its data, no exception, no error box, in either language."""
    at = open_page("home", {"lang": lang})
    preset_button(at, "ed2").click().run()
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        assert_ok(at)
        assert at.session_state["in_play"].origin == "fashion_2nd", page
        assert "fashion-mnist" in texts(at), page  # the line under the title: its data set
