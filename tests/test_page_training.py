"""AppTest of the training page: the recipe's widgets and the URL, a tiny run started from the
page that grows its history and can be paused, resumed and stopped, the model it leaves in
play, the queue, divergence, an invalid sidebar network, checkpoint upload, the language
switch. (A reload and a closed tab: tests/test_tabs.py.)

AppTest cannot run the live view's timer, so the tests poll the run themselves (`at.run()`
redraws the page from the run's progress, as the fragment would)."""

from __future__ import annotations

import pytest
import torch
from pagekit import (
    assert_ok,
    open_page,
    own_tab_store,  # noqa: F401 (fixtures, found by pytest by name)
    serve,
    set_language,
    small_data,  # noqa: F401
    small_dataset,
    texts,
)

from ae import data
from ae.live.slots import slots as server_slots
from ae.model import checkpoint
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig
from ae.ui import training as tr
from tests.test_run import wait_for

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")
TIMEOUT = 60  # upper bounds for a busy machine; the tests go on as soon as they can


@pytest.fixture(autouse=True)
def tidy():
    """One thread (tiny runs gain nothing from more on a busy machine); every run stopped
    afterwards, so no test's job holds the server's training slot for the next."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield  # the runs: stopped by pagekit's own_tab_store, which lets every parked tab go
    torch.set_num_threads(before)


def open_training(query: dict[str, str] | None = None):
    at = open_page("training", query)
    assert at.session_state["config_error"] is None  # the article's network, ready to train
    return at


def tiny_run(at, n: int = 64, epochs: int = 2):
    at.radio(key="t_sub:en").set_value("custom").run()
    at.number_input(key="t_n").set_value(n).run()
    at.number_input(key="t_ep").set_value(epochs).run()
    at.button(key="t_start").click().run()
    assert_ok(at)
    return at.session_state["t_run"]


def button(at, key: str):
    return at.button(key=key)


def test_learning_rates_read_as_decimals():
    assert [tr.fmt_lr(v) for v in (0.0005, 0.00005, 1e-5, 1.0)] == [
        "0.0005", "0.00005", "0.00001", "1"]


def test_the_page_opens_with_the_articles_recipe():
    at = open_training()
    assert_ok(at)
    assert at.title[0].value.startswith("Training")
    assert at.select_slider(key="t_lr").value == 0.0005
    assert at.select_slider(key="t_bs").value == 32
    assert at.number_input(key="t_ep").value == 200 and at.radio(key="t_sub:en").value == "book"
    assert not button(at, "t_start").disabled
    assert all(button(at, k).disabled for k in ("t_pause", "t_resume", "t_stop", "t_reset"))
    assert "No run yet" in texts(at)
    assert "at most 64 MB" in at.file_uploader(key="t_upload").label
    assert f"{AEConfig.book().n_params():,} parameters" in texts(at)
    assert at.query_params["tr_lr"] == "0.0005" and at.query_params["tr_sub"] == "book"


def test_a_tiny_run_from_the_page_ends_with_its_model_in_play():
    at = open_training()
    run = tiny_run(at, n=64, epochs=2)
    assert run.state in ("queued", "running", "done")
    assert run.join(TIMEOUT)
    at.run()
    assert_ok(at)
    assert run.state == "done" and len(run.trainer.history.steps) == 4
    inplay = at.session_state["in_play"]
    assert inplay.origin == "trained" and inplay.model is not run.model
    assert len(inplay.history["steps"]) == 4 and len(inplay.snapshots["steps"]) >= 2
    assert at.session_state["model_choice"] == "trained"  # the sidebar selects it
    assert any("Done: 2 epochs" in s.value for s in at.success)
    assert "Trained here" in texts(at)  # the header names the model in play
    assert at.get("download_button")
    assert not button(at, "t_start").disabled and not button(at, "t_reset").disabled
    button(at, "t_reset").click().run()
    assert "t_run" not in at.session_state and at.session_state["in_play"].origin == "trained"


def test_the_history_grows_and_the_run_pauses_resumes_and_stops():
    at = open_training()
    run = tiny_run(at, n=64, epochs=5_000)
    assert wait_for(lambda: len(run.trainer.history.steps) >= 2)
    at.run()
    first = len(run.trainer.history.steps)
    assert wait_for(lambda: len(run.trainer.history.steps) > first + 2)
    at.run()
    assert_ok(at)
    assert any(m.value.startswith("Loss **0.") and "images/s" in m.value for m in at.markdown)
    assert len(at.get("plotly_chart")) == 3  # the loss, the wall forming, the reconstructions
    assert button(at, "t_start").disabled and at.select_slider(key="t_lr").disabled
    button(at, "t_pause").click().run()
    assert wait_for(lambda: run.state == "paused")
    at.run()
    assert any("Paused after step" in i.value for i in at.info)
    button(at, "t_resume").click().run()
    assert wait_for(lambda: run.state == "running")
    at.switch_page("pages/home.py").run()  # the run goes on while another page is shown
    n = len(run.trainer.history.steps)
    assert wait_for(lambda: len(run.trainer.history.steps) > n)
    at.switch_page("pages/training.py").run()
    assert at.session_state["t_run"] is run and run.active
    button(at, "t_stop").click().run()
    assert run.join(TIMEOUT) and run.state == "stopped"
    at.run()
    assert_ok(at)
    assert any("Stopped after" in i.value for i in at.info)
    inplay = at.session_state["in_play"]
    assert inplay.origin == "trained" and len(inplay.history["steps"]) == len(
        run.trainer.history.steps)


def test_a_busy_server_queues_the_run():
    at = open_training()
    slots = server_slots
    with slots.cv:
        held = [slots.try_acquire() for _ in range(slots.max)]
    try:
        run = tiny_run(at, n=64, epochs=2)
        assert wait_for(lambda: run.state == "queued")
        at.run()
        assert any("The server is busy" in w.value for w in at.warning)
        assert not button(at, "t_stop").disabled
    finally:
        with slots.cv:
            for ok in held:
                if ok:
                    slots.release()
    assert run.join(TIMEOUT) and run.state == "done"


def test_a_nan_loss_says_what_happened_and_what_to_try(monkeypatch):
    ds = small_dataset()
    x = ds.x_train.float()
    x[:] = float("nan")
    serve(monkeypatch, data.Dataset(ds.name, ds.source, x, ds.y_train, ds.x_test, ds.y_test,
                                    ds.notes))
    at = open_training()
    run = tiny_run(at, n=64, epochs=2)
    assert run.join(TIMEOUT) and run.diverged
    at.run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "NaN or infinite" in message and "0.00005" in message  # lr / 10 to try
    assert "nothing to keep" in message
    assert at.session_state["in_play"].origin != "trained"  # nothing learned to keep


def test_an_impossible_sidebar_network_disables_start_with_the_message():
    at = open_training()
    at.sidebar.toggle(key="mirror").set_value(False).run()
    at.sidebar.slider(key="dec_n").set_value(1).run()
    assert at.session_state["config_error"]
    assert button(at, "t_start").disabled
    assert any("nothing to train" in e.value for e in at.error)


def test_uploads_a_good_checkpoint_and_refuses_a_corrupt_one():
    at = open_training()
    at.file_uploader(key="t_upload").set_value(("broken.pt", b"not a checkpoint", "x")).run()
    assert not at.exception
    assert any("can't be used" in e.value for e in at.error)
    assert at.session_state["in_play"].origin != "upload"
    good = checkpoint.to_bytes(Autoencoder.from_config(AEConfig.book()), meta={"n": 1})
    at.file_uploader(key="t_upload").set_value(("mine.pt", good, "x")).run()
    assert_ok(at)
    inplay = at.session_state["in_play"]
    assert inplay.origin == "upload" and inplay.label == "mine.pt"
    assert any("Loaded mine.pt" in s.value for s in at.success)


def test_the_recipe_comes_from_the_url_and_garbage_falls_back():
    at = open_training({"tr_lr": "0.001", "tr_bs": "64", "tr_ep": "5", "tr_sub": "custom",
                        "tr_n": "50", "tr_seed": "7"})
    assert_ok(at)
    assert at.select_slider(key="t_lr").value == 0.001 and at.select_slider(key="t_bs").value == 64
    assert at.number_input(key="t_ep").value == 5 and at.number_input(key="t_n").value == 50
    assert at.number_input(key="t_seed").value == 7
    bad = open_training({"tr_lr": "lots", "tr_bs": "33", "tr_ep": "-1", "tr_sub": "?"})
    assert_ok(bad)
    assert bad.select_slider(key="t_lr").value == 0.0005
    assert bad.select_slider(key="t_bs").value == 32 and bad.number_input(key="t_ep").value == 200
    assert bad.radio(key="t_sub:en").value == "book"


def test_the_language_switch_changes_the_texts_and_keeps_the_recipe():
    at = open_training()
    at.radio(key="t_sub:en").set_value("custom").run()
    at.number_input(key="t_n").set_value(50).run()
    set_language(at, "zh")
    assert not at.exception
    assert "训练" in at.title[0].value and button(at, "t_start").label == "开始"
    assert at.radio(key="t_sub:zh").value == "custom" and at.number_input(key="t_n").value == 50
    assert "全部 100 张" in at.radio(key="t_sub:zh").options




def test_a_run_that_ends_while_another_page_is_shown_is_in_play_there():
    at = open_training()
    run = tiny_run(at, n=64, epochs=2)
    at.switch_page("pages/reconstructions.py").run()
    assert run.join(TIMEOUT)
    at.run()  # the next click on this page
    assert_ok(at)
    assert at.session_state["in_play"].origin == "trained"
    assert at.session_state["model_choice"] == "trained"
    assert "Trained here" in texts(at)  # the header says so


def model_radio(at):
    return next(r for r in at.sidebar.radio if str(r.key).startswith("model_choice:"))


def test_a_model_put_in_play_by_code_gets_a_new_radio_the_browser_cannot_undo():
    """A run put in play by code while the browser's next click was on its way: that click
    carries the old radio's value (the browser never saw the change). The change comes as a
    new radio, so that stale value has no widget to land in; a real click still works."""
    at = open_training()
    old = model_radio(at).key
    run = tiny_run(at, n=16, epochs=1)
    assert run.join(TIMEOUT)
    at.run()
    assert at.session_state["in_play"].origin == "trained"
    radio = model_radio(at)
    assert radio.key != old and radio.value == "trained"
    at.run()
    assert at.session_state["in_play"].origin == "trained" and model_radio(at).key == radio.key
    model_radio(at).set_value("book").run()  # a real choice
    assert_ok(at)
    assert at.session_state["in_play"].origin == "book"


def cut_short_once(monkeypatch, module, name: str) -> list:
    """`module.name` ends the script run on its first call, as Streamlit does at any
    `st.session_state` access when a click asks for a new run (StopException at a yield
    point); later calls go through. Returns the list of the calls that were cut short."""
    from streamlit.runtime.scriptrunner_utils.exceptions import StopException

    real, cut = getattr(module, name), []

    def once(*args, **kwargs):
        if not cut:
            cut.append(args)
            raise StopException()
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, once)
    return cut


def test_an_adoption_cut_short_by_a_click_is_done_by_the_next_run(monkeypatch):
    """scripts/load.py caught 1 tab in 8 keeping the shipped model after its run: the run was
    marked handled, then the script run ended before its model was put in play."""
    from ae.ui import models

    at = open_training()
    run = tiny_run(at, n=16, epochs=1)
    assert run.join(TIMEOUT)
    cut = cut_short_once(monkeypatch, models, "from_checkpoint")
    at.run()  # the run that notices the end is cut short while it adopts the model
    assert cut and at.session_state["in_play"].origin == "book"
    at.run()  # the student's click
    assert_ok(at)
    assert at.session_state["in_play"].origin == "trained"
    assert model_radio(at).value == "trained" and "Trained here" in texts(at)


def test_a_choice_cut_short_while_the_sidebar_is_drawn_is_not_lost(monkeypatch):
    """The model put in play asks the radio for itself (`pending_model`); a run cut short
    after reading that request must not drop it."""
    from ae.ui import models

    at = open_training()
    run = tiny_run(at, n=16, epochs=1)
    assert run.join(TIMEOUT)
    cut = cut_short_once(monkeypatch, models, "_options")
    at.run()
    assert cut
    at.run()
    assert_ok(at)
    assert at.session_state["in_play"].origin == "trained"
    assert model_radio(at).value == "trained"


# -- one run for identical requests (ae.live.shared) ----------------------------------------------
class HeldSlots:
    """Every training slot of the server taken: runs stay queued until the block ends (the
    second tab's Start lands while the first tab's run still waits, on any machine)."""

    def __enter__(self):
        with server_slots.cv:
            self.held = [server_slots.try_acquire() for _ in range(server_slots.max)]
        return self

    def __exit__(self, *exc):
        with server_slots.cv:
            for ok in self.held:
                if ok:
                    server_slots.release()


def test_two_tabs_with_the_same_settings_share_one_run_and_each_adopts_its_own_copy():
    a, b = open_training(), open_training()
    with HeldSlots():
        ra, rb = tiny_run(a, n=48, epochs=2), tiny_run(b, n=48, epochs=2)
        assert ra is not rb and ra.run is rb.run and rb.joined and not ra.joined
        for at in (a, b):
            at.run()
            assert_ok(at)
            assert "This run is shared by 2 tabs with the same settings" in texts(at)
            assert button(at, "t_pause").disabled and not button(at, "t_stop").disabled
    assert ra.join(TIMEOUT) and ra.state == "done"
    for at in (a, b):
        at.run()
        assert_ok(at)
        assert any("Done: 2 epochs" in s.value for s in at.success)
        assert "shared by" not in texts(at)
    ia, ib = a.session_state["in_play"], b.session_state["in_play"]
    assert ia.origin == ib.origin == "trained" and ia.model is not ib.model
    assert ia.history is not ib.history and ia.history["steps"] == ib.history["steps"]
    for (name, pa), pb in zip(ia.model.state_dict().items(), ib.model.state_dict().values(),
                              strict=True):
        assert torch.equal(pa, pb) and pa.data_ptr() != pb.data_ptr(), name


def test_a_tab_that_stops_a_shared_run_leaves_it_and_it_goes_on_for_the_other():
    a, b = open_training(), open_training()
    with HeldSlots():
        ra, rb = tiny_run(a, n=48, epochs=2), tiny_run(b, n=48, epochs=2)
        assert ra.run is rb.run
        button(a, "t_stop").click().run()
        assert_ok(a)
        assert "t_run" not in a.session_state and not ra.run.stopping
        assert any("left the shared run" in i.value for i in a.info)
        assert not button(a, "t_start").disabled
        b.run()
        assert "shared by" not in texts(b) and not button(b, "t_pause").disabled
    assert rb.join(TIMEOUT) and rb.state == "done"
    b.run()
    assert b.session_state["in_play"].origin == "trained"
    a.run()
    assert a.session_state["in_play"].origin == "book"  # it left: no model from that run


def test_a_tab_with_another_seed_gets_a_run_of_its_own():
    a, b = open_training(), open_training()
    b.number_input(key="t_seed").set_value(1).run()
    with HeldSlots():
        ra, rb = tiny_run(a, n=48, epochs=2), tiny_run(b, n=48, epochs=2)
        assert ra.run is not rb.run and not rb.joined
        b.run()
        assert "shared by" not in texts(b)
    assert ra.join(TIMEOUT) and rb.join(TIMEOUT)
