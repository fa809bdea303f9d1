"""ae.train.trainer: the article's loss, determinism, learning, lr decay, callbacks and
StopTraining, divergence, history; the Recipe's defaults and checks; ae.device."""

from __future__ import annotations

import json
import math

import pytest
import torch
import torch.nn.functional as F

from ae import device as accel
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig
from ae.model.layers import conv_transpose2d_subpixel
from ae.train.history import History
from ae.train.recipe import Recipe
from ae.train.speed import ThreadTuner
from ae.train.trainer import StopTraining, Trainer, TrainingDiverged, r_loss

SIDE = 16  # small images and a small model keep the suite fast on two busy cores


pytestmark = pytest.mark.usefixtures("one_thread")  # tests/conftest.py


def small_config() -> AEConfig:
    return AEConfig(input_dim=(SIDE, SIDE, 1), encoder_conv_filters=[8, 16],
                    encoder_conv_kernel_size=[3, 3], encoder_conv_strides=[2, 2],
                    decoder_conv_t_filters=[16, 1], decoder_conv_t_kernel_size=[3, 3],
                    decoder_conv_t_strides=[2, 2], z_dim=2)


def small_model(seed: int = 0) -> Autoencoder:
    torch.manual_seed(seed)
    return Autoencoder.from_config(small_config())


def blobs(n: int, seed: int = 0) -> torch.Tensor:
    """uint8 (n, SIDE, SIDE) Gaussian blobs at random centres: two numbers explain each image,
    so a 2-D code can learn them."""
    g = torch.Generator().manual_seed(seed)
    centres = torch.rand(n, 2, generator=g) * (SIDE - 6) + 3
    ax = torch.arange(SIDE, dtype=torch.float32)
    dy = (ax.view(1, SIDE, 1) - centres[:, 0].view(n, 1, 1)) ** 2
    dx = (ax.view(1, 1, SIDE) - centres[:, 1].view(n, 1, 1)) ** 2
    return (255 * torch.exp(-(dx + dy) / 8)).round().to(torch.uint8)


def weights(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}


