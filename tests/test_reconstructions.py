"""ae.analysis.reconstructions: chosen test images repainted, and the test set's errors in one
pass (from the images, or from the codes the wall already has)."""

import numpy as np
import pytest
import torch

from ae.analysis import reconstructions as R
from ae.analysis.latent import encode
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig


def small_model(z_dim: int = 2) -> Autoencoder:
    torch.manual_seed(0)
    cfg = AEConfig((28, 28, 1), [8, 8], [3, 3], [2, 2], [8, 1], [3, 3], [2, 2], z_dim)
    return Autoencoder.from_config(cfg).eval()


def images(n: int = 12, seed: int = 0) -> torch.Tensor:
    return torch.randint(0, 256, (n, 28, 28), dtype=torch.uint8,
                         generator=torch.Generator().manual_seed(seed))


@pytest.fixture(scope="module")
def digits():
    rng = np.random.default_rng(0)
    x = torch.from_numpy(rng.integers(0, 256, (60, 28, 28), dtype=np.uint8))
    y = torch.arange(60) % 10
    return x, y


def test_reconstruct_indices_follows_the_articles_steps(digits):
    x, y = digits
    model = small_model()
    index = np.array([5, 17, 3, 42, 8])
    got = R.reconstruct_indices(model, x, y, index)
    images = x.numpy()[index] / 255.0  # the article scales pixels to [0, 1]
    with torch.no_grad():
        codes = model.encoder(torch.as_tensor(images, dtype=torch.float32)[:, None]).numpy()
        recons = model.decoder(torch.as_tensor(codes)).numpy()[:, 0]
    assert np.array_equal(got.index, index) and np.array_equal(got.labels, y.numpy()[index])
    np.testing.assert_allclose(got.images, images, atol=1e-6)
    np.testing.assert_allclose(got.codes, codes, atol=1e-5)
    np.testing.assert_allclose(got.recons, recons, atol=1e-5)
    np.testing.assert_allclose(got.mse, ((images - recons) ** 2).mean(axis=(1, 2)), rtol=1e-4)
    assert got.images.shape == (5, 28, 28) and got.codes.shape == (5, 2)
    ref = R.reconstruct(model, x, y, n=5, seed=3)  # the article's figure: these, at random
    again = R.reconstruct_indices(model, x, y, ref.index)
    np.testing.assert_allclose(again.mse, ref.mse, rtol=1e-6)


def test_reconstruct_indices_keeps_order_accepts_numpy_and_refuses_bad_indices(digits):
    x, y = digits
    model = small_model(z_dim=3)
    got = R.reconstruct_indices(model, x.numpy(), y.numpy(), [7, 2, 7])
    assert got.index.tolist() == [7, 2, 7] and got.labels.tolist() == [7, 2, 7]
    assert got.codes.shape == (3, 3) and np.allclose(got.codes[0], got.codes[2])
    np.testing.assert_allclose(got.images[1], x[2].numpy() / 255.0, atol=1e-6)
    assert len(R.reconstruct_indices(model, x, y, []).index) == 0
    with pytest.raises(IndexError):
        R.reconstruct_indices(model, x, y, [60])


def test_recon_errors_agree_with_analysis_in_one_pass(digits):
    x, y = digits
    model = small_model()
    errors = R.recon_errors(model, x, y)
    mse = R.per_image_mse(model, x)
    np.testing.assert_allclose(errors.mse, mse, rtol=1e-6)
    assert errors.mean == pytest.approx(float(mse.mean()), rel=1e-6)
    for d in range(10):
        assert errors.per_digit[d] == pytest.approx(float(mse[y.numpy() == d].mean()), rel=1e-6)
    worst = errors.worst()
    assert worst.tolist() == R.worst_per_digit(model, x, y).index.tolist()
    assert [int(y[i]) for i in worst] == list(range(10))
    two = errors.worst(per_digit=2)
    assert len(two) == 20 and set(worst) <= set(two)


def test_recon_errors_from_shared_codes_only_decode(digits):
    # the pages encode the test set once; the errors then reuse those codes
    x, y = digits
    model = small_model()
    codes = encode(model, x, precision="fp32")
    shared = R.recon_errors(model, x, y, codes=codes)
    np.testing.assert_allclose(shared.mse, R.per_image_mse(model, x), rtol=1e-5)
    np.testing.assert_allclose(R.decoded_mse(model, x, codes, batch_size=7), shared.mse,
                               rtol=1e-6)
    with pytest.raises(ValueError):
        R.decoded_mse(model, x, codes[:5])


def test_recon_errors_with_a_missing_digit():
    errors = R.ReconErrors(np.array([0.1, 0.3, 0.2]), np.array([0, 0, 2]), 0.2,
                           np.array([0.2, np.nan, 0.2] + [np.nan] * 7))
    assert errors.worst().tolist() == [1, 2]


def test_reconstruct_is_seeded_and_consistent():
    m, x = small_model(), images(30)
    y = torch.arange(30) % 10
    r = R.reconstruct(m, x, y, n=5, seed=3)
    assert r.images.shape == r.recons.shape == (5, 28, 28) and r.codes.shape == (5, 2)
    np.testing.assert_array_equal(r.labels, y.numpy()[r.index])
    np.testing.assert_allclose(r.images, x.numpy()[r.index] / 255, atol=1e-6)
    np.testing.assert_allclose(r.mse, ((r.images - r.recons) ** 2).mean(axis=(1, 2)), rtol=1e-5)
    np.testing.assert_array_equal(R.reconstruct(m, x, y, n=5, seed=3).index, r.index)
    assert len(set(r.index)) == 5


def test_worst_per_digit_picks_the_largest_error_of_each_digit():
    m, x = small_model(), images(40, seed=1)
    y = np.arange(40) % 4
    mse = R.per_image_mse(m, x)
    w = R.worst_per_digit(m, x, y, per_digit=2)
    assert list(w.labels) == [0, 0, 1, 1, 2, 2, 3, 3]
    for d in range(4):
        idx = np.flatnonzero(y == d)
        assert set(w.index[w.labels == d]) == set(idx[np.argsort(-mse[idx])[:2]])
    np.testing.assert_allclose(w.mse, mse[w.index], rtol=1e-5)
