"""Helpers for the AppTests of the reconstruction and generation pages.

Why a small data set is put in place directly: `ae.data` checks every cached MNIST file
against the official md5, so a test cannot write a small IDX cache, and the full 10,000 test
images make every page run of an untrained model slow on a shared 2-core machine. The app's
server-wide data set (`ae.ui.resources`) is a few hundred synthetic digits instead, one set per
data-set name (a "fashion-mnist" one too: synthetic pictures under that name, enough for the
pages' own logic), and Streamlit's caches are emptied around each test so no other test's wall
leaks in.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
import streamlit as st
import torch
from streamlit.testing.v1 import AppTest

from ae import data
from ae.data import synthetic
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig
from ae.ui import tabs
from ae.ui.state import InPlay
from ae.ui.tab_store import TabStore

N_TRAIN, N_TEST = 100, 200
APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")


def small_dataset(name: str = "mnist") -> data.Dataset:
    """N_TRAIN + N_TEST synthetic digits named `name` (each name draws its own pictures)."""
    seed = 0 if name == "mnist" else 10 + sum(map(ord, name)) % 1000
    x_train, y_train = synthetic.make_digits(N_TRAIN, seed=seed)
    x_test, y_test = synthetic.make_digits(N_TEST, seed=seed + 1)
    t = torch.from_numpy
    return data.Dataset(name, "synthetic", t(x_train), t(y_train), t(x_test), t(y_test),
                        ["small synthetic set for the page tests"])


@pytest.fixture
def small_data(monkeypatch, tmp_path):
    """Every page sees N_TEST synthetic test digits; nothing is read from or written to disk;
    no background warm-up (it would fill one test's cache while the next one runs)."""
    monkeypatch.setenv("AE_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("AE_WARMUP", "0")
    ds = small_dataset()
    serve(monkeypatch, ds)
    yield ds
    st.cache_resource.clear()


def serve(monkeypatch, ds: data.Dataset) -> None:
    """Make `ds` the data set a page loads for any name (the name it asks for on it, so a
    page keyed on the data set sees the one it asked for), with Streamlit's caches emptied.
    A name other than `ds.name` gets a small synthetic set of its own, the same on each load
    (a dict rather than a cache, so the server's resource cache decides what is kept)."""
    served = {ds.name: ds}

    def load(name: str, progress=None) -> data.Dataset:
        if name not in served:
            served[name] = small_dataset(name)
        return served[name]

    monkeypatch.setattr(data, "load", load)
    st.cache_resource.clear()


@pytest.fixture
def own_tab_store(monkeypatch):
    """Tabs of their own for this test: a store whose hand-over wait is short (AppTest runs no
    fragment timers, so a reload waits only for the lease the last run renewed), emptied
    after the test with the runs in it stopped (AppTest sessions never close).
"""
    store = TabStore(tabs.GRACE_S, handover_s=0.3)
    monkeypatch.setattr(tabs, "store", store)
    yield
    runs = store.runs()
    store.clear()
    for run in runs:
        run.stop()
        run.join(60)


def untrained_in_play(z_dim: int, config: AEConfig | None = None,
                      dataset: str = "mnist") -> dict:
    """Session values that put an untrained model with this latent size in play (for
    `open_page(..., state=...)`): the sidebar keeps a model whose origin is the one chosen.
    `config`: the network (the first edition's by default); `dataset`: the data it is of."""
    cfg = replace(config or AEConfig.book(), z_dim=z_dim).validate()
    model = Autoencoder.from_config(cfg).eval()
    key = f"untrained:z{z_dim}" if dataset == "mnist" else f"untrained:{dataset}:z{z_dim}"
    inplay = InPlay(key=key, origin="untrained", model=model, dataset=dataset)
    return {"in_play": inplay, "models": {"untrained": inplay}, "model_choice": "untrained"}


def open_page(page: str, query: dict[str, str] | None = None,
              state: dict | None = None) -> AppTest:
    """The dashboard switched to `pages/<page>.py` and run once (optionally with URL params
    and session values set before the first run)."""
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    at.run()  # first the entry script, so st.navigation registers the pages (AppTest's rule)
    at.switch_page(f"pages/{page}.py")
    return at.run()


def set_language(at: AppTest, lang: str) -> AppTest:
    """Switch the language with the sidebar's radio and rerun."""
    at.sidebar.radio(key="lang").set_value(lang)
    return at.run()


def texts(at: AppTest) -> str:
    """All markdown, captions, titles and headers of a run, joined (for `in` checks)."""
    parts = [e.value for kind in ("title", "subheader", "markdown", "caption", "info")
             for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def figures(at) -> list[dict]:
    """The Plotly figures of a run, as the JSON the browser receives."""
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def figure(at, title_part: str) -> dict:
    """The run's figure whose title holds `title_part`."""
    for fig in figures(at):
        if title_part in str(fig["layout"].get("title", {}).get("text", "")):
            return fig
    raise AssertionError(f"no figure titled ...{title_part}...")


def md_tables(at, nbsp: bool = False) -> list:
    """The Markdown tables of a run (`ae.ui.plain`), as data frames of strings, in page order
    (`nbsp`: keep the no-break spaces of cells held on one line)."""
    import pandas as pd

    frames = []
    for el in at.markdown:
        lines = [ln for ln in str(el.value).splitlines() if ln.startswith("|")]
        if len(lines) < 2 or not set(lines[1]) <= set("|:- "):
            continue
        rows = [[c.strip().replace("\\|", "|") for c in ln.strip("|").split(" | ")]
                for ln in lines[:1] + lines[2:]]
        if not nbsp:
            rows = [[c.replace("\u00a0", " ") for c in r] for r in rows]
        frames.append(pd.DataFrame(rows[1:], columns=rows[0]))
    return frames


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]

