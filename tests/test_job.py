"""ae.job: a training run in a worker thread - progress, pause/resume/stop, failure, the cap."""

from __future__ import annotations

import random
import threading
import time

import pytest

from ae.train.job import MAX_JOBS_ENV, Slots, TrainingJob, default_max_jobs
from ae.train.trainer import Trainer
from tests.test_train import blobs, small_model

TIMEOUT = 30  # generous upper bounds for a busy machine; tests return as soon as they can


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


def trainer(**kw) -> Trainer:
    kw.setdefault("precision", "fp32")
    kw.setdefault("threads", 1)
    return Trainer(small_model(), blobs(64), **kw)


def wait_for(condition, timeout: float = TIMEOUT) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


def test_a_job_runs_to_the_end_and_reports_progress():
    job = TrainingJob(trainer(), epochs=2, slots_=Slots(2))
    assert job.state == "idle" and job.progress()["step"] == 0
    job.start()
    job.start()  # a second start does nothing
    assert job.join(TIMEOUT)
    p = job.progress()
    assert p["state"] == "done" and p["error"] is None and job.done
    assert p["step"] == p["total_steps"] == 2 * 2 and p["epoch"] == p["epochs"] == 2
    assert len(p["steps"]) == 4 and p["last_loss"] == p["steps"][-1]
    assert [e["epoch"] for e in p["epochs_history"]] == [0, 1]
    assert p["eta_s"] == 0 and p["images_per_s"] > 0 and p["precision"] == "fp32"
    assert job.progress(steps_from=3)["steps"] == p["steps"][3:]
    assert job.history().steps == p["steps"]


def test_pause_resume_and_stop_a_running_job():
    job = TrainingJob(trainer(), epochs=10_000, slots_=Slots(1))
    job.start()
    assert wait_for(lambda: job.progress()["step"] >= 2)
    p = job.progress()
    assert p["state"] == "running" and p["eta_s"] is not None and p["eta_s"] > 0
    job.pause()
    assert wait_for(lambda: job.state == "paused")
    n = job.progress()["step"]
    time.sleep(0.2)
    assert job.progress()["step"] == n and job.progress()["paused"]
    job.resume()
    assert wait_for(lambda: job.progress()["step"] > n)
    job.stop()
    assert job.join(TIMEOUT) and job.state == "stopped"
    assert not job.trainer.model.training


def test_stop_while_paused_and_stop_before_start():
    job = TrainingJob(trainer(), epochs=10_000, slots_=Slots(1))
    job.start()
    assert wait_for(lambda: job.progress()["step"] >= 1)
    job.pause()
    assert wait_for(lambda: job.state == "paused")
    job.stop()
    assert job.join(TIMEOUT) and job.state == "stopped"

    idle = TrainingJob(trainer(), epochs=1)
    idle.stop()
    assert idle.state == "stopped"
    idle.start()  # nothing to start any more
    assert idle.join(1) and idle.progress()["step"] == 0


def test_fast_calls_in_any_order_never_deadlock():
    job = TrainingJob(trainer(), epochs=10_000, slots_=Slots(1))
    rng = random.Random(0)
    actions = [job.pause, job.resume, job.pause, job.resume, job.progress]

    def hammer():
        for _ in range(300):
            rng.choice(actions)()

    job.start()
    threads = [threading.Thread(target=hammer) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
        assert not t.is_alive()
    job.resume()
    job.stop()
    job.stop()
    job.pause()
    assert job.join(TIMEOUT) and job.state == "stopped"


def test_a_diverging_job_fails_with_the_message():
    job = TrainingJob(trainer(lr=1e20), epochs=5, slots_=Slots(1))
    job.start()
    assert job.join(TIMEOUT)
    p = job.progress()
    assert p["state"] == "failed" and "lower the learning rate" in p["error"]
    assert all(v == v for v in p["steps"])  # no NaN kept


def test_the_cap_queues_extra_jobs_and_a_paused_job_gives_its_slot_back():
    slots = Slots(1)
    first = TrainingJob(trainer(), epochs=10_000, slots_=slots)
    second = TrainingJob(trainer(seed=1), epochs=1, slots_=slots)
    first.start()
    assert wait_for(lambda: first.state == "running")
    second.start()
    assert wait_for(lambda: second.state == "queued")
    time.sleep(0.1)
    assert second.state == "queued" and second.progress()["step"] == 0
    first.pause()  # paused: uses no CPU, so the queued job may run
    assert second.join(TIMEOUT) and second.state == "done"
    first.resume()
    assert wait_for(lambda: first.state == "running")
    first.stop()
    assert first.join(TIMEOUT) and first.state == "stopped" and slots.used == 0


def test_a_queued_job_can_be_stopped_and_the_cap_can_grow():
    slots = Slots(1)
    first = TrainingJob(trainer(), epochs=10_000, slots_=slots)
    waiting = TrainingJob(trainer(), epochs=10_000, slots_=slots)
    third = TrainingJob(trainer(), epochs=1, slots_=slots)
    first.start()
    assert wait_for(lambda: first.state == "running")
    waiting.start()
    third.start()
    assert wait_for(lambda: waiting.state == "queued" and third.state == "queued")
    waiting.stop()
    assert waiting.join(TIMEOUT) and waiting.state == "stopped"
    slots.max = 2  # room for one more: the third job runs while the first still does
    assert third.join(TIMEOUT) and third.state == "done"
    first.stop()
    assert first.join(TIMEOUT) and slots.used == 0


def test_continuing_a_stopped_job_with_a_new_one():
    t = trainer()
    job = TrainingJob(t, epochs=10_000, slots_=Slots(1))
    job.start()
    assert wait_for(lambda: job.progress()["step"] >= 1)
    job.stop()
    assert job.join(TIMEOUT)
    done = len(t.history.steps)
    more = TrainingJob(t, epochs=1, slots_=Slots(1))
    assert more.total_steps == t.steps_per_epoch - t.steps_done_in_epoch
    more.start()
    assert more.join(TIMEOUT) and more.state == "done"
    assert len(t.history.steps) == done + more.total_steps
    assert t.on_step is None  # the job's hook is gone again


def test_default_cap_is_half_the_cores_or_the_environment(monkeypatch):
    import os

    monkeypatch.delenv(MAX_JOBS_ENV, raising=False)
    assert Slots().max == max(1, (os.cpu_count() or 2) // 2)
    assert default_max_jobs(None, cpu_count=16) == 8 and default_max_jobs("3", 16) == 3
    for garbage in ("0", "-2", "two", "", "1.5", "²", "٣"):  # typos: the default, no crash
        assert default_max_jobs(garbage, cpu_count=16) == 8
    monkeypatch.setenv(MAX_JOBS_ENV, "5")
    assert Slots().max == 5 and Slots(2).max == 2
    with pytest.raises(ValueError):
        TrainingJob(trainer(), epochs=0)
