"""Training either kind of model: its own loss (`model.loss_parts`) in a fast in-memory loop.

Why it is written this way: at batch 32 the article's
model is small, so overheads decide the speed. The whole data set stays in memory and a batch
is a tensor slice (no DataLoader); the model runs channels_last (oneDNN's fast NHWC kernels),
under bf16 autocast where the CPU computes bf16 natively (`ae.device`), with a fused Adam.
Like minGPT's trainer it knows nothing of its caller, threads or pages: it reports through
callbacks (`add_callback("on_step" | "on_epoch", fn)`); a callback that raises `StopTraining`
ends `fit()` after the step or epoch just done (how `ae.live.run` stops a run).

The loss comes from the model (`loss_parts(x, r_loss_factor)`: the autoencoder's MSE, or the
VAE's `r_loss + kl_loss`), so one trainer trains both; the history keeps every part.

A loss that turns NaN or inf stops training at that step *before* the optimiser applies it, so
the model keeps the last good weights with no copy kept, and `TrainingDiverged` says what to try.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext

import torch
from torch import nn

from ae.device import detect
from ae.train.history import History
from ae.train.losses import r_loss
from ae.train.recipe import Recipe
from ae.train.speed import ThreadTuner, place

EVAL_BATCH = 250  # measured: bigger batches spill out of cache and run slower on a CPU
EVENTS = ("on_step", "on_epoch")  # fn(trainer, step_index, loss) / fn(trainer, epoch, record)


class TrainingDiverged(RuntimeError):
    """The loss became NaN or inf; the message says where and what to try."""


class StopTraining(Exception):
    """Raised by a callback: `fit()` returns after the step or epoch just done."""


def as_images(x, input_dim: tuple[int, int, int]) -> torch.Tensor:
    """Images as (N, C, H, W), dtype kept: uint8 or float in [0, 1], a tensor or a NumPy array,
    shaped (N, H, W), (N, C, H, W) or channels-last (N, H, W, C) as the book's `x_train[:1000]`.

    uint8 stays uint8 (4x less memory; `_batch` scales each slice to [0, 1]).
    """
    if type(x).__module__ == "numpy" and hasattr(x, "shape"):
        x = torch.from_numpy(x)
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"images must be a torch.Tensor or a NumPy array, not {type(x).__name__}")
    h, w, c = input_dim
    if x.ndim == 3:
        x = x.unsqueeze(1)  # (N, H, W) -> (N, 1, H, W)
    elif x.ndim == 4 and tuple(x.shape[1:]) != (c, h, w) and tuple(x.shape[1:]) == (h, w, c):
        x = x.permute(0, 3, 1, 2)  # Keras' channels-last -> PyTorch's channels-first
    if x.ndim != 4 or tuple(x.shape[1:]) != (c, h, w):
        raise ValueError(f"images of shape {tuple(x.shape)} do not fit the model's input "
                         f"(N, {c}, {h}, {w}) (input_dim {tuple(input_dim)})")
    if x.dtype != torch.uint8 and not x.is_floating_point():
        raise TypeError(f"images must be uint8 or float, not {x.dtype}")
    return x if x.dtype == torch.uint8 else x.float()


class Trainer:
    """Trains an `Autoencoder` in place: `fit(epochs)`, or one `step()` at a time."""

    def __init__(self, model: nn.Module, x_train: torch.Tensor, x_test: torch.Tensor | None = None,
                 *, lr: float = Recipe.lr, batch_size: int = Recipe.batch_size,
                 lr_decay: float = 1.0, seed: int = Recipe.seed,
                 precision: str = Recipe.precision, device: str | torch.device = "auto",
                 on_step: Callable | None = None, on_epoch: Callable | None = None,
                 test_every: int | None = None, threads: int | str | None = "auto",
                 r_loss_factor: float | None = None):
        for name, v in (("the learning rate", lr), ("lr_decay", lr_decay)):
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise ValueError(f"{name} must be a positive number, not {v!r}")
        if not (isinstance(batch_size, int) and batch_size >= 1):
            raise ValueError(f"batch_size must be a whole number >= 1, not {batch_size!r}")
        self.model = model
        self.accel = detect(device, precision)
        self.device, self.precision = self.accel.device, self.accel.precision
        input_dim = model.config.input_dim
        self.x_train = as_images(x_train, input_dim).to(self.device)
        if len(self.x_train) == 0:
            raise ValueError("x_train holds no images")
        self.x_test = None if x_test is None else as_images(x_test, input_dim)
        self.lr, self.batch_size, self.lr_decay = float(lr), batch_size, float(lr_decay)
        if r_loss_factor is not None and not (isinstance(r_loss_factor, (int, float))
                                              and math.isfinite(r_loss_factor)
                                              and r_loss_factor > 0):
            raise ValueError(f"r_loss_factor must be a positive number, not {r_loss_factor!r}")
        self.r_loss_factor = r_loss_factor  # the VAE's weight of the MSE; None: the model's own
        self.callbacks: dict[str, list[Callable]] = {event: [] for event in EVENTS}
        for event, fn in (("on_step", on_step), ("on_epoch", on_epoch)):
            if fn is not None:
                self.add_callback(event, fn)
        self.test_every = test_every or 1  # evaluate x_test every this many epochs, and last
        # "auto": the fastest count up to `thread_cap` (ThreadTuner); an int: that; None: as set
        self.threads, self.thread_cap = threads, None
        self._tuner: ThreadTuner | None = None
        self.generator = torch.Generator().manual_seed(seed)  # shuffles; its own, not global
        fused = {"fused": True} if self.device.type in ("cpu", "cuda") else {}  # one kernel
        self.optimizer = torch.optim.Adam(model.parameters(), lr=self.lr, **fused)
        self.history = History()
        self.epoch = 0  # epochs completed = index of the next epoch (Keras' initial_epoch)
        self.stopped = False  # True when the last fit() returned because of StopTraining
        self.images_per_s = 0.0  # moving average over recent steps, for progress and ETA
        self.step_seconds = 0.0  # compute time of the last step (no callbacks)
        self.last_parts: dict[str, float] = {}  # the last step's loss parts (loss first)
        self._perm: torch.Tensor | None = None  # this epoch's shuffled order, and where we are
        self._pos = 0
        self._home = next(model.parameters()).device  # where the model lives between fits
        self._entered = False  # True while the model sits on self.device, channels_last

    # -- callbacks ----------------------------------------------------------------------
    def add_callback(self, event: str, fn: Callable) -> None:
        """Call `fn` after every step ("on_step") or completed epoch ("on_epoch")."""
        if event not in EVENTS:
            raise ValueError(f"unknown event {event!r}; one of {', '.join(EVENTS)}")
        self.callbacks[event].append(fn)

    def _trigger(self, event: str, *args) -> None:
        for fn in self.callbacks[event]:
            fn(self, *args)

    # -- where the model runs -----------------------------------------------------------
    @contextmanager
    def _placed(self) -> Iterator[None]:
        """Inside: the model on the training device, channels_last, with this run's threads.
        After: as the interface promises - eval mode, fp32 weights, plain layout, back home."""
        if self._entered:  # nested (evaluate during fit): already there
            yield
            return
        before = torch.get_num_threads()
        cap = self.thread_cap or before
        if isinstance(self.threads, int):
            torch.set_num_threads(self.threads)
        elif self.threads == "auto" and (self._tuner is None or self._tuner.candidates[0] != cap):
            self._tuner = ThreadTuner(cap)
        fmt = torch.channels_last if self.accel.channels_last else torch.contiguous_format
        place(self.model, self.optimizer, self.device, fmt)
        self._entered = True
        try:
            yield
        finally:
            place(self.model, self.optimizer, self._home, torch.contiguous_format)
            self._entered = False
            nn.Module.train(self.model, False)
            torch.set_num_threads(before)  # the caller's setting, as it was

    @property
    def best_threads(self) -> int:
        """The thread count steps run with: fixed, or the tuner's latest pick."""
        if isinstance(self.threads, int):
            return self.threads
        return self._tuner.best if self._tuner is not None else torch.get_num_threads()

    def lr_at(self, epoch: int) -> float:
        """The book's step_decay_schedule with step 1: lr * lr_decay ** epoch."""
        return self.lr * self.lr_decay ** epoch

    @property
    def steps_per_epoch(self) -> int:
        return math.ceil(len(self.x_train) / self.batch_size)

    @property
    def steps_done_in_epoch(self) -> int:
        """Steps already taken in an epoch that a stop cut short (0 between epochs)."""
        partial = self._perm is not None and self._pos < len(self.x_train)
        return math.ceil(self._pos / self.batch_size) if partial else 0

    # -- one step -----------------------------------------------------------------------
    def _autocast(self, precision: str) -> AbstractContextManager:
        if precision == "bf16":  # bf16 matmuls and convs, fp32 weights and optimiser
            return torch.autocast(self.device.type, dtype=torch.bfloat16)
        return nullcontext()

    def _batch(self, x: torch.Tensor, idx: torch.Tensor | slice) -> torch.Tensor:
        xb = x[idx].to(self.device, non_blocking=True)
        xb = xb.float().div_(255) if xb.dtype == torch.uint8 else xb
        return xb.contiguous(memory_format=torch.channels_last) if self.accel.channels_last else xb

    def _start_epoch_if_needed(self) -> None:
        """A new shuffled order when the last one is used up; else go on where we stopped."""
        n = len(self.x_train)
        if self._perm is None or self._pos >= n:
            self._perm, self._pos = torch.randperm(n, generator=self.generator), 0

    def _next_batch(self) -> torch.Tensor:
        idx = self._perm[self._pos:self._pos + self.batch_size].to(self.x_train.device)
        self._pos += len(idx)
        return self._batch(self.x_train, idx)

    def _step(self) -> float:
        for group in self.optimizer.param_groups:
            group["lr"] = self.lr_at(self.epoch)
        if not self.model.training:  # a callback may have evaluated the model in between
            nn.Module.train(self.model, True)
        t0 = time.perf_counter()
        xb = self._next_batch()
        with self._autocast(self.precision):
            parts = self._loss_parts(xb)
        # the one sync per step (the history needs the numbers anyway), all parts at once
        values = dict(zip(parts, torch.stack([v.detach().float() for v in parts.values()])
                          .tolist(), strict=True))
        value = values["loss"]
        if not all(math.isfinite(v) for v in values.values()):
            what = ", ".join(f"{k} {v}" for k, v in values.items())
            raise self._diverged(f"the loss became {what}" if len(values) > 1
                                 else f"the loss became {value}")
        self.optimizer.zero_grad(set_to_none=True)
        parts["loss"].backward()
        grads = [p.grad for p in self.model.parameters() if p.grad is not None]
        if not torch.stack(torch._foreach_norm(grads, math.inf)).isfinite().all():
            raise self._diverged("the gradients became infinite or NaN")
        self.optimizer.step()  # only now do the weights change: they were good up to here
        self.history.steps.append(value)
        for k, v in values.items():
            if k != "loss":
                self.history.parts.setdefault(k, []).append(v)
        self.last_parts = values
        self.step_seconds = time.perf_counter() - t0  # compute only: no callback, no pause
        rate = len(xb) / max(self.step_seconds, 1e-9)
        self.images_per_s = rate if not self.images_per_s else 0.9 * self.images_per_s + 0.1 * rate
        return value

    def _loss_parts(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        """The model's own loss and its parts ("loss" first); a bare module: the article's MSE."""
        parts_of = getattr(self.model, "loss_parts", None)
        if parts_of is None:
            return {"loss": r_loss(x, self.model(x).float())}
        return parts_of(x, self.r_loss_factor)

    def _diverged(self, what: str) -> TrainingDiverged:
        lr = self.lr_at(self.epoch)
        bf16 = ' or train with precision="fp32"' if self.precision == "bf16" else ""
        return TrainingDiverged(
            f"Training diverged at epoch {self.epoch + 1}, step {len(self.history.steps) + 1}: "
            f"{what} with learning rate {lr:g}. The model keeps the weights from before that "
            f"step and the history keeps the steps before it. Try again from a fresh model: "
            f"lower the learning rate (e.g. {lr / 10:g}){bf16}.")

    def step(self) -> float:
        """One training step on the next batch of the current epoch; returns its loss."""
        with self._placed():
            self._start_epoch_if_needed()
            value = self._step()
        self._trigger("on_step", len(self.history.steps) - 1, value)
        return value

    # -- epochs -------------------------------------------------------------------------
    def fit(self, epochs: int, initial_epoch: int = 0) -> History:
        """Train epochs initial_epoch .. epochs-1 (Keras' meaning); returns the history.

        Returns early when a callback raises StopTraining (`stopped` is then True; a later
        fit() goes on with the rest of the epoch); raises TrainingDiverged on a NaN/inf loss.
        Either way the model is left in eval mode, with fp32 weights in the plain memory format.
        """
        self.epoch, self.stopped = initial_epoch, False
        with self._placed():
            try:
                while self.epoch < epochs:
                    self._run_epoch(last=self.epoch == epochs - 1)
            except StopTraining:
                self.stopped = True  # the steps done so far stay in history.steps
        return self.history

    def _run_epoch(self, last: bool) -> None:
        """One epoch (or the rest of a stopped one), its record, then the callbacks."""
        self._start_epoch_if_needed()
        n, start, seconds, stop = len(self.x_train), self._pos, 0.0, None
        weighted: dict[str, float] = {}
        while self._pos < n:
            tuner = self._tuner if self.threads == "auto" and self.device.type == "cpu" else None
            if tuner is not None:
                tuner.apply()  # the thread count to try or to keep for this step
            before = self._pos
            self._step()
            for k, v in self.last_parts.items():  # the last batch may be smaller
                weighted[k] = weighted.get(k, 0.0) + v * (self._pos - before)
            seconds += self.step_seconds
            if tuner is not None:
                tuner.record(self.step_seconds)
            try:
                self._trigger("on_step", len(self.history.steps) - 1, self.history.steps[-1])
            except StopTraining as e:
                if self._pos < n:
                    raise
                stop = e  # after the epoch's last step: record the epoch first
        # seconds: training steps + test evaluation, without callbacks and pauses
        record = {"epoch": self.epoch, "train_loss": weighted.pop("loss") / (n - start),
                  "test_loss": None, "lr": self.lr_at(self.epoch),
                  "images_per_s": (n - start) / max(seconds, 1e-9),
                  "steps": math.ceil((n - start) / self.batch_size)}
        record.update({f"train_{k}": v / (n - start) for k, v in weighted.items()})
        t0 = time.perf_counter()
        if self.x_test is not None and (last or (self.epoch + 1) % self.test_every == 0):
            record.update({f"test_{k}": v for k, v in self.evaluate_parts(self.x_test).items()})
        record["seconds"] = seconds + time.perf_counter() - t0
        self.history.epochs.append(record)
        self.epoch += 1
        self._trigger("on_epoch", record["epoch"], record)
        if stop is not None:
            raise stop

    def evaluate(self, x: torch.Tensor, batch_size: int = EVAL_BATCH,
                 precision: str | None = None) -> float:
        """The mean training loss of the model on images x (the article's per-image MSE for the
        autoencoder; r_loss + kl_loss for the VAE, its code taken at mu).

        In the trainer's precision by default (bf16 evaluates ~2x faster where it trains
        faster); pass precision="fp32" to compare runs made in different precisions.
        """
        return self.evaluate_parts(x, batch_size, precision)["loss"]

    @torch.inference_mode()
    def evaluate_parts(self, x: torch.Tensor, batch_size: int = EVAL_BATCH,
                       precision: str | None = None) -> dict[str, float]:
        """Each part of the loss ("loss" first), averaged over images x, in eval mode."""
        x = as_images(x, self.model.config.input_dim)
        was_training = self.model.training
        totals: dict[str, float] = {}
        with self._placed():  # between fits too: the fast placement, then back
            nn.Module.train(self.model, False)
            for i in range(0, len(x), batch_size):
                xb = self._batch(x, slice(i, i + batch_size))
                with self._autocast(precision or self.precision):
                    parts = self._loss_parts(xb)
                for k, v in parts.items():
                    totals[k] = totals.get(k, 0.0) + v.item() * len(xb)
            nn.Module.train(self.model, was_training)
        return {k: v / max(len(x), 1) for k, v in totals.items()}
