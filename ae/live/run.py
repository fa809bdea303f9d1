"""One training run of a new model for the dashboard: its worker thread, its place among the
server's training slots, pause / resume / stop, the live snapshot a page polls, the checkpoint.

Why a thread: a Streamlit script thread dies on every rerun, so training lives in a thread of
its own that never calls Streamlit; the page redraws from `progress()`, `frames()` and
`latest_recons()`. A run trains only while it holds one of the server's slots (`ae.live.slots`):
later runs wait, "queued"; a paused run gives its slot back. Pause and stop are carried out by
the worker between two steps (a trainer callback that waits, or raises StopTraining): the one
place they are implemented. A run with a lease stops itself once nobody renews it.

States: idle -> queued -> running <-> paused -> done | stopped | failed (error says why).
"""

from __future__ import annotations

import atexit
import itertools
import logging
import threading
import time
import traceback
import weakref

import torch
from torch import nn

from ae.analysis.reconstructions import Reconstructions
from ae.data.sources import Dataset
from ae.live import snapshot as live_view
from ae.live.lease import Lease
from ae.live.slots import Slots, share_cores
from ae.live.slots import slots as server_slots
from ae.model import checkpoint, kinds
from ae.model.config import AEConfig
from ae.train.recipe import Recipe
from ae.train.trainer import StopTraining, Trainer, TrainingDiverged

_log = logging.getLogger(__name__)

FINISHED = ("done", "stopped", "failed")
ACTIVE = ("queued", "running", "paused")
EXIT_JOIN_S = 10.0  # at interpreter exit, how long to wait for the runs' last steps
_ids = itertools.count(1)
_in_memory: weakref.WeakSet = weakref.WeakSet()  # every Run not yet garbage-collected


def runs_in_memory() -> int:
    """How many runs still hold their model, optimizer and live view in memory: after the
    tabs of a class are closed and let go (`release`), this falls to the runs still shown."""
    return sum(1 for run in list(_in_memory) if not run.released)


