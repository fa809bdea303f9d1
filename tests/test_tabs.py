"""A reloaded tab gets its work back; a closed tab's run is stopped and its work let go
(ae.ui.tabs, ae.ui.tab_store): the leases, the rules of the server-wide store, and a reload
through the real dashboard (AppTest: a second session whose URL is the first one's)."""

from __future__ import annotations

import gc
import threading
import time
import weakref

import pytest
import torch
from pagekit import (
    APP,
    assert_ok,
    open_page,
    own_tab_store,  # noqa: F401 (fixtures, found by pytest by name)
    small_data,  # noqa: F401
)
from streamlit.testing.v1 import AppTest

from ae.live.lease import Lease
from ae.ui import tab_store, tabs
from ae.ui.tab_store import TabStore
from tests.test_page_training import TIMEOUT, tiny_run, wait_for

SHORT = 0.2  # seconds: the hand-over lease of the stores below


class FakeRun:
    def __init__(self, active: bool = True):
        self.active, self.stopped, self.released = active, False, False
        self.lease = Lease(60)

    def stop(self):
        self.stopped, self.active = True, False

    def release(self):
        self.stop()
        self.released = True


def lapse(lease: Lease) -> None:
    """Make a lease lapse now, whatever its implementation keeps."""
    lease.ttl_s = 0


def test_a_lease_lapses_unless_renewed():
    lease = Lease(0.3)
    assert not lease.expired
    for _ in range(4):
        time.sleep(0.1)
        lease.renew()
        assert not lease.expired
    time.sleep(0.35)
    assert lease.expired
    lease.renew()
    assert not lease.expired


def test_a_reload_takes_the_tab_over_once_the_old_page_stopped_renewing():
    store = TabStore(grace_s=60, handover_s=SHORT)
    token = store.open("old", "laptop")
    run = FakeRun()
    assert store.keep(token, "old", {"t_run": run})
    started = time.monotonic()
    assert store.claim(token, "new", "laptop") == {"t_run": run}  # waited for the lease
    assert SHORT - 0.05 <= time.monotonic() - started < SHORT + 1
    assert not store.keep(token, "old", {})  # the old session no longer owns it
    assert not store.renew(token, "old") and store.renew(token, "new")
    assert store.keep(token, "new", {"t_run": run})
    assert store.claim("unknowntoken", "x", "laptop") is None


def test_a_tab_still_open_is_not_taken_over():
    # a duplicated tab, or a link opened while its tab is open: the old page keeps renewing
    store = TabStore(grace_s=60, handover_s=SHORT)
    token = store.open("open", "laptop")
    store.keep(token, "open", {"t_run": FakeRun()})
    done = threading.Event()

    def renew_like_the_timer():
        while not done.wait(SHORT / 4):
            store.renew(token, "open")

    timer = threading.Thread(target=renew_like_the_timer)
    timer.start()
    try:
        assert store.claim(token, "duplicate", "laptop", wait_s=3 * SHORT) is None
    finally:
        done.set()
        timer.join()
    assert store.has(token, "open") and store.renew(token, "open")


def test_another_computer_never_takes_a_tab_over():
    store = TabStore(grace_s=60, handover_s=SHORT)
    token = store.open("owner", "laptop")
    store.keep(token, "owner", {"t_run": FakeRun()})
    time.sleep(SHORT + 0.05)  # the owner's page is not renewing: closed, or throttled
    assert store.claim(token, "neighbour", "other computer", wait_s=0) is None
    assert store.claim(token, "reload", "laptop", wait_s=0) is not None


def test_renewals_keep_the_runs_own_lease_fresh():
    store = TabStore(grace_s=60, handover_s=SHORT)
    token = store.open("s", None)
    run = FakeRun()
    store.keep(token, "s", {"t_run": run})
    lapse(run.lease)
    run.lease.ttl_s = 0.2
    time.sleep(0.25)
    assert run.lease.expired
    store.renew(token, "s")
    assert not run.lease.expired


def test_a_runs_lease_lapses_with_its_tab_but_not_during_a_long_script_run():
    store = TabStore(grace_s=0.3, handover_s=SHORT)
    token = store.open("s", None)
    lease = store.run_lease(token, "s")
    assert store.run_lease(token, "someone else") is None
    assert store.begin_run(token, "s")  # a script run of the tab's session begins...
    time.sleep(0.4)
    assert not lease.expired  # ...and holds the thread that renews: not a closed tab
    store.keep(token, "s", {})  # the script run ends
    assert not lease.expired
    time.sleep(0.4)  # no renewal since: the tab is closed
    assert lease.expired
    store.renew(token, "s")
    assert not lease.expired


def test_a_script_run_whose_end_was_never_seen_holds_its_tab_only_so_long(monkeypatch):
    """Streamlit may stop a script run anywhere, even before `park` reaches the store."""
    monkeypatch.setattr(tab_store, "MAX_SCRIPT_S", 0.5)
    store = TabStore(grace_s=0.2, handover_s=SHORT)
    token = store.open("s", None)
    run = FakeRun()
    store.keep(token, "s", {"t_run": run})
    lease = store.run_lease(token, "s")
    assert store.begin_run(token, "s")  # ...and no keep() ever comes
    time.sleep(0.3)
    assert store.sweep(in_background=False) == [] and not lease.expired  # in its script run
    time.sleep(0.3)
    assert lease.expired and store.sweep(in_background=False) == [token] and run.released


