"""The shared sidebar: language, the model in play, the architecture, the data status.

Drawn by `dashboard.py` before `pg.run()`, so its widgets keep their values on every page.
The architecture goes through `ae.choices.Choices` (the same path the tests take) and is
mirrored into the URL, so a teacher can share a link that opens the same setup.
"""

from __future__ import annotations

import streamlit as st

from ae.model.choices import Choices
from ae.model.config import ConfigError
from ae.ui import models, state
from ae.ui.i18n import LANG_START, LANGUAGES, language, t

FILTERS = [1, 2, 4, 8, 16, 32, 48, 64, 96, 128, 256]
KERNELS = [1, 2, 3, 4, 5, 6, 7]
STRIDES = [1, 2, 3, 4]
MAX_UI_LAYERS = 6


def _widget_values(c: Choices) -> dict:
    """Session-state keys of the architecture widgets for these choices."""
    v = {"enc_n": len(c.enc_filters), "mirror": c.mirror, "dec_n": len(c.dec_filters),
         "z_dim": c.z_dim, "bn": c.batch_norm, "dropout": c.dropout}
    for prefix, lists in (("enc", (c.enc_filters, c.enc_kernels, c.enc_strides)),
                          ("dec", (c.dec_filters, c.dec_kernels, c.dec_strides))):
        for i, (f, k, s) in enumerate(zip(*lists, strict=False)):
            v[f"{prefix}_f{i}"], v[f"{prefix}_k{i}"], v[f"{prefix}_s{i}"] = f, k, s
    return v


START = "_arch_start"  # the architecture widgets' first values (from the URL, or after Reset)


def _start(key: str, default, neutral=None):
    """The `value=` of an architecture widget: its start value (from the URL, or the book's)
    on its first draw, then `neutral` (see `state.first_value`)."""
    return state.first_value(key, st.session_state.get(START, {}).get(key, default), neutral)


def _reset_to(c: Choices) -> None:
    """The Reset button's callback: the widgets shown take `c`'s values (written into
    st.session_state, so the browser shows them too), and rows drawn later start from it."""
    values = _widget_values(c)
    st.session_state[START] = values
    for key, value in values.items():
        if key in st.session_state:
            st.session_state[key] = value


def init_from_url() -> None:
    """Once per session: the URL's settings (or the article's) become the widgets' values.
    Marked done last: a run cut short in here (see `training.adopt_finished`) reads them again."""
    if st.session_state.get("_url_loaded"):
        return
    params = st.query_params.to_dict()
    choices, notices = Choices.from_query(params)
    lang = params.get("lang", "en")
    if lang not in LANGUAGES:
        notices.append(f"URL parameter lang={lang[:20]!r} ignored: expected en or zh")
        lang = "en"
    st.session_state[LANG_START] = lang  # the radio's value= (a value written into it flashes)
    st.session_state["url_notices"] = notices
    st.session_state["url_model"] = params.get("model")
    st.session_state[START] = _widget_values(choices)  # as value=, not into session state
    st.session_state["_url_loaded"] = True


def _pick(label: str, options: list[int], key: str, default: int, first: bool) -> int:
    """One cell of the layer table: labelled in the first row only (the column's header), so
    the rows sit tight and each box keeps the sidebar's width for its number."""
    fallback = default if default in options else options[0]
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = fallback
    start = st.session_state.get(START, {}).get(key, fallback)
    index = state.first_value(key, options.index(start if start in options else fallback), 0)
    return st.selectbox(label, options, index=index, key=key,
                        label_visibility="visible" if first else "collapsed")


LAYER_COLUMNS = [4, 3, 3]  # filters need room for three digits, kernel and stride for one


def _layer_rows(prefix: str, n: int, defaults: tuple[list[int], list[int], list[int]]) -> tuple:
    f, k, s = [], [], []
    for i in range(n):
        d = [lst[min(i, len(lst) - 1)] for lst in defaults]
        cols = st.columns(LAYER_COLUMNS, gap="xsmall")
        names = (t("side.filters"), t("side.kernel"), t("side.stride"))
        label = [name if i == 0 else f"{name} ({i + 1})" for name in names]
        with cols[0]:
            f.append(_pick(label[0], FILTERS, f"{prefix}_f{i}", d[0], i == 0))
        with cols[1]:
            k.append(_pick(label[1], KERNELS, f"{prefix}_k{i}", d[1], i == 0))
        with cols[2]:
            s.append(_pick(label[2], STRIDES, f"{prefix}_s{i}", d[2], i == 0))
    return f, k, s


def architecture() -> Choices:
    """The architecture widgets; returns the choices (valid or not)."""
    book = Choices()
    with st.expander(t("side.arch"), expanded=False):
        n = st.slider(t("side.layers"), 1, MAX_UI_LAYERS, _start("enc_n", len(book.enc_filters)),
                      key="enc_n")
        enc = _layer_rows("enc", n, (book.enc_filters, book.enc_kernels, book.enc_strides))
        mirror = st.toggle(t("side.mirror"), _start("mirror", book.mirror, False), key="mirror")
        dec = (book.dec_filters, book.dec_kernels, book.dec_strides)
        if not mirror:
            m = st.slider(t("side.dec_layers"), 1, MAX_UI_LAYERS,
                          _start("dec_n", len(book.dec_filters)), key="dec_n")
            dec = _layer_rows("dec", m, dec)
        z = st.slider(t("side.z_dim"), 1, 16, _start("z_dim", book.z_dim), key="z_dim")
        bn = st.checkbox(t("side.bn"), _start("bn", book.batch_norm, False), key="bn")
        dropout = st.checkbox(t("side.dropout"), _start("dropout", book.dropout, False),
                              key="dropout")
        st.button(t("side.reset"), on_click=_reset_to, args=(Choices(),))
    return Choices(*enc, mirror, *dec, z, bn, dropout)


def render() -> None:
    """Draw the sidebar and update the session's state and the URL.

    The architecture is read before the model chooser runs, although it is drawn below it:
    an untrained model put in play (e.g. by a shared link with `model=untrained`) is built
    from `st.session_state["config"]`, which must already be this run's architecture."""
    init_from_url()
    with st.sidebar:
        langs = list(LANGUAGES)
        st.radio(t("lang.label"), langs, format_func=LANGUAGES.get, key="lang", horizontal=True,
                 index=state.first_value("lang", langs.index(language()), 0))
        chooser_slot = st.container()  # drawn above the architecture, filled after it
        choices = architecture()
        try:
            st.session_state["config"] = choices.to_config()
            st.session_state["config_error"] = None
        except ConfigError as e:
            st.session_state["config_error"] = str(e)
            st.error(t("side.invalid", msg=e))
        st.session_state["choices"] = choices
        with chooser_slot:
            models.chooser()
        inplay = state.current()
        cfg_ok = st.session_state["config_error"] is None
        if cfg_ok and inplay is not None and st.session_state["config"] != inplay.model.config:
            st.info(t("side.stale"))
        st.caption(t("side.share"))
    query = {**choices.to_query(), "lang": language()}
    if inplay is not None:
        query["model"] = inplay.origin
    for key, value in query.items():  # pages keep their own keys beside these
        if st.query_params.get(key) != value:
            st.query_params[key] = value
