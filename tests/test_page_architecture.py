"""AppTest of the architecture page: the article's parameter counts, summaries that follow the
sidebar, impossible layer lists shown as a message (never a traceback), the stride-2 feature
maps of a test digit, the shared test-image index in the URL, and the language switch."""

from dataclasses import replace

import pytest
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

from ae.model import choices
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig
from ae.model.summary import summary

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")  # 200 synthetic digits


SMALL_FIRST = ([16, 64, 64, 64], [3, 3, 3, 3], [1, 2, 2, 1])  # the book's, 16 filters first


def totals(cfg: AEConfig) -> tuple[int, int]:
    """What the page must show for this sidebar config, from the library itself."""
    enc, dec = summary(Autoencoder.from_config(cfg))
    return enc.total, dec.total


def encoder_table(at):
    """The encoder's Keras table (the page's first table; display-only tables carry no key
    that AppTest can look up), its counts as numbers again."""
    enc = md_tables(at.main)[0]
    enc["Param #"] = enc["Param #"].str.replace(",", "").astype(int)
    return enc


def shown(at) -> str:
    return texts(at) + "\n".join(e.value for e in at.success)


def test_the_articles_numbers_appear():
    at = open_page("architecture")
    assert_ok(at)
    page = shown(at)
    for n in ("98,946", "102,017", "200,963", "18,496"):
        assert n in page, n
    enc = encoder_table(at)
    assert list(enc.columns) == ["Layer (type)", "Output Shape", "Param #"]
    assert "encoder_conv_1 (Conv2D)" in enc["Layer (type)"].tolist()
    assert enc["Param #"].sum() == 98_946
    assert "(None, 14, 14, 64)" in enc["Output Shape"].tolist()
    assert len(at.get("plotly_chart")) == 3  # blocks, sliding kernel, feature maps
    assert "3 × 3 × 32 × 64 + 64 = 18,432 + 64 = 18,496" in texts(at)  # one layer, by hand
    at.selectbox(key="arch_layer").set_value("decoder_dense").run()
    assert_ok(at)
    assert "2 × 3,136 + 3,136 = 6,272 + 3,136 = 9,408" in texts(at)


def test_sidebar_changes_the_summary():
    at = open_page("architecture")
    at.sidebar.slider(key="z_dim").set_value(3).run()
    assert_ok(at)
    enc, dec = totals(replace(AEConfig.book(), z_dim=3))
    assert (enc, dec) != (98_946, 102_017)
    page = shown(at)
    assert f"{enc:,}" in page and f"{dec:,}" in page and "98,946" not in page
    at.sidebar.selectbox(key="enc_f0").set_value(16).run()
    assert_ok(at)
    enc2, _ = totals(choices.from_layers(SMALL_FIRST, z_dim=3))
    assert f"{enc2:,}" in shown(at)
    assert encoder_table(at)["Param #"].sum() == enc2
    at.sidebar.checkbox(key="bn").check().run()  # batch norm brings non-trainable params
    assert_ok(at)
    cfg = choices.from_layers(SMALL_FIRST, z_dim=3, batch_norm=True)
    enc3, _ = summary(Autoencoder.from_config(cfg))
    assert enc3.non_trainable > 0
    assert f"Non-trainable params: {enc3.non_trainable:,}" in shown(at)


def test_reset_brings_back_the_article_and_the_url_sets_the_start(monkeypatch):
    from streamlit.elements.lib import policies

    warned = []  # Streamlit logs (once per process) a widget given a value both ways
    monkeypatch.setattr(policies, "_shown_default_value_warning", False)
    monkeypatch.setattr(policies._LOGGER, "warning", lambda msg, *a, **k: warned.append(a))
    at = open_page("architecture", {"enc": "16-3-1,32-3-2", "z": "3"})
    assert_ok(at)
    assert at.sidebar.slider(key="enc_n").value == 2 and at.sidebar.slider(key="z_dim").value == 3
    assert at.sidebar.selectbox(key="enc_f0").value == 16
    at.sidebar.selectbox(key="enc_f0").set_value(8).run()
    at.sidebar.checkbox(key="bn").check().run()
    at.sidebar.button(key="side_reset").click().run()  # Reset to the article's network
    assert_ok(at)
    assert not warned, warned
    assert at.sidebar.slider(key="enc_n").value == 4 and at.sidebar.slider(key="z_dim").value == 2
    assert at.sidebar.selectbox(key="enc_f0").value == 32
    assert not at.sidebar.checkbox(key="bn").value
    assert totals(AEConfig.book()) == (98_946, 102_017) and "98,946" in shown(at)


