"""ae.plots: each builder returns the figure the pages rely on (traces, customdata, styling,
crisp images, overridable texts) and never puts NaN into it. Inputs are built here; the real
report objects of ae.analysis are used too, where those modules import."""

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import plotly.graph_objects as go
import pytest

from ae import plots as P
from ae.analysis.selection import Pick, read_pick
from ae.plots.grid import palette, png_values, tile

RNG = np.random.default_rng(0)


def wall(n: int = 2000, seed: int = 0):
    """n codes in 10 clusters off the origin, their digits and (shuffled) test indices."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    centres = np.stack([np.cos(labels * 0.6), np.sin(labels * 0.6)], 1) * 4 + [1.5, -2.0]
    xy = (centres + rng.normal(0, 0.5 + 0.1 * labels[:, None], (n, 2))).astype(np.float32)
    return xy, labels, rng.permutation(n) + 100


def numbers(obj):
    """Every number (leaf) inside a figure dict, as float arrays."""
    if isinstance(obj, dict):
        for v in obj.values():
            yield from numbers(v)
    elif isinstance(obj, np.ndarray):
        if obj.dtype.kind in "fiu":
            yield obj.astype(np.float64).ravel()
        elif obj.dtype == object:
            yield from numbers(list(obj.ravel()))
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from numbers(v)
    elif isinstance(obj, (float, int, np.floating, np.integer)) and not isinstance(obj, bool):
        yield np.array([float(obj)])


def assert_clean(fig: go.Figure) -> None:
    assert isinstance(fig, go.Figure)
    d = fig.to_dict()
    for arr in numbers({"data": d["data"], "shapes": d["layout"].get("shapes", [])}):
        assert np.isfinite(arr).all(), "NaN/inf in the figure"
    fig.to_json()  # serialisable, as Streamlit needs


def text_of(fig: go.Figure) -> str:
    return fig.to_json()


# -- the latent wall ---------------------------------------------------------------------------
def test_latent_one_trace_per_digit_with_test_indices_webgl_for_a_big_wall():
    big = P.latent_figure(*wall(P.latent.GL_MIN_POINTS + 1), grid=np.zeros((4, 2)),
                          samples=np.ones((3, 2)))
    assert all(isinstance(tr, go.Scattergl) for tr in big.data if tr.legendgroup != "picked")
    xy, labels, index = wall()
    fig = P.latent_figure(xy, labels, index, grid=np.zeros((4, 2)), samples=np.ones((3, 2)))
    assert_clean(fig)
    assert not [tr for tr in fig.data if isinstance(tr, go.Scattergl)]  # 2,000 marks: SVG
    codes = [tr for tr in fig.data if tr.legendgroup.startswith("digit:")]
    assert len(codes) == 10 and all(isinstance(tr, go.Scatter) for tr in codes)
    assert [tr.name for tr in codes] == [str(d) for d in range(10)]
    for d, tr in enumerate(codes):
        np.testing.assert_array_equal(np.sort(tr.customdata), np.sort(index[labels == d]))
        # position i of the trace is the code of test image customdata[i]
        pos = {v: k for k, v in enumerate(index)}
        i = pos[int(tr.customdata[0])]
        assert (tr.x[0], tr.y[0]) == pytest.approx((xy[i, 0], xy[i, 1]))
        for key in ("%{x", "%{y", "%{customdata}"):
            assert key in tr.hovertemplate
    assert len({tr.marker.color for tr in codes}) == 10
    assert len({tr.marker.symbol for tr in codes}) == 10
    assert fig.layout.yaxis.scaleanchor == "x" and fig.layout.yaxis.scaleratio == 1
    assert fig.layout.xaxis.zeroline and fig.layout.yaxis.zeroline  # (0, 0) crosshair
    assert fig.layout.uirevision == "latent"
    assert fig.layout.dragmode is None  # Streamlit picks pan + click-to-select


def test_latent_10000_points_and_black_like_the_book():
    xy, labels, index = wall(10_000)
    fig = P.latent_figure(xy, labels, index, color_by="none")
    assert sum(len(tr.x) for tr in fig.data) == 10_000
    assert {tr.marker.color for tr in fig.data} == {"#111111"}
    assert not any(tr.showlegend for tr in fig.data)
    with pytest.raises(ValueError):
        P.latent_figure(xy, labels, color_by="rainbow")


def test_latent_overlays_and_pca_axis_label():
    xy, labels, index = wall(500)
    samples, grid = RNG.uniform(-3, 3, (30, 2)), RNG.uniform(-3, 3, (400, 2))
    fig = P.latent_figure(xy, labels, index, samples=samples, grid=grid, picked=(0.5, -1.0),
                          axis_label="PCA 1/2")
    assert_clean(fig)
    by = {tr.legendgroup: tr for tr in fig.data}
    np.testing.assert_array_equal(by["samples"].customdata, np.arange(30))
    np.testing.assert_allclose(np.c_[by["samples"].x, by["samples"].y], samples)
    assert by["grid"].marker.opacity < 0.3 and len(by["grid"].x) == 400
    assert "%{x" in by["grid"].hovertemplate and "%{y" in by["grid"].hovertemplate
    assert by["picked"].x[0] == 0.5 and by["picked"].y[0] == -1.0
    assert fig.layout.xaxis.title.text == "PCA 1" and fig.layout.yaxis.title.text == "PCA 2"
    # a click selects one point; nothing else may fade (Plotly's default is 20 % opacity)
    assert by["picked"].unselected.marker.opacity == 1.0
    assert by["digit:0"].unselected.marker.opacity == by["digit:0"].marker.opacity


def test_latent_without_labels_is_one_trace_of_codes():
    xy, _, index = wall(300)
    fig = P.latent_figure(xy, None, index)
    assert len(fig.data) == 1 and fig.data[0].legendgroup == "codes"
    pick = {"points": [{"x": 1.0, "y": 2.0, "customdata": 9, "legendgroup": "codes"}]}
    assert read_pick(pick) == Pick("code", 1.0, 2.0, 9, None)


def test_latent_leaves_out_non_finite_codes():
    xy, labels, index = wall(200)
    xy[:5] = np.nan
    fig = P.latent_figure(xy, labels, index)
    assert_clean(fig)
    assert sum(len(tr.x) for tr in fig.data) == 195


def test_texts_override_and_unknown_keys_fail():
    xy, labels, _ = wall(100)
    fig = P.latent_figure(xy, labels, texts={"title": "墙", "digit": "数字", "index": "测试图"})
    assert fig.layout.title.text == "墙"
    assert "数字" in fig.data[0].hovertemplate and "测试图" in fig.data[0].hovertemplate
    with pytest.raises(KeyError):
        P.latent_figure(xy, labels, texts={"titel": "typo"})
    for name, keys in P.TEXTS.items():  # every table is plain str -> str
        assert keys and all(isinstance(v, str) for v in keys.values()), name


def test_wall_figure_draws_point_and_path():
    xy = np.random.default_rng(1).normal(size=(100, 2))
    labels = np.arange(100) % 10
    path = np.linspace([-1, -1], [1, 1], 6)
    fig = P.wall_figure(xy, labels, point=(0.5, 0.5), path=path,
                              texts={"path": "路径", "title": "墙"})
    line = [tr for tr in fig.data if tr.name == "路径"]
    assert len(line) == 1 and len(line[0].x) == 6
    assert fig.layout.title.text == "墙"
    assert len(P.wall_figure(xy, labels).data) == 10  # one trace per digit
    few = P.wall_figure(xy, labels, max_points=30)
    shown = np.concatenate([np.asarray(tr.customdata) for tr in few.data])
    assert len(shown) == 30 and set(shown) <= set(range(100))  # customdata: test indices
    for tr in few.data:  # each drawn mark is the code of the index it carries
        np.testing.assert_allclose(np.asarray(tr.x), xy[np.asarray(tr.customdata), 0])



# -- reading a pick back from Streamlit's selection ------------------------------------------
def test_read_pick_kinds():
    xy, labels, index = wall(300)
    fig = P.latent_figure(xy, labels, index, samples=np.zeros((3, 2)), grid=np.ones((4, 2)))
    code = {"points": [{"curve_number": 4, "point_index": 0, "x": 1.0, "y": 2.0,
                        "customdata": 123, "legendgroup": "digit:3"}], "box": []}
    assert read_pick(code) == Pick("code", 1.0, 2.0, 123, 3)
    grid = {"points": [{"x": 0.5, "y": -0.5, "customdata": [7], "legendgroup": "grid"}]}
    assert read_pick(grid) == Pick("grid", 0.5, -0.5, 7)
    sample = {"points": [{"x": 0.1, "y": 0.2, "customdata": 2, "legendgroup": "samples"}]}
    assert read_pick(sample).kind == "sample"
    box = {"points": [{"x": 9, "y": 9, "customdata": 1, "legendgroup": "digit:0"}],
           "box": [{"xref": "x", "yref": "y", "x": [0.0, 2.0], "y": [-1.0, 3.0]}]}
    assert read_pick(box) == Pick("box", 1.0, 1.0, None)
    # no legendgroup reported: the figure's trace of that curve number tells the kind
    bare = {"points": [{"curve_number": 0, "x": 1.0, "y": 1.0, "customdata": 5}]}
    assert read_pick(bare, fig).kind == "grid"
    cell = {"points": [{"x": 40, "y": 13, "customdata": {"0": 4, "1": 0.25, "2": -1.5},
                        "legendgroup": "cell"}]}
    assert read_pick(cell) == Pick("cell", 0.25, -1.5, 4)
    assert read_pick(None) is None
    assert read_pick({"points": [], "box": [], "lasso": []}) is None


# -- images ------------------------------------------------------------------------------------
def test_tile_layout_and_pixel_values():
    im = RNG.random((30, 28, 28)).astype(np.float32)
    tl = tile(im, 10, gap=2, band=9)
    assert tl.z.shape == (3 * (28 + 9 + 2) - 2, 10 * 30 - 2) and tl.z.dtype == np.uint8
    r, c = divmod(13, 10)
    y0, x0 = r * 39, c * 30
    np.testing.assert_array_equal(tl.z[y0:y0 + 28, x0:x0 + 28], 1 + np.rint(im[13] * 254))
    assert tl.z[28:37].max() == 0  # the caption band is paper
    np.testing.assert_allclose(tl.centres[13], (x0 + 13.5, y0 + 13.5))


def test_image_grid_is_one_png_of_the_tiles_in_the_books_colours():
    im = RNG.random((12, 28, 28))
    fig = P.samples_figure(RNG.uniform(-5, 5, (12, 2)), im, cols=4)
    tl = tile(im, 4, gap=5, band=11)
    np.testing.assert_array_equal(pixels(fig), tl.z)  # the PNG's palette index is the value
    assert picture(fig).source.startswith("data:image/png;base64,")
    assert picture(fig).hoverinfo == "skip"  # the cells' invisible markers carry the hover
    pal = palette(invert=True)  # paper white, then the book's gray_r: light ground, black ink
    assert pal[0].tolist() == [255, 255, 255] and pal[1].tolist() == [243, 243, 243]
    assert pal[255].tolist() == [0, 0, 0] and (np.diff(pal[1:, 0].astype(int)) <= 0).all()
    assert palette(invert=False)[255].tolist() == [255, 255, 255]  # MNIST's white digit
    # the 20 x 20 grid of digits: ~100 kB, not the ~450 kB of JSON its 580 x 580 heatmap was
    from ae.data import synthetic

    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 20), np.linspace(1, -1, 20)),
                    -1).reshape(-1, 2)
    big = P.manifold_figure(synthetic.make_digits(400, seed=0)[0], grid)
    assert len(picture(big).source) < 200_000


def heatmap(fig):
    return next(tr for tr in fig.data if isinstance(tr, go.Heatmap))


def picture(fig):
    """The image grid's one picture (a go.Image drawn from a PNG)."""
    return next(tr for tr in fig.data if isinstance(tr, go.Image))


