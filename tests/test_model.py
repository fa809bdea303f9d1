"""The article's construction, exactly; and Keras 'same' shapes over random configurations."""

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ae import AEConfig, Autoencoder, ConfigError
from ae.model.layers import Conv2dSame, ConvTranspose2dSame, same_pads
from ae.model.summary import summary

BOOK_KWARGS = dict(
    input_dim=(28, 28, 1),
    encoder_conv_filters=[32, 64, 64, 64],
    encoder_conv_kernel_size=[3, 3, 3, 3],
    encoder_conv_strides=[1, 2, 2, 1],
    decoder_conv_t_filters=[64, 64, 32, 1],
    decoder_conv_t_kernel_size=[3, 3, 3, 3],
    decoder_conv_t_strides=[1, 2, 2, 1],
    z_dim=2,
)


def test_article_construction_and_summary_numbers():
    model = Autoencoder(**BOOK_KWARGS)  # exactly as the article writes it
    enc, dec = summary(model)
    assert enc.total == 98_946 and enc.trainable == 98_946 and enc.non_trainable == 0
    assert dec.total == 102_017
    assert enc.total + dec.total == 200_963 == model.config.n_params()
    shapes = {r.name: (r.shape, r.params) for r in enc.rows + dec.rows}
    # ARTICLE.md's tables, row by row
    assert shapes["encoder_conv_0"] == ((28, 28, 32), 320)
    assert shapes["encoder_conv_1"] == ((14, 14, 64), 18_496)
    assert shapes["encoder_conv_2"] == ((7, 7, 64), 36_928)
    assert shapes["encoder_conv_3"] == ((7, 7, 64), 36_928)
    assert shapes["flatten"] == ((3136,), 0)
    assert shapes["encoder_output"] == ((2,), 6_274)
    assert shapes["decoder_dense"] == ((3136,), 9_408)
    assert shapes["reshape"] == ((7, 7, 64), 0)
    assert shapes["decoder_conv_t_0"] == ((7, 7, 64), 36_928)
    assert shapes["decoder_conv_t_1"] == ((14, 14, 64), 36_928)
    assert shapes["decoder_conv_t_2"] == ((28, 28, 32), 18_464)
    assert shapes["decoder_conv_t_3"] == ((28, 28, 1), 289)
    text = str(enc) + str(dec)
    assert "98,946" in text and "102,017" in text and "encoder_conv_1 (Conv2D)" in text


def test_from_config_equals_article_kwargs_and_preset():
    a = Autoencoder.from_config(AEConfig.book())
    b = Autoencoder(**BOOK_KWARGS)
    assert a.config == b.config == AEConfig.book()
    assert [p.shape for p in a.parameters()] == [p.shape for p in b.parameters()]
    assert a.shape_before_flattening == (7, 7, 64)


def test_forward_shapes_and_range():
    model = Autoencoder(**BOOK_KWARGS).eval()
    x = torch.rand(5, 1, 28, 28)
    z = model.encoder(x)
    y = model(x)
    assert z.shape == (5, 2) and y.shape == x.shape
    assert float(y.detach().min()) >= 0 and float(y.detach().max()) <= 1


def test_train_name_still_switches_mode():
    model = Autoencoder(**BOOK_KWARGS)
    model.eval()
    assert not model.training and not model.encoder.training
    model.train()
    assert model.training and model.decoder.training
    model.train(False)
    assert not model.training


def test_batchnorm_counts_like_keras():
    cfg = AEConfig.book()
    cfg.use_batch_norm = True
    enc, dec = summary(Autoencoder.from_config(cfg))
    # Keras: 4 params per channel (gamma, beta trainable; moving mean/var not)
    bn = [r for r in enc.rows if r.kind == "BatchNormalization"]
    assert [r.params for r in bn] == [128, 256, 256, 256]
    assert enc.non_trainable == sum(r.params for r in bn) // 2
    assert enc.trainable + dec.trainable == cfg.n_params()


def test_config_json_round_trip():
    cfg = AEConfig.book()
    cfg.use_dropout = True
    assert AEConfig.from_json(cfg.to_json()) == cfg


@pytest.mark.parametrize("n,k,s", [(28, 3, 2), (7, 5, 1), (7, 2, 2), (5, 4, 3), (1, 7, 1)])
def test_same_pads_match_tensorflow(n, k, s):
    before, after = same_pads(n, k, s)
    out = math.ceil(n / s)
    assert (n + before + after - k) // s + 1 == out
    assert after - before in (0, 1)  # TF puts the odd pixel after


@pytest.mark.parametrize("n,k,s", [(7, 3, 2), (7, 1, 3), (4, 4, 2), (3, 5, 1), (2, 2, 4)])
def test_same_layers_sizes(n, k, s):
    conv = Conv2dSame(2, 3, k, s, (n, n + 1))
    assert conv(torch.zeros(1, 2, n, n + 1)).shape[2:] == (math.ceil(n / s), math.ceil((n + 1) / s))
    tconv = ConvTranspose2dSame(2, 3, k, s, (n, n + 1))
    assert tconv(torch.zeros(1, 2, n, n + 1)).shape[2:] == (n * s, (n + 1) * s)


