"""The sidebar's choices: mirroring, URL round trip, garbage in the URL falls back."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ae import AEConfig, ConfigError
from ae.model.choices import Choices


def test_defaults_are_the_article():
    assert Choices().to_config() == AEConfig.book()


def test_mirror_builds_the_books_decoder():
    c = Choices(enc_filters=[16, 32], enc_kernels=[5, 3], enc_strides=[2, 2])
    cfg = c.to_config()
    assert cfg.decoder_conv_t_filters == [16, 1]
    assert cfg.decoder_conv_t_kernel_size == [3, 5]
    assert cfg.decoder_conv_t_strides == [2, 2]


def test_round_trip_through_the_url():
    c = Choices(enc_filters=[8, 16, 16], enc_kernels=[3, 5, 3], enc_strides=[1, 2, 2],
                z_dim=3, batch_norm=True)
    back, notices = Choices.from_query(c.to_query())
    assert notices == [] and back == c and back.to_config() == c.to_config()
    c2 = Choices(mirror=False, dec_filters=[64, 32, 1], dec_kernels=[3, 3, 3],
                 dec_strides=[2, 2, 1], enc_filters=[32, 64], enc_kernels=[3, 3],
                 enc_strides=[2, 2])
    back2, notices2 = Choices.from_query(c2.to_query())
    assert notices2 == [] and back2.to_config() == c2.to_config()


def test_from_config_recovers_mirror_flag():
    assert Choices.from_config(AEConfig.book()).mirror
    cfg = Choices(mirror=False, dec_filters=[64, 64, 16, 1]).to_config()
    assert not Choices.from_config(cfg).mirror


@pytest.mark.parametrize("params", [
    {"enc": "garbage"}, {"enc": "32-3-1,64-3"}, {"z": "two"}, {"bn": "yes"},
    {"enc": "9999-3-1"}, {"enc": "32-3-1," * 300}, {"dec": "1-1-9"}, {"z": "-4"},
])
def test_garbage_falls_back_with_a_notice(params):
    c, notices = Choices.from_query(params)
    assert notices, params
    c.to_config()  # whatever survives is valid


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["enc", "dec", "z", "bn", "do", "other"]),
                       st.text(max_size=60)))
def test_any_query_gives_a_valid_config(params):
    c, _ = Choices.from_query(params)
    try:
        c.to_config()
    except ConfigError:  # pragma: no cover - from_query must never return an invalid setup
        pytest.fail(f"from_query returned an invalid setup for {params}")
