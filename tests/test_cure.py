"""ae.analysis.cure (+ cure_probes, cure_table) and `python -m ae analyze A.pt B.pt`: each defect
measured on a layout the test builds, whose answer it knows; the comparison, the diagnosis and
the table; `measure` end to end on tiny untrained models of both kinds."""

import dataclasses
import math

import numpy as np
import pytest
import torch
from torch import nn

from ae import cli
from ae.analysis import cure, cure_table
from ae.analysis import cure_probes as P
from ae.data import Dataset, synthetic
from ae.model import checkpoint, kinds
from ae.model.config import AEConfig


def tiny(kind: str = "autoencoder", z_dim: int = 2, seed: int = 0) -> nn.Module:
    torch.manual_seed(seed)
    cfg = AEConfig((28, 28, 1), [4, 8], [3, 3], [2, 2], [8, 1], [3, 3], [2, 2], z_dim, kind=kind)
    return kinds.build(cfg.validate()).eval()


class Stub(nn.Module):
    """A 'classifier' with fixed probabilities: `probs` for every image."""

    def __init__(self, probs):
        super().__init__()
        self.logits = nn.Parameter(torch.log(torch.as_tensor(probs, dtype=torch.float32)),
                                   requires_grad=False)

    def forward(self, x):
        return self.logits.expand(len(x), -1)


def images(n: int = 200, seed: int = 1):
    x, y = synthetic.make_digits(n, seed)
    return x, y


def stripes(n: int = 20000, seed: int = 0):
    """A uniform square cut into ten vertical stripes of equal width, labelled 0..9."""
    xy = np.random.default_rng(seed).uniform(-1, 1, (n, 2)).astype(np.float32)
    return xy, np.clip(((xy[:, 0] + 1) * 5).astype(np.int64), 0, 9)


# -- defect 2: not centred, not bounded, not N(0, I) ----------------------------------------
def test_latent_fit_of_the_standard_normal():
    codes = np.random.default_rng(0).standard_normal((40000, 2))
    f = P.latent_fit(codes)
    assert f.kl_fit == pytest.approx(0.0, abs=0.005)
    assert f.centre_offset < 0.03
    assert f.beyond == pytest.approx(math.exp(-4.5), abs=0.002)  # P(chi2_2 > 9) = 1.1%
    assert f.std == pytest.approx(1.0, abs=0.02)


def test_normal_beyond_closed_forms():
    assert P.normal_beyond(1) == pytest.approx(0.0027, abs=1e-4)  # the 3-sigma rule
    assert P.normal_beyond(2) == pytest.approx(math.exp(-4.5), rel=1e-6)
    z = np.random.default_rng(1).standard_normal((200000, 3))
    assert P.normal_beyond(3) == pytest.approx((np.linalg.norm(z, axis=1) > 3).mean(), abs=0.001)


def test_latent_fit_of_a_shifted_normal():
    codes = np.random.default_rng(0).standard_normal((40000, 2)) + [5.0, 0.0]
    f = P.latent_fit(codes)
    assert f.centre_offset == pytest.approx(5.0, rel=0.02)
    assert f.kl_fit == pytest.approx(0.5 * 5.0 ** 2, rel=0.02)  # 0.5 |m|^2 for unit covariance
    # distance from 0 in spreads: |(x + 5, y)| > 3 for nearly every mark
    z = np.random.default_rng(0).standard_normal((40000, 2)) + [5.0, 0.0]
    assert f.beyond == pytest.approx((np.linalg.norm(z, axis=1) > 3).mean(), abs=0.003)
    assert f.beyond > 0.95


def test_kl_to_standard_normal_closed_form():
    assert P.kl_to_standard_normal([0, 0], np.eye(2)) == pytest.approx(0.0, abs=1e-12)
    # 0.5 (tr S + |m|^2 - k - ln det S) with S = diag(4, 1/4), m = (1, 2)
    assert P.kl_to_standard_normal([1, 2], np.diag([4.0, 0.25])) == pytest.approx(
        0.5 * (4.25 + 5 - 2 - 0.0))
    squeezed = P.kl_to_standard_normal([0, 0], np.diag([1.0, 0.0]))
    assert np.isfinite(squeezed) and squeezed > 10  # a line, not a cloud: far from N(0, I)


def test_kl_per_image_is_the_loss_formula():
    mu, sigma = np.array([[1.0, 0.0], [0.0, 0.0]]), np.array([[1.0, 1.0], [0.5, 2.0]])
    by_hand = np.mean([0.5, -0.5 * (1 + np.log(0.25) - 0.25 + 1 + np.log(4) - 4)])
    assert P.kl_per_image(mu, sigma) == pytest.approx(by_hand)
    assert P.kl_per_image(np.zeros((5, 2)), np.ones((5, 2))) == 0.0  # the prior itself


