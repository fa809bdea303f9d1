"""English / 中文: every text of the app, looked up by key in the session's language.

Texts live beside their page in `ae/ui/texts/<page>.py` as `TEXTS = {key: (english, chinese)}`
so each page's words sit together; this module merges them and picks one by language.
A missing key shows the key itself (and a test fails), never a crash in front of a class.
"""

from __future__ import annotations

import importlib
import pkgutil

import streamlit as st

from ae.ui import texts
from ae.ui.state import first_value

LANGUAGES = {"en": "English", "zh": "中文"}
DEFAULT_LANGUAGE = "en"


def _merged() -> dict[str, tuple[str, str]]:
    """Every page's TEXTS merged; a key defined twice is a bug, so it raises."""
    merged: dict[str, tuple[str, str]] = {}
    for info in pkgutil.iter_modules(texts.__path__):
        module = importlib.import_module(f"{texts.__name__}.{info.name}")
        for key, pair in module.TEXTS.items():
            if key in merged:
                raise KeyError(f"text key {key!r} defined twice ({info.name})")
            merged[key] = pair
    return merged


_TEXTS = _merged()
LANG_START = "language_from_url"  # the radio's first value (see first_value)


def all_texts() -> dict[str, tuple[str, str]]:
    return _TEXTS


def language() -> str:
    """The radio's choice; before it is first drawn, the language the URL asked for."""
    lang = st.session_state.get("lang", st.session_state.get(LANG_START, DEFAULT_LANGUAGE))
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, **fmt) -> str:
    """The text for `key` in the session's language, formatted with `fmt`."""
    pair = all_texts().get(key)
    if pair is None:
        return key
    text = pair[1] if language() == "zh" else pair[0]
    return text.format(**fmt) if fmt else text


def translated_radio(label: str, options: list, key: str, format_func, container=None,
                     **kwargs):
    """A radio whose option labels are translated and whose choice survives a language switch.

    Streamlit 1.67 remembers a radio's chosen *label*; after a language switch that label
    matches no option and the radio falls back to the first one. So each language gets its own
    widget (`<key>:<lang>`), and `st.session_state[key]` holds the choice itself: set it from
    code at any time (before or after the widget is drawn) to change the choice.

    A choice changed by code gets a new widget (`<key>:<lang>:<n>`), drawn with it as its
    index, rather than a value written into the old one: a run cut short by the next click
    (a student switching pages just as a training run ends and its model is put in play) may
    never send a written value to the browser, which would then send its old choice back with
    a later click and undo the change. A new widget has no old choice to send back.

    The option labels are made here, in the session's language, and handed to Streamlit
    ready-made: a `format_func` that looked the language up when called would give the default
    language outside a script run (where AppTest calls it)."""
    lang, shown, gen_key = language(), f"{key}:_shown", f"{key}:_gen"
    chosen = st.session_state.get(key)
    if chosen not in options:
        chosen = options[0]
    if st.session_state.get(shown) not in (None, chosen):  # changed by code since last drawn
        st.session_state[gen_key] = st.session_state.get(gen_key, 0) + 1
    gen = st.session_state.get(gen_key, 0)
    wkey = f"{key}:{lang}" if gen == 0 else f"{key}:{lang}:{gen}"
    if st.session_state.get(wkey) not in options:  # a new widget: the choice comes as index=
        st.session_state.pop(wkey, None)  # (written into session state, option 0 would flash)
    index = options.index(chosen)
    labels = {option: format_func(option) for option in options}
    value = (container or st).radio(label, options, index=first_value(wkey, index, 0),
                                    key=wkey, format_func=labels.__getitem__, **kwargs)
    st.session_state[key] = st.session_state[shown] = value
    return value