def pixels(fig) -> np.ndarray:
    """The picture's tile values (0 paper, 1..255 image), read back from its PNG."""
    return png_values(picture(fig).source)


def test_reconstructions_figure_is_the_articles():
    orig, rec = RNG.random((10, 28, 28)), RNG.random((10, 1, 28, 28))
    codes = np.array([[-2.04, -0.46]] * 10)
    fig = P.reconstructions_figure(orig, codes, rec, mse=np.full(10, 0.0312), labels=np.arange(10),
                                   texts={"original": "原图"})
    assert_clean(fig)
    assert picture(fig).zsmooth is False  # crisp pixels
    assert pixels(fig).shape[1] == 10 * (28 + 5) - 5  # one row of 10, captions widen gaps
    assert fig.layout.yaxis.scaleanchor == "x" and not fig.layout.xaxis.visible
    captions_trace = next(tr for tr in fig.data if tr.name == "captions")
    captions = captions_trace.text
    assert captions_trace.unselected.textfont.color  # captions do not fade on a click
    assert len(captions) == 20 and captions[0] == "(-2.0, -0.5)" and captions[10] == "0.031"
    assert "原图" in fig.layout.yaxis.ticktext
    plain = P.reconstructions_figure(orig, codes, rec)  # no errors: no error row, no MSE hover
    assert_clean(plain)
    assert "MSE" not in next(tr for tr in plain.data if tr.name == "cell").hovertext[0]
    assert "error (MSE)" not in plain.layout.yaxis.ticktext


