"""Server-wide, read-only resources: data sets, shipped checkpoints, their derived results.

Loaded once per server and shared by every session (a class of forty opens one copy of
MNIST, not forty). The first load of a data set shows a progress bar; others wait for it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from ae import data
from ae.model import checkpoint
from ae.ui.i18n import t

ASSETS = Path(__file__).resolve().parents[2] / "assets"
SHIPPED = {"book": ASSETS / "book.pt", "full": ASSETS / "full.pt"}
CLASSIFIER = ASSETS / "classifier.pt"

_lock = threading.Lock()
_datasets: dict[str, data.Dataset] = {}
_derived: dict[tuple[str, str], Any] = {}
_key_locks: dict[tuple[str, str], threading.Lock] = {}
_key_locks_lock = threading.Lock()


def dataset(name: str = "mnist") -> data.Dataset:
    """The data set, loaded once per server; a progress bar while the first load fetches."""
    if name in _datasets:
        return _datasets[name]
    with _lock:
        if name not in _datasets:
            bar = st.progress(0.0, text=t("data.loading"))

            def progress(done: int, total: int, message: str) -> None:
                bar.progress(min(done / total, 1.0) if total else 0.0, text=message[:120])

            try:
                _datasets[name] = data.load(name, progress=progress)
            except data.DataError as e:  # only Fashion-MNIST can fail: MNIST ends in synthetic
                st.error(str(e))
                st.stop()
            finally:
                bar.empty()
    return _datasets[name]


def loaded_dataset(name: str) -> data.Dataset | None:
    """The data set if some page has loaded it already (no loading, no Streamlit)."""
    return _datasets.get(name)


def shipped_available() -> list[str]:
    return [k for k, p in SHIPPED.items() if p.exists()]


@st.cache_resource(show_spinner=False)
def shipped(name: str) -> checkpoint.Checkpoint:
    """A shipped checkpoint (book recipe or full data), loaded once per server."""
    return checkpoint.load(SHIPPED[name])


@st.cache_resource(show_spinner=False)
def classifier():
    """The digit classifier that scores decoded images, or None when it is not shipped."""
    from ae.analysis import classifier as clf

    return clf.load(CLASSIFIER) if CLASSIFIER.exists() else None


def shared_derived(key: str, name: str, compute: Callable[[], Any]) -> Any:
    """Derived results of a shipped model, computed once per server.

    Why a lock per result: a class opens the wall page at the same moment; without it every
    session would encode the 10,000 test images itself (forty times the work, on the cores
    the training runs need). The first session computes, the others wait for its result.
    A compute that raises leaves nothing behind: the next caller tries again."""
    k = (key, name)
    if k in _derived:
        return _derived[k]
    with _key_locks_lock:
        lock = _key_locks.setdefault(k, threading.Lock())
    with lock:
        if k not in _derived:
            _derived[k] = compute()
    return _derived[k]
