"""The background warm-up of the shipped models (ae.ui.warmup): after it, a class's first
visit of the wall page computes nothing heavy, only the figures."""

from __future__ import annotations

import pytest
from pagekit import (
    assert_ok,
    navigation_v2,  # noqa: F401 (fixtures, found by pytest by name)
    open_page,
    small_data,  # noqa: F401
)

from ae.ui import models, resources, warmup

pytestmark = pytest.mark.usefixtures("small_data", "navigation_v2")


@pytest.fixture
def book():
    if "book" not in resources.shipped_available():
        pytest.skip("assets/book.pt is not there")
    return models.shipped("book")


def test_after_the_warm_up_the_wall_page_only_draws(book, monkeypatch):
    monkeypatch.setattr(warmup, "_started", False)
    monkeypatch.setenv("AE_WARMUP", "1")
    monkeypatch.setattr(resources, "SHIPPED", {"book": resources.SHIPPED["book"]})
    thread = warmup.start()
    assert thread is not None and warmup.start() is None  # once per server
    thread.join(300)
    warmed = {name for key, name in resources._derived if key == "book"}
    assert {"wall.wall", "wall.gaps", "wall.areas", "wall.symmetry", "recon_errors"} <= warmed
    at = open_page("wall")
    assert_ok(at)
    assert at.session_state["in_play"].key == "book"
    new = {name for key, name in resources._derived if key == "book"} - warmed
    assert new and all(n.startswith("wall.fig.") for n in new), new  # figures only


def test_the_warm_up_can_be_turned_off(monkeypatch):
    monkeypatch.setattr(warmup, "_started", False)
    monkeypatch.setenv("AE_WARMUP", "0")
    assert warmup.start() is None and not warmup._started