def test_samples_manifold_strip_and_single_image():
    pts = RNG.uniform(-5, 5, (30, 2))
    fig = P.samples_figure(pts, RNG.random((30, 28, 28)))
    assert_clean(fig)
    assert pixels(fig).shape == (3 * (28 + 11 + 5) - 5, 10 * 33 - 5)
    cells = next(tr for tr in fig.data if getattr(tr, "legendgroup", None) == "cell")
    assert cells.customdata[4] == [4, pytest.approx(pts[4, 0]), pytest.approx(pts[4, 1])]

    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 20), np.linspace(1, -1, 20)), -1).reshape(-1, 2)
    fig = P.manifold_figure((RNG.random((400, 28, 28)) * 255).astype(np.uint8), grid)
    assert_clean(fig)
    assert pixels(fig).shape == (20 * 29 - 1, 20 * 29 - 1)
    assert picture(fig).zsmooth is False
    assert "-1.0" in fig.layout.title.subtitle.text
    with pytest.raises(ValueError):
        P.manifold_figure(RNG.random((10, 28, 28)))

    fig = P.strip_figure(RNG.random((10, 28, 28)), RNG.normal(size=(10, 2)))
    assert pixels(fig).shape[1] == 10 * 33 - 5
    fig = P.image_figure(RNG.random((28, 28)), caption="(1.0, 2.0)", texts={"title": "解码"})
    assert pixels(fig).shape == (28, 28)
    assert fig.layout.title.text == "解码" and fig.layout.title.subtitle.text == "(1.0, 2.0)"


