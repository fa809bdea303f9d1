"""Cached results of the model in play (ae.ui.results, on Streamlit's st.cache_resource): a
class that opens a page at once computes each shipped model's result once, not once per
student; a result that needs another one does not deadlock; a failed compute is retried."""

from __future__ import annotations

import threading
import time

import pytest
import streamlit as st
import torch

from ae.data import Dataset
from ae.ui import results
from ae.ui.state import InPlay

DS = Dataset("mnist", "synthetic", *(torch.zeros(1) for _ in range(4)), [])


def shipped(name: str = "book") -> InPlay:
    return InPlay(key=name, origin=name, model=None, dataset="mnist")  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def empty():
    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


def run_all(threads: list[threading.Thread]) -> None:
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)


def test_forty_sessions_at_once_compute_once():
    calls, out = [], []

    def compute():
        calls.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every other session to arrive meanwhile
        return object()

    run_all([threading.Thread(daemon=True, target=lambda: out.append(
        results.cached(shipped(), DS, "codes", compute))) for _ in range(40)])
    assert len(calls) == 1 and len(out) == 40 and all(r is out[0] for r in out)


def test_a_result_that_needs_another_one_does_not_deadlock():
    def wall():
        return ("wall of", results.cached(shipped(), DS, "codes", lambda: "codes"))

    out = []
    threads = [threading.Thread(daemon=True, target=lambda: out.append(
        results.cached(shipped(), DS, "wall", wall))) for _ in range(8)]
    threads += [threading.Thread(daemon=True, target=lambda: out.append(
        results.cached(shipped(), DS, "codes", lambda: "codes"))) for _ in range(8)]
    run_all(threads)
    assert not any(th.is_alive() for th in threads) and len(out) == 16


def test_a_failed_compute_is_tried_again():
    def boom():
        raise RuntimeError("degenerate wall")

    with pytest.raises(RuntimeError):
        results.cached(shipped("full"), DS, "defects", boom)
    assert results.cached(shipped("full"), DS, "defects", lambda: 42) == 42


def test_each_model_and_data_set_has_its_own_result():
    fashion = Dataset("fashion-mnist", "synthetic", *(torch.zeros(1) for _ in range(4)), [])
    got = {(m, d.name): results.cached(shipped(m), d, "codes", lambda m=m, d=d: (m, d.name))
           for m in ("book", "full") for d in (DS, fashion)}
    assert all(key == value for key, value in got.items())


def test_each_data_set_is_scored_by_its_own_classifier(monkeypatch, tmp_path):
    """resources.classifier(dataset): the shipped file of that data set, read once per server
    (the synthetic digits are digits: MNIST's); none for a data set without one, or when its
    file is missing."""
    from ae.analysis import classifier
    from ae.ui import resources
    seen = []
    real = classifier.load
    monkeypatch.setattr(classifier, "load", lambda src: seen.append(src.rsplit("/", 1)[-1])
                        or real(src))
    fashion = resources.classifier("fashion-mnist")
    assert fashion.meta["dataset"] == "fashion-mnist"
    digits = resources.classifier("mnist")
    assert digits is not fashion and resources.classifier("synthetic-digits") is digits
    assert resources.classifier("fashion-mnist") is fashion
    assert seen == ["classifier_fashion.pt", "classifier.pt"]  # each read once
    assert resources.classifier("emnist") is None
    monkeypatch.setitem(classifier.SHIPPED, "fashion-mnist", tmp_path / "missing.pt")
    assert resources.classifier("fashion-mnist") is None
