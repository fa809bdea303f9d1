"""What a dashboard run shows while it trains: frames of the wall forming and a few
reconstructions, recorded by the worker between two steps at a cost kept within a budget.

Why a budget: the live view must cost the training little. A frame (the codes of N_PROBE
test images + N_RECONS reconstructions) is recorded at most once per LIVE_INTERVAL seconds
*and* never more often than lets the frames take LIVE_BUDGET of the training time; the test
loss is measured on N_EVAL test images only every few epochs, by the same kind of budget
(`eval_every`). `scripts/live_overhead.py` measures the whole cost with the page open.
"""

from __future__ import annotations

import math
import threading
import time

import numpy as np
import torch

from ae.analysis import reconstructions
from ae.analysis.reconstructions import Reconstructions
from ae.analysis.wall_recorder import WallRecorder
from ae.data.sources import Dataset
from ae.train.trainer import Trainer

N_PROBE = 500  # test images whose codes make one frame of the live wall
N_RECONS = 5  # the first test images, reconstructed live (MNIST's first five are 7 2 1 0 4)
N_EVAL = 1_000  # test images for the per-epoch test loss
LIVE_INTERVAL = 2.0  # seconds between frames at least (the page redraws its charts every 3 s)
LIVE_BUDGET = 0.04  # share of the training time the frames may take
EVAL_BUDGET = 0.05  # share of the training time measuring the test loss may take


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

    @classmethod
    def of_test_set(cls, ds: Dataset, seed: int, n_probe: int = N_PROBE,
                    n_recons: int = N_RECONS, **schedule: float) -> LiveView:  # interval, budget
        """Frames of `n_probe` test images (drawn by `seed`), the first `n_recons` repainted."""
        recorder = WallRecorder(ds.x_test, ds.y_test, n_probe=min(n_probe, len(ds.x_test)),
                                seed=seed)
        index = np.arange(min(n_recons, len(ds.x_test)))
        return cls(recorder, ds.x_test, ds.y_test, index, **schedule)

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