class Run:
    """One run: `Run.create(...)`, then `start()`; control and reading from any thread."""

    def __init__(self, recipe: Recipe, model: nn.Module, trainer: Trainer,
                 live: live_view.LiveView, ds: Dataset, *, slots: Slots | None = None,
                 lease: Lease | None = None):
        self.recipe, self.model, self.trainer, self.live = recipe, model, trainer, live
        self.dataset, self.data_source = ds.name, ds.source
        self.n_images = len(trainer.x_train)
        self.slots = slots or server_slots
        self.lease = lease  # None: the run never lapses; any object with .expired, .remaining
        self.id = next(_ids)  # unique in this server, unlike id(), which memory reuse repeats
        self.released = self.lapsed = False  # lapsed: stopped because its lease ran out
        self.error: str | None = None
        self.traceback: str | None = None  # set for a bug; a diverged run has none
        self._cv = self.slots.cv  # one lock for the cap and all runs: no lock order to get wrong
        self._state = "idle"
        self._pause_req = self._stop_req = self._holding = False
        self._thread: threading.Thread | None = None
        self.total_steps = recipe.epochs * trainer.steps_per_epoch  # a new model: from step 0
        self._active_s, self._active_since = 0.0, None  # running time without pauses/queue
        self._finished, self._finish_lock = None, threading.Lock()  # the checkpoint, once
        self._finished_bytes: bytes | None = None  # its file, once: copies for shared watchers
        trainer.add_callback("on_step", self._between_steps)
        _in_memory.add(self)

    @classmethod
    def create(cls, config: AEConfig, ds: Dataset, recipe: Recipe | None = None, *,
               slots: Slots | None = None, lease: Lease | None = None, live: bool = True,
               device: str = "auto", threads: int | None = None,
               n_eval: int = live_view.N_EVAL, **live_kw: float) -> Run:
        """A new model from `config` (weights drawn from `recipe.seed`), ready to start.

        live=False leaves out the live view (the headless reference of the overhead script);
        `live_kw`: n_probe, n_recons, interval, budget of the live view (ae.live.snapshot)."""
        recipe = (recipe or Recipe()).check(len(ds.x_train))
        with torch.random.fork_rng(devices=[]):  # seed this model, not the whole server
            torch.manual_seed(recipe.seed)
            model = kinds.build(config)
        x_train, x_eval = ds.x_train[:recipe.n_images(len(ds.x_train))], ds.x_test[:n_eval]
        view = live_view.LiveView.of_test_set(ds, recipe.seed, **live_kw)
        trainer = Trainer(model, x_train, x_eval, lr=recipe.lr, batch_size=recipe.batch_size,
                          seed=recipe.seed, precision=recipe.precision, device=device,
                          threads=threads, on_step=view.on_step if live else None,
                          test_every=live_view.eval_every(len(x_train), len(x_eval),
                                                          recipe.epochs),
                          r_loss_factor=recipe.r_loss_factor if config.is_vae else None)
        if live:
            view.capture(model, 0, 0, schedule=False)  # the wall before training: one blob
        return cls(recipe, model, trainer, view, ds, slots=slots, lease=lease)

    # -- control (any thread, any order, never blocks for long) -----------------------------
    def start(self) -> None:
        """Start the worker thread (daemon); a second call does nothing."""
        with self._cv:
            if self._thread is not None or self._state != "idle":
                return
            self._state = "queued"
            self._thread = threading.Thread(target=self._work, name="ae-training", daemon=True)
        self._thread.start()

    def pause(self, paused: bool = True) -> None:
        """Pause after the current step (the slot goes to a queued run); pause(False) resumes."""
        with self._cv:
            self._pause_req = paused
            self._cv.notify_all()

    def resume(self) -> None:
        self.pause(False)

    def stop(self) -> None:
        """Stop after the current step (at once when queued, paused or not started)."""
        with self._cv:
            self._stop_req = True
            self._state = "stopped" if self._state == "idle" else self._state
            self._cv.notify_all()

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the worker; True when the run has finished."""
        if self._thread is not None:
            self._thread.join(timeout)
        return self.done

    def release(self, timeout: float = 30.0) -> None:
        """Stop, and let go of the model, the optimizer and the live view's frames (a closed
        tab's run); only the recipe and the state remain, and `finish()` returns None."""
        self.stop()
        if not self.join(timeout):
            return  # still inside a step after `timeout`: keep it whole, the caller may retry
        with self._finish_lock:
            self.released = True
            self.model = self.trainer = self.live = self._finished = None
            self._finished_bytes = None

    # -- reading ------------------------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    @property
    def done(self) -> bool:
        return self._state in FINISHED

    @property
    def active(self) -> bool:
        """Queued, running or paused: the run holds (or waits for) the server's attention."""
        return self._state in ACTIVE

    @property
    def stopping(self) -> bool:
        """Asked to stop (or its lease lapsed): it ends after the current step."""
        return self._stop_req

    @property
    def diverged(self) -> bool:
        """Failed because the loss became NaN/inf (other failures keep a traceback)."""
        return self._state == "failed" and self.traceback is None

    def progress(self, steps_from: int = 0) -> dict:
        """A consistent copy of where the run stands; `steps` holds losses from `steps_from`."""
        t = self.trainer
        with self._cv:
            active = self._active_s + (time.perf_counter() - self._active_since
                                       if self._active_since is not None else 0.0)
            state, error = self._state, self.error
        steps = list(t.history.steps)  # copies: the worker appends while we read
        history = [dict(e) for e in t.history.epochs]
        done, left = len(steps), max(0, self.total_steps - len(steps))
        eta = active / done * left if done and state not in FINISHED else None
        return {"state": state, "error": error, "paused": state == "paused",
                "step": done, "total_steps": self.total_steps,
                "epoch": t.epoch, "epochs": self.recipe.epochs, "images_per_s": t.images_per_s,
                "eta_s": 0.0 if state == "done" else eta, "elapsed_s": active,
                "last_loss": steps[-1] if steps else None, "steps_from": steps_from,
                "steps": steps[steps_from:], "epochs_history": history,
                "precision": t.precision, "device": str(t.device)}

    def frames(self) -> dict:
        """The wall frames recorded so far (WallRecorder.snapshots())."""
        return self.live.recorder.snapshots()

    def latest_recons(self) -> Reconstructions | None:
        return self.live.latest()

    def images_trained(self) -> int:
        """Training images seen so far (the last batch of an epoch may be smaller)."""
        full, part = divmod(len(self.trainer.history.steps), self.trainer.steps_per_epoch)
        return full * self.n_images + min(part * self.recipe.batch_size, self.n_images)

    # -- the worker -------------------------------------------------------------------------
    def _work(self) -> None:
        trainer, target = self.trainer, self.trainer.epoch + self.recipe.epochs
        share_cores(trainer, self.slots.max)
        state, error, trace = "stopped", None, None
        try:
            if self._wait_turn():
                trainer.fit(target, initial_epoch=trainer.epoch)
                state = "done" if trainer.epoch >= target else "stopped"
        except TrainingDiverged as e:
            state, error = "failed", str(e)
        except Exception as e:  # a failed run must say why rather than die silently
            state, error, trace = "failed", f"{type(e).__name__}: {e}", traceback.format_exc()
        finally:
            with self._cv:
                if self._holding:
                    self._holding = False
                    self.slots.release()
                self._clock(False)
                self._state, self.error, self.traceback = state, error, trace
                self._cv.notify_all()

    def _between_steps(self, trainer: Trainer, step: int, loss: float) -> None:
        if not self._wait_turn():
            raise StopTraining  # fit() returns; the step just taken is kept

    def _wait_turn(self) -> bool:
        """Block until this run holds a slot and is not paused; False once it is to stop
        (asked to, or its lease lapsed, which is also checked while paused or queued)."""
        with self._cv:
            if self._holding and not (self._pause_req or self._stop_req or self._lapsed()):
                return True  # the per-step fast path
            while not (self._stop_req or self._lapsed()):
                if self._pause_req:
                    if self._holding:  # a paused run uses no CPU: let a queued one train
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
                # notified on every change; the timeout is a safety net and the lease's clock
                self._cv.wait(min(1.0, max(0.01, self.lease.remaining)) if self.lease else 1.0)
            return False

    def _lapsed(self) -> bool:
        """True once the lease has run out (then for good). Lock held."""
        if not self.lapsed and self.lease is not None and self.lease.expired:
            self.lapsed = self._stop_req = True
            _log.warning("run %s stops itself: its lease lapsed (nobody watches it)", self.id)
        return self.lapsed

    def _clock(self, running: bool) -> None:
        """Count active seconds for the ETA (queue and pause time excluded). Lock held."""
        now = time.perf_counter()
        if self._active_since is not None:
            self._active_s += now - self._active_since
        self._active_since = now if running else None

    # -- the result -----------------------------------------------------------------------------
    def finish(self) -> checkpoint.Checkpoint | None:
        """The finished run as a checkpoint (None before the run is over, or when it trained
        no step). Goes through `checkpoint.to_bytes` and `load`, so the model put in play is a
        copy that passed the same checks as a downloaded file, and no longer the trainer's."""
        data = self.finish_bytes()
        if data is None:
            return None
        with self._finish_lock:
            if self._finished is None and not self.released:
                self._finished = checkpoint.load(data)
            return self._finished

    def finish_bytes(self) -> bytes | None:
        """The finished run's checkpoint file, made once (None as for `finish`): every tab
        that watched a shared run loads its own copy from it (ae.live.shared.Watch.finish)."""
        if not self.done or self.released:
            return None
        with self._finish_lock:
            if self.released:
                return None
            if self._finished_bytes is None and self.trainer.history.steps:
                step, epoch = len(self.trainer.history.steps), self.trainer.epoch
                if self.live.recorder.snapshots()["steps"][-1:].tolist() != [step]:
                    self.live.capture(self.model, step, epoch, schedule=False)  # the last wall
                self._finished_bytes = checkpoint.to_bytes(
                    self.model, history=self.trainer.history, dataset=self.dataset,
                    meta=self.meta(), snapshots=self.live.recorder.snapshots())
            return self._finished_bytes

    def meta(self) -> dict:
        """What a checkpoint of this run says about how it was made (`recipe`: a plain dict)."""
        p, h = self.progress(), self.trainer.history
        last = h.epochs[-1] if h.epochs else {}
        tests = [e["test_loss"] for e in h.epochs if e.get("test_loss") is not None]
        parts = {k: v for k, v in last.items() if k.endswith(("_r_loss", "_kl_loss"))}
        return {"command": "dashboard training page: "
                + self.recipe.describe(self.model.config.kind),
                "recipe": self.recipe.to_dict(), "seconds": round(p["elapsed_s"], 1),
                "steps": len(h.steps), "epochs_done": len(h.epochs),
                "train_loss": last.get("train_loss"), "test_loss": tests[-1] if tests else None,
                **parts,
                "data_source": self.data_source, "device": p["device"],
                "precision": p["precision"], "state": p["state"], "error": p["error"],
                "live_frames": self.live.frames, "live_seconds": round(self.live.seconds, 2)}


@atexit.register
def _stop_runs_at_exit() -> None:
    """Stop every run and wait briefly for its worker: a daemon thread still inside torch
    while the interpreter finalises aborts the process ("terminate called without an active
    exception")."""
    runs = [run for run in list(_in_memory) if run._thread is not None]
    for run in runs:
        run.stop()
    end = time.monotonic() + EXIT_JOIN_S
    for run in runs:
        run.join(max(0.0, end - time.monotonic()))
