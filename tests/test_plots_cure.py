"""The cure page's figures: two walls on one range with one legend, profiles put on one scale,
and the VAE's two loss parts (per step, smoothed, per epoch), or a note when there are none."""

import numpy as np
import plotly.graph_objects as go
import pytest

from ae.plots import cure as cp


def cloud(n: int, scale: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(0, scale, (n, 2)), rng.integers(0, 10, n)


def test_two_walls_share_one_range_and_one_legend():
    small, wide = cloud(300, 1.0, 0), cloud(300, 8.0, 1)
    fig = cp.walls_figure(small, wide)
    lay = fig.layout
    assert list(lay.xaxis.range) == list(lay.xaxis2.range) == list(lay.yaxis.range) \
        == list(lay.yaxis2.range)
    lo, hi = lay.xaxis.range
    assert lo < wide[0].min() and hi > wide[0].max()  # the wider wall sets both panels' range
    assert lay.yaxis.scaleanchor == "x" and lay.yaxis2.scaleanchor == "x2"  # 1 unit = 1 unit
    left = [tr for tr in fig.data if tr.xaxis in (None, "x")]
    right = [tr for tr in fig.data if tr.xaxis == "x2"]
    assert len(left) == len(right) == 10
    assert all(tr.showlegend for tr in left) and not any(tr.showlegend for tr in right)
    # the same digit has the same colour on both walls
    assert [tr.marker.color for tr in left] == [tr.marker.color for tr in right]
    assert sum(len(tr.x) for tr in right) == 300


def test_a_missing_vae_leaves_its_panel_empty_with_a_note():
    fig = cp.walls_figure(cloud(50, 1.0, 0), None, texts={"missing": "noch kein VAE"})
    drawn = [tr for tr in fig.data if tr.xaxis == "x2"]
    assert len(drawn) == 1 and drawn[0].marker.opacity == 0  # only what keeps its axes
    assert any(a.text == "noch kein VAE" for a in fig.layout.annotations)


def test_walls_draw_at_most_max_points_per_panel():
    fig = cp.walls_figure(cloud(500, 1.0, 0), cloud(500, 1.0, 1), max_points=100)
    assert sum(len(tr.x) for tr in fig.data if tr.xaxis == "x2") == 100


def test_unknown_text_keys_are_refused():
    with pytest.raises(KeyError):
        cp.walls_figure(cloud(10, 1.0, 0), None, texts={"titel": "x"})


def test_same_scale_puts_profiles_on_one_range():
    a = go.Figure(go.Scatter(y=[0.1, 0.5, 0.2]))
    b = go.Figure(go.Scatter(y=[0.01, 0.02, 0.03]))
    b.add_trace(go.Scatter(y=[100.0], yaxis="y2"))  # another axis: not counted
    cp.same_scale([a, b])
    assert list(a.layout.yaxis.range) == list(b.layout.yaxis.range)
    assert a.layout.yaxis.range[0] == 0 and 0.5 < a.layout.yaxis.range[1] < 1.0


