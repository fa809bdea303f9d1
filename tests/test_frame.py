"""ae.ui.frame.rerun: the script's own rerun never swallows a click already on its way."""

from __future__ import annotations

from types import SimpleNamespace

import streamlit as st
from streamlit.runtime.scriptrunner_utils import script_run_context
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

from ae.ui import frame


def test_rerun_only_when_the_browser_has_not_asked_already(monkeypatch):
    asked = []
    monkeypatch.setattr(st, "rerun", lambda: asked.append(True))
    full = SimpleNamespace(fragment_id=None, fragment_id_queue=[], is_fragment_scoped_rerun=False)
    timer = SimpleNamespace(fragment_id="f1", fragment_id_queue=[], is_fragment_scoped_rerun=True)
    for state, pending, wanted in ((ScriptRequestType.CONTINUE, None, [True]),
                                   (ScriptRequestType.RERUN, full, []),  # a click on its way
                                   (ScriptRequestType.RERUN, timer, [True])):  # a fragment's
        asked.clear()
        ctx = SimpleNamespace(script_requests=SimpleNamespace(_state=state, _rerun_data=pending))

        def fake_ctx(*a, ctx=ctx, **k):
            return ctx

        monkeypatch.setattr(script_run_context, "get_script_run_ctx", fake_ctx)
        monkeypatch.setattr("streamlit.runtime.scriptrunner.get_script_run_ctx", fake_ctx)
        frame.rerun()
        assert asked == wanted, (state, pending)
