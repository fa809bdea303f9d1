"""ae.analysis.latent: encode/decode with a small model, the book's sampling and grid, the PCA view,
interpolation and continuity on models whose answers the test knows."""

import numpy as np
import pytest
import torch
from torch import nn

from ae.analysis import latent as A
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig


def small_model(z_dim: int = 2, seed: int = 0) -> Autoencoder:
    torch.manual_seed(seed)
    cfg = AEConfig((28, 28, 1), [4, 8], [3, 3], [2, 2], [8, 1], [3, 3], [2, 2], z_dim)
    return Autoencoder.from_config(cfg)


def images(n: int = 12, seed: int = 0) -> torch.Tensor:
    return torch.randint(0, 256, (n, 28, 28), dtype=torch.uint8,
                         generator=torch.Generator().manual_seed(seed))


class FakeDecoderModel(nn.Module):
    """A model whose decoder the test writes: z (B, 2) -> (B, 1, 28, 28)."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn
        self.encoder = nn.Flatten()
        self.decoder = _Lambda(fn)


class _Lambda(nn.Module):
    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, z):
        return self.fn(z)


# -- encode / decode / reconstruct ------------------------------------------------------------
def test_encode_decode_shapes_and_dtypes():
    m = small_model()
    x = images(10)
    z = A.encode(m, x, batch_size=4)  # several batches
    assert z.shape == (10, 2) and z.dtype == np.float32
    z_float = A.encode(m, x.unsqueeze(1).float() / 255)
    np.testing.assert_allclose(z, z_float, rtol=1e-5, atol=1e-6)
    out = A.decode(m, z)
    assert out.shape == (10, 28, 28) and out.dtype == np.float32
    assert out.min() >= 0 and out.max() <= 1
    assert A.encode(m, x[:0]).shape == (0, 2)
    assert A.decode(m, np.zeros((0, 2))).shape == (0, 28, 28)


def test_encode_restores_training_mode():
    m = small_model()
    m.train(True)
    A.encode(m, images(3))
    assert m.training
    m.eval()
    A.decode(m, [[0.0, 0.0]])
    assert not m.training


def test_decode_refuses_wrong_latent_size():
    with pytest.raises(ValueError, match="z_dim"):
        A.decode(small_model(z_dim=3), [[1.0, 2.0]])


# -- sampling, grid, projection ----------------------------------------------------------------
def layout(n: int = 500, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).normal([1.0, -2.0], [2.0, 0.5], (n, 2)).astype(np.float32)


def test_sample_uniform_within_box_and_seeded():
    xy = layout()
    xmin, xmax, ymin, ymax = A.sample_box(xy)
    assert (xmin, xmax) == (xy[:, 0].min(), xy[:, 0].max())
    assert (ymin, ymax) == (xy[:, 1].min(), xy[:, 1].max())
    s = A.sample_uniform(xy, n=30, seed=7)
    assert s.shape == (30, 2)
    assert (s[:, 0] >= xmin).all() and (s[:, 0] <= xmax).all()
    assert (s[:, 1] >= ymin).all() and (s[:, 1] <= ymax).all()
    np.testing.assert_array_equal(s, A.sample_uniform(xy, n=30, seed=7))
    assert not np.array_equal(s, A.sample_uniform(xy, n=30, seed=8))


def test_grid_points_row_major_top_row_first():
    xy = np.array([[-1.0, -3.0], [2.0, 5.0]])
    g = A.grid_points(xy, n=4)
    assert g.shape == (16, 2)
    rows = g.reshape(4, 4, 2)
    np.testing.assert_allclose(rows[0, :, 1], 5.0)   # top row: max y
    np.testing.assert_allclose(rows[-1, :, 1], -3.0)  # bottom row: min y
    np.testing.assert_allclose(rows[0, :, 0], [-1.0, 0.0, 1.0, 2.0])  # left to right


def test_project_2d_keeps_2d_codes():
    xy = layout(50)
    out, label = A.project_2d(xy)
    np.testing.assert_array_equal(out, xy)
    assert label is None
    out1, label1 = A.project_2d(xy[:, :1])
    assert out1.shape == (50, 2) and label1 == "z (1-D)" and (out1[:, 1] == 0).all()


def test_project_2d_recovers_a_planted_plane():
    rng = np.random.default_rng(1)
    plane = np.linalg.qr(rng.normal(size=(5, 2)))[0].T  # (2, 5) orthonormal rows
    a = rng.normal([3.0, -1.0], [2.0, 0.7], (400, 2))   # off-centre on purpose
    codes = a @ plane
    xy, label = A.project_2d(codes)
    assert label == "PCA 1/2" and xy.shape == (400, 2)
    # a rotation/reflection of the planted layout: distances to each other and to (0, 0) kept
    np.testing.assert_allclose(np.linalg.norm(xy, axis=1), np.linalg.norm(a, axis=1), rtol=1e-4)
    d = lambda p: np.linalg.norm(p[:50, None] - p[None, :50], axis=-1)  # noqa: E731
    np.testing.assert_allclose(d(xy), d(a), atol=1e-4)
    basis = A.pca_basis(codes)
    np.testing.assert_allclose(xy @ basis, codes, atol=1e-4)  # lifting back is exact here


def test_interpolate_includes_both_ends():
    m = small_model()
    pts, imgs = A.interpolate(m, [0.0, 0.0], [1.0, -1.0], k=5)
    np.testing.assert_allclose(pts[[0, 2, -1]], [[0, 0], [0.5, -0.5], [1, -1]])
    assert imgs.shape == (5, 28, 28)


# -- continuity --------------------------------------------------------------------------------
def test_continuity_of_a_constant_decoder_is_zero():
    m = FakeDecoderModel(lambda z: torch.full((len(z), 1, 28, 28), 0.3))
    r = A.continuity(m)
    np.testing.assert_allclose(r.z_a, [2.0, -2.0])
    np.testing.assert_allclose(r.z_b, [2.1, -2.1])
    assert r.mse == 0 and r.max_abs == 0 and r.changed_share == 0
    assert r.image_a.shape == (28, 28)


def test_continuity_of_a_step_decoder_measures_the_change():
    # black left of x = 2.05, white right of it: (2, -2) and (2.1, -2.1) fall on either side
    m = FakeDecoderModel(lambda z: (z[:, :1, None, None] > 2.05).float().expand(-1, 1, 28, 28))
    r = A.continuity(m)
    assert r.mse == pytest.approx(1.0) and r.max_abs == 1.0 and r.changed_share == 1.0
    assert A.continuity(m, (0.0, 0.0), (1.0, 1.0)).mse == 0


def test_continuity_profile_finds_the_planted_jump():
    # 21 points from x = 0 to x = 2 (step 0.1): the decoder jumps at x = 1.25, between 12 and 13
    m = FakeDecoderModel(lambda z: (z[:, :1, None, None] > 1.25).float().expand(-1, 1, 28, 28))
    p = A.continuity_profile(m, (0.0, 0.0), (2.0, 0.0), k=21)
    assert p.points.shape == (21, 2) and p.images.shape == (21, 28, 28)
    assert p.step_change.shape == (20,)
    assert p.jump_index == 12
    assert p.step_change[12] == pytest.approx(1.0) and np.delete(p.step_change, 12).max() == 0


def test_encode_precisions():
    m, x = small_model(), images(40)
    exact = A.encode(m, x, precision="fp32")
    with torch.no_grad():
        ref = m.encoder(x.unsqueeze(1).float() / 255).numpy()
    np.testing.assert_allclose(exact, ref, rtol=1e-5, atol=1e-6)
    fast = A.encode(m, x, precision="bf16")  # emulated where the CPU lacks bf16: still correct
    assert fast.dtype == np.float32
    np.testing.assert_allclose(fast, exact, atol=0.03 * np.abs(exact).max())
    assert isinstance(A.use_bf16(m, "auto"), bool) and not A.use_bf16(m, "fp32")
    with pytest.raises(ValueError, match="precision"):
        A.encode(m, x, precision="fp16")