# -- defects -----------------------------------------------------------------------------------
def stand_in_reports(xy, labels):
    """Report objects with the contract's fields, built by hand."""
    g = 20
    occ = RNG.integers(-1, 10, (g, g))
    box = np.array([xy[:, 0].min(), xy[:, 0].max(), xy[:, 1].min(), xy[:, 1].max()])
    share = np.bincount(labels, minlength=10) / len(labels)
    area = SimpleNamespace(digits=np.arange(10), cell_share=share, ratio=3.5,
                           sample_share=share[::-1], occupancy=occ, box=box, grid=g)
    c, s = xy.mean(0), xy.std(0)
    sym = SimpleNamespace(centroid=c, mins=xy.min(0), maxs=xy.max(0), spread=s,
                          side_share={"x<0": 0.3, "x>0": 0.7, "y<0": 0.8, "y>0": 0.2},
                          offset_sigma=c / s, far_share=0.01, asymmetry=np.ones(2))
    smp = RNG.uniform(box[[0, 2]], box[[1, 3]], (500, 2))
    gap = SimpleNamespace(radius=0.3, spacing=0.05, samples=smp, in_gap=smp[:, 0] > 0,
                          gap_share=float((smp[:, 0] > 0).mean()),
                          gap_map=RNG.random((30, 30)) > 0.5, box=box)
    return area, sym, gap


