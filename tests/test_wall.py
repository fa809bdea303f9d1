"""ae.analysis.wall_recorder: frames of the probe set's codes, by hand and during a tiny
training."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch

from ae.analysis import latent as A
from ae.analysis.wall_recorder import WallRecorder
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig


def small_model(z_dim: int = 2) -> Autoencoder:
    torch.manual_seed(0)
    return Autoencoder.from_config(
        AEConfig((28, 28, 1), [4, 8], [3, 3], [2, 2], [8, 1], [3, 3], [2, 2], z_dim))


def data(n: int = 50):
    g = torch.Generator().manual_seed(0)
    return torch.randint(0, 256, (n, 28, 28), dtype=torch.uint8, generator=g), torch.arange(n) % 10


def test_frames_by_hand_have_the_right_shape_and_codes():
    x, y = data(50)
    m = small_model(z_dim=3)
    rec = WallRecorder(x, y, n_probe=20, seed=1)
    assert len(rec.probe_index) == 20 and len(set(rec.probe_index.tolist())) == 20
    trainer = SimpleNamespace(model=m, epoch=0)
    rec.record(m, step=0, epoch=0)
    m.train(True)
    for epoch in range(3):
        for i in range(3):  # no step frames (every_steps None): only the step count moves
            rec.on_step(trainer, 3 * epoch + i, 0.1)
        rec.on_epoch(trainer, epoch, {})
    assert m.training  # recording restored the training mode
    s = rec.snapshots()
    assert s["codes"].shape == (4, 20, 3) and s["codes"].dtype == torch.float32
    assert s["steps"].tolist() == [0, 3, 6, 9]
    assert s["epochs"].tolist() == [0, 1, 2, 3]
    np.testing.assert_array_equal(s["probe_labels"], y[s["probe_index"]])
    np.testing.assert_allclose(s["codes"][-1], A.encode(m, x[s["probe_index"]]), rtol=1e-5)
    assert all(v.dtype == torch.long for k, v in s.items() if k != "codes")


def test_step_frames_and_epoch_end_share_a_frame():
    x, y = data(10)
    m = small_model()
    rec = WallRecorder(x, y, every_steps=2)
    trainer = SimpleNamespace(model=m, epoch=0)
    for step in range(4):  # an epoch of 4 steps
        rec.on_step(trainer, step, 0.1)
    rec.on_epoch(trainer, 0, {})  # at step 4, where a step frame already is
    s = rec.snapshots()
    assert s["steps"].tolist() == [2, 4] and s["epochs"].tolist() == [0, 1]
    assert s["codes"].shape == (2, 10, 2)


def test_long_runs_are_thinned():
    x, y = data(5)
    m = small_model()
    rec = WallRecorder(x, y, every_steps=1, max_frames=8)
    trainer = SimpleNamespace(model=m, epoch=0)
    for step in range(40):
        rec.on_step(trainer, step, 0.1)
    steps = rec.snapshots()["steps"].tolist()
    assert len(steps) <= 8 and steps[0] == 1 and steps == sorted(steps)
    assert rec.every_steps > 1


def test_empty_recorder_snapshots():
    x, y = data(5)
    s = WallRecorder(x, y).snapshots()
    assert s["codes"].shape[:2] == (0, 5) and len(s["steps"]) == 0


def test_records_during_a_real_training():
    train = pytest.importorskip("ae.train.trainer")
    x, y = data(64)
    m = small_model()
    rec = WallRecorder(x, y, n_probe=16, every_steps=1)
    trainer = train.Trainer(m, x, lr=1e-3, batch_size=32, precision="fp32", device="cpu",
                            **rec.callbacks())
    trainer.fit(epochs=2)
    s = rec.snapshots()
    assert s["codes"].shape == (4, 16, 2)  # 2 steps per epoch x 2 epochs, one frame each
    assert s["steps"].tolist() == [1, 2, 3, 4] and s["epochs"].tolist() == [0, 1, 1, 2]
    assert not torch.equal(s["codes"][0], s["codes"][-1])  # the wall moved
    now = A.encode(m, x[s["probe_index"]])
    np.testing.assert_allclose(s["codes"][-1], now, rtol=1e-4, atol=1e-5)
