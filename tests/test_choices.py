
"""The sidebar's layer table as an AEConfig: mirroring, the URL round trip, garbage in the URL
falls back to the article with a notice; and the URL's one reader per type."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ae import AEConfig, ConfigError
from ae.model import choices
from ae.ui import url

BOOK_ENCODER = ([32, 64, 64, 64], [3, 3, 3, 3], [1, 2, 2, 1])


def test_the_books_encoder_mirrored_is_the_article():
    assert choices.from_layers(BOOK_ENCODER) == AEConfig.book()
    assert choices.is_mirrored(AEConfig.book())


def test_mirror_builds_the_books_decoder():
    cfg = choices.from_layers(([16, 32], [5, 3], [2, 2]))
    assert cfg.decoder_conv_t_filters == [16, 1]
    assert cfg.decoder_conv_t_kernel_size == [3, 5]
    assert cfg.decoder_conv_t_strides == [2, 2]


def test_round_trip_through_the_url():
    cfg = choices.from_layers(([8, 16, 16], [3, 5, 3], [1, 2, 2]), z_dim=3, batch_norm=True)
    back, own, notices = url.read_architecture(url.architecture_query(cfg, own_decoder=False))
    assert notices == [] and back == cfg and not own
    cfg2 = choices.from_layers(([32, 64], [3, 3], [2, 2]), ([64, 32, 1], [3, 3, 3], [2, 2, 1]))
    query = url.architecture_query(cfg2, own_decoder=True)
    back2, own2, notices2 = url.read_architecture(query)
    assert notices2 == [] and back2 == cfg2 and own2 and "dec" in query


def test_the_model_kind_round_trips_and_old_links_open_an_autoencoder():
    vae = replace(choices.from_layers(([8, 16], [3, 3], [1, 2]), z_dim=4), kind="vae")
    query = url.architecture_query(vae, own_decoder=False)
    assert query["kind"] == "vae"
    back, _, notices = url.read_architecture(query)
    assert notices == [] and back == vae and back.is_vae
    old = {k: v for k, v in query.items() if k != "kind"}  # a link from before the VAE
    assert url.read_architecture(old)[0].kind == "autoencoder"
    cfg, _, notices = url.read_architecture({"enc": "32-3-9", "kind": "vae"})
    assert cfg == AEConfig.book("vae")  # an invalid layer list keeps the kind asked for


def test_a_decoder_of_its_own_is_kept_even_when_it_equals_the_mirror():
    query = url.architecture_query(AEConfig.book(), own_decoder=True)
    back, own, _ = url.read_architecture(query)
    assert back == AEConfig.book() and own  # the link opens with the mirror toggle off


def test_is_mirrored_tells_an_own_decoder():
    cfg = choices.from_layers(BOOK_ENCODER, ([64, 64, 16, 1], [3, 3, 3, 3], [1, 2, 2, 1]))
    assert not choices.is_mirrored(cfg)


@pytest.mark.parametrize("params", [
    {"enc": "garbage"}, {"enc": "32-3-1,64-3"}, {"z": "two"}, {"bn": "yes"},
    {"enc": "9999-3-1"}, {"enc": "32-3-1," * 300}, {"dec": "1-1-9"}, {"z": "-4"},
    {"enc": "3²-3-1"}, {"kind": "gan"}, {"kind": "VAE"}, {"kind": ""},
])
def test_garbage_falls_back_with_a_notice(params):
    cfg, _, notices = url.read_architecture(params)
    assert notices, params
    cfg.validate()  # whatever survives is valid


def test_an_invalid_architecture_resets_to_the_article():
    cfg, own, notices = url.read_architecture({"enc": "32-3-9"})
    assert cfg == AEConfig.book() and not own
    assert "showing the article's instead" in notices[-1]


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["enc", "dec", "z", "bn", "do", "kind", "other"]),
                       st.text(max_size=60)))
def test_any_query_gives_a_valid_config(params):
    cfg, _, _ = url.read_architecture(params)
    try:
        cfg.validate()
    except ConfigError:  # pragma: no cover - read_architecture must never return an invalid one
        pytest.fail(f"read_architecture returned an invalid setup for {params}")


def test_one_reader_per_type():
    assert url.int_in("12", 0, 20) == 12 and url.int_in(" 3 ", 0, 5) == 3
    for bad in (None, "", "x", "21", "-1", "1.5", "²"):
        assert url.int_in(bad, 0, 20) is None
    assert url.floats("1.5,-2", 2) == [1.5, -2.0]
    for bad in (None, "1", "1,2,3", "a,b", "nan,1", "inf,0"):
        assert url.floats(bad, 2) is None
    assert url.ints("1,0,7,0", 4) == [1, 0, 7, 0]
    for bad in (None, "1,0,7", "1,0,7,x", "1.5,0,7,0"):
        assert url.ints(bad, 4) is None
    assert url.choice("digit", ["digit", "black"]) == "digit"
    assert url.choice("purple", ["digit", "black"]) is None
    assert url.flag("1") is True and url.flag("0") is False and url.flag("yes") is None
    assert url.layers("32-3-1,64-3-2") == ([32, 64], [3, 3], [1, 2])
    with pytest.raises(ValueError):
        url.layers("32-3")
