"""The top of every page: title, which model and data it looks at, and any warnings."""

from __future__ import annotations

import streamlit as st

from ae.data.sources import Dataset
from ae.ui import classes, frame, models, resources, state
from ae.ui.i18n import t


def header(page: str) -> tuple[state.InPlay, Dataset]:
    """Title + intro of `page` (text keys `<page>.title` / `<page>.intro`), the model in play
    and its data set (loaded once per server), and the banners a class must see."""
    frame.ensure()
    st.title(t(f"{page}.title"))
    # notices are shown once, and dropped only once drawn (a run cut short shows them again)
    for notice in st.session_state.get("url_notices", []):
        st.warning(t("url.notice", msg=notice))
    if lost := st.session_state.get("tab_notice"):
        st.info(t("tab.lost", origin=t(f"tab.origin.{lost[0]}"), grace=lost[1]), icon="ℹ️")
    for key in ("url_notices", "tab_notice"):
        st.session_state.pop(key, None)
    inplay = state.current()
    ds = resources.dataset(inplay.dataset if inplay else "mnist")
    if ds.synthetic:
        st.warning(t("data.synthetic"), icon="⚠️")
        with st.expander(t("data.why")):
            st.markdown("\n".join(f"- {note}" for note in ds.notes))
    st.caption(t("model.looking", model=models.label(inplay), dataset=data_status(ds)))
    st.markdown(classes.tx(f"{page}.intro", ds.name))  # a Fashion-MNIST variant, if any
    return inplay, ds


def data_status(ds: Dataset) -> str:
    return t("data.status", name=ds.name, n_train=len(ds.x_train), n_test=len(ds.x_test),
             source=t(f"data.source.{ds.source}"))