def test_defect_figures_with_stand_in_reports():
    xy, labels, index = wall(1000)
    area, sym, gap = stand_in_reports(xy, labels)
    fig = P.area_figure(area)
    assert_clean(fig)
    bars = [tr for tr in fig.data if isinstance(tr, go.Bar)]
    assert len(bars) == 2
    np.testing.assert_allclose(bars[0].y, area.cell_share)
    np.testing.assert_allclose(bars[1].y, area.sample_share)
    assert "3.5" in fig.layout.title.text
    assert "比" in P.area_figure(area, texts={"title": "比 {ratio:.1f}"}).layout.title.text

    fig = P.area_map_figure(area)
    assert_clean(fig)
    np.testing.assert_array_equal(heatmap(fig).z, area.occupancy + 1)

    fig = P.symmetry_figure(xy, sym, labels, index)
    assert_clean(fig)
    shapes = fig.layout.shapes
    assert [s.type for s in shapes] == ["rect", "circle", "circle", "circle"]
    assert shapes[3].x1 - shapes[3].x0 == pytest.approx(6 * sym.spread[0])
    assert (shapes[0].x0, shapes[0].y1) == pytest.approx((sym.mins[0], sym.maxs[1]))
    centroid = next(tr for tr in fig.data if tr.name == "centroid")
    assert (centroid.x[0], centroid.y[0]) == pytest.approx(tuple(sym.centroid))
    assert "70%" in fig.layout.title.subtitle.text
    assert fig.layout.yaxis.scaleanchor == "x"

    fig = P.gap_figure(xy, gap, labels, index)
    assert_clean(fig)
    np.testing.assert_array_equal(heatmap(fig).z, gap.gap_map.astype(np.uint8))
    hm = heatmap(fig)
    assert hm.y[0] > hm.y[-1]  # row 0 is the top of the wall
    in_gap = next(tr for tr in fig.data if tr.name == "samples in a gap")
    assert len(in_gap.x) == int(gap.in_gap.sum())
    assert f"{gap.gap_share:.0%}" in fig.layout.title.text


def test_defect_figures_with_the_real_reports():
    D = pytest.importorskip("ae.analysis.defects")
    xy, labels, index = wall(1500)
    for fig in (P.area_figure(D.uneven_areas(xy, labels, grid=30, n_samples=500)),
                P.area_map_figure(D.uneven_areas(xy, labels, grid=30, n_samples=500)),
                P.symmetry_figure(xy, D.symmetry_bounds(xy), labels, index),
                P.gap_figure(xy, D.gaps(xy, n_samples=500, grid=30), labels, index)):
        assert_clean(fig)


def test_continuity_pair_and_profile():
    a, b = RNG.random((28, 28)), RNG.random((28, 28))
    rep = SimpleNamespace(z_a=np.array([2.0, -2.0]), z_b=np.array([2.1, -2.1]), image_a=a,
                          image_b=b, mse=0.0123, max_abs=0.9, changed_share=0.25)
    fig = P.continuity_figure(rep)
    assert_clean(fig)
    assert pixels(fig).shape[1] == 3 * 28 + 2 * 4
    assert "0.0123" in fig.layout.title.subtitle.text and "(2.10, -2.10)" in fig.layout.title.text
    assert pixels(P.continuity_figure(rep, show_difference=False)).shape[1] == 60

    k = 21
    step = RNG.random(k - 1) * 0.01
    step[13] = 0.2
    prof = SimpleNamespace(points=np.linspace([-1, 2], [3, -1], k), images=RNG.random((k, 28, 28)),
                           step_change=step, jump_index=13)
    fig = P.continuity_profile_figure(prof)
    assert_clean(fig)
    line, jump = fig.data[0], fig.data[1]
    assert len(line.x) == k - 1 and jump.y[0] == pytest.approx(0.2)
    assert jump.x[0] == pytest.approx(13.5 / 20)  # between pictures 13 and 14
    assert picture(fig).zsmooth is False and fig.layout.yaxis2.scaleanchor == "x"
    assert pixels(fig).shape == (28, k * (28 + 3) - 3)  # the strip of the k pictures


