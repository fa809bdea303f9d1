"""A training run in a worker thread, with progress a UI can poll, and a cap on parallel runs.

Why: a Streamlit script thread dies on every rerun, so training must live in a thread of its
own that never calls Streamlit (DESIGN.md); the page redraws from `progress()`, a copy taken
under a lock. Training uses every core it is given, so a server runs at most `slots.max`
jobs at once (default: half the logical cores, or $AE_MAX_TRAINING_JOBS); later jobs wait in
state "queued". A paused job gives its slot back (it uses no CPU) and queues again on resume.

States: idle -> queued -> running <-> paused -> done | stopped | failed (error says why).
"""

from __future__ import annotations

import os
import re
import threading
import time
import traceback

import torch

from ae.train.trainer import History, Trainer, TrainingDiverged

FINISHED = ("done", "stopped", "failed")
MAX_JOBS_ENV = "AE_MAX_TRAINING_JOBS"  # a server's operator sets the cap here


def default_max_jobs(env: str | None = None, cpu_count: int | None = None) -> int:
    """$AE_MAX_TRAINING_JOBS when it is a whole number >= 1, else half the logical cores.

    Why half: a training run uses its cores fully, and the web server (every student's page
    reruns) needs the rest; more runs at once only make each one slower."""
    raw = (os.environ.get(MAX_JOBS_ENV) if env is None else env) or ""
    if re.fullmatch(r"[0-9]{1,6}", raw.strip()) and int(raw) >= 1:  # not "²", which isdigit()
        return int(raw)
    return max(1, (cpu_count or os.cpu_count() or 2) // 2)


class Slots:
    """A counting semaphore whose size can change; waiters share its condition variable."""

    def __init__(self, max_jobs: int | None = None):
        self._max = max_jobs
        self.cv = threading.Condition()
        self.used = 0

    @property
    def max(self) -> int:
        return self._max or default_max_jobs()

    @max.setter
    def max(self, n: int | None) -> None:
        with self.cv:
            self._max = n
            self.cv.notify_all()

    def try_acquire(self) -> bool:
        """Take a slot if one is free. Call with `cv` held."""
        if self.used < self.max:
            self.used += 1
            return True
        return False

    def release(self) -> None:
        """Give a slot back. Call with `cv` held."""
        self.used = max(0, self.used - 1)
        self.cv.notify_all()


slots = Slots()  # the server-wide cap; change it with `ae.job.slots.max = n`


class TrainingJob:
    """Runs `trainer.fit` for `epochs` more epochs in a daemon thread."""

    def __init__(self, trainer: Trainer, epochs: int, slots_: Slots | None = None):
        if not (isinstance(epochs, int) and epochs >= 1):
            raise ValueError(f"epochs must be a whole number >= 1, not {epochs!r}")
        self.trainer, self.epochs = trainer, epochs
        self.slots = slots_ or slots
        self._cv = self.slots.cv  # one lock for the cap and all jobs: no lock order to get wrong
        self._state, self.error, self.traceback = "idle", None, None
        self._pause_req = self._stop_req = self._holding = self._in_fit = False
        self._thread: threading.Thread | None = None
        self._first_epoch = trainer.epoch
        self._first_step = len(trainer.history.steps)
        # steps still to do: the rest of a stopped epoch, if any, counts as the first epoch
        self.total_steps = epochs * trainer.steps_per_epoch - trainer.steps_done_in_epoch
        self._active_s, self._active_since = 0.0, None  # running time without pauses/queue
        self._user_on_step = None

    # -- control (any thread, any order, never blocks for long) ---------------------------
    def start(self) -> None:
        """Start the worker thread; a second call does nothing."""
        with self._cv:
            if self._thread is not None or self._state != "idle":
                return
            self._state = "queued"
            self._thread = threading.Thread(target=self._run, name="ae-training", daemon=True)
        self._thread.start()

    def pause(self) -> None:
        with self._cv:
            self._pause_req = True
            self._cv.notify_all()

    def resume(self) -> None:
        with self._cv:
            self._pause_req = False
            self._cv.notify_all()

    def stop(self) -> None:
        """Stop after the current step (or at once when queued, paused or not started)."""
        with self._cv:
            self._stop_req = True
            if self._state == "idle":
                self._state = "stopped"
            in_fit = self._in_fit
            self._cv.notify_all()
        if in_fit:
            self.trainer.stop()  # also wakes a trainer paused directly with trainer.pause()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread; True when the job has finished."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.state in FINISHED

    @property
    def state(self) -> str:
        return self._state

    @property
    def done(self) -> bool:
        return self._state in FINISHED

    # -- the worker ---------------------------------------------------------------------
    def _clock(self, running: bool) -> None:
        """Count active seconds for the ETA (queue and pause time excluded). Lock held."""
        now = time.perf_counter()
        if self._active_since is not None:
            self._active_s += now - self._active_since
        self._active_since = now if running else None

    def _wait_turn(self) -> bool:
        """Block until this job holds a slot and is not paused; False once stop is asked."""
        with self._cv:
            if self._holding and not (self._pause_req or self._stop_req):
                return True  # the per-step fast path
            while not self._stop_req:
                if self._pause_req:
                    if self._holding:  # a paused job uses no CPU: let a queued one run
                        self._holding = False
                        self.slots.release()
                    self._state = "paused"
                    self._clock(False)
                elif self._holding or self.slots.try_acquire():
                    self._holding, self._state = True, "running"
                    self._clock(True)
                    return True
                else:
                    self._state = "queued"
                self._cv.wait(1.0)  # notified on every change; the timeout is a safety net
            return False

    def _on_step(self, trainer: Trainer, step: int, loss: float) -> None:
        if self._user_on_step is not None:
            self._user_on_step(trainer, step, loss)
        if not self._wait_turn():
            trainer.stop()  # fit() returns after this step

    def _run(self) -> None:
        trainer = self.trainer
        if self.slots.max > 1 and trainer.thread_cap is None:
            # share the cores among the jobs that may run at once instead of oversubscribing
            trainer.thread_cap = max(1, torch.get_num_threads() // self.slots.max)
            if isinstance(trainer.threads, int):
                trainer.threads = min(trainer.threads, trainer.thread_cap)
        self._user_on_step, trainer.on_step = trainer.on_step, self._on_step
        state, error = "stopped", None
        try:
            if self._wait_turn():
                with self._cv:
                    self._in_fit = True
                trainer.fit(trainer.epoch + self.epochs, initial_epoch=trainer.epoch)
                state = "stopped" if trainer.stopped or self._stop_req else "done"
        except TrainingDiverged as e:
            state, error = "failed", str(e)
        except Exception as e:  # a failed job must say why rather than die silently
            state, error = "failed", f"{type(e).__name__}: {e}"
            self.traceback = traceback.format_exc()
        finally:
            trainer.on_step = self._user_on_step
            trainer._clear_stop()  # a stop() that raced with the end of fit() must not linger
            with self._cv:
                self._in_fit = False
                if self._holding:
                    self._holding = False
                    self.slots.release()
                self._clock(False)
                self._state, self.error = state, error
                self._cv.notify_all()

    # -- what the UI polls --------------------------------------------------------------
    def progress(self, steps_from: int = 0) -> dict:
        """A consistent copy of where the job stands; `steps` holds losses from `steps_from`."""
        t = self.trainer
        with self._cv:
            active = self._active_s + (time.perf_counter() - self._active_since
                                       if self._active_since is not None else 0.0)
            state, error = self._state, self.error
        steps = list(t.history.steps)  # copies: the worker appends while we read
        history = [dict(e) for e in t.history.epochs]
        done = max(0, len(steps) - self._first_step)
        left = max(0, self.total_steps - done)
        eta = active / done * left if done and state not in FINISHED else None
        return {
            "state": state, "error": error, "paused": state == "paused" or t.paused,
            "step": done, "total_steps": self.total_steps,
            "epoch": t.epoch - self._first_epoch, "epochs": self.epochs,
            "global_epoch": t.epoch, "images_per_s": t.images_per_s,
            "eta_s": 0.0 if state == "done" else eta, "elapsed_s": active,
            "last_loss": steps[-1] if steps else None,
            "steps_from": steps_from, "steps": steps[steps_from:],
            "epochs_history": history,
            "precision": t.precision, "device": str(t.device),
        }

    def history(self) -> History:
        """A copy of the trainer's history, safe to keep while training goes on."""
        return History.from_dict(self.trainer.history.to_dict())