# -- generation score --------------------------------------------------------------------------
def test_evenness():
    assert P.evenness(np.full(10, 7)) == pytest.approx(1.0)
    assert P.evenness(np.eye(10)[3] * 50) == 0.0
    assert P.evenness(np.zeros(10)) == 0.0
    assert P.evenness([5, 5, 0, 0, 0, 0, 0, 0, 0, 0]) == pytest.approx(np.log(2) / np.log(10))


def test_gen_score_with_stub_classifiers():
    x, _ = images(50)
    sure = P.gen_score(Stub([0.95] + [0.05 / 9] * 9), x)
    assert sure.recognised == 1.0 and sure.evenness == 0.0
    assert sure.counts[0] == 50 and sure.counts.sum() == 50
    unsure = P.gen_score(Stub([0.1] * 10), x)
    assert unsure.recognised == 0.0 and unsure.evenness == 0.0


# -- continuity probes -------------------------------------------------------------------------
def test_line_pairs_join_different_digits_and_depend_only_on_labels():
    y = np.arange(300) % 10
    pairs = P.line_pairs(y, n=12, seed=3)
    assert pairs.shape == (12, 2) and (y[pairs[:, 0]] != y[pairs[:, 1]]).all()
    np.testing.assert_array_equal(pairs, P.line_pairs(y, n=12, seed=3))
    assert P.line_pairs(np.zeros(10), n=3).shape == (0, 2)


def test_step_change_grows_with_the_step():
    model = tiny()
    codes = np.random.default_rng(0).standard_normal((100, 2)).astype(np.float32)
    assert P.step_change(model, codes, 0.0, n=20) == 0.0
    small, big = (P.step_change(model, codes, s, n=20) for s in (0.01, 5.0))
    assert 0 < small < big


def test_line_jump_is_zero_on_a_constant_line():
    model = tiny()
    codes = np.zeros((4, 2), np.float32)
    assert P.line_jump(model, codes, np.array([[0, 1], [2, 3]])) == 0.0
    codes = np.array([[-3, 0], [3, 0]], np.float32)
    assert P.line_jump(model, codes, np.array([[0, 1]])) > 0


# -- measure: areas and gaps on built layouts, end to end on tiny models ----------------------
def test_equal_areas_give_ratio_one():
    xy, labels = stripes()
    m = cure.measure(tiny(), None, labels, codes=xy, n_samples=300)
    assert m.area_ratio == pytest.approx(1.0, abs=0.1)
    np.testing.assert_allclose(m.area_shares, 0.1, atol=0.01)


