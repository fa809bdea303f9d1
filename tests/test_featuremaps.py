"""ae.analysis.featuremaps: sizes, activations, kernel positions and parameter counts agree with the
model itself (checked against its summary and a forward pass), for the book and any config."""

import math
from dataclasses import replace
from functools import partial

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from ae.analysis import featuremaps as fm
from ae.model import choices as layer_table
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig, ConfigError
from ae.model.layers import same_pads
from ae.model.summary import summary


def book_model() -> Autoencoder:
    torch.manual_seed(0)
    return Autoencoder.from_config(AEConfig.book()).eval()


def digit() -> torch.Tensor:
    """A plain uint8 'digit': a bright bar on black, so activations have structure."""
    x = torch.zeros(28, 28, dtype=torch.uint8)
    x[6:22, 12:16] = 255
    return x


# a small space of buildable configs (filters kept small so each example is cheap), the
# second edition's padding and output conv among them
choices = st.builds(
    lambda n, f, k, s, z, bn, do, pad, oc: partial(
        layer_table.from_layers, ([f] * n, [k] * n, s[:n]), z_dim=z, batch_norm=bn, dropout=do,
        pad_to=pad, output_conv=oc),
    st.integers(1, 4), st.sampled_from([1, 4, 8]), st.sampled_from([1, 2, 3, 5]),
    st.lists(st.sampled_from([1, 2]), min_size=4, max_size=4), st.integers(1, 5),
    st.booleans(), st.booleans(), st.sampled_from([0, 32]), st.booleans())


def test_book_stages_are_the_articles_shapes():
    got = [(s.h, s.w, s.c) for s in fm.stages(AEConfig.book())]
    assert got == [(28, 28, 1), (28, 28, 32), (14, 14, 64), (7, 7, 64), (7, 7, 64), (1, 1, 2),
                   (7, 7, 64), (7, 7, 64), (14, 14, 64), (28, 28, 32), (28, 28, 1)]
    st_ = fm.stages(AEConfig.book())
    assert [s.shape_text for s in st_][:3] == ["28×28×1", "28×28×32", "14×14×64"]
    assert st_[5].shape_text == "2" and st_[5].is_vector and st_[0].size == 784
    assert [s.part for s in st_] == ["input"] + ["encoder"] * 4 + ["latent"] + \
        ["decoder"] * 4 + ["output"]
    assert [s.stride for s in st_ if s.stride] == [1, 2, 2, 1, 1, 2, 2, 1]


def test_second_edition_stages_show_the_padding_the_output_conv_and_the_crop():
    from ae.model.presets import ED2

    st_ = fm.stages(ED2.config)
    assert [(s.name, s.h, s.c) for s in st_ if s.kernel is None and not s.is_vector] == [
        ("input", 28, 1), ("zero_padding", 32, 1), ("reshape", 4, 128), ("cropping", 28, 1)]
    assert [(s.h, s.c, s.stride) for s in st_ if s.kernel is not None][-2:] == [
        (32, 32, 2), (32, 1, 1)]  # the last transposed conv, then the stride-1 output conv
    assert st_[-1].part == "output" and st_[-2].name == "decoder_conv"


@settings(max_examples=15, deadline=None)
@given(choices)
def test_stages_match_the_models_conv_outputs(c):
    try:
        cfg = c()
    except ConfigError:
        return
    enc, dec = summary(Autoencoder.from_config(cfg))
    convs = [r.shape for r in enc.rows + dec.rows if r.kind in ("Conv2D", "Conv2DTranspose")]
    stages = fm.stages(cfg)
    assert [(s.h, s.w, s.c) for s in stages if s.kernel is not None] == convs
    assert stages[0].size == math.prod(cfg.input_dim)
    assert (stages[-1].h, stages[-1].w, stages[-1].c) == cfg.input_dim


def test_feature_maps_of_the_book_model_halve_at_stride_2():
    model = book_model()
    picture, layers = fm.feature_maps(model, digit(), n_maps=4)
    assert picture.shape == (28, 28) and picture.min() == 0.0 and picture.max() == 1.0
    assert [lm.name for lm in layers] == ["encoder_conv_0", "encoder_conv_1"]
    assert [lm.stride for lm in layers] == [1, 2]
    assert [lm.side for lm in layers] == [(28, 28), (14, 14)]
    assert [lm.n_channels for lm in layers] == [32, 64]
    for lm in layers:
        assert lm.maps.shape[0] == 4 and lm.maps.dtype == np.float32
        assert lm.channels == sorted(set(lm.channels)) and max(lm.channels) < lm.n_channels


