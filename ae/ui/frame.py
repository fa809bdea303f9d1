"""Make sure a page always runs inside `dashboard.py` (its sidebar and session state).

Streamlit 1.67 still treats a `pages/` folder beside the entry file as the legacy multipage
mode until some session has called `st.navigation`: the first visit to a page URL on a fresh
server (and every `AppTest` run) would then execute the page file alone, with no sidebar and
no model in play. `dashboard.py` marks each run it frames; a page that finds no mark switches
the server to `st.navigation` mode and reruns, which then goes through `dashboard.py`.
"""

from __future__ import annotations

import threading

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

_run = threading.local()  # the script thread of one run


def mark() -> None:
    """Called by dashboard.py at the start of every run."""
    _run.framed = True


def unmark() -> None:
    """Called by dashboard.py when the run ends (the thread may serve another run)."""
    _run.framed = False


def leave_legacy_mode() -> None:
    """Called by dashboard.py before it draws anything. On a fresh server the very first run
    is in legacy mode, where dashboard.py itself runs as a page: its sidebar widgets get other
    ids than in every later run, so on the next run they all fell back to their defaults (one
    encoder layer, stride 1: "This network cannot be built" for the first visitor). Switching
    modes and rerunning at once makes the first real run a navigation run like all others."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False  # what st.navigation itself sets
        st.rerun()


def ensure() -> None:
    """Called first by every page: rerun through dashboard.py when it was bypassed."""
    if getattr(_run, "framed", False):
        return
    PagesManager.uses_pages_directory = False  # what st.navigation itself sets
    st.rerun()


def rerun() -> None:
    """`st.rerun()`, unless the browser has already asked for a full rerun during this one (a
    click on its way), which reruns the whole app anyway. (A pending *fragment* rerun, such as
    the live view's timer, does not count: it would not redraw the page.)

    Why: Streamlit 1.67 merges two pending reruns and keeps the *later* one's page; a rerun
    asked by the script just after a student clicked another page would send them back to
    this one (seen under load: a page switch lost, the tab stuck on Training)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

    ctx = get_script_run_ctx()
    requests = getattr(ctx, "script_requests", None)
    pending = getattr(requests, "_rerun_data", None)
    if (getattr(requests, "_state", None) == ScriptRequestType.RERUN and pending is not None
            and not (pending.fragment_id or pending.fragment_id_queue
                     or pending.is_fragment_scoped_rerun)):
        return
    st.rerun()

