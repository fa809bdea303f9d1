"""Choices that outlive the page: a toggle, and one section of a page picked by a segmented
control. Streamlit drops a widget's key on pages without that widget, which would reset the
choice at every visit; each is kept as "<key>_kept" beside it.

A page with many figures draws one section at a time with `kept_choice`: tabs would send and
draw every tab's figures on each visit, and a class opens a page together.
"""

from __future__ import annotations

import streamlit as st

from ae.ui import state, url
from ae.ui.i18n import language


def kept_toggle(label: str, key: str, default: bool, **kwargs) -> bool:
    """A toggle whose choice outlives the page (kept as "<key>_kept"): Streamlit drops a
    widget's key on pages without it, which reset the choice at every visit."""
    kept = f"{key}_kept"
    on = st.toggle(label, state.first_value(key, st.session_state.get(kept, default), False),
                   key=key, **kwargs)
    st.session_state[kept] = on
    return on


def kept_choice(label: str, options: list[str], key: str, labels: dict[str, str],
                in_url: bool = False) -> str:
    """One of `options` by a segmented control (`labels`: each option's text): only the chosen
    section is drawn, where `st.tabs` would draw every tab's figures on each visit. The choice
    outlives the page and a language switch (kept as "<key>_kept"; the control has a key per
    language, since its labels change), and clicking the chosen one again keeps it. With
    `in_url`, `key` is also a URL parameter: a link opens on that option (a teacher's link to
    one section), and the URL follows the choice."""
    kept = f"{key}_kept"
    if in_url and kept not in st.session_state and url.get(key) in options:
        st.session_state[kept] = url.get(key)
    chosen = st.session_state.get(kept)
    if chosen not in options:
        chosen = options[0]
    picked = st.segmented_control(label, options, default=chosen, format_func=labels.get,
                                  key=f"{key}:{language()}", label_visibility="collapsed")
    st.session_state[kept] = picked if picked in options else chosen
    if in_url:
        url.write({key: st.session_state[kept]})
    return st.session_state[kept]
