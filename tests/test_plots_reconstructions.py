"""ae.plots.reconstructions: one image's trip through the model, and the error bars per digit."""

import numpy as np
import plotly.graph_objects as go
import pytest

from ae import plots
from ae.analysis.reconstructions import ReconErrors


@pytest.mark.parametrize("code", [[0.5], [1.0, -2.0], [1.0, -2.0, 0.3, 4.0]])
def test_pipeline_figure_any_z_dim(code):
    image, recon = np.zeros((28, 28), np.float32), np.ones((28, 28), np.float32)
    wall = np.random.default_rng(0).normal(size=(50, 2))
    texts = {"in": "图像", "enc": "编码器", "wall": "墙", "dec": "解码器", "out": "重画"}
    fig = plots.pipeline_figure(image, code, recon, wall=wall, texts=texts)
    heat = [tr for tr in fig.data if isinstance(tr, go.Heatmap)]
    assert len(heat) == 2 and all(h.zsmooth is False for h in heat)  # crisp pixels
    words = " ".join(a.text or "" for a in fig.layout.annotations)
    assert all(v in words for v in texts.values())
    mark = [tr for tr in fig.data if isinstance(tr, go.Scatter)][0]
    assert mark.x[0] == code[0] and mark.y[0] == (code[1] if len(code) > 1 else 0.0)
    assert plots.pipeline_figure(image, code, recon).layout.height > 0  # no wall, no texts
    with pytest.raises(KeyError):
        plots.pipeline_figure(image, code, recon, texts={"typo": "x"})


def test_error_bars_with_a_missing_digit():
    errors = ReconErrors(np.array([0.1, 0.3, 0.2]), np.array([0, 0, 2]), 0.2,
                         np.array([0.2, np.nan, 0.2] + [np.nan] * 7))
    fig = plots.error_bars_figure(errors, texts={"title": "误差"})
    assert isinstance(fig, go.Figure) and fig.layout.title.text == "误差"
    assert np.isfinite(np.asarray(fig.data[0].y, dtype=float)).all()
    assert list(fig.data[0].x) == [str(d) for d in range(10)]  # a bar under every digit
