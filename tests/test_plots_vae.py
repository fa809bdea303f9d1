"""The figures a variational autoencoder adds: its two loss parts, and its patch (1 and 2 sigma
ellipses) around a picked mark, on the wall or in a close-up; none of it for the autoencoder."""

from __future__ import annotations

import numpy as np
import pytest

from ae import analysis
from ae.model import kinds
from ae.model.config import AEConfig
from ae.plots.curves import has_parts, parts_figure
from ae.plots.latent import GROUP_SPREAD, latent_figure, spread_figure, spread_traces

RNG = np.random.default_rng(0)


# -- the loss's two parts ---------------------------------------------------------------------
def test_parts_figure_draws_both_parts_per_step_and_per_epoch():
    r = list(60 - np.arange(40.0))
    kl = list(1 + np.arange(40.0) / 10)
    epochs = [dict(epoch=e, train_r_loss=40.0 - e, test_r_loss=41.0 - e, train_kl_loss=2.0 + e,
                   test_kl_loss=2.5 + e) for e in (1, 2)]
    fig = parts_figure({"r_loss": r, "kl_loss": kl}, epochs, steps_per_epoch=20,
                       texts={"r_loss": "重建"})
    names = [tr.name for tr in fig.data]
    assert names.count("重建") == 2 and names.count("KL divergence from N(0, I)") == 2
    assert "重建: train, epoch" in names
    assert "KL divergence from N(0, I): test, epoch (code at mu)" in names
    smooth_r = fig.data[1]
    assert smooth_r.showlegend is not False and len(smooth_r.x) == 40
    marks = next(tr for tr in fig.data if tr.name == "KL divergence from N(0, I): train, epoch")
    assert list(marks.x) == [20, 40] and list(marks.y) == [3.0, 4.0]  # at the end of each epoch
    assert fig.layout.yaxis.type == "log"


def test_parts_figure_thins_long_runs_and_skips_bad_values():
    n = 50_000
    fig = parts_figure({"r_loss": list(30 + RNG.random(n)), "kl_loss": [np.nan, -1.0, 0.0, 2.0]},
                       max_points=500)
    assert all(len(tr.x) <= 500 for tr in fig.data)
    kl = [tr for tr in fig.data if tr.legendgroup == "kl_loss"]
    assert all(list(tr.y) == [2.0] for tr in kl)  # NaN and non-positive values left out (log)
    epochs_only = parts_figure({}, [dict(epoch=1, train_r_loss=3.0, train_kl_loss=1.0)])
    assert epochs_only.layout.xaxis.title.text == "epoch"
    assert [tr.mode for tr in epochs_only.data] == ["markers+lines"] * 2


def test_has_parts_tells_a_vae_history_from_an_autoencoder_one():
    assert not has_parts({}, [dict(epoch=1, train_loss=0.1, test_loss=0.1)])
    assert not has_parts(None)
    assert has_parts({"r_loss": [1.0], "kl_loss": [0.5]})
    assert has_parts({}, [dict(epoch=1, train_loss=3.0, train_kl_loss=1.0)])


# -- the patch: 1 and 2 sigma ellipses ------------------------------------------------------------
def test_spread_traces_are_axis_aligned_ellipses_of_k_sigma():
    mu, sigma = np.array([1.0, -2.0]), np.array([0.3, 0.1])
    one, two = spread_traces(mu, sigma)
    for tr, k in ((one, 1), (two, 2)):
        x, y = np.asarray(tr.x), np.asarray(tr.y)
        assert tr.legendgroup == GROUP_SPREAD
        np.testing.assert_allclose([x.min(), x.max()], [1 - 0.3 * k, 1 + 0.3 * k], atol=1e-9)
        np.testing.assert_allclose([y.min(), y.max()], [-2 - 0.1 * k, -2 + 0.1 * k], atol=1e-9)
        np.testing.assert_allclose(((x - 1) / (0.3 * k)) ** 2 + ((y + 2) / (0.1 * k)) ** 2, 1.0)
    assert spread_traces(mu, [np.nan, 0.1]) == []


def _spread_of(kind: str):
    cfg = AEConfig.book(kind)
    model = kinds.build(cfg).eval()
    x = RNG.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    return analysis.encode(model, x), analysis.encode_spread(model, x)


@pytest.mark.parametrize("kind", ["autoencoder", "vae"])
def test_the_patch_appears_for_a_picked_vae_image_and_not_for_the_autoencoder(kind):
    codes, spread = _spread_of(kind)
    picked = 2
    patch = None if spread is None else (spread[0][picked], spread[1][picked])
    fig = latent_figure(codes, np.arange(5), picked=codes[picked], spread=patch)
    ellipses = [tr for tr in fig.data if tr.legendgroup == GROUP_SPREAD]
    if kind == "autoencoder":
        assert spread is None and ellipses == []
    else:
        mu, sigma = spread
        np.testing.assert_allclose(mu, codes, atol=1e-5)  # the wall shows mu
        assert len(ellipses) == 2
        x = np.asarray(ellipses[0].x)
        np.testing.assert_allclose(x.max() - x.min(), 2 * sigma[picked][0], rtol=1e-4)


def test_spread_figure_is_a_close_up_around_mu_with_its_neighbours():
    xy = RNG.normal(size=(2000, 2)) * 3
    labels = RNG.integers(0, 10, 2000)
    mu, sigma = xy[7], np.array([0.5, 0.25])
    fig = spread_figure(xy, labels, mu, sigma, texts={"title": "patch"})
    x0, x1 = fig.layout.xaxis.range
    y0, y1 = fig.layout.yaxis.range
    assert x0 < mu[0] - 2 * 0.5 and x1 > mu[0] + 2 * 0.5  # the 2 sigma outline fits
    assert y0 < mu[1] - 2 * 0.25 and y1 > mu[1] + 2 * 0.25
    shown = np.concatenate([np.asarray(tr.customdata) for tr in fig.data
                            if tr.legendgroup.startswith("digit:")])
    assert 7 in shown and len(shown) < 2000  # the mark itself, only the marks nearby
    assert sum(tr.legendgroup == GROUP_SPREAD for tr in fig.data) == 2
    assert fig.layout.title.text == "patch"
    tiny = spread_figure(xy, labels, mu, [1e-6, 1e-6])  # a point-like patch keeps some context
    assert np.diff(tiny.layout.xaxis.range)[0] > 0.1 * 3


def test_epoch_markers_sit_where_each_epoch_ended_even_after_a_stop():
    from ae.plots.curves import epoch_ends

    # a run stopped after 3 of 10 steps, resumed: its first record covers 10, the next 10
    stopped = [dict(epoch=0, steps=10, test_r_loss=5.0), dict(epoch=1, steps=10, test_r_loss=4.0),
               dict(epoch=2, steps=4, test_r_loss=3.0)]
    assert epoch_ends(stopped, 10) == [10, 20, 24]
    assert epoch_ends([dict(epoch=0), dict(epoch=1)], 7) == [7, 14]  # older records: no steps
    assert epoch_ends([dict(epoch=0)], 0) is None
    fig = parts_figure({"r_loss": [9.0] * 24}, stopped)
    test = next(tr for tr in fig.data if tr.name.endswith("(code at mu)"))
    assert list(test.x) == [10, 20, 24]
