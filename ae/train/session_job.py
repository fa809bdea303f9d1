"""A training run started from the dashboard: a new model, its Trainer and job, a live view
that records how the wall and a few reconstructions change, and the checkpoint it leaves.

Why a module of its own, with no Streamlit: the training page only collects choices; how a
run is made from them (which images, which seed, how often to measure the test loss and to
record a frame of the live view, what the finished checkpoint holds) is plain code that unit
tests and `scripts/live_overhead.py` run without a page. The page polls `Run.progress()`,
`Run.frames()` and `Run.latest_recons()`; the worker thread never touches the page.

Keeping the live view cheap (issue 4: < 10% of the headless throughput): a frame (the codes
of N_PROBE test images + N_RECONS reconstructions) is recorded in the worker thread between
two steps, at most once per LIVE_INTERVAL seconds *and* never more often than lets the frames
take LIVE_BUDGET of the training time; the test loss is measured on N_EVAL test images only
every few epochs, by the same kind of budget (`eval_every`).
"""

from __future__ import annotations

import itertools
import math
import threading
import time
import weakref
from dataclasses import asdict, dataclass

import numpy as np
import torch

from ae.analysis import reconstructions
from ae.analysis.reconstructions import Reconstructions
from ae.analysis.wall_recorder import WallRecorder
from ae.data.sources import Dataset
from ae.model import checkpoint
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig
from ae.train.job import Slots, TrainingJob
from ae.train.trainer import DEFAULT_LR, Trainer

BOOK_SUBSET = 1_000  # the article trains on the first 1,000 training images
BOOK_EPOCHS = 200
N_PROBE = 500  # test images whose codes make one frame of the live wall
N_RECONS = 5  # the first test images, reconstructed live (MNIST's first five are 7 2 1 0 4)
N_EVAL = 1_000  # test images for the per-epoch test loss
LIVE_INTERVAL = 2.0  # seconds between frames at least (the page redraws its charts every 3 s)
LIVE_BUDGET = 0.04  # share of the training time the frames may take
EVAL_BUDGET = 0.05  # share of the training time measuring the test loss may take
MAX_EPOCHS = 10_000
MAX_BATCH = 4_096
_ids = itertools.count(1)
_in_memory: weakref.WeakSet = weakref.WeakSet()  # every Run not yet garbage-collected


def runs_in_memory() -> int:
    """How many runs still hold their model, optimizer and live view in memory: after the
    tabs of a class are closed and let go (`release`), this falls to the runs still shown."""
    return sum(1 for run in list(_in_memory) if not run.released)


@dataclass(frozen=True)
class Settings:
    """The page's choices for one run (the article's recipe by default)."""

    lr: float = DEFAULT_LR
    batch_size: int = 32
    epochs: int = BOOK_EPOCHS
    subset: int = BOOK_SUBSET  # train on the first `subset` training images
    seed: int = 0  # the model's initial weights and the shuffling

    def check(self, n_available: int) -> Settings:
        """Self, or ValueError saying which choice is out of range."""
        if not (math.isfinite(self.lr) and 0 < self.lr <= 10):
            raise ValueError(f"the learning rate must lie in (0, 10], not {self.lr:g}")
        if not 1 <= self.batch_size <= MAX_BATCH:
            raise ValueError(f"the batch size must lie in 1..{MAX_BATCH:,}, not {self.batch_size}")
        if not 1 <= self.epochs <= MAX_EPOCHS:
            raise ValueError(f"epochs must lie in 1..{MAX_EPOCHS:,}, not {self.epochs}")
        if not 1 <= self.subset <= n_available:
            raise ValueError(f"the training subset must lie in 1..{n_available:,} images, "
                             f"not {self.subset:,}")
        if not 0 <= self.seed < 2**31:
            raise ValueError(f"the seed must lie in 0..{2**31 - 1}, not {self.seed}")
        return self

    def command(self) -> str:
        """The run in one line, as a checkpoint's meta "command" records it."""
        return (f"dashboard training page: lr={self.lr:g} batch_size={self.batch_size} "
                f"epochs={self.epochs} subset={self.subset} seed={self.seed}")