def same_weights(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


# -- the loss -------------------------------------------------------------------------------
def test_r_loss_is_the_per_image_mse_averaged_over_the_batch():
    y = torch.rand(4, 1, 5, 5)
    p = torch.rand(4, 1, 5, 5)
    per_image = [((y[i] - p[i]) ** 2).mean() for i in range(4)]
    assert torch.allclose(r_loss(y, p), torch.stack(per_image).mean())
    assert torch.allclose(r_loss(y, p), F.mse_loss(p, y))  # equal-sized images: the same number
    assert r_loss(y, y).item() == 0


# -- determinism and learning ---------------------------------------------------------------
def test_fp32_training_is_deterministic_for_a_seed():
    x = blobs(128)
    runs = []
    for _ in range(2):
        t = Trainer(small_model(), x, precision="fp32", seed=3)
        t.fit(epochs=2)
        runs.append((t.history.steps, weights(t.model)))
    assert len(runs[0][0]) == 2 * 4
    assert runs[0][0] == runs[1][0]
    assert same_weights(runs[0][1], runs[1][1])
    other = Trainer(small_model(), x, precision="fp32", seed=4)
    other.fit(epochs=1)
    assert other.history.steps != runs[0][0][:4]  # the seed decides the shuffle


def test_loss_falls_on_a_learnable_data_set():
    x = blobs(256)
    t = Trainer(small_model(), x, blobs(64, seed=1), lr=0.005, precision="fp32")
    before = t.evaluate(blobs(64, seed=1))
    history = t.fit(epochs=4)
    first, last = history.epochs[0], history.epochs[-1]
    assert [e["epoch"] for e in history.epochs] == [0, 1, 2, 3]
    assert last["test_loss"] < 0.7 * before
    assert last["train_loss"] < first["train_loss"]
    assert all(e["images_per_s"] > 0 and e["seconds"] > 0 for e in history.epochs)
    assert len(history.steps) == 4 * t.steps_per_epoch == 32
    # the interface's promise about the model after fit()
    assert not t.model.training
    assert all(p.dtype == torch.float32 and p.is_contiguous() for p in t.model.parameters())


def test_float_images_and_the_last_smaller_batch():
    x = blobs(70).float().div(255).unsqueeze(1)  # (N, 1, H, W) float in [0, 1]
    t = Trainer(small_model(), x, batch_size=32, precision="fp32")
    t.fit(epochs=1)
    assert t.steps_per_epoch == 3 and len(t.history.steps) == 3  # 32 + 32 + 6, as Keras does
    with pytest.raises(ValueError, match="do not fit the model's input"):
        Trainer(small_model(), torch.zeros(4, 28, 28, dtype=torch.uint8))


def test_evaluate_is_the_mean_per_image_mse():
    model, x = small_model(), blobs(50)
    t = Trainer(model, x, precision="fp32")
    xf = x.float().div(255).unsqueeze(1)
    with torch.no_grad():
        expected = r_loss(xf, model.eval()(xf)).item()
    assert t.evaluate(x, batch_size=16) == pytest.approx(expected, rel=1e-5)


def test_lr_decays_per_epoch_like_the_books_step_decay_schedule():
    seen = {}

    def on_step(tr, step, loss):
        seen[tr.epoch] = tr.optimizer.param_groups[0]["lr"]

    t = Trainer(small_model(), blobs(64), lr=0.01, lr_decay=0.5, on_step=on_step,
                precision="fp32")
    t.fit(epochs=3)
    assert [e["lr"] for e in t.history.epochs] == [0.01, 0.005, 0.0025]
    assert seen == {0: 0.01, 1: 0.005, 2: 0.0025}
    t.fit(epochs=5, initial_epoch=3)  # resuming keeps the schedule, as in Keras
    assert [e["lr"] for e in t.history.epochs][3:] == [0.01 * 0.5 ** 3, 0.01 * 0.5 ** 4]


def test_callbacks_and_stop_from_a_callback_then_continue_the_epoch():
    calls = []

    def on_step(tr, step, loss):
        calls.append(("step", step, loss))
        if step == 2 and len(tr.history.epochs) == 0:
            raise StopTraining

    t = Trainer(small_model(), blobs(128), on_step=on_step, precision="fp32",
                on_epoch=lambda tr, e, rec: calls.append(("epoch", e, rec["train_loss"])))
    t.fit(epochs=2)
    assert t.stopped and t.epoch == 0 and len(t.history.steps) == 3
    assert t.steps_done_in_epoch == 3 and calls[-1] == ("step", 2, t.history.steps[-1])
    t.fit(epochs=2, initial_epoch=t.epoch)  # goes on with the rest of the stopped epoch
    assert not t.stopped and t.epoch == 2 and len(t.history.steps) == 3 + 1 + 4
    assert [c[1] for c in calls if c[0] == "epoch"] == [0, 1]
    assert [c[1] for c in calls if c[0] == "step"] == list(range(8))


def test_a_stop_after_an_epochs_last_step_keeps_the_epoch_and_add_callback_checks_events():
    t = Trainer(small_model(), blobs(64), precision="fp32", batch_size=32)
    epochs = []
    t.add_callback("on_epoch", lambda tr, e, rec: epochs.append(e))

    def stop_at_epoch_end(tr, step, loss):
        if step == 1:  # the last step of epoch 0
            raise StopTraining

    t.add_callback("on_step", stop_at_epoch_end)
    t.fit(epochs=3)
    assert t.stopped and t.epoch == 1 and epochs == [0] and len(t.history.epochs) == 1
    assert t.steps_done_in_epoch == 0  # the next fit() starts epoch 1 afresh
    t.callbacks["on_step"].remove(stop_at_epoch_end)

    def stop_after_epoch(tr, epoch, record):
        raise StopTraining

    t.add_callback("on_epoch", stop_after_epoch)
    t.fit(epochs=3, initial_epoch=t.epoch)  # on_epoch stops it after epoch 1, recorded
    assert t.stopped and t.epoch == 2 and epochs == [0, 1] and len(t.history.steps) == 4
    t.callbacks["on_epoch"].remove(stop_after_epoch)
    t.fit(epochs=3, initial_epoch=t.epoch)  # the stop was consumed: it runs to the end
    assert not t.stopped and t.epoch == 3 and epochs == [0, 1, 2]
    with pytest.raises(ValueError, match="unknown event"):
        t.add_callback("on_batch_end", print)


# -- divergence -----------------------------------------------------------------------------
def test_a_huge_learning_rate_raises_training_diverged_keeping_the_last_good_weights():
    good = {}

    def on_step(tr, step, loss):  # after each good step: the weights the next step starts from
        good["w"], good["steps"] = weights(tr.model), step + 1

    # Adam moves each weight by about lr per step: 1e20 overflows fp32 activations at once
    t = Trainer(small_model(), blobs(128), lr=1e20, on_step=on_step, precision="fp32")
    with pytest.raises(TrainingDiverged, match="learning rate") as err:
        t.fit(epochs=3)
    assert "lower the learning rate" in str(err.value)
    assert len(t.history.steps) == good["steps"] and all(map(math.isfinite, t.history.steps))
    assert same_weights(weights(t.model), good["w"])
    assert not t.model.training and all(p.is_contiguous() for p in t.model.parameters())


def test_an_infinite_pixel_stops_at_that_step_with_the_weights_before_it():
    x = blobs(64).float().div(255).unsqueeze(1)
    x[5, 0, 3, 3] = math.inf
    model = small_model()
    before = weights(model)
    snapshots = [before]
    t = Trainer(model, x, batch_size=8, precision="fp32",
                on_step=lambda tr, s, loss: snapshots.append(weights(tr.model)))
    with pytest.raises(TrainingDiverged, match="loss became"):
        t.fit(epochs=1)
    assert len(snapshots) == len(t.history.steps) + 1 < t.steps_per_epoch + 1
    assert same_weights(weights(t.model), snapshots[-1])
    assert t.history.epochs == []  # the epoch did not complete


def test_bad_arguments_are_refused_with_a_message():
    for kw in ({"lr": 0}, {"lr": math.nan}, {"lr": -1.0}, {"batch_size": 0},
               {"lr_decay": 0.0}):
        with pytest.raises(ValueError):
            Trainer(small_model(), blobs(8), **kw)
    with pytest.raises(ValueError, match="precision"):
        Trainer(small_model(), blobs(8), precision="fp16")


# -- history --------------------------------------------------------------------------------
def test_history_round_trips_through_plain_data():
    t = Trainer(small_model(), blobs(64), blobs(16, seed=2), precision="fp32", test_every=2)
    t.fit(epochs=3)
    d = t.history.to_dict()
    assert json.loads(json.dumps(d)) == d  # primitives only
    assert History.from_dict(d) == t.history
    assert History.from_dict({}) == History() == History.from_dict(None)
    assert [e["test_loss"] is None for e in t.history.epochs] == [True, False, False]
    with pytest.raises(ValueError):
        History.from_dict({"steps": 3, "epochs": []})
    with pytest.raises(ValueError):
        History.from_dict({"steps": [], "epochs": [1, 2]})


# -- the article's API on top of the Trainer ------------------------------------------------
def test_model_train_uses_the_trainer():
    model = small_model()
    model.compile(0.002)
    trainer = model.train(blobs(64), batch_size=32, epochs=2, precision="fp32")
    assert isinstance(trainer, Trainer) and trainer.lr == 0.002
    assert len(trainer.history.epochs) == 2 and not model.training


# -- the recipe -----------------------------------------------------------------------------
def test_the_recipe_defaults_to_the_article_and_refuses_what_is_out_of_range():
    r = Recipe()
    assert (r.lr, r.batch_size, r.epochs, r.subset, r.seed, r.precision) == (
        0.0005, 32, 200, 1000, 0, "auto")
    assert r.check(60_000) is r and r.n_images(60_000) == 1000
    assert Recipe(subset=None).n_images(60_000) == 60_000  # all of them
    for bad, word in [(Recipe(lr=0), "learning rate"), (Recipe(lr=float("nan")), "learning"),
                      (Recipe(batch_size=0), "batch"), (Recipe(epochs=0), "epochs"),
                      (Recipe(subset=60_001), "60,000"), (Recipe(seed=-1), "seed"),
                      (Recipe(precision="fp16"), "precision")]:
        with pytest.raises(ValueError, match=word):
            bad.check(60_000)
    assert r.describe() == "lr=0.0005 batch_size=32 epochs=200 subset=1000 seed=0"
    assert Recipe(subset=None).describe().endswith("subset=all seed=0")
    d = Recipe(lr=0.001, subset=None, precision="fp32").to_dict()
    assert json.loads(json.dumps(d)) == d and Recipe.from_dict(d) == Recipe(0.001, subset=None,
                                                                             precision="fp32")
    with pytest.raises(ValueError, match="unknown"):
        Recipe.from_dict({"lr": 0.001, "momentum": 0.9})
    # the trainer's defaults are the recipe's
    t = Trainer(small_model(), blobs(8))
    assert (t.lr, t.batch_size) == (r.lr, r.batch_size)


# -- precision and device -------------------------------------------------------------------
def test_bf16_training_runs_and_reports_its_precision():
    t = Trainer(small_model(), blobs(64), precision="bf16", device="cpu")
    t.fit(epochs=1)
    assert t.precision == "bf16" and t.device.type == "cpu"
    assert all(math.isfinite(v) for v in t.history.steps)
    assert all(p.dtype == torch.float32 for p in t.model.parameters())  # autocast, fp32 master


def test_precision_detection(monkeypatch):
    cpu = torch.device("cpu")
    assert accel.pick_precision(cpu, "fp32") == "fp32"
    assert accel.pick_precision(cpu, "bf16") == "bf16"
    monkeypatch.setattr(accel, "_cpu_capability", lambda: "AVX2")
    monkeypatch.setattr(accel, "cpu_flags", lambda: frozenset({"avx2", "fma"}))
    assert accel.cpu_bf16() is None and accel.pick_precision(cpu) == "fp32"
    monkeypatch.setattr(accel, "cpu_flags", lambda: frozenset({"avx512f", "avx512_bf16"}))
    assert accel.cpu_bf16() == "avx512_bf16"
    monkeypatch.setattr(accel, "_mkldnn_bf16", lambda: True)
    assert accel.pick_precision(cpu) == "bf16"
    assert "native bf16 (avx512_bf16) -> bf16 autocast" in accel.detect("cpu").reason
    monkeypatch.setattr(accel, "_cpu_capability", lambda: "AMX")
    assert accel.cpu_bf16() == "AMX"
    assert accel.pick_device("cpu") == cpu


def test_compare_precisions_returns_both_losses():
    from ae.bench import compare_precisions

    r = compare_precisions(blobs(64), blobs(32, seed=1), epochs=1, config=small_config())
    assert set(r) >= {"fp32", "bf16", "rel_diff"}
    assert r["fp32"] > 0 and r["bf16"] > 0
    assert r["rel_diff"] == pytest.approx(abs(r["bf16"] - r["fp32"]) / r["fp32"])
    assert r["rel_diff"] < 0.5  # a sanity bound on tiny data; the CLI reports the real one


@pytest.mark.parametrize("stride", [1, 2, 3])
def test_the_sub_pixel_transposed_conv_equals_the_cropped_transposed_conv(stride):
    """ae.accel's fast form of Keras 'same' transposed convs: the same numbers (float64)."""
    for k in (1, 2, 3, 4, 5):
        for n in (1, 4, 7):
            full_len = (n - 1) * stride + k
            for start in range(max(full_len - n * stride, 0) + 1):
                x = torch.randn(2, 3, n, n, dtype=torch.float64)
                w = torch.randn(3, 4, k, k, dtype=torch.float64)
                b = torch.randn(4, dtype=torch.float64)
                want = b.view(1, 4, 1, 1).repeat(2, 1, n * stride, n * stride)
                full = F.conv_transpose2d(x, w, b, stride=stride)
                seg = full[:, :, start:start + n * stride, start:start + n * stride]
                want[:, :, :seg.shape[2], :seg.shape[3]] = seg  # k < s: the bias beyond
                got = conv_transpose2d_subpixel(x, w, b, stride, (start, start))
                assert got.shape == want.shape and torch.allclose(got, want), (k, n, start)


def test_the_thread_tuner_keeps_the_fastest_count_and_drops_a_slow_one_early():
    tuner = ThreadTuner(4, probe_steps=2, every_s=1000)
    assert tuner.candidates == [4, 2, 1]
    timings = {4: 1.0, 2: 0.5, 1: 3.0}
    used = []
    for _ in range(6):
        n = tuner.threads()
        used.append(n)
        tuner.record(timings[n])
    # round robin; 1 is dropped after its first step: more than twice as slow as 2
    assert used == [4, 2, 1, 4, 2, 2] and tuner.best == 2
    assert ThreadTuner(1).candidates == [1]


def test_the_trainer_puts_the_callers_thread_count_back():
    torch.set_num_threads(1)
    t = Trainer(small_model(), blobs(32), precision="fp32", threads=2)
    seen = []
    t.add_callback("on_step", lambda tr, s, loss: seen.append(torch.get_num_threads()))
    t.fit(epochs=1)
    assert seen == [2] and torch.get_num_threads() == 1
