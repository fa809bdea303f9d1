"""A reloaded tab gets its work back; a closed tab's run is stopped and its work let go
(ae.ui.tabs): the rules of the server-wide registry, the browser id from Streamlit's XSRF
cookie, and a reload through the real dashboard (AppTest: a second session whose URL is the
first one's)."""

from __future__ import annotations

import gc
import weakref

import pytest
import torch
from pagekit import (
    APP,
    assert_ok,
    navigation_v2,  # noqa: F401 (fixtures, found by pytest by name)
    open_page,
    small_data,  # noqa: F401
)
from streamlit.testing.v1 import AppTest

from ae.ui import tabs
from tests.test_page_training import TIMEOUT, tiny_run, wait_for


class FakeRun:
    def __init__(self, active: bool = True):
        self.active, self.stopped, self.released = active, False, False

    def stop(self):
        self.stopped, self.active = True, False

    def release(self):
        self.stop()
        self.released = True


def test_the_browser_id_is_the_unmasked_xsrf_token():
    # two page loads of one browser (cookie values seen from Streamlit 1.67) and another browser
    one = tabs.browser_id("2|d1ae9933|7322e3f6687441cceb955ed6f47ae638|1796145797")
    again = tabs.browser_id("2|67948e15|c518f4d0de4e56ea5daf49f04240f11e|1796145797")
    other = tabs.browser_id("2|e8b41625|88f288660fb362dd104bb3c3e99373bc|1796145801")
    assert one == again == "a28c7ac5b9dad8ff3a3bc7e525d47f0b" and other != one
    quoted = tabs.browser_id('"2|d1ae9933|7322e3f6687441cceb955ed6f47ae638|1796145797"')
    assert quoted == one  # a cookie value may come quoted
    for garbage in (None, "", "abc", "2|zz|yy|1", "1|d1ae9933|7322|1", "2|d1ae|7322e3f6|1"):
        assert tabs.browser_id(garbage) is None


def test_a_tab_is_claimed_only_by_the_same_browser_once_its_session_left():
    reg, status = tabs.Registry(), {"old": "active"}
    run = FakeRun()
    assert reg.park("tok", "old", "b1", {"t_run": run}, new=True)
    assert reg.claim("nope", "new", "b1", status.get) == (None, False)  # unknown token
    assert reg.claim("tok", "new", "b2", status.get) == (None, False)  # a shared link
    assert reg.claim("tok", "new", "b1", status.get) == (None, True)  # still open: wait
    status["old"] = "inactive"  # the reload closed the old page
    work, busy = reg.claim("tok", "new", "b1", status.get)
    assert work == {"t_run": run} and not busy
    assert not reg.park("tok", "old", "b1", {})  # the old session no longer owns it
    assert reg.park("tok", "new", "b1", {"t_run": run})
    assert reg.claim(None, "x", None, status.get) == (None, False)


def test_without_a_browser_id_a_server_never_hands_a_tab_over():
    # XSRF protection off (no cookie): anyone with the link would do, so nobody gets it
    reg, status = tabs.Registry(), {"old": "away"}
    reg.park("tok", "old", None, {"t_run": FakeRun()}, new=True)
    assert reg.claim("tok", "new", None, status.get) == (None, False)
    # where no server can tell (AppTest: status None) a reload is still possible
    reg.park("tok2", "old2", None, {"t_run": FakeRun()}, new=True)
    work, _ = reg.claim("tok2", "new", None, lambda sid: None)
    assert work is not None


def test_a_closed_tab_is_stopped_after_the_grace_period_and_let_go():
    reg, status = tabs.Registry(), {"on": "active", "away": "away", "back": "away",
                                    "gone": "away", "apptest": None}
    runs = {sid: FakeRun() for sid in status}
    for sid, run in runs.items():
        reg.park(sid, sid, None, {"t_run": run}, new=True)
    assert reg.reap(status.get, now=100.0, grace=60) == []
    assert not any(r.stopped for r in runs.values())
    status["back"] = "active"  # reconnected within the grace period
    assert reg.reap(status.get, now=130.0, grace=60) == []
    assert sorted(reg.reap(status.get, now=161.0, grace=60)) == [("away", True), ("gone", True)]
    assert [s for s, r in runs.items() if r.released] == ["away", "gone"]
    assert set(reg.tabs) == {"on", "back", "apptest"}


def test_a_let_go_tab_leaves_no_reference_to_its_model():
    reg = tabs.Registry()
    model = torch.nn.Linear(4, 4)
    run = FakeRun(active=False)
    session_models = {"trained": model}  # the session's own dict, which Streamlit may keep
    reg.park("t", "s", None, {"t_run": run, "models": session_models}, new=True)
    refs = weakref.ref(model), weakref.ref(run)
    del model, run
    assert reg.reap(lambda sid: "away", now=0.0, grace=0) == [("t", False)]
    gc.collect()
    assert refs[0]() is None and refs[1]() is None and session_models == {}


