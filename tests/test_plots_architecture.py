"""ae.plots.architecture: the figures draw what ae.analysis.featuremaps computed, crisp and
translated."""

import string

import numpy as np
import pytest
import torch

from ae.analysis import featuremaps as fm
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig
from ae.plots import architecture as figs
from ae.ui.texts.architecture import TEXTS


def annotations(fig) -> list[str]:
    return [a.text for a in fig.layout.annotations]


def test_blocks_figure_labels_every_stage():
    stages = fm.stages(AEConfig.book())
    fig = figs.blocks_figure(stages)
    labels = annotations(fig)
    for s in stages:
        assert f"<b>{s.shape_text}</b>" in labels
    assert sum("stride 2" in a for a in labels) == 4  # two convs, two transposed convs
    hover = [tr for tr in fig.data if tr.hovertext is not None][0]
    assert len(hover.hovertext) == len(stages)


def test_maps_figure_is_crisp_and_at_true_scale():
    model = Autoencoder.from_config(AEConfig.book()).eval()
    x = torch.zeros(28, 28, dtype=torch.uint8)
    x[8:20, 10:18] = 200
    pic, layers = fm.feature_maps(model, x, n_maps=4)
    fig = figs.feature_maps_figure(pic, layers)
    maps = [tr for tr in fig.data if tr.type == "heatmap"]
    assert len(maps) == 1 + 4 + 4
    assert all(tr.zsmooth is False for tr in maps)
    assert [np.asarray(tr.z).shape for tr in maps] == [(28, 28)] * 5 + [(14, 14)] * 4
    assert all(tr.dx == 1 and tr.dy == 1 for tr in maps)  # one unit per pixel everywhere


def test_stride_figure_animates_every_position():
    slides = [fm.slide(8, 3, 1), fm.slide(8, 3, 2)]
    fig = figs.stride_figure(slides, start=1)
    assert len(fig.frames) == 64 and len(fig.layout.sliders[0].steps) == 64
    assert len(fig.data) == 1 and fig.data[0].zsmooth is False  # one light trace per frame

    def count(f, state):
        return int((np.asarray(fig.frames[f].data[0].z) == state).sum())

    assert count(1, figs.NOW) == 2 and count(1, figs.DONE) == 2  # one result per row
    assert count(1, figs.CENTRE) == 2 and count(1, figs.UNDER) == 2 * 8
    # at frame 40 stride 1 has 40 results done; stride 2 finished its 16 and waits on the last
    assert count(40, figs.DONE) == 40 + 15
    np.testing.assert_array_equal(np.asarray(fig.data[0].z), np.asarray(fig.frames[1].data[0].z))


def test_slide_state_pads_like_tensorflow():
    grid, out = figs.slide_state(fm.slide(8, 3, 2), 0)
    assert grid.shape == (10, 10) and out.shape == (4, 4)
    assert np.isnan(grid[0]).all() and np.isnan(grid[:, 0]).all()  # nothing padded top / left
    assert (grid[-1, 1:] == figs.PAD).all() and (grid[1:, -1] == figs.PAD).all()
    assert (grid[1:4, 1:4] != figs.PIXEL).all()  # the kernel's first stop: input rows 0..2
    assert out[0, 0] == figs.NOW and (out.ravel()[1:] == figs.TODO).all()
    grid1, _ = figs.slide_state(fm.slide(8, 3, 1), 0)
    assert (grid1[0] == figs.PAD).sum() == 7  # stride 1 pads all round (kernel covers 3)


@pytest.mark.parametrize("group,defaults", [("blocks", figs.BLOCKS_TEXTS),
                                            ("maps", figs.MAPS_TEXTS),
                                            ("slide", figs.SLIDE_TEXTS)])
def test_every_figure_text_is_translated_with_the_same_fields(group, defaults):
    fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)  # noqa: E731
    for key, english in defaults.items():
        en, zh = TEXTS[f"architecture.{group}.{key}"]
        assert zh and en
        if "%{" not in en:  # plotly hover templates are not str.format strings
            assert fields(en) == fields(zh) == fields(english), key


def test_page_texts_have_the_same_fields_in_both_languages():
    fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)  # noqa: E731
    for key, (en, zh) in TEXTS.items():
        if "%{" not in en:
            assert fields(en) == fields(zh), key
