"""ae.analysis.picking: every way of picking a point of the wall ends at the right latent point.

AppTest cannot click inside a Plotly chart, so the selections below are shaped like the ones
Streamlit returns (`event.selection`: points with x, y, customdata, curve_number, legendgroup;
boxes with x and y extents), built from the real figures of `ae.plots`.
"""

import math

import numpy as np
import pytest

from ae import analysis, plots
from ae.analysis.picking import (
    View,
    at,
    code_point,
    count_of_digit,
    from_pick,
    from_selection,
    nearest_code,
    nth_of_digit,
    slider_bounds,
)
from ae.analysis.selection import GROUP_PICKED, Pick


def wall(n=200, z=2, seed=0):
    rng = np.random.default_rng(seed)
    codes = (rng.normal(size=(n, z)) * [3.0] + 1.5).astype(np.float32)
    labels = rng.integers(0, 10, n)
    return codes, labels


def point_of(fig, group, i):
    """The selection entry Streamlit sends when the i-th marker of a trace is clicked."""
    curve = next(k for k, tr in enumerate(fig.data) if tr.legendgroup == group)
    tr = fig.data[curve]
    cd = tr.customdata[i]
    return {"curve_number": curve, "point_index": i, "point_number": i, "x": float(tr.x[i]),
            "y": float(tr.y[i]), "customdata": cd.tolist() if hasattr(cd, "tolist") else cd,
            "legendgroup": group}


def test_view_is_identity_in_2d_and_pca_round_trips_beyond():
    codes, _ = wall(z=2)
    v = View.of(codes)
    assert not v.projected
    np.testing.assert_allclose(v.to_latent([[1.0, -2.0]]), [[1.0, -2.0]])
    codes5, _ = wall(z=5)
    v5 = View.of(codes5)
    xy, label = analysis.project_2d(codes5)
    assert v5.projected and label == "PCA 1/2"
    np.testing.assert_allclose(v5.to_picture(codes5), xy, atol=1e-4)  # the page's picture
    z = v5.to_latent(xy[:7])
    np.testing.assert_allclose(v5.to_picture(z), xy[:7], atol=1e-4)
    # the lifted point lies on the plane through the codes' mean: nothing off the plane added
    off_plane = (z - v5.mean) - ((z - v5.mean) @ v5.basis.T) @ v5.basis
    assert np.abs(off_plane).max() < 1e-4


def test_one_dimensional_wall_uses_x_only():
    codes = np.linspace(-2, 2, 50, dtype=np.float32)[:, None]
    v = View.of(codes)
    np.testing.assert_allclose(v.to_picture([[0.5]]), [[0.5, 0.0]])
    np.testing.assert_allclose(v.to_latent([[0.5, 9.0]]), [[0.5]])


def test_clicked_code_is_decoded_from_its_exact_code():
    codes, labels = wall()
    fig = plots.latent_figure(codes, labels, index=np.arange(len(codes)))
    digit = int(labels[17])
    sel = {"points": [point_of(fig, f"digit:{digit}", int(np.sum(labels[:17] == digit)))]}
    p = from_selection(sel, View.of(codes), codes, labels)
    assert p.kind == "code" and p.index == 17 and p.digit == digit
    assert p.z == tuple(float(v) for v in codes[17])


def test_clicked_code_in_a_pca_wall_uses_the_full_code():
    codes, labels = wall(z=4)
    xy, label = analysis.project_2d(codes)
    fig = plots.latent_figure(xy, labels, axis_label=label)
    digit = int(labels[3])
    sel = {"points": [point_of(fig, f"digit:{digit}", int(np.sum(labels[:3] == digit)))]}
    p = from_selection(sel, View.of(codes), codes, labels)
    assert p.index == 3 and len(p.z) == 4
    np.testing.assert_allclose(p.z, codes[3], rtol=1e-6)
    np.testing.assert_allclose(p.xy, xy[3], atol=1e-4)


def test_grid_marker_is_a_free_point_at_its_coordinates():
    codes, labels = wall()
    b = slider_bounds(codes)
    grid = analysis.grid_points(np.array([[b.x[0], b.y[0]], [b.x[1], b.y[1]]]), 9)
    fig = plots.latent_figure(codes, labels, grid=grid)
    p = from_selection({"points": [point_of(fig, "grid", 40)]}, View.of(codes), codes, labels)
    assert p.kind == "grid" and p.index == 40 and p.digit is None
    np.testing.assert_allclose(p.z, grid[40], rtol=1e-6)


def test_a_small_box_picks_its_centre_and_wins_over_the_points_inside():
    codes, labels = wall()
    fig = plots.latent_figure(codes, labels)
    sel = {"points": [point_of(fig, "digit:0", 0)],
           "box": [{"x": [1.0, 1.4], "y": [-0.2, 0.2], "xref": "x", "yref": "y"}]}
    p = from_selection(sel, View.of(codes), codes, labels)
    assert p.kind == "box" and p.index is None
    assert p.xy == pytest.approx((1.2, 0.0))


