"""ae.ui.frame: a page always runs inside dashboard.py, and the app's own rerun works (public
Streamlit API only: AppTest runs every page URL the way a fresh server first does)."""

from __future__ import annotations

import pytest
from pagekit import APP, assert_ok, own_tab_store, small_data  # noqa: F401 (fixtures)
from streamlit.testing.v1 import AppTest

SCRIPT = """
import streamlit as st
from ae.ui import frame

st.session_state.runs = st.session_state.get("runs", 0) + 1
if st.session_state.runs == 1:
    frame.rerun()
st.write(f"runs: {st.session_state.runs}")
"""


def test_rerun_runs_the_script_again_at_once():
    at = AppTest.from_string(SCRIPT).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == ["runs: 2"]


@pytest.mark.usefixtures("small_data", "own_tab_store")
def test_a_page_url_runs_inside_dashboard_with_its_sidebar():
    # AppTest starts every run in Streamlit's pages-folder mode (as a fresh server's first
    # run is): the page alone would have no sidebar; ensure() reruns it through dashboard.py
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.sidebar.radio(key="lang").set_value("zh").run()
    at.switch_page("pages/architecture.py").run()
    assert_ok(at)
    assert at.sidebar.radio(key="lang").value == "zh"  # the sidebar, with its value kept
    assert at.sidebar.slider(key="enc_n").value == 4  # the article's four encoder layers
    assert at.query_params["tab"]  # dashboard.py's tab token: this run went through it
