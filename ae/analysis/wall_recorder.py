"""The wall over time: record where a fixed set of test images lands while the model trains.

The article only shows the finished wall. Recording the codes of the same probe images (e.g.
1,000 test digits) after every epoch, or every N steps, lets a page scrub through training and
show the wall forming: one blob at first, then digits pulling apart, then the three defects.

`WallRecorder` is a callback of the trainer (`ae.train`; it knows nothing about the UI): pass
`**recorder.callbacks()` to the trainer, and `recorder.snapshots()` to
`ae.model.checkpoint.save(snapshots=...)`. Each frame costs one inference pass over the probe set
(for 1,000 probes about the compute of 5 training steps at batch 32: 15 vs 90 MFLOP an image),
and the model's training mode is restored afterwards.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import torch
from torch import nn

from ae.analysis.latent import encode, to_input

MAX_FRAMES = 400  # 400 frames x 1,000 probes x 2 floats = 3.2 MB in the checkpoint


class WallRecorder:
    """Codes of a fixed probe set, one frame per epoch (and every `every_steps` steps).

    probe_x: uint8 (N, 28, 28) (or float (N, C, H, W)) images, probe_y: (N,) labels. With
    `n_probe`, a seeded random `n_probe` of them are the probe set and `probe_index` says
    which (positions in probe_x, e.g. test-set indices); otherwise all N are.
    A frame records `steps` (optimiser steps done) and `epochs` (epochs completed) with the
    codes. Past `max_frames`, every other frame is dropped (the first and the latest are
    kept) and the step interval doubles, so a long run stays a few MB.
    """

    def __init__(self, probe_x, probe_y, every_steps: int | None = None, *,
                 n_probe: int | None = None, seed: int = 0, max_frames: int = MAX_FRAMES):
        n = len(probe_x)
        if n_probe is not None and n_probe < n:
            index = np.sort(np.random.default_rng(seed).choice(n, size=n_probe, replace=False))
        else:
            index = np.arange(n)
        idx_t = torch.as_tensor(index, dtype=torch.long)
        x = probe_x[idx_t] if isinstance(probe_x, torch.Tensor) else np.asarray(probe_x)[index]
        self.probe = to_input(x)  # (P, C, H, W) float, converted once: every frame reuses it
        self.probe_index = idx_t
        self.probe_labels = torch.as_tensor(np.asarray(probe_y)[index], dtype=torch.long)
        self.every_steps = int(every_steps) if every_steps else None
        self.max_frames = max(int(max_frames), 2)
        self._steps: list[int] = []
        self._epochs: list[int] = []
        self._codes: list[torch.Tensor] = []
        self._step_done = 0   # optimiser steps completed, from on_step
        self._epoch_done = 0  # epochs completed, from on_epoch
        self._lock = threading.Lock()  # a UI thread may read snapshots() while training runs

    # -- recording ---------------------------------------------------------------------------
    def record(self, model: nn.Module, step: int | None = None, epoch: int | None = None) -> None:
        """Encode the probe set now and keep the frame (call it before `fit` for step 0)."""
        step = self._step_done if step is None else int(step)
        epoch = self._epoch_done if epoch is None else int(epoch)
        with self._lock:
            if self._steps and self._steps[-1] == step:  # epoch end on a step frame: one frame
                self._epochs[-1] = epoch
                return
        codes = torch.from_numpy(encode(model, self.probe))
        with self._lock:
            self._steps.append(step)
            self._epochs.append(epoch)
            self._codes.append(codes)
            if len(self._codes) > self.max_frames:
                self._thin()

    def _thin(self) -> None:
        """Keep every other frame plus the latest; record steps half as often from now on."""
        keep = sorted(set(range(0, len(self._codes), 2)) | {len(self._codes) - 1})
        self._steps = [self._steps[i] for i in keep]
        self._epochs = [self._epochs[i] for i in keep]
        self._codes = [self._codes[i] for i in keep]
        if self.every_steps:
            self.every_steps *= 2

    def on_step(self, trainer, step_index: int, loss: float) -> None:
        """Trainer callback: `step_index` counts from 0 over the whole run."""
        self._step_done = int(step_index) + 1
        if self.every_steps and self._step_done % self.every_steps == 0:
            self.record(_model_of(trainer), epoch=getattr(trainer, "epoch", None))

    def on_epoch(self, trainer, epoch_index: int, record: dict | None = None) -> None:
        """Trainer callback at the end of epoch `epoch_index` (from 0)."""
        self._epoch_done = int(epoch_index) + 1
        self.record(_model_of(trainer))

    def callbacks(self) -> dict[str, Callable]:
        """{"on_step": ..., "on_epoch": ...} for `Trainer(..., **recorder.callbacks())`."""
        return {"on_step": self.on_step, "on_epoch": self.on_epoch}

    # -- result ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._codes)

    def snapshots(self) -> dict:
        """The frames for `ae.model.checkpoint.save(snapshots=...)`: probe_index (P,), probe_labels
        (P,), steps (T,), epochs (T,) as LongTensors and codes as a FloatTensor (T, P, z)."""
        with self._lock:
            z = self._codes[0].shape[1] if self._codes else 0
            codes = (torch.stack(self._codes) if self._codes
                     else torch.zeros(0, len(self.probe_index), z))
            return {"probe_index": self.probe_index.clone(),
                    "probe_labels": self.probe_labels.clone(),
                    "steps": torch.tensor(self._steps, dtype=torch.long),
                    "epochs": torch.tensor(self._epochs, dtype=torch.long),
                    "codes": codes.float()}


def _model_of(trainer) -> nn.Module:
    model = getattr(trainer, "model", None)
    if model is None:
        raise AttributeError("WallRecorder needs the trainer's model as `trainer.model`")
    return model