def test_transposed_conv_short_kernel_is_bias_filled():
    # kernel 1, stride 3: Keras fills the pixels no kernel reaches with the bias alone
    t = ConvTranspose2dSame(1, 1, 1, 3, (2, 2))
    torch.nn.init.constant_(t.bias, 0.5)
    out = t(torch.zeros(1, 1, 2, 2))
    assert out.shape == (1, 1, 6, 6) and torch.allclose(out, torch.full_like(out, 0.5))


@pytest.mark.parametrize("change,needle", [
    (dict(encoder_conv_strides=[1, 2, 2]), "one entry per layer"),
    (dict(decoder_conv_t_filters=[64, 64, 32, 3]), "set its filters to 1"),
    (dict(decoder_conv_t_strides=[1, 2, 1, 1]), "14x14"),
    (dict(encoder_conv_filters=[32, 0, 64, 64]), "encoder layer 1 filters is 0"),
    (dict(encoder_conv_strides=[8, 8, 1, 1], decoder_conv_t_strides=[8, 8, 1, 1]),
     "encoder layer 1 has stride 8"),
    (dict(encoder_conv_filters=[512, 512, 512, 512], decoder_conv_t_filters=[512, 512, 512, 1]),
     "the limit for training on a laptop"),
    (dict(z_dim=0), "z_dim is 0"),
    (dict(encoder_conv_kernel_size=[3, 3.5, 3, 3]), "whole number"),
    (dict(encoder_conv_filters=[]), "non-empty"),
])
def test_invalid_configs_are_refused_with_a_message(change, needle):
    kwargs = {**BOOK_KWARGS, **change}
    with pytest.raises(ConfigError, match=needle.replace("(", r"\(")):
        Autoencoder(**kwargs)


layer = st.tuples(st.integers(1, 96), st.integers(1, 7), st.integers(1, 4))


@st.composite
def random_configs(draw):
    side = draw(st.integers(4, 40))
    channels = draw(st.integers(1, 3))
    enc = draw(st.lists(layer, min_size=1, max_size=5))
    mirror = draw(st.booleans())
    if mirror:  # the sidebar's default: the decoder mirrors the encoder's strides
        dec = [(f, k, s) for (f, k, s) in reversed(enc)]
    else:
        dec = draw(st.lists(layer, min_size=1, max_size=5))
    last_ok = draw(st.booleans())
    if last_ok:
        dec[-1] = (channels, dec[-1][1], dec[-1][2])
    return AEConfig(
        input_dim=(side, side + draw(st.sampled_from([0, 0, 1])), channels),
        encoder_conv_filters=[f for f, _, _ in enc],
        encoder_conv_kernel_size=[k for _, k, _ in enc],
        encoder_conv_strides=[s for _, _, s in enc],
        decoder_conv_t_filters=[f for f, _, _ in dec],
        decoder_conv_t_kernel_size=[k for _, k, _ in dec],
        decoder_conv_t_strides=[s for _, _, s in dec],
        z_dim=draw(st.integers(1, 16)),
        use_batch_norm=draw(st.booleans()),
        use_dropout=draw(st.booleans()),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_configs())
def test_random_configs_build_with_same_shape_or_are_refused(cfg):
    try:
        cfg.validate()
    except ConfigError as e:
        assert str(e)  # a message, never a bare error
        return
    model = Autoencoder.from_config(cfg).eval()
    h, w, c = cfg.input_dim
    x = torch.rand(2, c, h, w)
    with torch.no_grad():
        z = model.encoder(x)
        y = model.decoder(z)
    assert z.shape == (2, cfg.z_dim)
    assert y.shape == x.shape
    enc, dec = summary(model)
    assert enc.trainable + dec.trainable == cfg.n_params()


@pytest.mark.parametrize("s", [2, 3, 4])
def test_strided_1x1_conv_is_the_plain_conv_and_trains_in_channels_last(s):
    """A 1x1 conv with stride s is computed on every s-th pixel (same numbers as PyTorch's
    own); its backward in channels_last once corrupted the heap and killed the process, so the
    training step runs in a child process that must exit cleanly."""
    torch.manual_seed(0)
    conv = Conv2dSame(2, 48, 1, s, (28, 28))
    x = torch.rand(3, 2, 28, 28)
    plain = torch.nn.functional.conv2d(x, conv.weight, conv.bias, stride=s)
    assert torch.allclose(conv(x), plain, atol=1e-6) and conv(x).shape[-1] == math.ceil(28 / s)
    code = ("import torch; from ae.model.layers import Conv2dSame\n"
            "torch.set_num_threads(1)\n"
            "for _ in range(30):\n"
            f"    m = Conv2dSame(2, 48, 1, {s}, (28, 28)).to(memory_format=torch.channels_last)\n"
            "    x = torch.rand(2, 2, 28, 28).contiguous(memory_format=torch.channels_last)\n"
            "    m(x.requires_grad_()).sum().backward()\n")
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True,
                          timeout=300, env={**os.environ, "PYTHONPATH": str(root)})
    assert done.returncode == 0, done.stderr.decode()[-500:]