def train_threads(cpu_count: int | None, max_jobs: int) -> int:
    """Threads for one run on a server: the cores shared among the runs that may train at
    once, less one core left to the web server (the pages and this live view).

    Why not every core: PyTorch's OpenMP threads wait for each other at every operation, so
    a thread that loses its core to other work stalls all of them. Measured on a 2-core
    machine shared with other work: 175 images/s with one thread, 18 with two."""
    return max(1, ((cpu_count or 1) - 1) // max(1, max_jobs))


def eval_every(n_train: int, n_eval: int, epochs: int, budget: float = EVAL_BUDGET) -> int:
    """Measure the test loss every k epochs so that it costs about `budget` of the training.

    An evaluation runs the model forward only, about a third of the work of a training step
    on as many images (forward + backward), so one costs ~n_eval / 3 training images; the
    Trainer always measures the last epoch as well."""
    k = math.ceil(n_eval / (3 * max(n_train, 1) * budget))
    return max(1, min(k, epochs))


class LiveView:
    """Trainer callback: now and then, a frame of the wall (codes of the probe images, kept in
    `recorder` for the checkpoint) and the reconstructions of a few test images.

    Runs in the worker thread between two steps, so it sees the model exactly as trained so
    far; the page only reads what it left (`latest()` hands out finished numpy arrays)."""

    def __init__(self, recorder: WallRecorder, x: torch.Tensor, y: torch.Tensor,
                 index: np.ndarray, *, interval: float = LIVE_INTERVAL,
                 budget: float = LIVE_BUDGET):
        self.recorder, self.x, self.y, self.index = recorder, x, y, np.asarray(index)
        self.interval, self.budget = interval, budget
        self.seconds = 0.0  # spent recording frames: the live view's cost to training
        self.frames = 0
        self._next = 0.0  # perf_counter() time of the next frame
        self._warm = False  # a frame was recorded during training (kernels are warm)
        self._latest: Reconstructions | None = None
        self._lock = threading.Lock()

    def on_step(self, trainer: Trainer, step_index: int, loss: float) -> None:
        if time.perf_counter() >= self._next:
            self.capture(trainer.model, step_index + 1, trainer.epoch)

    def capture(self, model: torch.nn.Module, step: int, epoch: int,
                schedule: bool = True) -> None:
        """Record a frame now; the next one waits until this one's cost is `budget` of the
        time between them. schedule=False (the frame before training, which also pays for
        one-time warm-up, and the last one) leaves the schedule alone."""
        t0 = time.perf_counter()
        self.recorder.record(model, step=step, epoch=epoch)
        rec = reconstructions.reconstruct_indices(model, self.x, self.y, self.index)
        with self._lock:
            self._latest = rec
        cost = time.perf_counter() - t0
        self.seconds += cost
        self.frames += 1
        if schedule:  # the first frame in training pays for new kernels: it sets no pace
            gap = max(self.interval, cost / self.budget) if self._warm else self.interval
            self._warm = True
            self._next = time.perf_counter() + gap

    def latest(self) -> Reconstructions | None:
        with self._lock:
            return self._latest


class Run:
    """One training run of a new model: start / pause / resume / stop, progress, the result.

    Build with `Run.create(...)`. Control methods may be called from any thread; `finish()`
    is called once the job is over (by whoever notices first) and returns the checkpoint."""

    def __init__(self, settings: Settings, model: Autoencoder, trainer: Trainer,
                 job: TrainingJob, live: LiveView, ds: Dataset):
        self.settings, self.model, self.trainer, self.job, self.live = (
            settings, model, trainer, job, live)
        self.dataset, self.data_source = ds.name, ds.source
        self.id = next(_ids)  # unique in this server, unlike id(), which memory reuse repeats
        self.released = False
        _in_memory.add(self)
        self._finished: checkpoint.Checkpoint | None = None
        self._finish_lock = threading.Lock()

    @classmethod
    def create(cls, config: AEConfig, ds: Dataset, settings: Settings, *,
               slots: Slots | None = None, live: bool = True, precision: str = "auto",
               device: str = "auto", threads: int | None = None,
               n_probe: int = N_PROBE, n_recons: int = N_RECONS, n_eval: int = N_EVAL,
               interval: float = LIVE_INTERVAL, budget: float = LIVE_BUDGET) -> Run:
        """A new model from `config` (weights drawn from `settings.seed`), ready to start.

        live=False leaves out the live view (the headless reference of the overhead script)."""
        settings.check(len(ds.x_train))
        with torch.random.fork_rng(devices=[]):  # seed this model, not the whole server
            torch.manual_seed(settings.seed)
            model = Autoencoder.from_config(config)
        x_train = ds.x_train[:settings.subset]  # a view: no copy of the images
        x_eval = ds.x_test[:n_eval]
        recorder = WallRecorder(ds.x_test, ds.y_test, n_probe=min(n_probe, len(ds.x_test)),
                                seed=settings.seed)
        view = LiveView(recorder, ds.x_test, ds.y_test, np.arange(min(n_recons, len(ds.x_test))),
                        interval=interval, budget=budget)
        trainer = Trainer(model, x_train, x_eval, lr=settings.lr,
                          batch_size=settings.batch_size, seed=settings.seed,
                          precision=precision, device=device, threads=threads,
                          on_step=view.on_step if live else None,
                          test_every=eval_every(len(x_train), len(x_eval), settings.epochs))
        if live:
            view.capture(model, 0, 0, schedule=False)  # the wall before training: one blob
        job = TrainingJob(trainer, settings.epochs, slots_=slots)
        return cls(settings, model, trainer, job, view, ds)

    # -- control and reading (any thread) -------------------------------------------------
    def start(self) -> None:
        self.job.start()

    def pause(self) -> None:
        self.job.pause()

    def resume(self) -> None:
        self.job.resume()

    def stop(self) -> None:
        self.job.stop()

    @property
    def state(self) -> str:
        return self.job.state

    @property
    def active(self) -> bool:
        """Queued, running or paused: the run holds (or waits for) the server's attention."""
        return self.job.state in ("queued", "running", "paused")

    @property
    def diverged(self) -> bool:
        """Failed because the loss became NaN/inf (other failures keep a traceback)."""
        return self.job.state == "failed" and self.job.traceback is None

    def progress(self) -> dict:
        return self.job.progress()

    def frames(self) -> dict:
        """The wall frames recorded so far (WallRecorder.snapshots())."""
        return self.live.recorder.snapshots()

    def latest_recons(self) -> Reconstructions | None:
        return self.live.latest()

    def images_trained(self) -> int:
        """Training images seen so far (the last batch of an epoch may be smaller)."""
        steps = len(self.trainer.history.steps)
        n, b = self.settings.subset, self.settings.batch_size
        per_epoch = self.trainer.steps_per_epoch
        full, part = divmod(steps, per_epoch)
        return full * n + min(part * b, n)

    def release(self, timeout: float = 30.0) -> None:
        """Stop, and let go of the model, the optimizer and the live view's frames (a closed
        tab's run: Streamlit may keep its session a while, this memory need not wait). Only
        the settings and the job's state remain; `finish()` then returns None."""
        self.stop()
        if not self.job.join(timeout):
            return  # still inside a step after `timeout`: keep it whole, the caller may retry
        with self._finish_lock:
            self.released = True
            self.model = self.trainer = self.live = self._finished = None
            self.job.trainer = None

    # -- the result -----------------------------------------------------------------------
    def finish(self) -> checkpoint.Checkpoint | None:
        """The finished run as a checkpoint (None before the job is over, or when it trained
        no step). Goes through `checkpoint.to_bytes` and `load`, so the model put in play is a
        copy that passed the same checks as a downloaded file, and no longer the trainer's."""
        if not self.job.done or self.released:
            return None
        with self._finish_lock:
            if self.released:
                return None
            if self._finished is None and self.trainer.history.steps:
                step, epoch = len(self.trainer.history.steps), self.trainer.epoch
                if self.live.recorder.snapshots()["steps"][-1:].tolist() != [step]:
                    # the wall as training left it
                    self.live.capture(self.model, step, epoch, schedule=False)
                self._finished = checkpoint.load(checkpoint.to_bytes(
                    self.model, history=self.trainer.history, dataset=self.dataset,
                    meta=self.meta(), snapshots=self.live.recorder.snapshots()))
            return self._finished

    def meta(self) -> dict:
        p, h = self.job.progress(), self.trainer.history
        last = h.epochs[-1] if h.epochs else {}
        tests = [e["test_loss"] for e in h.epochs if e.get("test_loss") is not None]
        return {"command": self.settings.command(), **asdict(self.settings),
                "seconds": round(p["elapsed_s"], 1), "steps": len(h.steps),
                "epochs_done": len(h.epochs), "train_loss": last.get("train_loss"),
                "test_loss": tests[-1] if tests else None, "data_source": self.data_source,
                "device": p["device"], "precision": p["precision"], "state": p["state"],
                "error": p["error"], "live_frames": self.live.frames,
                "live_seconds": round(self.live.seconds, 2)}
