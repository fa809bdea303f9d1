"""The second edition in a real browser: one click on "2nd edition (Fashion-MNIST)" in the
sidebar, then every page from the sidebar with that edition's shipped model in play, as a
teacher with the 2023 book would walk it. Screenshots `ed2-<page>.png` are the README's.

Fashion-MNIST must be on the machine (Debian's `dataset-fashion-mnist`, which .ci/run
installs, or the data folder's cache): the app downloads nothing in a test. Without it the test
skips, or fails under AE_REQUIRE_E2E=1.
"""

from __future__ import annotations

import pytest
import stapp
from test_browser import NAV_KEY, PAGE_S, PAGES, assert_clean, assert_framed, en, plain

pytestmark = pytest.mark.e2e

SHOTS = ("architecture", "reconstructions", "wall", "generation", "cure")  # for the README


@pytest.fixture(scope="module")
def ed2(server, fashion_mnist, new_tab):
    """A tab of its own (its own session) that pressed the second edition's button."""
    page = new_tab("ed2")
    stapp.visit(page, server, "/", timeout_s=PAGE_S)
    stapp.button(page, "preset_ed2").click()
    stapp.wait_idle(page, PAGE_S)
    return page


def test_the_button_puts_the_second_edition_in_play(ed2):
    models = stapp.sidebar_radio(ed2, en("side.model")).inner_text()
    assert en("side.model.fashion_2nd") in models, models
    assert "preset=ed2" in ed2.url and "data=fashion-mnist" in ed2.url, ed2.url
    assert "fashion-mnist" in stapp.main_text(ed2)  # the line under the title: its data set
    assert_clean(ed2, "home with the 2nd edition")


@pytest.mark.parametrize("name,path", PAGES, ids=[p for p, _ in PAGES])
def test_every_page_with_the_second_edition(ed2, shots, name, path):
    stapp.go(ed2, en(NAV_KEY[name]), path, timeout_s=PAGE_S)
    assert stapp.title(ed2) == plain(en(f"{name}.title"))
    assert_framed(ed2, f"ed2 {name}")
    assert_clean(ed2, f"ed2 {name}")
    text = stapp.main_text(ed2)
    assert "fashion-mnist" in text, f"{name}: not looking at Fashion-MNIST"
    if name == "architecture":  # the notebook's Keras summaries
        assert "96,770" in text and "246,273" in text, "the 2nd edition's parameter counts"
        assert "ZeroPadding2D" in text and "Cropping2D" in text
    if name in ("reconstructions", "wall"):
        assert any(c in text for c in ("Ankle boot", "Trouser", "Sneaker")), \
            f"{name}: no Fashion-MNIST class name"
    if name in ("reconstructions", "wall", "generation", "cure", "lesson"):
        charts = ed2.locator("[data-testid='stPlotlyChart'], [data-testid='stImage']")
        assert charts.count() >= 1, f"{name}: no figure"
    if name in SHOTS:
        stapp.screenshot(ed2, shots / f"ed2-{name}.png")
