"""How pages show a figure: a Plotly chart without the mode bar, a figure builder's texts in
the session's language, and the `ae` code behind it (the code is the lesson, as in
Streamlit's `hello` app)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import streamlit as st

from ae import plots
from ae.ui.i18n import all_texts, t
from ae.ui.plain import lazy_expander

NO_BAR = {"displayModeBar": False}


def chart(fig: Any, **kw: Any) -> Any:
    return st.plotly_chart(fig, config=NO_BAR, **kw)


def plot_texts(prefix: str, name: str) -> dict[str, str]:
    """The texts of `ae.plots` figure `name` (keys of `plots.TEXTS[name]`) found under
    `<prefix>.<name>.<key>`, in the session's language; the builder's English for the rest."""
    have = all_texts()
    return {k: t(f"{prefix}.{name}.{k}") for k in plots.TEXTS[name]
            if f"{prefix}.{name}.{k}" in have}


def show_code(*fns: Callable) -> None:
    """An expander with the source of the `ae` functions behind a figure, drawn only once it
    is opened: a closed expander's code would still be sent and highlighted on every visit
    (the browser's syntax highlighter alone is ~1.5 MB of script to load). Opening it reruns
    the page; it stays open (its key: the functions shown)."""
    key = "code:" + "+".join(f"{fn.__module__}.{fn.__qualname__}" for fn in fns)
    if (box := lazy_expander(t("show_code"), key)) is not None:
        with box:
            for fn in fns:
                st.code(inspect.getsource(fn), language="python")
