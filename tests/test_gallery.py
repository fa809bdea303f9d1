"""Unit tests of ae.gallery: reconstructions of chosen indices, the one-pass test errors, the
figures (pipeline, wall with a path, error bars) and the URL readers."""

import numpy as np
import plotly.graph_objects as go
import pytest
import torch

from ae import analysis
from ae.analysis import gallery
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig


def small_model(z_dim: int = 2) -> Autoencoder:
    torch.manual_seed(0)
    cfg = AEConfig((28, 28, 1), [8, 8], [3, 3], [2, 2], [8, 1], [3, 3], [2, 2], z_dim)
    return Autoencoder.from_config(cfg).eval()


@pytest.fixture(scope="module")
def digits():
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.integers(0, 256, (60, 28, 28), dtype=np.uint8))
    y = torch.arange(60) % 10
    return x, y


def test_reconstruct_indices_matches_the_articles_reconstruct(digits):
    x, y = digits
    model = small_model()
    ref = analysis.reconstruct(model, x, y, n=5, seed=3)
    got = gallery.reconstruct_indices(model, x, y, ref.index)
    assert np.array_equal(got.index, ref.index) and np.array_equal(got.labels, ref.labels)
    for field in ("images", "codes", "recons", "mse"):
        np.testing.assert_allclose(getattr(got, field), getattr(ref, field), atol=1e-6)
    assert got.images.shape == (5, 28, 28) and got.codes.shape == (5, 2)


def test_reconstruct_indices_keeps_order_accepts_numpy_and_refuses_bad_indices(digits):
    x, y = digits
    model = small_model(z_dim=3)
    got = gallery.reconstruct_indices(model, x.numpy(), y.numpy(), [7, 2, 7])
    assert got.index.tolist() == [7, 2, 7] and got.labels.tolist() == [7, 2, 7]
    assert got.codes.shape == (3, 3) and np.allclose(got.codes[0], got.codes[2])
    np.testing.assert_allclose(got.images[1], x[2].numpy() / 255.0, atol=1e-6)
    assert len(gallery.reconstruct_indices(model, x, y, []).index) == 0
    with pytest.raises(IndexError):
        gallery.reconstruct_indices(model, x, y, [60])


def test_recon_errors_agree_with_analysis_in_one_pass(digits):
    x, y = digits
    model = small_model()
    errors = gallery.recon_errors(model, x, y)
    mse = analysis.per_image_mse(model, x)
    np.testing.assert_allclose(errors.mse, mse, rtol=1e-6)
    assert errors.mean == pytest.approx(float(mse.mean()), rel=1e-6)
    for d in range(10):
        assert errors.per_digit[d] == pytest.approx(float(mse[y.numpy() == d].mean()), rel=1e-6)
    worst = errors.worst()
    assert worst.tolist() == analysis.worst_per_digit(model, x, y).index.tolist()
    assert [int(y[i]) for i in worst] == list(range(10))
    two = errors.worst(per_digit=2)
    assert len(two) == 20 and set(worst) <= set(two)


def test_recon_errors_from_shared_codes_only_decode(digits):
    # the pages encode the test set once; the errors then reuse those codes
    x, y = digits
    model = small_model()
    codes = analysis.encode(model, x, precision="fp32")
    shared = gallery.recon_errors(model, x, y, codes=codes)
    np.testing.assert_allclose(shared.mse, analysis.per_image_mse(model, x), rtol=1e-5)
    np.testing.assert_allclose(gallery.decoded_mse(model, x, codes, batch_size=7), shared.mse,
                               rtol=1e-6)
    with pytest.raises(ValueError):
        gallery.decoded_mse(model, x, codes[:5])


def test_recon_errors_with_a_missing_digit():
    errors = gallery.ReconErrors(np.array([0.1, 0.3, 0.2]), np.array([0, 0, 2]), 0.2,
                                 np.array([0.2, np.nan, 0.2] + [np.nan] * 7))
    assert errors.worst().tolist() == [1, 2]
    fig = gallery.error_bars_figure(errors, texts={"title": "误差"})
    assert isinstance(fig, go.Figure) and fig.layout.title.text == "误差"
    assert np.isfinite(np.asarray(fig.data[0].y, dtype=float)).all()


