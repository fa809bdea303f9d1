"""The presenter view: a teacher's link that projects well and cannot be edited by accident.

`?present=1`: larger type (every size in Streamlit's pages is in rem, so one root font size
scales text, widgets and margins alike), the sidebar folded away, wide figures.
`?controls=0`: no editing controls: the sidebar (language, model, architecture) is not shown
at all, so the model is the one the link names (`model=...`), and the pages leave out what
would change it (the training page's recipe, buttons and upload; the cure page's live VAE).
Both are read once per session and written back to the URL on every run, like the tab token,
so every page of the tab keeps them. `?lesson=ae` opens the guided lesson (pages/lesson.py).
"""

from __future__ import annotations

import streamlit as st

from ae.ui import url

PRESENT, CONTROLS = "present", "controls"  # URL parameters and session-state keys
LESSON = "ae"  # ?lesson=ae: the guided lesson through the article
ROOT_PX = 20  # the presenter view's root font size (Streamlit's own is 16 px)


def init_from_url() -> None:
    """Once per session: the link's presenter flags (anything but 1 / 0 is the default)."""
    if "present_read" in st.session_state:
        return
    st.session_state[PRESENT] = url.flag(url.get(PRESENT)) is True
    st.session_state[CONTROLS] = url.flag(url.get(CONTROLS)) is not False
    st.session_state["present_read"] = True


def presenting() -> bool:
    return bool(st.session_state.get(PRESENT, False))


def controls() -> bool:
    """Whether editing controls are shown (False on a `controls=0` link)."""
    return bool(st.session_state.get(CONTROLS, True))


def sidebar_state() -> str:
    """`st.set_page_config`'s initial_sidebar_state for this link (read before anything runs):
    folded for the presenter and for a student's class-wall link (`room=`), whose phone
    should open on the canvas, not on the model settings."""
    folded = (url.flag(url.get(PRESENT)) is True or url.flag(url.get(CONTROLS)) is False
              or url.get("room") is not None)
    return "collapsed" if folded else "auto"


def style() -> None:
    """The presenter view's look, and the sidebar gone without controls; nothing otherwise."""
    rules = []
    if presenting():
        rules.append(f"html {{ font-size: {ROOT_PX}px; }}")
    if not controls():
        rules.append("section[data-testid='stSidebar'], "
                     "[data-testid='stSidebarCollapsedControl'], "
                     "[data-testid='stExpandSidebarButton'] { display: none !important; }")
    if rules:
        st.html(f"<style>{' '.join(rules)}</style>")


def to_lesson(current_path: str) -> None:
    """A session's first run on a `?lesson=ae` link opens the lesson, whatever page the link
    names; later runs do not, so the class can leave the lesson for any page."""
    if st.session_state.get("lesson_link_read"):
        return
    st.session_state["lesson_link_read"] = True
    if url.get("lesson") == LESSON and current_path != "lesson":
        st.switch_page("pages/lesson.py", query_params=st.query_params.to_dict())


def keep_in_url() -> None:
    """The flags back into the URL (a page switch drops parameters it does not know)."""
    values = {}
    if presenting():
        values[PRESENT] = "1"
    if not controls():
        values[CONTROLS] = "0"
    url.write(values)