def main_error(at) -> str:
    assert not at.exception, [e.value for e in at.exception]
    return "\n".join(e.value for e in at.main.error)


def test_decoder_that_misses_28x28_shows_the_message():
    at = open_page("architecture")
    at.sidebar.toggle(key="mirror").set_value(False).run()
    assert_ok(at)  # the book's decoder, typed in by hand, is still valid
    at.sidebar.selectbox(key="dec_s1").set_value(1).run()
    msg = at.session_state["config_error"]
    assert msg and "14x14" in msg
    assert msg in main_error(at)
    assert "98,946" not in shown(at)


def test_encoder_stride_that_breaks_the_mirror_shows_the_message():
    at = open_page("architecture")
    at.sidebar.selectbox(key="enc_s0").set_value(4).run()
    msg = at.session_state["config_error"]
    assert msg and msg in main_error(at)
    assert len(at.get("plotly_chart")) == 2  # the stride lesson stays; the blocks need a network


def test_test_image_in_the_url_and_garbage_falls_back():
    at = open_page("architecture", query={"ai": "7"})
    assert_ok(at)
    assert at.number_input(key="arch_img").value == 7
    assert "Test image 7" in texts(at)
    at.number_input(key="arch_img").set_value(3).run()
    assert at.query_params["ai"] == "3"
    for garbage in ("-1x", "²", "99999"):  # "²".isdigit() is True, int("²") raises
        bad = open_page("architecture", query={"ai": garbage})
        assert_ok(bad)
        assert bad.number_input(key="arch_img").value == 0


def test_the_language_comes_from_the_url_and_stays_in_it():
    at = open_page("architecture", {"lang": "zh"})
    assert_ok(at)
    assert at.sidebar.radio(key="lang").value == "zh" and at.query_params["lang"] == "zh"
    assert at.title[0].value == "兄弟俩是由什么构成的"
    at.switch_page("pages/wall.py").run()  # the radio keeps the choice on every page
    assert_ok(at)
    assert at.sidebar.radio(key="lang").value == "zh" and "潜在" in at.title[0].value
    bad = AppTest.from_file(APP, default_timeout=180)
    bad.query_params["lang"] = "klingon"
    bad.run()  # the first page drawn says what was ignored
    assert bad.sidebar.radio(key="lang").value == "en" and bad.query_params["lang"] == "en"
    assert any("lang='klingon' ignored" in w.value for w in bad.warning)


def test_language_switch():
    at = open_page("architecture")
    assert at.title[0].value == "What the two brothers are made of"
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert_ok(at)
    assert at.title[0].value == "兄弟俩是由什么构成的"
    assert "98,946" in shown(at) and "参数总数" in texts(at)


def test_a_shared_link_with_its_own_network_puts_that_untrained_network_in_play():
    # the sidebar reads the architecture before the model chooser builds the untrained model
    at = open_page("home", {"enc": "8-3-2,8-3-2", "model": "untrained"})
    assert_ok(at)
    inplay = at.session_state["in_play"]
    wanted = choices.from_layers(([8, 8], [3, 3], [2, 2]))
    assert inplay.origin == "untrained" and inplay.model.config == wanted
    assert not any("differs" in e.value for e in at.sidebar.info)
    assert at.query_params["model"] == "untrained" and at.query_params["enc"] == "8-3-2,8-3-2"
    assert at.sidebar.radio(key="model_choice:en").value == "untrained"
    # the choice survives a language switch (the radio's labels are translated)
    set_language(at, "zh")
    assert_ok(at)
    assert at.sidebar.radio(key="model_choice:zh").value == "untrained"
    assert at.session_state["in_play"].origin == "untrained"