def test_nth_of_digit_and_count():
    y = np.array([3, 1, 3, 3, 0])
    assert gallery.nth_of_digit(y, 3, 0) == 0 and gallery.nth_of_digit(y, 3, 2) == 3
    assert gallery.nth_of_digit(y, 3, 99) == 3 and gallery.nth_of_digit(y, 3, -5) == 0
    assert gallery.count_of_digit(y, 3) == 3 and gallery.count_of_digit(y, 7) == 0
    with pytest.raises(ValueError):
        gallery.nth_of_digit(y, 7, 0)


@pytest.mark.parametrize("code", [[0.5], [1.0, -2.0], [1.0, -2.0, 0.3, 4.0]])
def test_pipeline_figure_any_z_dim(code):
    image, recon = np.zeros((28, 28), np.float32), np.ones((28, 28), np.float32)
    wall = np.random.default_rng(0).normal(size=(50, 2))
    texts = {"in": "图像", "enc": "编码器", "wall": "墙", "dec": "解码器", "out": "重画"}
    fig = gallery.pipeline_figure(image, code, recon, wall=wall, texts=texts)
    heat = [tr for tr in fig.data if isinstance(tr, go.Heatmap)]
    assert len(heat) == 2 and all(h.zsmooth is False for h in heat)  # crisp pixels
    words = " ".join(a.text or "" for a in fig.layout.annotations)
    assert all(v in words for v in texts.values())
    mark = [tr for tr in fig.data if isinstance(tr, go.Scatter)][0]
    assert mark.x[0] == code[0] and mark.y[0] == (code[1] if len(code) > 1 else 0.0)
    assert gallery.pipeline_figure(image, code, recon).layout.height > 0  # no wall, no texts
    with pytest.raises(KeyError):
        gallery.pipeline_figure(image, code, recon, texts={"typo": "x"})


def test_wall_figure_draws_point_and_path():
    xy = np.random.default_rng(1).normal(size=(100, 2))
    labels = np.arange(100) % 10
    path = np.linspace([-1, -1], [1, 1], 6)
    fig = gallery.wall_figure(xy, labels, point=(0.5, 0.5), path=path,
                              texts={"path": "路径", "title": "墙"})
    line = [tr for tr in fig.data if tr.name == "路径"]
    assert len(line) == 1 and len(line[0].x) == 6
    assert fig.layout.title.text == "墙"
    assert len(gallery.wall_figure(xy, labels).data) == 10  # one trace per digit
    few = gallery.wall_figure(xy, labels, max_points=30)
    shown = np.concatenate([np.asarray(tr.customdata) for tr in few.data])
    assert len(shown) == 30 and set(shown) <= set(range(100))  # customdata: test indices
    for tr in few.data:  # each drawn mark is the code of the index it carries
        np.testing.assert_allclose(np.asarray(tr.x), xy[np.asarray(tr.customdata), 0])


def test_url_readers():
    assert gallery.parse_int("12", 0, 20) == 12 and gallery.parse_int(" 3 ", 0, 5) == 3
    for bad in (None, "", "x", "1.5", "21", "-1"):
        assert gallery.parse_int(bad, 0, 20) is None
    assert gallery.parse_floats("1.5,-2", 2) == [1.5, -2.0]
    for bad in (None, "1", "1,2,3", "a,b", "nan,1", "inf,0"):
        assert gallery.parse_floats(bad, 2) is None
    assert gallery.parse_ints("1,0,7,0", 4) == [1, 0, 7, 0]
    for bad in (None, "1,0,7", "1,0,7,x", "1.5,0,7,0"):
        assert gallery.parse_ints(bad, 4) is None


def test_decimals_follow_the_slider_step():
    assert gallery.decimals_for(0.05) == 2 and gallery.decimals_for(0.5) == 2
    assert gallery.decimals_for(5e-5) == 5 and gallery.decimals_for(0.002) == 3
    assert gallery.decimals_for(0.0) == 2