def test_feature_maps_are_the_models_own_activations():
    model = book_model()
    _, layers = fm.feature_maps(model, digit(), n_maps=64)
    x = digit().float()[None, None] / 255
    with torch.no_grad():
        a0 = model.encoder.encoder_conv_lrelu_0(model.encoder.encoder_conv_0(x))[0]
        a1 = model.encoder.encoder_conv_lrelu_1(model.encoder.encoder_conv_1(a0[None]))[0]
    np.testing.assert_allclose(layers[0].maps, a0[layers[0].channels].numpy(), atol=1e-6)
    np.testing.assert_allclose(layers[1].maps, a1[layers[1].channels].numpy(), atol=1e-6)


def test_feature_maps_leave_a_training_model_alone_and_accept_floats():
    torch.manual_seed(0)
    cfg = replace(AEConfig.book(), use_dropout=True, use_batch_norm=True)
    model = Autoencoder.from_config(cfg).train()  # e.g. being trained in another thread
    before = {k: v.clone() for k, v in model.state_dict().items()}
    pic, layers = fm.feature_maps(model, digit().float()[None] / 255, n_layers=1)
    _, again = fm.feature_maps(model, digit(), n_layers=1)
    assert model.training and all(m.training for m in model.modules())
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())  # BN stats too
    assert len(layers) == 1 and pic.shape == (28, 28)
    np.testing.assert_array_equal(layers[0].maps, again[0].maps)  # no dropout noise


@settings(max_examples=15, deadline=None)
@given(choices)
def test_feature_maps_follow_any_config(c):
    try:
        cfg = c()
    except ConfigError:
        return
    _, layers = fm.feature_maps(Autoencoder.from_config(cfg), digit(), n_maps=3)
    n = fm.first_convs(cfg)
    assert len(layers) == n
    expected = [(h, w) for h, w, _ in cfg.encoder_shapes()[:n]]
    assert [lm.side for lm in layers] == expected
    assert [lm.stride for lm in layers] == cfg.encoder_conv_strides[:n]
    if any(s > 1 for s in cfg.encoder_conv_strides):
        assert layers[-1].stride > 1  # the picture always reaches the first shrinking layer
    assert all(lm.maps.shape[0] == min(3, lm.n_channels) for lm in layers)


@pytest.mark.parametrize("n,k,s", [(8, 3, 1), (8, 3, 2), (28, 3, 2), (7, 3, 2), (5, 5, 1),
                                   (9, 2, 3)])
def test_slide_positions(n, k, s):
    sl = fm.slide(n, k, s)
    assert sl.out == math.ceil(n / s) and len(sl.windows) == sl.out ** 2
    assert sl.pads == same_pads(n, k, s)
    rows = sorted({r for r, _ in sl.windows})
    assert np.all(np.diff(rows) == s)  # the kernel jumps exactly `stride` pixels
    assert rows[0] == -sl.pads[0] and rows[-1] + k <= n + sl.pads[1]


def test_stride_2_halves_and_pads_like_tensorflow():
    one, two = fm.slide(8, 3, 1), fm.slide(8, 3, 2)
    assert (one.out, two.out) == (8, 4) and len(one.windows) == 4 * len(two.windows)
    assert fm.slide(28, 3, 2).pads == (0, 1)  # the odd padding pixel goes right / bottom


def test_param_counts_of_the_book():
    counts = {pc.name: pc for pc in fm.param_counts(book_model())}
    c1 = counts["encoder_conv_1"]
    assert (c1.kind, c1.k, c1.c_in, c1.c_out) == ("Conv2D", 3, 32, 64)
    assert c1.weights == 3 * 3 * 32 * 64 and c1.biases == 64 and c1.total == 18_496
    assert counts["encoder_output"].total == 3136 * 2 + 2
    assert counts["decoder_conv_t_3"].kind == "Conv2DTranspose"
    assert counts["decoder_conv_t_3"].total == 3 * 3 * 32 * 1 + 1


@settings(max_examples=15, deadline=None)
@given(choices)
def test_param_counts_add_up_to_the_summary(c):
    try:
        cfg = c()
    except ConfigError:
        return
    model = Autoencoder.from_config(cfg)
    enc, dec = summary(model)
    counts = fm.param_counts(model)
    assert sum(pc.total for pc in counts) == enc.total + dec.total
    assert sum(pc.non_trainable for pc in counts) == enc.non_trainable + dec.non_trainable
    by_name = {r.name: r.params for r in enc.rows + dec.rows}
    assert all(by_name[pc.name] == pc.total for pc in counts)


def test_batch_norm_counts_four_per_channel():
    model = Autoencoder.from_config(replace(AEConfig.book(), use_batch_norm=True))
    bn = [pc for pc in fm.param_counts(model) if pc.kind == "BatchNormalization"]
    assert len(bn) == 7  # every conv but the decoder's last
    assert all(pc.total == 4 * pc.c_out and pc.non_trainable == 2 * pc.c_out for pc in bn)