def test_a_flat_profile_marks_no_jump():
    k = 21
    still = SimpleNamespace(points=np.linspace([0, 0], [0.01, -0.01], k), jump_index=4,
                            images=np.full((k, 28, 28), 0.5), step_change=np.full(k - 1, 3e-10))
    fig = P.continuity_profile_figure(still)
    assert_clean(fig)
    assert len([tr for tr in fig.data if tr.name == "biggest jump"]) == 0 and not fig.layout.shapes
    assert "next to nothing" in fig.layout.title.subtitle.text
    assert "3×10⁻¹⁰" in fig.layout.title.subtitle.text  # not "0.0000"
    assert "(0.000, 0.000)" in fig.layout.title.text  # the ends, to the line's own size
    even = SimpleNamespace(points=np.linspace([-1, 2], [3, -1], k), jump_index=7,
                           images=RNG.random((k, 28, 28)),
                           step_change=np.linspace(0.010, 0.012, k - 1))
    fig = P.continuity_profile_figure(even, texts={"flat": "平 {jump}"})
    assert fig.layout.title.subtitle.text == "平 0.012" and not fig.layout.shapes
    assert P.continuity.is_flat([]) and not P.continuity.is_flat([0.01, 0.01, 0.2, 0.01])


def test_tiny_axis_values_use_powers_of_ten_not_si_prefixes():
    from ae.plots.style import template

    for axis in (template().layout.xaxis, template().layout.yaxis):
        assert axis.exponentformat == "power"  # "2×10⁻⁹", not Plotly's "2n"


def test_image_grids_have_a_whole_number_of_screen_pixels_per_image_pixel():
    # a fractional scale makes Plotly draw some one-pixel gaps two pixels wide (a seam)
    grid = np.stack(np.meshgrid(np.linspace(-1, 1, 20), np.linspace(1, -1, 20)), -1).reshape(-1, 2)
    figs = [P.manifold_figure(RNG.random((400, 28, 28)), grid),
            P.samples_figure(RNG.uniform(-5, 5, (30, 2)), RNG.random((30, 28, 28))),
            P.reconstructions_figure(RNG.random((10, 28, 28)), RNG.normal(size=(10, 2)),
                                     RNG.random((10, 28, 28)), mse=np.full(10, 0.03)),
            P.image_figure(RNG.random((28, 28)), caption="(1.0, 2.0)", cell_px=200)]
    for fig in figs:
        rows = pixels(fig).shape[0]
        plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
        assert plot_px % rows == 0 and plot_px // rows >= 1, (plot_px, rows)
    assert figs[0].layout.height - 65 - 12 == 20 * 29 - 1  # 1 screen pixel per image pixel


def test_small_walls_get_more_decimals_and_no_negative_zero():
    pts = RNG.uniform(-0.02, 0.03, (30, 2))
    pts[0] = (-0.0001, 0.0123)
    fig = P.samples_figure(pts, RNG.random((30, 28, 28)))
    captions = next(tr for tr in fig.data if tr.name == "captions").text
    assert captions[0] == "(0.000,<br>0.012)"  # wider than its cell: on two lines
    grid = np.stack(np.meshgrid(np.linspace(-0.02, 0.03, 20), np.linspace(0.01, -0.04, 20)),
                    -1).reshape(-1, 2)
    sub = P.manifold_figure(RNG.random((400, 28, 28)), grid).layout.title.subtitle.text
    assert "x from -0.020 to 0.030" in sub and "y from 0.010 to -0.040" in sub
    xy = RNG.normal(0, 0.01, (200, 2))
    hover = P.latent_figure(xy, np.arange(200) % 10).data[0].hovertemplate
    assert "%{x:.4f}" in hover


def test_continuity_with_the_real_analysis():
    analysis = pytest.importorskip("ae.analysis")
    from ae import AEConfig, Autoencoder

    model = Autoencoder.from_config(AEConfig.book())
    assert_clean(P.continuity_figure(analysis.continuity(model)))
    assert_clean(P.continuity_profile_figure(analysis.continuity_profile(model, (0, 0), (1, 1),
                                                                         k=5)))


