"""ae.live.run: a dashboard run from recipe to checkpoint, headless (no Streamlit) - progress,
pause/resume/stop, the server-wide slots and their queue, the lease, the live view's budget,
failure, and a clean interpreter exit with a run still training."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from ae.data import synthetic
from ae.data.sources import Dataset
from ae.live.lease import Lease
from ae.live.run import Run
from ae.live.slots import MAX_JOBS_ENV, Slots, default_max_jobs
from ae.model import checkpoint
from ae.model.config import AEConfig
from ae.train.recipe import Recipe

TIMEOUT = 60  # upper bounds for a busy machine; the tests return as soon as they can
ROOT = Path(__file__).resolve().parents[1]


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


def tiny_config() -> AEConfig:
    return AEConfig(input_dim=(28, 28, 1), encoder_conv_filters=[4, 8],
                    encoder_conv_kernel_size=[3, 3], encoder_conv_strides=[2, 2],
                    decoder_conv_t_filters=[4, 1], decoder_conv_t_kernel_size=[3, 3],
                    decoder_conv_t_strides=[2, 2], z_dim=2)


def dataset(n_train: int = 80, n_test: int = 60, x_train=None) -> Dataset:
    xt, yt = synthetic.make_digits(n_train, seed=0)
    xs, ys = synthetic.make_digits(n_test, seed=1)
    t = torch.from_numpy
    return Dataset("mnist", "synthetic", t(xt) if x_train is None else x_train, t(yt),
                        t(xs), t(ys), [])


def recipe(**kw) -> Recipe:
    kw.setdefault("subset", 64)
    kw.setdefault("precision", "fp32")
    return Recipe(**kw)


def make(r: Recipe, ds: Dataset | None = None, **kw) -> Run:
    kw.setdefault("threads", 1)
    kw.setdefault("slots", Slots(2))
    return Run.create(tiny_config(), ds or dataset(), r, **kw)


def endless(slots: Slots, **kw) -> Run:
    """A run that trains until it is stopped, without the live view."""
    return make(recipe(epochs=10_000, **kw), slots=slots, live=False)


def wait_for(condition, timeout: float = TIMEOUT) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


# -- from start to finish --------------------------------------------------------------------
def test_a_tiny_run_trains_records_the_live_view_and_leaves_a_checkpoint():
    run = make(recipe(epochs=3, batch_size=32), interval=0.0, budget=1.0)
    assert run.state == "idle" and not run.active and run.progress()["step"] == 0
    assert len(run.frames()["codes"]) == 1  # the wall before training
    assert run.finish() is None  # not over yet
    run.start()
    run.start()  # a second start does nothing
    assert run.join(TIMEOUT) and run.state == "done" and not run.active and run.done
    p = run.progress()
    assert p["error"] is None and p["eta_s"] == 0 and p["images_per_s"] > 0
    assert p["step"] == p["total_steps"] == 6 and len(p["steps"]) == 6
    assert p["epoch"] == p["epochs"] == 3 and p["last_loss"] == p["steps"][-1]
    assert [e["epoch"] for e in p["epochs_history"]] == [0, 1, 2] and p["precision"] == "fp32"
    assert run.progress(steps_from=4)["steps"] == p["steps"][4:]
    assert run.images_trained() == 3 * 64
    frames = run.frames()
    assert frames["codes"].shape[1:] == (60, 2) and len(frames["codes"]) >= 2
    rec = run.latest_recons()
    assert rec.images.shape == rec.recons.shape == (5, 28, 28) and np.isfinite(rec.mse).all()
    assert list(rec.index) == [0, 1, 2, 3, 4]

    ckpt = run.finish()
    assert ckpt is run.finish()  # made once
    assert ckpt.config == tiny_config() and ckpt.dataset == "mnist"
    assert ckpt.history["steps"] == p["steps"] and len(ckpt.history["epochs"]) == 3
    assert ckpt.history["epochs"][-1]["test_loss"] is not None
    assert int(ckpt.snapshots["steps"][-1]) == 6  # the wall as training left it
    assert ckpt.meta["state"] == "done" and ckpt.meta["recipe"]["lr"] == 0.0005
    assert Recipe.from_dict(ckpt.meta["recipe"]) == run.recipe
    assert ckpt.meta["recipe"]["subset"] == 64 and "subset=64" in ckpt.meta["command"]
    model = ckpt.model()
    assert model is not run.model  # the model put in play is a copy, not the trainer's
    theirs = run.model.state_dict()
    assert all(torch.equal(v, theirs[k]) for k, v in model.state_dict().items())


def test_a_run_draws_a_new_seeded_model_without_touching_the_global_rng():
    before = torch.random.get_rng_state()
    a, b = make(recipe(seed=3)), make(recipe(seed=3))
    c = make(recipe(seed=4))
    assert torch.equal(torch.random.get_rng_state(), before)
    wa, wb, wc = (r.model.state_dict() for r in (a, b, c))
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    assert not all(torch.equal(wa[k], wc[k]) for k in wa)
    assert a.model is not b.model and a.state == "idle" and not a.active
    assert len(a.trainer.x_train) == 64 and len(make(recipe(subset=None)).trainer.x_train) == 80
    with pytest.raises(ValueError, match="subset"):
        make(recipe(subset=81))
    with pytest.raises(ValueError, match="epochs"):
        make(recipe(epochs=0))


def test_the_checkpoint_round_trips_through_bytes():
    run = make(recipe(subset=32, epochs=1), live=False)
    run.start()
    assert run.join(TIMEOUT)
    ckpt = run.finish()
    again = checkpoint.load(checkpoint.to_bytes(ckpt.model(), ckpt.history, ckpt.dataset,
                                                ckpt.meta, ckpt.snapshots))
    assert again.history == ckpt.history and again.meta == ckpt.meta


# -- pause, resume, stop ---------------------------------------------------------------------
def test_pause_resume_and_stop_a_running_run():
    run = endless(Slots(1))
    run.start()
    assert wait_for(lambda: run.progress()["step"] >= 2)
    p = run.progress()
    assert p["state"] == "running" and p["eta_s"] is not None and p["eta_s"] > 0
    run.pause()
    assert wait_for(lambda: run.state == "paused")
    n = run.progress()["step"]
    time.sleep(0.2)
    assert run.progress()["step"] == n and run.progress()["paused"] and run.active
    run.resume()
    assert wait_for(lambda: run.progress()["step"] > n)
    run.stop()
    assert run.join(TIMEOUT) and run.state == "stopped" and not run.trainer.model.training
    steps = len(run.trainer.history.steps)
    full, part = divmod(steps, 2)  # 64 images in batches of 32: 2 steps an epoch
    assert run.images_trained() == full * 64 + part * 32


def test_stop_while_paused_and_stop_before_start():
    run = endless(Slots(1))
    run.start()
    assert wait_for(lambda: run.progress()["step"] >= 1)
    run.pause()
    assert wait_for(lambda: run.state == "paused")
    run.stop()
    assert run.join(TIMEOUT) and run.state == "stopped"

    idle = make(recipe(epochs=2))
    idle.stop()
    assert idle.state == "stopped" and idle.finish() is None  # nothing trained to keep
    idle.start()  # nothing to start any more
    assert idle.join(1) and idle.progress()["step"] == 0


def test_fast_calls_in_any_order_never_deadlock():
    run = endless(Slots(1))
    rng = random.Random(0)
    actions = [run.pause, run.resume, run.pause, run.resume, run.progress]

    def hammer():
        for _ in range(300):
            rng.choice(actions)()

    run.start()
    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
        assert not t.is_alive()
    run.resume()
    run.stop()
    run.stop()
    run.pause()
    assert run.join(TIMEOUT) and run.state == "stopped"


# -- the server's slots --------------------------------------------------------------------------
def test_the_cap_queues_extra_runs_and_a_paused_run_gives_its_slot_back():
    slots = Slots(1)
    first = endless(slots)
    second = make(recipe(epochs=1, seed=1), slots=slots, live=False)
    first.start()
    assert wait_for(lambda: first.state == "running")
    second.start()
    assert wait_for(lambda: second.state == "queued")
    time.sleep(0.1)
    assert second.state == "queued" and second.progress()["step"] == 0 and second.active
    first.pause()  # paused: uses no CPU, so the queued run may train
    assert second.join(TIMEOUT) and second.state == "done"
    first.resume()
    assert wait_for(lambda: first.state == "running")
    first.stop()
    assert first.join(TIMEOUT) and first.state == "stopped" and slots.used == 0


def test_a_queued_run_can_be_stopped_and_the_cap_can_grow():
    slots = Slots(1)
    first, waiting = endless(slots), endless(slots)
    third = make(recipe(epochs=1), slots=slots, live=False)
    first.start()
    assert wait_for(lambda: first.state == "running")
    waiting.start()
    third.start()
    assert wait_for(lambda: waiting.state == "queued" and third.state == "queued")
    waiting.stop()
    assert waiting.join(TIMEOUT) and waiting.state == "stopped"
    slots.max = 2  # room for one more: the third run trains while the first still does
    assert third.join(TIMEOUT) and third.state == "done"
    first.stop()
    assert first.join(TIMEOUT) and slots.used == 0


def test_default_cap_is_half_the_cores_or_the_environment(monkeypatch):
    monkeypatch.delenv(MAX_JOBS_ENV, raising=False)
    assert Slots().max == max(1, (os.cpu_count() or 2) // 2)
    assert default_max_jobs(None, cpu_count=16) == 8 and default_max_jobs("3", 16) == 3
    for garbage in ("0", "-2", "two", "", "1.5", "²", "٣"):  # typos: the default, no crash
        assert default_max_jobs(garbage, cpu_count=16) == 8
    monkeypatch.setenv(MAX_JOBS_ENV, "5")
    assert Slots().max == 5 and Slots(2).max == 2


# -- the lease -----------------------------------------------------------------------------------
def test_a_lease_lapses_ttl_seconds_after_its_last_renewal():
    now = [100.0]
    lease = Lease(10, clock=lambda: now[0])
    assert not lease.expired and lease.remaining == 10
    now[0] += 9
    lease.renew()
    now[0] += 9.5
    assert not lease.expired
    now[0] += 0.5
    assert lease.expired and lease.remaining == 0
    for bad in (0, -1, "10"):
        with pytest.raises(ValueError):
            Lease(bad)


@pytest.mark.parametrize("where", ["running", "paused", "queued"])
def test_a_run_whose_lease_lapses_stops_itself_and_frees_its_slot(where):
    slots = Slots(1)
    blocker = endless(slots) if where == "queued" else None
    if blocker:
        blocker.start()
        assert wait_for(lambda: blocker.state == "running")
    lease = Lease(3600)
    run = make(recipe(epochs=10_000), slots=slots, live=False, lease=lease)
    assert run.lease is lease
    run.start()
    assert wait_for(lambda: run.state == where if where != "paused" else run.progress()["step"])
    if where == "paused":
        run.pause()
        assert wait_for(lambda: run.state == "paused")
    time.sleep(0.2)
    assert run.active and not run.lapsed
    lease.ttl_s = 0.05  # nobody renews it any more
    assert run.join(TIMEOUT) and run.state == "stopped" and run.lapsed
    if blocker:
        blocker.stop()
        assert blocker.join(TIMEOUT)
    assert slots.used == 0


def test_a_renewed_lease_keeps_the_run_going():
    lease = Lease(0.5)
    run = make(recipe(epochs=10_000), live=False, lease=lease)
    run.start()
    end = time.monotonic() + 1.5  # three times the lease
    while time.monotonic() < end:
        lease.renew()
        time.sleep(0.05)
    assert run.state == "running" and not run.lapsed
    run.stop()
    assert run.join(TIMEOUT) and not run.lapsed


# -- failure -------------------------------------------------------------------------------------
def test_a_nan_loss_fails_as_diverged_and_keeps_finite_weights():
    x = torch.from_numpy(synthetic.make_digits(64, seed=0)[0]).float() / 255
    x[:] = float("nan")
    run = make(recipe(epochs=2), dataset(x_train=x))
    run.start()
    assert run.join(TIMEOUT)
    assert run.state == "failed" and run.diverged and "learning rate" in run.error
    assert "lower the learning rate" in run.progress()["error"]
    assert run.finish() is None  # it diverged at the first step: nothing learned to keep
    assert all(torch.isfinite(v).all() for v in run.model.state_dict().values())


def test_a_run_that_blows_up_later_keeps_what_it_learned_before():
    x = torch.from_numpy(synthetic.make_digits(64, seed=0)[0]).float() / 255
    x[17] = float("nan")  # one bad image: the run trains until its batch comes up
    run = make(recipe(epochs=1, batch_size=1), dataset(x_train=x), live=False)
    run.start()
    assert run.join(TIMEOUT) and run.diverged
    steps = len(run.trainer.history.steps)
    assert 0 < steps < 64 and all(v == v for v in run.trainer.history.steps)  # no NaN kept
    ckpt = run.finish()
    assert ckpt.history["steps"] == run.trainer.history.steps and ckpt.meta["state"] == "failed"
    assert "learning rate" in ckpt.meta["error"]
    assert all(torch.isfinite(v).all() for v in ckpt.state_dict.values())


def test_a_bug_fails_with_its_traceback(monkeypatch):
    run = make(recipe(epochs=1), live=False)
    monkeypatch.setattr(run.trainer, "fit", lambda *a, **k: 1 / 0)
    run.start()
    assert run.join(TIMEOUT) and run.state == "failed" and not run.diverged
    assert "ZeroDivisionError" in run.error and "Traceback" in run.traceback


# -- the live view's budget ----------------------------------------------------------------------
def test_frames_follow_the_time_budget_not_every_step():
    run = make(recipe(epochs=3), interval=3600.0)
    run.start()
    assert run.join(TIMEOUT)
    # before training, after the first step (it warms up, so it sets no pace), then an hour
    # later: never in this run; finish() adds the wall as training left it
    assert run.live.frames == 2
    assert run.finish().snapshots["steps"].tolist() == [0, 1, 6]
    headless = make(recipe(epochs=1), live=False)
    headless.start()
    assert headless.join(TIMEOUT) and headless.live.frames == 0


def test_live_frames_take_at_most_their_budget_of_the_training_time(monkeypatch):
    """A fake clock: each frame costs 0.5 s, each training step 0.1 s. After the first frame
    in training (warm-up: it only waits `interval`), frames come every 0.5 / 5% = 10 s."""
    from ae.live import snapshot as live

    clock = [0.0]
    monkeypatch.setattr(live.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(live.reconstructions, "reconstruct_indices", lambda *a: "recons")

    class Recorder:
        steps: list[int] = []

        def record(self, model, step, epoch):
            clock[0] += 0.5
            self.steps.append(step)

    class FakeTrainer:
        model, epoch = None, 0

    view = live.LiveView(Recorder(), None, None, np.arange(5), interval=1.0, budget=0.05)
    for step in range(1000):  # 100 s of training
        view.on_step(FakeTrainer(), step, 0.1)
        clock[0] += 0.1
    steps = view.recorder.steps
    assert steps[:2] == [1, 11]  # step 1, then 1 s (10 steps) later: warm-up sets no pace
    gaps = np.diff(steps[1:])
    assert (gaps >= 100).all()  # 10 s of training between frames
    assert view.seconds / (100 + view.seconds) <= 0.05 + 0.5 / 100
    assert view.latest() == "recons"


def test_test_loss_is_measured_within_its_budget():
    from ae.live.snapshot import eval_every

    assert eval_every(1_000, 1_000, 200) == 7  # the book: 1,000 evals ~ 333 training images
    assert eval_every(60_000, 1_000, 10) == 1
    assert eval_every(64, 1_000, 2) == 2  # never beyond the run (the last epoch is measured)
    for n in (10, 1_000, 60_000):
        k = eval_every(n, 1_000, 10_000)
        assert 1_000 / 3 / (k * n) <= 0.05


# -- the interpreter's exit ----------------------------------------------------------------------
EXIT_MID_RUN = """
import sys, time
import torch
from ae.train.recipe import Recipe
from tests.test_run import dataset, tiny_config
from ae.live.run import Run

torch.set_num_threads(2)
run = Run.create(tiny_config(), dataset(), Recipe(subset=64, epochs=10_000), live=False)
run.start()
end = time.monotonic() + 60
while not run.trainer.history.steps and time.monotonic() < end:
    time.sleep(0.01)
print("training", run.state, flush=True)
sys.exit(0)  # the worker is inside a step now
"""


def test_the_interpreter_exits_cleanly_while_a_run_trains():
    proc = subprocess.run([sys.executable, "-c", EXIT_MID_RUN], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert "training running" in proc.stdout, proc.stderr
    assert proc.returncode == 0, proc.stderr
    assert "terminate called" not in proc.stderr