def two_blobs(n: int = 10000, seed: int = 0):
    rng = np.random.default_rng(seed)
    xy = np.vstack([rng.uniform(-0.5, 0.5, (n // 2, 2)) + [-3, 0],
                    rng.uniform(-0.5, 0.5, (n // 2, 2)) + [3, 0]])
    return xy.astype(np.float32), np.r_[np.zeros(n // 2), np.ones(n // 2)].astype(np.int64)


def test_gap_share_two_blobs_with_a_hole_vs_one_blob():
    xy, labels = two_blobs()
    gappy = cure.measure(tiny(), None, labels, codes=xy, n_samples=1000)
    one = np.random.default_rng(0).uniform(-1, 1, (10000, 2)).astype(np.float32)
    full = cure.measure(tiny(), None, labels, codes=one, n_samples=1000)
    # the box is 7 x 1; the blobs fill 2 of its 7 units of width: about 5/7 of it is a hole
    assert gappy.gap_share == pytest.approx(5 / 7, abs=0.05)
    assert full.gap_share < 0.01


def test_vae_gap_share_uses_normal_samples():
    rng = np.random.default_rng(7)  # not measure's seed 0: its samples would be these marks
    ones = np.ones((10000, 2), np.float32)
    labels = np.arange(10000) % 10
    xy, _ = two_blobs()
    apart = cure.measure(tiny("vae"), None, labels, codes=xy, sigma=ones, n_samples=1000)
    # N(0, I) draws fall between the blobs at (-3, 0) and (3, 0): nearly all in the hole
    assert apart.gap_share > 0.9
    normal = rng.standard_normal((10000, 2)).astype(np.float32)
    fits = cure.measure(tiny("vae"), None, labels, codes=normal, sigma=ones, n_samples=2000)
    assert 0.04 < fits.gap_share < 0.09  # only the thin tails: about 6% for a Gaussian cloud


@pytest.mark.parametrize("z_dim", [2, 3])
def test_measure_end_to_end(z_dim):
    x, y = images(200)
    clf = Stub([0.95] + [0.05 / 9] * 9)
    ae = cure.measure(tiny(z_dim=z_dim), x, y, clf=clf, n_samples=300)
    vae = cure.measure(tiny("vae", z_dim=z_dim), x, y, clf=clf, n_samples=300)
    assert (ae.kind, vae.kind, ae.n, vae.n) == ("autoencoder", "vae", 200, 200)
    assert ae.projection == vae.projection == (None if z_dim == 2 else "PCA 1/2")
    assert ae.area_shares.shape == (10,) and ae.area_shares.sum() == pytest.approx(1.0)
    assert ae.mean_sigma is None and ae.kl_per_image is None
    assert vae.mean_sigma > 0 and vae.kl_per_image >= 0
    assert vae.native is vae.normal  # a VAE is sampled from N(0, I) anyway
    assert ae.native.recognised == 1.0 and ae.normal.evenness == 0.0
    for m in (ae, vae):
        for key in cure.ROW_KEYS:
            assert np.isfinite(cure.value(m, key)), key
    # the same seed gives the same numbers; codes passed in give the same as encoding
    again = cure.measure(tiny(z_dim=z_dim), x, y, clf=clf, n_samples=300)
    assert again.gap_share == ae.gap_share and again.line_jump == ae.line_jump
    without = cure.measure(tiny(z_dim=z_dim), x, y, n_samples=300)
    assert without.native is None and without.normal is None


def test_measure_reuses_codes_and_sigma():
    x, y = images(100)
    model = tiny("vae")
    mu, sigma = model.spread(torch.as_tensor(x).float().div(255).unsqueeze(1))
    direct = cure.measure(model, x, y, n_samples=200)
    reused = cure.measure(model, None, y, n_samples=200, codes=mu.numpy(), sigma=sigma.numpy())
    assert reused.mean_sigma == pytest.approx(direct.mean_sigma, rel=1e-5)
    assert reused.kl_fit == pytest.approx(direct.kl_fit, rel=1e-4)


# -- compare and diagnose ----------------------------------------------------------------------
def fake(kind: str = "autoencoder", **values) -> cure.Measures:
    score = P.GenScore(0.5, 0.5, np.full(10, 100))
    base = dict(kind=kind, n=10000, area_shares=np.full(10, 0.1), area_ratio=2.0,
                centre_offset=0.5, beyond_3=0.02, kl_fit=1.0, gap_share=0.3, native=score,
                normal=score, step_change=1e-3, line_jump=1e-2,
                mean_sigma=0.2 if kind == "vae" else None, codes_std=1.0,
                kl_per_image=4.0 if kind == "vae" else None, spacing=0.02)
    base.update(values)
    return cure.Measures(**base)


def test_compare_verdicts_and_ties():
    ae = fake(area_ratio=10.0, kl_fit=2.0, step_change=1e-3, gap_share=0.30)
    vae = fake("vae", area_ratio=3.0, kl_fit=2.05, step_change=5e-3, gap_share=0.305,
               native=P.GenScore(0.9, 0.8, np.full(10, 5)), normal=None)
    rows = {r.key: r for r in cure.compare(ae, vae)}
    assert [r.key for r in cure.compare(ae, vae)] == list(cure.ROW_KEYS)
    assert rows["area_ratio"].winner == "vae" and rows["area_ratio"].better == "lower"
    assert rows["step_change"].winner == "autoencoder" and rows["step_change"].side == "left"
    assert rows["kl_fit"].winner == "tie"        # 2.5% apart: under TIE_REL
    assert rows["gap_share"].winner == "tie"     # half a percentage point: within TIE_ABS
    assert rows["native_recognised"].winner == "vae"
    assert rows["native_recognised"].better == "higher"
    assert rows["normal_recognised"].winner == "n/a" and rows["normal_recognised"].vae is None
    assert rows["area_ratio"].ae == 10.0 and rows["area_ratio"].vae == 3.0
    # the winner is named by kind, whichever order the two come in
    swapped = {r.key: r for r in cure.compare(vae, ae)}
    assert swapped["area_ratio"].winner == "vae" and swapped["area_ratio"].side == "left"
    # two models of one kind: by position
    same = {r.key: r for r in cure.compare(fake(area_ratio=5.0), fake(area_ratio=2.0))}
    assert same["area_ratio"].winner == "vae" and same["area_ratio"].side == "right"


def test_diagnose_collapse_vs_autoencoder_like_vs_balanced():
    rng = np.random.default_rng(0)
    labels = np.arange(5000) % 10
    model = tiny("vae")
    collapsed = cure.measure(model, None, labels, codes=0.01 * rng.standard_normal((5000, 2)),
                             sigma=np.ones((5000, 2)), n_samples=300)
    d = cure.diagnose(collapsed)
    assert d.label == "collapse" and set(d.rules) == {"codes_near_zero", "kl_near_zero"}
    assert d.kl_per_image < cure.COLLAPSE_KL
    wide = 6 * rng.standard_normal((5000, 2)) + [4, 0]  # spread out, off centre, tiny patches
    ae_like = cure.measure(model, None, labels, codes=wide, sigma=np.full((5000, 2), 1e-3),
                           n_samples=300)
    d = cure.diagnose(ae_like)
    assert d.label == "autoencoder_like" and d.patch_ratio < 1 and d.kl_fit > 1
    assert d.rules[:2] == ("patches_tiny", "kl_fit_large")
    # tiny patches on a wall that still looks like N(0, I): not (yet) an autoencoder
    points = cure.measure(model, None, labels, codes=rng.standard_normal((5000, 2)),
                          sigma=np.full((5000, 2), 1e-4), n_samples=300)
    d = cure.diagnose(points)
    assert d.label == "balanced" and d.rules == ("patches_tiny",)
    # an autoencoder's marks are points: its off-centre wall reads as what it is
    assert cure.diagnose(fake(kl_fit=0.8, gap_share=0.6)).label == "autoencoder_like"
    balanced = cure.measure(model, None, labels, codes=rng.standard_normal((5000, 2)),
                            sigma=np.full((5000, 2), 0.2), n_samples=300)
    assert cure.diagnose(balanced).label == "balanced"
    # the KL per image a caller passes (e.g. the training's) takes precedence
    assert cure.diagnose(balanced, kl_per_image=0.01).label == "collapse"


# -- the table and the CLI ---------------------------------------------------------------------
def test_table_lines_names_what_the_vae_does_not_beat():
    ae, vae = fake(area_ratio=10.0), fake("vae", area_ratio=3.0, step_change=5e-3)
    text = "\n".join(cure_table.table_lines(
        ae, vae, names=("book", "vae_book"),
        metas=({"test_loss": 0.05}, {"test_loss": 54.4, "test_r_loss": 50.0,
                                     "test_kl_loss": 4.4, "recipe": {"r_loss_factor": 1000}})))
    for name in cure_table.ROW_NAMES.values():
        assert name in text
    assert "vae_book better" in text and "book better" in text
    assert "Where vae_book does NOT beat book:" in text
    assert "changes the picture no less over a short step" in text
    assert "gives the digits no more even areas" not in text  # it does beat it there
    assert "1000 x MSE 0.05000" in text and "test loss (MSE per image) 0.05000" in text
    assert "vae_book diagnosis: balanced" in text
    best = fake("vae", **{k: 0.0 for k in ("area_ratio", "centre_offset", "beyond_3", "kl_fit",
                                           "gap_share", "step_change", "line_jump")},
                native=P.GenScore(1.0, 1.0, np.full(10, 1)),
                normal=P.GenScore(1.0, 1.0, np.full(10, 1)))
    assert cure_table.table_lines(ae, best)[-1] == "VAE beats autoencoder on every row."


def small_dataset(n: int = 200) -> Dataset:
    x, y = images(n)
    t = torch.from_numpy
    return Dataset("synthetic-digits", "synthetic", t(x), t(y), t(x), t(y), [])


def test_cli_analyze_one_and_two_checkpoints(tmp_path, monkeypatch, capsys):
    ds = small_dataset()
    monkeypatch.setattr(cli.data, "load", lambda *a, **k: ds)
    a, b = tmp_path / "ae.pt", tmp_path / "vae.pt"
    checkpoint.save(a, tiny(), dataset=ds.name, meta={"test_loss": 0.06})
    checkpoint.save(b, tiny("vae"), dataset=ds.name,
                    meta={"test_loss": 60.0, "test_r_loss": 58.0, "test_kl_loss": 2.0,
                          "recipe": {"r_loss_factor": 1000.0}})
    assert cli.main(["analyze", str(b), "--samples", "200"]) == 0  # today's report, for a VAE
    out = capsys.readouterr().out
    assert "(vae, data set synthetic-digits" in out and "Uneven areas" in out
    assert cli.main(["analyze", str(a), str(b), "--samples", "200"]) == 0
    out = capsys.readouterr().out
    assert "defect" in out and "ae" in out and "vae" in out
    for name in cure_table.ROW_NAMES.values():
        assert name in out
    assert "vae: test loss 60.0000 = r_loss 58.0000 (1000 x MSE 0.05800)" in out
    assert "Where vae does NOT beat ae:" in out or "vae beats ae on every row." in out
    assert cli.main(["analyze", str(a), str(b), str(a)]) == 2


def test_measures_is_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        fake().n = 3  # type: ignore[misc]