def test_a_closed_tab_is_stopped_after_the_grace_period_and_let_go(caplog):
    store = TabStore(grace_s=60, handover_s=SHORT)
    runs = {name: FakeRun() for name in ("open", "closed")}
    tokens = {}
    for name, run in runs.items():
        tokens[name] = store.open(name, None)
        store.keep(tokens[name], name, {"t_run": run})
    assert store.sweep(in_background=False) == []
    lapse(store.tabs[tokens["closed"]].alive)  # no renewal for GRACE_S
    assert store.sweep(in_background=False) == [tokens["closed"]]
    assert runs["closed"].released and not runs["open"].stopped
    assert set(store.tabs) == {tokens["open"]}
    assert "its work is let go and its run stopped" in caplog.text
    assert "memory released: 1 tabs kept" in caplog.text
    assert not store.renew(tokens["closed"], "closed")  # back too late: starts clean


def test_a_tab_in_a_long_script_run_is_not_let_go():
    # the session's thread is busy (a slow page): its timer cannot renew, the tab is open
    store = TabStore(grace_s=60, handover_s=SHORT)
    token = store.open("busy", None)
    assert store.begin_run(token, "busy")
    lapse(store.tabs[token].alive)
    assert store.sweep(in_background=False) == []
    assert store.keep(token, "busy", {"t_run": FakeRun()})  # the run ends: renewed
    lapse(store.tabs[token].alive)  # then no renewal for GRACE_S: the tab was closed
    assert store.sweep(in_background=False) == [token]
    assert not store.begin_run(token, "busy")


def test_every_access_sweeps_lazily():
    store = TabStore(grace_s=60, handover_s=SHORT)
    token = store.open("gone", None)
    run = FakeRun()
    store.keep(token, "gone", {"t_run": run})
    lapse(store.tabs[token].alive)
    other = store.open("other", None)
    assert store.renew(other, "other")
    assert wait_for(lambda: run.released)
    assert not store.has(token)


def test_a_let_go_tab_leaves_no_reference_to_its_model():
    store = TabStore(grace_s=60, handover_s=SHORT)
    model = torch.nn.Linear(4, 4)
    run = FakeRun(active=False)
    session_models = {"trained": model}  # the session's own dict, which Streamlit may keep
    token = store.open("s", None)
    store.keep(token, "s", {"t_run": run, "models": session_models})
    refs = weakref.ref(model), weakref.ref(run)
    del model, run
    lapse(store.tabs[token].alive)
    assert store.sweep(in_background=False) == [token]
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


def test_environment_times_fall_back_on_garbage(monkeypatch):
    monkeypatch.setenv("AE_X", "2.5")
    assert tabs._env_seconds("AE_X", 60) == 2.5
    for bad in ("soon", "-1", "0"):
        monkeypatch.setenv("AE_X", bad)
        assert tabs._env_seconds("AE_X", 60) == 60
    assert tabs.HANDOVER_S > tabs.RENEW_S  # an open tab renews before a reload may take it


# -- a reload through the real dashboard ----------------------------------------------------------
@pytest.mark.usefixtures("small_data", "own_tab_store")
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


@pytest.mark.usefixtures("small_data", "own_tab_store")
def test_a_link_with_an_unknown_or_garbage_tab_starts_clean():
    for token in ("unknownunknown", "<script>", "x" * 500):
        at = open_page("training", {"tab": token})
        assert_ok(at)
        assert "t_run" not in at.session_state
        assert at.query_params["tab"] != token and tabs._TOKEN.fullmatch(at.query_params["tab"])


@pytest.mark.usefixtures("small_data", "own_tab_store")
def test_a_reload_too_late_says_the_trained_model_is_gone():
    at = AppTest.from_file(APP, default_timeout=180)  # the first run shows it: no open_page
    at.query_params.update({"tab": "expiredtoken1", "model": "trained"})
    at.run()
    assert_ok(at)
    assert any("no longer on the server" in i.value for i in at.info)
    assert at.session_state["in_play"].origin != "trained"


@pytest.mark.usefixtures("small_data", "own_tab_store")
def test_a_session_back_after_its_tab_was_let_go_starts_clean_and_says_so():
    torch.set_num_threads(1)
    at = open_page("training")
    run = tiny_run(at, n=16, epochs=1)
    assert run.join(TIMEOUT)
    at.run()
    assert at.session_state["in_play"].origin == "trained"
    token = at.query_params["tab"]
    lapse(tabs.store.tabs[token].alive)
    assert tabs.store.sweep(in_background=False) == [token]
    at.run()  # the laptop lid opens again, after the grace period
    assert_ok(at)
    assert "t_run" not in at.session_state and at.session_state["in_play"].origin != "trained"
    assert any("no longer on the server" in i.value for i in at.info)
    assert at.query_params["tab"] != token and tabs.store.has(at.query_params["tab"])
