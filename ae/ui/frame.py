"""Make sure a page always runs inside `dashboard.py` (its sidebar and session state), and
rerun the app without losing a click that is already on its way.

A `pages/` folder beside the entry file puts a fresh Streamlit server in its legacy multipage
mode until some session calls `st.navigation` ("as soon as any session of your app executes
the st.navigation command, your app will ignore the pages/ directory (across all sessions)",
Streamlit's documentation). In that mode the very first run of a page URL executes the page
file alone: no sidebar, no model in play. `dashboard.py` marks each run it frames; a page that
finds no mark calls `st.navigation` itself and reruns, and the rerun goes through
`dashboard.py`. (A first visit to `/` runs `dashboard.py` as a page, and its `st.navigation`,
called before any widget, makes that run like every later one.)
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st

PAGES_DIR = Path(__file__).resolve().parents[2] / "pages"
DEFAULT = "home"  # dashboard.py's default page (pages/home.py)
_run = threading.local()  # the script thread of one run


def mark() -> None:
    """Called by dashboard.py at the start of every run."""
    _run.framed = True


def unmark() -> None:
    """Called by dashboard.py when the run ends (the thread may serve another run)."""
    _run.framed = False


def ensure() -> None:
    """Called first by every page: rerun through dashboard.py when it was bypassed. The pages
    given to `st.navigation` here only need to hold the one asked for (the folder's, as the
    legacy mode has them), at its own address: the home page is the default, as in
    dashboard.py (a default page has no address of its own, so another page made the default
    would not be found at its URL, and the browser would say "Page not found").
    dashboard.py's own navigation replaces them in the rerun."""
    if getattr(_run, "framed", False):
        return
    st.navigation([st.Page(path, default=path.stem == DEFAULT)
                   for path in sorted(PAGES_DIR.glob("*.py"))], position="hidden")
    st.rerun()


def rerun() -> None:
    """Rerun the whole app now (the page's state changed under it: a run started, ended).

    First one element is drawn: drawing is where Streamlit looks for a rerun the browser has
    asked for, and ends this run for it. A click already on its way (another page, a button)
    therefore wins, instead of being merged into this rerun, which would keep this page."""
    st.empty()
    st.rerun()
