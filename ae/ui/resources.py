"""Server-wide, read-only resources: data sets, shipped checkpoints, the classifiers.

Each is loaded once per server by `st.cache_resource` and shared by every session (a class of
forty opens one copy of MNIST, not forty); Streamlit makes sessions that ask at the same time
wait for the one load. The first load of a data set shows a progress bar.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ae import data
from ae.analysis import classifier as digit_classifier
from ae.model import checkpoint
from ae.ui.i18n import t

ASSETS = Path(__file__).resolve().parents[2] / "assets"
SHIPPED = {name: ASSETS / f"{name}.pt" for name in
           ("book", "full", "vae_book", "vae_full", "fashion_2nd", "vae_fashion_2nd")}
# the data set each was trained on (the sidebar offers those of the chosen data set without
# reading every file; tests/test_page_editions.py checks it against the files)
SHIPPED_DATA = {"book": "mnist", "full": "mnist", "vae_book": "mnist", "vae_full": "mnist",
                "fashion_2nd": "fashion-mnist", "vae_fashion_2nd": "fashion-mnist"}
# (autoencoder, VAE) trained on the same data with the same seed, precision and code
PAIRS = (("book", "vae_book"), ("full", "vae_full"), ("fashion_2nd", "vae_fashion_2nd"))


@st.cache_resource(show_spinner=False)
def _loaded(name: str) -> data.Dataset:
    bar = st.progress(0.0, text=t("data.loading"))

    def progress(done: int, total: int, message: str) -> None:
        bar.progress(min(done / total, 1.0) if total else 0.0, text=message[:120])

    try:
        return data.load(name, progress=progress)
    finally:
        bar.empty()


def dataset(name: str = "mnist") -> data.Dataset:
    """The data set, loaded once per server; a progress bar while the first load fetches."""
    try:
        return _loaded(name)
    except data.DataError as e:  # only Fashion-MNIST can fail: MNIST ends in synthetic
        st.error(t("data.failed", name=name) + "\n\n" + str(e))
        st.stop()


def shipped_available(dataset: str | None = None) -> list[str]:
    """The shipped models present on disk (made for `dataset`, when given)."""
    return [k for k, p in SHIPPED.items()
            if p.exists() and dataset in (None, SHIPPED_DATA.get(k))]


@st.cache_resource(show_spinner=False)
def shipped(name: str) -> checkpoint.Checkpoint:
    """A shipped checkpoint (book recipe or full data; autoencoder or VAE), loaded once per
    server."""
    return checkpoint.load(SHIPPED[name])


@st.cache_resource(show_spinner=False)
def _classifier(path: str) -> digit_classifier.DigitCNN | None:
    return digit_classifier.load(path) if Path(path).exists() else None


def classifier(dataset: str) -> digit_classifier.DigitCNN | None:
    """The shipped classifier of `dataset` that scores decoded images (MNIST's digits,
    Fashion-MNIST's clothes; the synthetic digits are scored as MNIST), loaded once per
    server; None when that data set has none, or its file is missing or cannot be read (a
    broken asset must not take a page down; the page says it is missing)."""
    path = digit_classifier.SHIPPED.get("mnist" if dataset == "synthetic-digits" else dataset)
    if path is None:
        return None
    try:
        return _classifier(str(path))
    except Exception:
        return None
