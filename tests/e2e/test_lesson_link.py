"""The lesson in a real browser, as a teacher projects it: a `?lesson=ae` link to the root
opens the lesson at the step it names, in the presenter view; the question's answer is hidden
until the class's choice is clicked, then the measured answer and the figure appear; Next
moves on. The answered step is the README's screenshot."""

from __future__ import annotations

import pytest
import stapp
from test_browser import PAGE_S, assert_clean, en, plain

from ae.ui import lesson

pytestmark = pytest.mark.e2e


def test_a_lesson_link_asks_before_it_shows(server, new_tab, shots):
    page = new_tab("lesson")
    step = lesson.STEPS.index("areas") + 1
    stapp.visit(page, server, f"/?lesson=ae&step={step}&present=1", timeout_s=PAGE_S)
    assert stapp.path_of(page.url) == "/lesson", page.url
    assert stapp.title(page) == plain(en("lesson.title"))
    assert_clean(page, "lesson, asked")
    text = stapp.main_text(page)
    assert en("lesson.areas.title") in text and en("lesson.q.largest_area") in text
    assert page.locator("[data-testid='stPlotlyChart']").count() == 0  # nothing shown yet
    right, wrong = (plain(en(k).split("{")[0]) for k in ("lesson.right", "lesson.wrong"))
    assert right not in text and wrong not in text
    page.locator("[class*='st-key-lesson_w']").get_by_text("7", exact=True).click()
    stapp.wait_idle(page, PAGE_S)
    text = stapp.main_text(page)
    assert right in text or wrong in text, "no answer after the choice"
    page.locator("[data-testid='stPlotlyChart']").first.wait_for(timeout=60_000)
    assert_clean(page, "lesson, revealed")
    stapp.screenshot(page, shots / "lesson.png", max_height=1150)  # about a screenful, projected
    stapp.button(page, "lesson_next").click()
    stapp.wait_idle(page, PAGE_S)
    assert en("lesson.symmetry.title") in stapp.main_text(page)
    assert f"step={step + 1}" in page.url and "present=1" in page.url
