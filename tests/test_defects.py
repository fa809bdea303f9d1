"""ae.analysis.defects and wall_report: each defect measured on a layout the test builds,
whose answer it knows."""

import numpy as np
import pytest
import torch

from ae.analysis import defects as D
from ae.analysis import wall_report
from ae.analysis.classifier import DigitCNN
from ae.analysis.latent import project_2d, sample_uniform
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig


def disk(n: int, centre, r: float, rng) -> np.ndarray:
    """n points uniform in a disk (sqrt of a uniform radius gives uniform area density)."""
    rad = r * np.sqrt(rng.uniform(0, 1, n))
    ang = rng.uniform(0, 2 * np.pi, n)
    return np.stack([centre[0] + rad * np.cos(ang), centre[1] + rad * np.sin(ang)], 1)


def two_disks(seed: int = 0):
    """Digit 3 on a disk of radius 2 around (-3, 0), digit 7 on radius 1 around (3, 0);
    the same density of points on both."""
    rng = np.random.default_rng(seed)
    xy = np.vstack([disk(8000, (-3, 0), 2.0, rng), disk(2000, (3, 0), 1.0, rng)])
    labels = np.r_[np.full(8000, 3), np.full(2000, 7)]
    return xy.astype(np.float32), labels


def test_nearest_matches_brute_force():
    rng = np.random.default_rng(0)
    q, p = rng.normal(size=(50, 2)), rng.normal(size=(300, 2))
    d_all = np.linalg.norm(q[:, None] - p[None], axis=-1)
    dist, idx = D.nearest(q, p, chunk=16)
    np.testing.assert_array_equal(idx, d_all.argmin(1))
    np.testing.assert_allclose(dist, d_all.min(1), rtol=1e-5)
    self_d = np.linalg.norm(p[:, None] - p[None], axis=-1)
    np.fill_diagonal(self_d, np.inf)
    dist, idx = D.nearest(p, p, exclude=np.arange(len(p)), chunk=64)
    np.testing.assert_array_equal(idx, self_d.argmin(1))
    np.testing.assert_allclose(dist, self_d.min(1), rtol=1e-5)


def test_nearest_keeps_small_distances_far_from_the_origin():
    # float32 matrix-multiply distances would round 1e-3 to 0 at coordinates near 100
    p = np.array([[100.0, 100.0], [100.001, 100.0], [0.0, 0.0]], dtype=np.float32)
    dist, _ = D.nearest(p, p, exclude=np.arange(3))
    assert dist[0] == pytest.approx(1e-3, rel=0.05)


# -- defect 1 ----------------------------------------------------------------------------------
def test_uneven_areas_ratio_of_two_disks():
    xy, labels = two_disks()
    r = D.uneven_areas(xy, labels, grid=40, n_samples=500)
    assert r.cell_share.shape == r.sample_share.shape == (10,)
    assert r.cell_share.sum() == pytest.approx(1.0)
    assert set(np.flatnonzero(r.cell_share)) == {3, 7}
    assert r.ratio == pytest.approx(2.0 ** 2 / 1.0 ** 2, rel=0.12)  # area ratio r1^2 / r2^2
    assert r.occupancy.shape == (40, 40) and r.grid == 40
    assert set(np.unique(r.occupancy)) == {-1, 3, 7}
    # left half of the map is digit 3's, right side digit 7's
    assert (r.occupancy[:, :15] != 7).all() and (r.occupancy[:, -8:] != 3).all()


def test_uneven_areas_sample_share_follows_nearest_disk():
    xy, labels = two_disks()
    r = D.uneven_areas(xy, labels, n_samples=3000, seed=5)
    # with dense disks, a dart is nearest to the disk whose *edge* is closer
    s = sample_uniform(xy, 3000, 5)
    to3 = np.linalg.norm(s - [-3, 0], axis=1) - 2.0
    to7 = np.linalg.norm(s - [3, 0], axis=1) - 1.0
    expected = (to3 < to7).mean()
    assert r.sample_share[3] == pytest.approx(expected, abs=0.02)
    assert r.sample_share[3] + r.sample_share[7] == pytest.approx(1.0)
    assert r.sample_share[3] > 0.5  # the big digit catches most darts


def test_occupancy_row_zero_is_the_top():
    xy = np.array([[0.0, 0.0], [1.0, 1.0]], dtype=np.float32)
    r = D.uneven_areas(xy, np.array([1, 2]), grid=4, n_samples=10)
    assert r.occupancy[0, 3] == 2 and r.occupancy[3, 0] == 1  # (1, 1) top right, (0, 0) bottom left
    assert r.ratio == 1.0


# -- defect 2 ----------------------------------------------------------------------------------
def test_symmetry_of_a_shifted_layout():
    rng = np.random.default_rng(0)
    xy = rng.normal([3.0, -2.0], [1.0, 0.5], (20000, 2))
    r = D.symmetry_bounds(xy)
    np.testing.assert_allclose(r.centroid, [3.0, -2.0], atol=0.03)
    np.testing.assert_allclose(r.spread, [1.0, 0.5], rtol=0.03)
    np.testing.assert_allclose(r.offset_sigma, [3.0, -4.0], rtol=0.03)
    assert r.side_share["x>0"] == pytest.approx(0.99865, abs=0.002)  # P(N(3, 1) > 0)
    assert r.side_share["y<0"] > 0.999 and r.side_share["y>0"] < 0.001
    assert r.side_share["x<0"] + r.side_share["x>0"] == pytest.approx(1.0)
    assert r.far_share == pytest.approx(np.exp(-4.5), abs=0.004)  # a round bell: P(chi2_2 > 9)
    assert r.asymmetry[0] > 5  # reaches much further right than left
    np.testing.assert_allclose(r.mins, xy.min(0))
    np.testing.assert_allclose(r.maxs, xy.max(0))