def test_runs_in_memory_counts_runs_until_they_are_collected():
    from ae.live.run import Run, runs_in_memory
    from ae.model.config import AEConfig
    from ae.train.recipe import Recipe
    from tests.pagekit import small_dataset

    before = runs_in_memory()
    run = Run.create(AEConfig.book(), small_dataset(), Recipe(epochs=1, subset=16), live=False)
    kept = Run.create(AEConfig.book(), small_dataset(), Recipe(epochs=1, subset=16),
                      live=False)
    assert runs_in_memory() == before + 2
    model = weakref.ref(kept.model)
    kept.release()  # a closed tab's run that Streamlit's session store still holds
    gc.collect()
    assert runs_in_memory() == before + 1 and model() is None
    assert kept.finish() is None and kept.state == "stopped"
    del run
    gc.collect()
    assert runs_in_memory() == before


def test_session_status_asks_the_servers_session_manager(monkeypatch):
    from streamlit.runtime import Runtime

    monkeypatch.setattr(Runtime, "_instance", None)
    assert tabs.session_status("any") is None  # no server: can't tell

    class Manager:  # the one question session_status asks (Streamlit's SessionManager API)
        def is_active_session(self, sid):
            return sid == "on"

    class FakeRuntime:
        _session_mgr = Manager()

    monkeypatch.setattr(Runtime, "_instance", FakeRuntime())
    assert [tabs.session_status(s) for s in ("on", "gone")] == ["active", "away"]


def test_environment_times_fall_back_on_garbage(monkeypatch):
    monkeypatch.setenv("AE_X", "2.5")
    assert tabs._env_seconds("AE_X", 60) == 2.5
    for bad in ("soon", "-1", "0"):
        monkeypatch.setenv("AE_X", bad)
        assert tabs._env_seconds("AE_X", 60) == 60


# -- a reload through the real dashboard ----------------------------------------------------------
@pytest.mark.usefixtures("small_data", "navigation_v2")
def test_a_reload_keeps_the_run_its_history_and_the_trained_model():
    torch.set_num_threads(1)
    at = open_page("training")
    token = at.query_params["tab"]
    assert tabs._TOKEN.fullmatch(token)
    run = tiny_run(at, n=64, epochs=5_000)
    assert wait_for(lambda: len(run.trainer.history.steps) >= 3)
    at.button(key="t_pause").click().run()
    # the reload: a new session (AppTest's state starts empty) with the same address
    again = open_page("training", dict(at.query_params))
    assert_ok(again)
    assert again.session_state["t_run"] is run and again.query_params["tab"] == token
    steps = len(run.trainer.history.steps)
    again.button(key="t_resume").click().run()
    assert wait_for(lambda: len(run.trainer.history.steps) > steps)
    again.button(key="t_stop").click().run()
    assert run.join(TIMEOUT)
    again.run()
    assert_ok(again)
    trained = again.session_state["in_play"]
    assert trained.origin == "trained"
    # one more reload: the trained model is offered and in play again
    third = open_page("reconstructions", dict(again.query_params))
    assert_ok(third)
    assert third.session_state["in_play"] is trained
    assert third.session_state["model_choice"] == "trained"


@pytest.mark.usefixtures("small_data", "navigation_v2")
def test_a_link_with_an_unknown_or_garbage_tab_starts_clean():
    for token in ("unknownunknown", "<script>", "x" * 500):
        at = open_page("training", {"tab": token})
        assert_ok(at)
        assert "t_run" not in at.session_state
        assert at.query_params["tab"] != token and tabs._TOKEN.fullmatch(at.query_params["tab"])


@pytest.mark.usefixtures("small_data", "navigation_v2")
def test_a_reload_too_late_says_the_trained_model_is_gone():
    at = AppTest.from_file(APP, default_timeout=180)  # the first run shows it: no open_page
    at.query_params.update({"tab": "expiredtoken1", "model": "trained"})
    at.run()
    assert_ok(at)
    assert any("no longer on the server" in i.value for i in at.info)
    assert at.session_state["in_play"].origin != "trained"


@pytest.mark.usefixtures("small_data", "navigation_v2")
def test_a_session_back_after_its_tab_was_let_go_starts_clean_and_says_so():
    torch.set_num_threads(1)
    at = open_page("training")
    run = tiny_run(at, n=16, epochs=1)
    assert run.join(TIMEOUT)
    at.run()
    assert at.session_state["in_play"].origin == "trained"
    token = at.query_params["tab"]
    assert tabs.registry.reap(lambda sid: "away", now=0.0, grace=0) == [(token, False)]
    at.run()  # the laptop lid opens again, after the grace period
    assert_ok(at)
    assert "t_run" not in at.session_state and at.session_state["in_play"].origin != "trained"
    assert any("no longer on the server" in i.value for i in at.info)
    assert at.query_params["tab"] != token and tabs.registry.has(at.query_params["tab"])
