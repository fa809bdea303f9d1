"""The background warm-up of the shipped models (ae.ui.warmup): after it, a class's first
visit of the wall page computes nothing heavy, only the figures; its thread is a daemon that
the interpreter's exit waits for between two results."""

from __future__ import annotations

import pytest
from pagekit import (
    assert_ok,
    open_page,
    own_tab_store,  # noqa: F401 (fixtures, found by pytest by name)
    small_data,  # noqa: F401
)

from ae import analysis
from ae.analysis import defects, reconstructions
from ae.ui import models, resources, warmup

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")
HEAVY = [(reconstructions, "recon_errors"), (defects, "gaps"),
         (defects, "uneven_areas"), (defects, "symmetry_bounds")]


@pytest.fixture
def book():
    if "book" not in resources.shipped_available():
        pytest.skip("assets/book.pt is not there")
    return models.shipped("book")


def test_after_the_warm_up_the_wall_page_only_draws(book, small_data, monkeypatch):  # noqa: F811
    monkeypatch.setattr(warmup, "_started", False)
    monkeypatch.setenv("AE_WARMUP", "1")
    monkeypatch.setattr(resources, "SHIPPED", {"book": resources.SHIPPED["book"]})
    thread = warmup.start(small_data)
    assert thread is not None and thread.daemon and warmup.start(small_data) is None
    thread.join(300)
    assert not thread.is_alive()
    calls, encode = [], analysis.encode
    for module, name in HEAVY:
        monkeypatch.setattr(module, name, lambda *a, name=name, **k: calls.append(name))

    def encode_a_few(model, x, **kw):  # the home page encodes its one image: that is fine
        calls.extend(["encode"] if len(x) > 1 else [])
        return encode(model, x, **kw)

    monkeypatch.setattr(analysis, "encode", encode_a_few)
    at = open_page("wall")
    assert_ok(at)
    assert at.session_state["in_play"].key == "book"
    assert calls == []  # the codes, the wall, the defects: all from the warm-up


def test_the_exit_waits_for_the_thread_to_stop(small_data, monkeypatch):  # noqa: F811
    monkeypatch.setattr(warmup, "_started", False)
    monkeypatch.setenv("AE_WARMUP", "1")
    monkeypatch.setattr(resources, "SHIPPED", {})  # nothing to warm: the thread ends at once
    thread = warmup.start(small_data)
    warmup._stop_and_wait(thread)
    assert not thread.is_alive() and warmup._stop.is_set()


def test_the_warm_up_can_be_turned_off(small_data, monkeypatch):  # noqa: F811
    monkeypatch.setattr(warmup, "_started", False)
    monkeypatch.setenv("AE_WARMUP", "0")
    assert warmup.start(small_data) is None and not warmup._started