def test_symmetry_of_a_centred_bounded_layout():
    rng = np.random.default_rng(1)
    xy = disk(20000, (0, 0), 1.5, rng)
    r = D.symmetry_bounds(xy)
    assert np.abs(r.offset_sigma).max() < 0.03
    for k in ("x<0", "x>0", "y<0", "y>0"):
        assert r.side_share[k] == pytest.approx(0.5, abs=0.02)
    assert r.far_share == 0  # a disk has no tail
    np.testing.assert_allclose(r.asymmetry, [1.0, 1.0], atol=0.02)


def test_symmetry_all_on_one_side():
    r = D.symmetry_bounds(np.array([[1.0, 1.0], [2.0, 3.0], [3.0, 2.0]]))
    assert r.side_share["x<0"] == 0 and np.isinf(r.asymmetry).all()
    assert any("spreads" in line for line in r.lines())


# -- defect 3 ----------------------------------------------------------------------------------
def square_with_hole(n: int = 8000, hole: float = 0.5, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    p = rng.uniform(-1, 1, (int(n * 1.3), 2))
    p = p[np.linalg.norm(p, axis=1) > hole]
    return p[:n].astype(np.float32)


def test_gaps_find_the_hole():
    xy = square_with_hole()
    g = D.gaps(xy, n_samples=2000, grid=20)
    hole_share = np.pi * 0.5 ** 2 / 4  # hole area / box area = 0.196
    # the rim of the hole lies within one radius of a mark, hence the small allowance
    assert g.gap_share == pytest.approx(hole_share, abs=0.03)
    assert g.spacing > 0 and g.radius == pytest.approx(D.GAP_K * g.spacing)
    assert g.gap_map.shape == (20, 20)
    assert g.gap_map[9:11, 9:11].all()  # the centre is a gap
    assert not g.gap_map[[0, 0, -1, -1], [0, -1, 0, -1]].any()  # the corners are not
    inside = np.linalg.norm(g.samples, axis=1) < 0.45
    assert g.in_gap[inside].all()
    # outside the hole, a sample is more than 3 spacings from every mark about 1 time in 500
    assert g.in_gap[np.linalg.norm(g.samples, axis=1) > 0.55].mean() < 0.01


def test_gaps_of_an_even_layout_are_rare():
    rng = np.random.default_rng(2)
    g = D.gaps(rng.uniform(-1, 1, (5000, 2)), n_samples=2000)
    assert g.gap_share < 0.01  # 2^-9 for evenly scattered points: ~0.2%
    # scattered points of density rho: median nearest-neighbour distance sqrt(ln 2 / (pi rho))
    assert g.spacing == pytest.approx(np.sqrt(np.log(2) / (np.pi * 5000 / 4)), rel=0.1)


def test_typical_spacing_of_a_lattice():
    xs, ys = np.meshgrid(np.arange(30) * 0.1, np.arange(40) * 0.1)
    lattice = np.stack([xs.ravel(), ys.ravel()], 1)
    assert D.typical_spacing(lattice, n=None) == pytest.approx(0.1, rel=1e-4)
    assert D.typical_spacing(lattice, n=200, seed=3) == pytest.approx(0.1, rel=1e-4)
    assert D.typical_spacing(lattice[:1]) == 0.0


def test_gaps_with_a_given_radius_and_seed():
    xy = square_with_hole(3000)
    g1 = D.gaps(xy, radius=0.3, seed=1)
    assert g1.radius == 0.3
    assert g1.gap_share == pytest.approx(np.pi * 0.2 ** 2 / 4, abs=0.02)  # hole shrinks by 0.3
    np.testing.assert_array_equal(g1.samples, D.gaps(xy, radius=0.3, seed=1).samples)
    assert g1.lines()[0].startswith("Gaps:")


# -- the whole report --------------------------------------------------------------------------
def test_lift_maps_picture_points_into_the_latent_space():
    rng = np.random.default_rng(0)
    plane = np.linalg.qr(rng.normal(size=(4, 2)))[0].T
    codes = rng.normal(size=(300, 2)) @ plane
    xy, _ = project_2d(codes)
    np.testing.assert_allclose(wall_report.lift(xy, codes), codes, atol=1e-4)
    pts = np.array([[1.0, 2.0]])
    np.testing.assert_array_equal(wall_report.lift(pts, codes[:, :2]), pts)
    np.testing.assert_array_equal(wall_report.lift(pts, codes[:, :1]), [[1.0]])


@pytest.mark.parametrize("z_dim", [2, 3])
def test_report_of_a_small_model(z_dim):
    torch.manual_seed(0)
    model = Autoencoder.from_config(
        AEConfig((28, 28, 1), [4, 8], [3, 3], [2, 2], [8, 1], [3, 3], [2, 2], z_dim))
    x = torch.randint(0, 256, (200, 28, 28), dtype=torch.uint8)
    y = torch.arange(200) % 10
    r = wall_report.report(model, x, y, clf=DigitCNN(), n_samples=300)
    assert r.n == 200 and r.projection == (None if z_dim == 2 else "PCA 1/2")
    assert r.continuity.z_a.shape == (z_dim,)
    assert len(r.recognisability.predictions) == 300
    assert 0 <= r.classifier_accuracy <= 1
    text = "\n".join(r.lines())
    for word in ("Uneven areas", "Not centred", "Gaps", "Continuity", "Recognisable"):
        assert word in text
    assert wall_report.report(model, x, y).recognisability is None
