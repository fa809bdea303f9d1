"""ae.session_job: a dashboard run from settings to checkpoint, headless (no Streamlit)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ae import data
from ae.data import synthetic
from ae.model import checkpoint
from ae.model.config import AEConfig
from ae.train.job import Slots
from ae.train.session_job import BOOK_SUBSET, Run, Settings, eval_every

TIMEOUT = 60  # an upper bound for a busy machine; the tests return as soon as the job ends


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


def tiny_config() -> AEConfig:
    return AEConfig(input_dim=(28, 28, 1), encoder_conv_filters=[4, 8],
                    encoder_conv_kernel_size=[3, 3], encoder_conv_strides=[2, 2],
                    decoder_conv_t_filters=[4, 1], decoder_conv_t_kernel_size=[3, 3],
                    decoder_conv_t_strides=[2, 2], z_dim=2)


def dataset(n_train: int = 80, n_test: int = 60, x_train=None) -> data.Dataset:
    xt, yt = synthetic.make_digits(n_train, seed=0)
    xs, ys = synthetic.make_digits(n_test, seed=1)
    t = torch.from_numpy
    return data.Dataset("mnist", "synthetic", t(xt) if x_train is None else x_train, t(yt),
                        t(xs), t(ys), [])


def make(settings: Settings, ds: data.Dataset | None = None, **kw) -> Run:
    kw.setdefault("precision", "fp32")
    kw.setdefault("threads", 1)
    return Run.create(tiny_config(), ds or dataset(), settings, slots=Slots(2), **kw)


def test_settings_default_to_the_article_and_refuse_what_is_out_of_range():
    s = Settings()
    assert (s.lr, s.batch_size, s.epochs, s.subset, s.seed) == (0.0005, 32, 200, BOOK_SUBSET, 0)
    assert s.check(60_000) is s
    for bad, word in [(Settings(lr=0), "learning rate"), (Settings(lr=float("nan")), "learning"),
                      (Settings(batch_size=0), "batch"), (Settings(epochs=0), "epochs"),
                      (Settings(subset=60_001), "60,000"), (Settings(seed=-1), "seed")]:
        with pytest.raises(ValueError, match=word):
            bad.check(60_000)
    assert "lr=0.0005" in s.command() and "subset=1000" in s.command()


def test_test_loss_is_measured_within_its_budget():
    assert eval_every(1_000, 1_000, 200) == 7  # the book: 1,000 evals ~ 333 training images
    assert eval_every(60_000, 1_000, 10) == 1
    assert eval_every(64, 1_000, 2) == 2  # never beyond the run (the last epoch is measured)
    for n in (10, 1_000, 60_000):
        k = eval_every(n, 1_000, 10_000)
        assert 1_000 / 3 / (k * n) <= 0.05


def test_a_run_draws_a_new_seeded_model_without_touching_the_global_rng():
    before = torch.random.get_rng_state()
    a, b = make(Settings(subset=64, seed=3)), make(Settings(subset=64, seed=3))
    c = make(Settings(subset=64, seed=4))
    assert torch.equal(torch.random.get_rng_state(), before)
    wa, wb, wc = (r.model.state_dict() for r in (a, b, c))
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    assert not all(torch.equal(wa[k], wc[k]) for k in wa)
    assert a.model is not b.model and a.state == "idle" and not a.active
    assert len(a.trainer.x_train) == 64
    with pytest.raises(ValueError, match="subset"):
        make(Settings(subset=81))


def test_a_tiny_run_trains_records_the_live_view_and_leaves_a_checkpoint():
    run = make(Settings(subset=64, epochs=3, batch_size=32), interval=0.0, budget=1.0)
    assert len(run.frames()["codes"]) == 1  # the wall before training
    assert run.finish() is None  # not over yet
    run.start()
    assert run.job.join(TIMEOUT) and run.state == "done" and not run.active
    p = run.progress()
    assert p["step"] == p["total_steps"] == 6 and len(p["steps"]) == 6
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
    assert ckpt.meta["state"] == "done" and ckpt.meta["lr"] == 0.0005
    assert ckpt.meta["subset"] == 64 and "subset=64" in ckpt.meta["command"]
    model = ckpt.model()
    assert model is not run.model  # the model put in play is a copy, not the trainer's
    theirs = run.model.state_dict()
    assert all(torch.equal(v, theirs[k]) for k, v in model.state_dict().items())


def test_frames_follow_the_time_budget_not_every_step():
    run = make(Settings(subset=64, epochs=3), interval=3600.0)
    run.start()
    assert run.job.join(TIMEOUT)
    # before training, after the first step (it warms up, so it sets no pace), then an hour
    # later: never in this run; finish() adds the wall as training left it
    assert run.live.frames == 2
    assert run.finish().snapshots["steps"].tolist() == [0, 1, 6]
    headless = make(Settings(subset=64, epochs=1), live=False)
    headless.start()
    assert headless.job.join(TIMEOUT) and headless.live.frames == 0


def test_stopping_before_the_first_step_leaves_nothing_to_keep():
    run = make(Settings(subset=64, epochs=2))
    run.stop()
    assert run.state == "stopped" and run.finish() is None


def test_pause_resume_stop_and_the_images_count():
    run = make(Settings(subset=70, epochs=10_000, batch_size=32), live=False)
    run.start()
    run.pause()
    assert run.active
    run.resume()
    run.stop()
    assert run.job.join(TIMEOUT) and run.state in ("stopped", "done")
    steps = len(run.trainer.history.steps)
    full, part = divmod(steps, 3)  # 70 images in batches of 32: 3 steps, the last of 6
    assert run.images_trained() == full * 70 + min(part * 32, 70)


def test_a_nan_loss_fails_as_diverged_and_keeps_finite_weights():
    x = torch.from_numpy(synthetic.make_digits(64, seed=0)[0]).float() / 255
    x[:] = float("nan")
    run = make(Settings(subset=64, epochs=2), dataset(x_train=x))
    run.start()
    assert run.job.join(TIMEOUT)
    assert run.state == "failed" and run.diverged and "learning rate" in run.job.error
    assert run.finish() is None  # it diverged at the first step: nothing learned to keep
    assert all(torch.isfinite(v).all() for v in run.model.state_dict().values())


def test_the_checkpoint_round_trips_through_bytes():
    run = make(Settings(subset=32, epochs=1), live=False)
    run.start()
    assert run.job.join(TIMEOUT)
    ckpt = run.finish()
    again = checkpoint.load(checkpoint.to_bytes(ckpt.model(), ckpt.history, ckpt.dataset,
                                                ckpt.meta, ckpt.snapshots))
    assert again.history == ckpt.history and again.meta["command"] == ckpt.meta["command"]


def test_live_frames_take_at_most_their_budget_of_the_training_time(monkeypatch):
    """A fake clock: each frame costs 0.5 s, each training step 0.1 s. After the first frame
    in training (warm-up: it only waits `interval`), frames come every 0.5 / 5% = 10 s."""
    from ae.train import session_job

    clock = [0.0]
    monkeypatch.setattr(session_job.time, "perf_counter", lambda: clock[0])
    monkeypatch.setattr(session_job.reconstructions, "reconstruct_indices", lambda *a: "recons")

    class Recorder:
        steps: list[int] = []

        def record(self, model, step, epoch):
            clock[0] += 0.5
            self.steps.append(step)

    class FakeTrainer:
        model, epoch = None, 0

    view = session_job.LiveView(Recorder(), None, None, np.arange(5), interval=1.0, budget=0.05)
    for step in range(1000):  # 100 s of training
        view.on_step(FakeTrainer(), step, 0.1)
        clock[0] += 0.1
    steps = view.recorder.steps
    assert steps[:2] == [1, 11]  # step 1, then 1 s (10 steps) later: warm-up sets no pace
    gaps = np.diff(steps[1:])
    assert (gaps >= 100).all()  # 10 s of training between frames
    assert view.seconds / (100 + view.seconds) <= 0.05 + 0.5 / 100
    assert view.latest() == "recons"


def test_a_run_that_blows_up_later_keeps_what_it_learned_before():
    x = torch.from_numpy(synthetic.make_digits(64, seed=0)[0]).float() / 255
    x[17] = float("nan")  # one bad image: the run trains until its batch comes up
    run = make(Settings(subset=64, epochs=1, batch_size=1), dataset(x_train=x), live=False)
    run.start()
    assert run.job.join(TIMEOUT) and run.diverged
    steps = len(run.trainer.history.steps)
    assert 0 < steps < 64
    ckpt = run.finish()
    assert ckpt.history["steps"] == run.trainer.history.steps and ckpt.meta["state"] == "failed"
    assert "learning rate" in ckpt.meta["error"]
    assert all(torch.isfinite(v).all() for v in ckpt.state_dict.values())