# -- loss curves and the wall over time --------------------------------------------------------
def test_loss_figure_steps_smoothing_and_epochs():
    steps = list(0.05 + 0.2 * np.exp(-np.arange(320) / 50) + 0.01 * RNG.random(320))
    steps[7] = float("nan")
    epochs = [dict(epoch=e, train_loss=0.1 / (e + 1), test_loss=None if e == 3 else 0.12 / (e + 1))
              for e in range(10)]
    fig = P.loss_figure(steps, epochs, steps_per_epoch=32, texts={"title": "损失"})
    assert_clean(fig)
    names = [tr.name for tr in fig.data]
    assert names == ["loss per step", "smoothed", "train loss (epoch)", "test loss (epoch)"]
    assert len(fig.data[0].x) == 319  # the NaN step is left out
    assert list(fig.data[2].x) == [32 * (e + 1) for e in range(10)]
    assert len(fig.data[3].x) == 9
    assert fig.layout.yaxis.type == "log" and fig.layout.title.text == "损失"
    assert P.loss_figure(steps, epochs, log_y=False).layout.yaxis.type == "linear"
    np.testing.assert_allclose(P.ema([0.3] * 50, 0.9), 0.3)  # no start-up bias


def test_loss_figure_long_runs_are_thinned_and_epochs_only_works():
    fig = P.loss_figure(list(0.05 + RNG.random(100_000) * 0.01), max_points=2000)
    assert_clean(fig)
    assert max(len(tr.x) for tr in fig.data) <= 2000
    fig = P.loss_figure([], [dict(epoch=1, train_loss=0.1, test_loss=0.11)])
    assert_clean(fig)
    assert fig.layout.xaxis.title.text == "epoch"


def snapshots(t=6, p=300, z=2):
    rng = np.random.default_rng(1)
    codes = np.stack([rng.normal(size=(p, z)) * (i + 1) for i in range(t)]).astype(np.float32)
    return dict(probe_index=np.arange(p) + 5000, probe_labels=rng.integers(0, 10, p),
                steps=(np.arange(t) + 1) * 1875, epochs=np.arange(t) + 1, codes=codes)


def test_wall_frames_share_fixed_ranges():
    snap = snapshots()
    f0, f5 = P.wall_frame_figure(snap, 0), P.wall_frame_figure(snap, -1)
    for f in (f0, f5):
        assert_clean(f)
        assert len(f.data) == 10 and all(isinstance(tr, go.Scatter) for tr in f.data)  # SVG
    assert f0.layout.xaxis.range == f5.layout.xaxis.range
    assert f0.layout.yaxis.range == f5.layout.yaxis.range
    assert f5.layout.xaxis.range[1] >= snap["codes"][:, :, 0].max()
    assert "1,875" in f0.layout.title.text and "11,250" in f5.layout.title.text
    ids = np.concatenate([tr.customdata for tr in f0.data])
    assert set(ids) == set(snap["probe_index"])


def test_wall_frame_projects_wide_codes_and_takes_torch():
    torch = pytest.importorskip("torch")
    snap = {k: torch.as_tensor(v) for k, v in snapshots(z=8).items()}
    fig = P.wall_frame_figure(snap, 2)
    assert_clean(fig)
    assert fig.layout.xaxis.title.text == "PCA 1"


RACE = """
import threading
from ae import plots  # as every page does, long before another session's first dataframe
errors, done = [], threading.Event()

def dataframe_of_another_session():
    import pandas  # what st.dataframe does, the first time any session shows one
    done.set()

def live_chart():
    while not done.is_set():
        try:
            plots.loss_figure([0.5, 0.4], [], height=200)
        except AttributeError as e:
            errors.append(str(e))
            return

threading.Thread(target=live_chart).start()
threading.Thread(target=dataframe_of_another_session).start()
done.wait()
print("errors:", errors)
"""


def test_a_figure_built_while_another_thread_first_imports_pandas_works():
    """Plotly peeks for pandas without importing it, so a chart built while another thread
    (another session's first st.dataframe) imports pandas would find it half made ("partially
    initialized module 'pandas'"). ae.plots imports pandas whole first; without that import
    this script fails."""
    out = subprocess.run([sys.executable, "-c", RACE], capture_output=True, text=True,
                         timeout=120, cwd=Path(__file__).resolve().parents[1])
    assert out.returncode == 0, out.stderr[-2000:]
    assert "errors: []" in out.stdout, out.stdout