def test_cells_of_the_manifold_and_the_samples_pick_their_points():
    codes, labels = wall()
    pts = analysis.grid_points(codes, 4)
    images = np.zeros((16, 28, 28), np.float32)
    fig = plots.manifold_figure(images, pts)
    cell = next(k for k, tr in enumerate(fig.data)
                if getattr(tr, "legendgroup", None) == "cell")
    sel = {"points": [{"curve_number": cell, "point_index": 5, "x": 0, "y": 0,
                       "customdata": fig.data[cell].customdata[5], "legendgroup": "cell"}]}
    p = from_selection(sel, View.of(codes), codes, labels)
    assert p.kind == "cell" and p.index == 5
    np.testing.assert_allclose(p.xy, pts[5], rtol=1e-6)
    red = analysis.sample_uniform(codes, 30, seed=1)
    fig = plots.samples_figure(red, np.zeros((30, 28, 28)))
    cell = next(k for k, tr in enumerate(fig.data)
                if getattr(tr, "legendgroup", None) == "cell")
    sel = {"points": [{"curve_number": cell, "point_index": 7, "x": 0, "y": 0,
                       "customdata": fig.data[cell].customdata[7], "legendgroup": "cell"}]}
    p = from_selection(sel, View.of(codes), codes, labels, kind="sample")
    assert p.kind == "sample" and p.index == 7
    np.testing.assert_allclose(p.xy, red[7], rtol=1e-6)


@pytest.mark.parametrize("selection", [
    None, {}, {"points": []}, {"points": [{"x": 1.0}]},
    {"points": [{"legendgroup": "digit:1", "customdata": 10**9, "x": 0.0, "y": 0.0}]},
    {"points": [{"legendgroup": GROUP_PICKED, "x": 0.0, "y": 0.0}]},
    {"box": [{"x": [1.0], "y": []}]}, {"points": "garbage"}, {"points": [None]},
])
def test_unusable_selections_give_none_never_an_error(selection):
    codes, labels = wall()
    assert from_selection(selection, View.of(codes), codes, labels) is None


def test_non_finite_free_point_is_ignored():
    codes, labels = wall()
    assert from_pick(Pick("grid", math.nan, 0.0, 1), View.of(codes), codes, labels) is None


def test_code_point_and_at():
    codes, labels = wall()
    v = View.of(codes)
    p = code_point(5, codes, v, labels)
    assert p.kind == "code" and p.digit == int(labels[5])
    with pytest.raises(IndexError):
        code_point(len(codes), codes, v)
    q = at((0.25, -0.5), v)
    assert q.kind == "slider" and q.z == (0.25, -0.5)


def test_nearest_code():
    xy = np.array([[0.0, 0.0], [3.0, 4.0], [np.nan, 0.0]])
    assert nearest_code(xy, (2.9, 4.0)) == (1, pytest.approx(0.1))
    assert nearest_code(xy, (-0.1, 0.0))[0] == 0


def test_slider_bounds_hold_every_code_with_a_margin_in_round_steps():
    codes, _ = wall(n=500)
    b = slider_bounds(codes)
    assert b.x[0] < codes[:, 0].min() and b.x[1] > codes[:, 0].max()
    assert b.y[0] < codes[:, 1].min() and b.y[1] > codes[:, 1].max()
    assert b.step in (0.01, 0.02, 0.05, 0.1, 0.2, 0.5)
    for lo in (b.x[0], b.y[0]):
        assert abs(lo / b.step - round(lo / b.step)) < 1e-6
    assert b.clamp((1e9, -1e9)) == (b.x[1], b.y[0])
    assert b.clamp((math.nan, 0.0))[0] == b.x[0]
    x, _ = b.clamp((0.123456, 0.0))
    assert abs(x / b.step - round(x / b.step)) < 1e-6
    assert slider_bounds(np.full((3, 2), np.nan)).x == (-1.0, 1.0)
    tiny = slider_bounds(np.zeros((5, 2)))  # every code the same: still a usable range
    assert tiny.x[0] < 0 < tiny.x[1] and tiny.step > 0


def test_nth_of_digit_and_count():
    y = np.array([3, 1, 3, 3, 0])
    assert nth_of_digit(y, 3, 0) == 0 and nth_of_digit(y, 3, 2) == 3
    assert nth_of_digit(y, 3, 99) == 3 and nth_of_digit(y, 3, -5) == 0
    assert count_of_digit(y, 3) == 3 and count_of_digit(y, 7) == 0
    with pytest.raises(ValueError):
        nth_of_digit(y, 7, 0)
