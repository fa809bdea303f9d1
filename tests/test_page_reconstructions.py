"""AppTest of the reconstructions page: the article's figure with codes and errors, Resample,
the seed in the URL, the worst per digit, the language switch. Works with whichever model is
in play (a shipped checkpoint, or the untrained model when none is shipped)."""

import re

import pytest
from pagekit import (
    N_TEST,
    assert_ok,
    md_tables,
    open_page,
    own_tab_store,  # noqa: F401 (fixtures, found by pytest by name)
    set_language,
    small_data,  # noqa: F401
    texts,
    untrained_in_play,
)

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")

# a code rounded to the wall's size: 1 decimal on a trained wall, more on a small one
MARK = re.compile(r"^\(-?\d+\.\d+(, -?\d+\.\d+)*(, \.\.\.)?\)$")


def negative_zero(code: str) -> bool:
    """A coordinate shown as "-0.0…"."""
    return any(v.strip().startswith("-") and float(v) == 0
               for v in code.strip("()").split(",") if v.strip() != "...")


def numbers(at) -> dict:
    """The table behind the article's figure, as {column: list} (its expander opened, as a
    click does: it is drawn only once opened)."""
    if not ("r_numbers" in at.session_state and at.session_state["r_numbers"]):
        at.session_state["r_numbers"] = True
        at.run()
    table = md_tables(at)[0].to_dict(orient="list")
    table["test image"] = [int(i) for i in table["test image"]]
    return table


def test_page_shows_ten_codes_their_errors_and_the_mean():
    at = open_page("reconstructions")
    assert_ok(at)
    table = numbers(at)
    index, codes, errors = (table[c] for c in ("test image", "mark on the wall", "error (MSE)"))
    assert len(index) == len(set(index)) == 10 and all(0 <= i < N_TEST for i in index)
    assert len(codes) == 10 and all(MARK.match(c) for c in codes), codes
    assert all(float(e) >= 0 for e in errors)
    line = next(m.value for m in at.markdown if m.value.startswith("Mean error of these ten"))
    mean_ten, mean_all = (float(v) for v in re.findall(r"\*\*(\d+\.\d+)\*\*", line))
    assert abs(mean_ten - sum(float(e) for e in errors) / 10) < 1e-3
    assert f"{N_TEST:,} test images" in line and mean_all >= 0
    assert at.metric[0].value == f"{mean_all:.4f}"
    assert at.query_params["r_seed"] == "0"
    assert len(at.get("plotly_chart")) == 3  # the article's figure, the worst, the bars
    assert "4 of 10" in texts(at)


def test_resample_changes_the_ten_images_and_the_url():
    at = open_page("reconstructions")
    before = numbers(at)["test image"]
    at.button(key="r_resample").click().run()
    assert_ok(at)
    after = numbers(at)["test image"]
    assert after != before
    assert at.query_params["r_seed"] != "0"
    assert at.query_params["r_seed"] in texts(at)  # the caption names the seed


def test_seed_from_the_url_round_trips_and_garbage_falls_back():
    shared = open_page("reconstructions", {"r_seed": "123"})
    assert_ok(shared)
    again = open_page("reconstructions", {"r_seed": "123"})
    assert numbers(again)["test image"] == numbers(shared)["test image"]
    assert "123" in texts(shared) and shared.query_params["r_seed"] == "123"
    bad = open_page("reconstructions", {"r_seed": "not-a-seed"})
    assert_ok(bad)
    assert bad.query_params["r_seed"] == "0"


def test_learner_count_and_language_switch():
    at = open_page("reconstructions")
    at.button_group[0].set_value([0, 2, 5]).run()
    assert "You accepted **3 of 10**" in texts(at)
    en_title = at.title[0].value
    set_language(at, "zh")
    assert_ok(at)
    assert at.title[0].value != en_title and "重建" in at.title[0].value
    assert "为什么有些图变模糊了" in texts(at)


def test_a_three_dimensional_wall():
    at = open_page("reconstructions", state=untrained_in_play(3))
    assert_ok(at)
    codes = numbers(at)["mark on the wall"]
    assert all(MARK.match(c) and c.count(",") == 2 for c in codes), codes
    # an untrained wall is a few hundredths wide: more decimals, and never "-0.0"
    assert all(len(c.split(",")[0].split(".")[1]) > 1 for c in codes), codes
    assert not any(negative_zero(c) for c in codes), codes
    assert "only 3 number(s)" in texts(at)
