"""AppTest of the generation page: the sliders decode a point at once, the interpolation strip
follows the chosen digits and k, choices round-trip through the URL, the language switch.
Works with whichever model is in play (shipped, or untrained when none is shipped)."""

import json
import re

import pytest
from pagekit import (
    assert_ok,
    open_page,
    own_tab_store,  # noqa: F401 (fixtures, found by pytest by name)
    set_language,
    small_data,  # noqa: F401
    texts,
    untrained_in_play,
)

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")

POINT = re.compile(r"\*\*(\([^*]*\))\*\*")


def decoded_point(at) -> str:
    """The coordinates the page says it decoded."""
    line = next(m.value for m in at.markdown if m.value.startswith("Decoded point"))
    return POINT.search(line).group(1)


def strip(at) -> dict:
    """The interpolation strip's figure (found by its title)."""
    for chart in at.get("plotly_chart"):
        fig = json.loads(chart.proto.spec)
        if "From test image" in str(fig["layout"].get("title", {}).get("text", "")):
            return fig
    raise AssertionError("no interpolation strip on the page")


def strip_captions(fig: dict) -> list[str]:
    return next(tr["text"] for tr in fig["data"] if tr.get("name") == "captions")


def test_sliders_decode_the_point_they_show():
    at = open_page("generation")
    assert_ok(at)
    x, y = at.main.slider[0], at.main.slider[1]
    first = decoded_point(at)
    x.set_value(x.max).run()
    assert_ok(at)
    moved = decoded_point(at)
    assert moved != first
    at.main.slider[1].set_value(at.main.slider[1].min).run()
    assert decoded_point(at) != moved
    assert at.query_params["g_xy"] == f"{at.main.slider[0].value:g},{at.main.slider[1].value:g}"
    assert y.min < y.max and len(at.get("plotly_chart")) == 2  # image, wall: one part at a time
    at.segmented_control(key="g_part:en").set_value("walk").run()
    assert_ok(at)
    assert at.query_params["g_part"] == "walk" and len(at.get("plotly_chart")) == 2  # strip, path
    assert not at.main.slider[0].key.startswith("g_x")  # the point's sliders are not drawn


def test_interpolation_strip_follows_digits_and_steps():
    at = open_page("generation", {"g_part": "walk"})
    fig = strip(at)
    assert len(strip_captions(fig)) == 10  # the default k
    assert "(a 0)" in fig["layout"]["title"]["text"] and "(a 1)" in fig["layout"]["title"]["text"]
    at.selectbox(key="g_dto").set_value(3).run()
    at.slider(key="g_k").set_value(5).run()
    assert_ok(at)
    fig = strip(at)
    assert len(strip_captions(fig)) == 5 and "(a 3)" in fig["layout"]["title"]["text"]
    assert at.query_params["g_ab"] == "0,0,3,0" and at.query_params["g_k"] == "5"


def test_choices_round_trip_through_the_url():
    at = open_page("generation", {"g_ab": "2,3,5,1", "g_k": "4", "g_part": "walk"})
    assert_ok(at)
    assert at.selectbox(key="g_dfrom").value == 2 and at.selectbox(key="g_dto").value == 5
    assert at.number_input(key="g_nfrom").value == 3 and at.number_input(key="g_nto").value == 1
    assert at.slider(key="g_k").value == 4 and len(strip_captions(strip(at))) == 4
    bad = open_page("generation", {"g_ab": "x", "g_k": "999", "g_xy": "nan,1", "g_part": "walk"})
    assert_ok(bad)
    assert bad.slider(key="g_k").value == 10 and bad.selectbox(key="g_dfrom").value == 0
    assert open_page("generation", {"g_part": "normal"}).query_params["g_part"] == "point"


def test_language_switch_changes_the_texts():
    at = open_page("generation")
    en = at.title[0].value
    set_language(at, "zh")
    assert_ok(at)
    assert at.title[0].value != en and "生成" in at.title[0].value
    page = texts(at)
    assert "通往变分自编码器的桥梁" in page and "解码的点" in page


@pytest.mark.parametrize("z_dim", [1, 3])
def test_other_latent_sizes(z_dim):
    at = open_page("generation", state=untrained_in_play(z_dim))
    assert_ok(at)
    note = "dimensions" if z_dim > 2 else "is a line"
    assert any(note in e.value for e in at.info)
    assert len(at.main.slider) == (2 if z_dim > 1 else 1)  # x (and y): the point's part
    first = decoded_point(at)
    assert first.count(",") == z_dim - 1  # the latent point, all its coordinates
    at.main.slider[0].set_value(at.main.slider[0].max).run()
    assert_ok(at)
    assert decoded_point(at) != first
    at.segmented_control(key="g_part:en").set_value("walk").run()
    assert_ok(at)
    assert len(strip_captions(strip(at))) == 10
