"""AppTest of the presenter links: `?present=1` sets the larger type and folds the sidebar;
`?controls=0` hides the sidebar and every control that would change the model, and the
model is the one the link names; both stay in the URL from page to page."""

import pytest
from pagekit import (  # noqa: F401 (own_tab_store, small_data: fixtures, found by name)
    assert_ok,
    open_page,
    own_tab_store,
    small_data,
)

from ae.ui.present import ROOT_PX

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")


def styles(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_an_ordinary_link_has_no_presenter_style():
    at = open_page("wall", {"w_part": "samples"})
    assert_ok(at)
    assert "font-size" not in styles(at) and "stSidebar" not in styles(at)
    assert at.button(key="w_resample")  # the page as ever


def test_present_sets_large_type_and_keeps_every_control():
    at = open_page("training", {"present": "1"})
    assert_ok(at)
    assert f"font-size: {ROOT_PX}px" in styles(at) and "stSidebar" not in styles(at)
    assert at.button(key="t_start")  # controls stay unless the link says controls=0
    assert at.query_params["present"] == ["1"] or at.query_params["present"] == "1"


@pytest.mark.parametrize("page,gone", [("training", "t_start"), ("cure", "cure_start")])
def test_controls_0_hides_the_sidebar_and_what_would_change_the_model(page, gone):
    at = open_page(page, {"present": "1", "controls": "0", "model": "book"})
    assert_ok(at)
    assert "stSidebar" in styles(at) and "display: none" in styles(at)
    assert not [b for b in at.button if b.key == gone]
    assert at.session_state["in_play"].origin == "book"
    at.switch_page("pages/wall.py")
    at = at.run()
    assert_ok(at)
    assert "stSidebar" in styles(at)  # every page of the tab
    assert dict(at.query_params).get("controls") in ("0", ["0"])


def test_a_lesson_link_opens_the_lesson_once_then_the_class_may_leave_it():
    from pagekit import APP
    from streamlit.testing.v1 import AppTest

    from ae.ui.i18n import all_texts
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["lesson"] = "ae"
    at = at.run()
    assert_ok(at)
    assert at.title[0].value == all_texts()["lesson.title"][0]
    at.switch_page("pages/wall.py")
    at = at.run()
    assert at.title[0].value == all_texts()["wall.title"][0]  # not pulled back
