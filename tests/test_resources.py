"""Server-wide derived results (ae.ui.resources.shared_derived): a class that opens a page at
once computes each shipped model's result once, not once per student."""

from __future__ import annotations

import threading
import time

import pytest

from ae.ui import resources


@pytest.fixture(autouse=True)
def empty(monkeypatch):
    monkeypatch.setattr(resources, "_derived", {})
    monkeypatch.setattr(resources, "_key_locks", {})


def test_forty_sessions_at_once_compute_once():
    calls, results = [], []

    def compute():
        calls.append(threading.get_ident())
        time.sleep(0.2)  # long enough for every other session to arrive meanwhile
        return object()

    threads = [threading.Thread(daemon=True, target=lambda: results.append(
        resources.shared_derived("book", "codes", compute))) for _ in range(40)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert len(calls) == 1 and len(results) == 40 and all(r is results[0] for r in results)


def test_a_result_that_needs_another_one_does_not_deadlock():
    def wall():
        return ("wall of", resources.shared_derived("book", "codes", lambda: "codes"))

    out = []
    threads = [threading.Thread(daemon=True, target=lambda: out.append(
        resources.shared_derived("book", "wall", wall))) for _ in range(8)]
    threads += [threading.Thread(daemon=True, target=lambda: out.append(
        resources.shared_derived("book", "codes", lambda: "codes"))) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(30)
    assert not any(th.is_alive() for th in threads) and len(out) == 16


def test_a_failed_compute_is_tried_again():
    def boom():
        raise RuntimeError("degenerate wall")

    with pytest.raises(RuntimeError):
        resources.shared_derived("full", "defects", boom)
    assert resources.shared_derived("full", "defects", lambda: 42) == 42
