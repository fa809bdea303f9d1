"""The class wall in a real browser: a teacher's tab and three students' tabs on one server.

The teacher opens a room; each student opens the room's link, draws a digit on the canvas with
the mouse (strokes traced from a digit, as in test_drawing.py), says which one it is and sends
it; every drawing must appear on the teacher's wall within seconds, as a star. No tab may send a
request anywhere but the server. The teacher's wall is the README's screenshot.
"""

from __future__ import annotations

import re
import time

import pytest
import stapp
import strokes
from test_browser import PAGE_S, assert_clean, en
from test_drawing import digits, draw

pytestmark = pytest.mark.e2e

STUDENTS = 3
ARRIVE_S = 30  # the wall refreshes every 2 s; a busy 2-core server needs more
CODE = re.compile(re.escape(en("cw.h.room").split("{")[0]) + r"([A-Z2-9]{4,12})")
COUNT = re.compile(r"(\d+)" + re.escape(en("cw.count").split("}", 1)[1].split("{")[0]))


def wall_count(page) -> int | None:
    """How many digits the teacher's page says are on the wall."""
    m = COUNT.search(stapp.main_text(page))
    return int(m.group(1)) if m else None


def test_three_students_draw_and_their_digits_reach_the_teachers_wall(server, new_tab, shots,
                                                                      outside):
    teacher = new_tab("teacher")
    stapp.visit(teacher, server, "/class_wall", timeout_s=PAGE_S)
    assert_clean(teacher, "teacher, before a room")
    stapp.button(teacher, "cw_open").click()
    teacher.get_by_text(en("cw.h.wall"), exact=True).wait_for(timeout=PAGE_S * 1000)
    stapp.wait_idle(teacher, PAGE_S)
    code = CODE.search(stapp.main_text(teacher))
    assert code, "no room code on the teacher's page"
    images, labels, _ = digits(server)
    for i in range(STUDENTS):
        student = new_tab(f"student {i}")
        stapp.visit(student, server, f"/class_wall?room={code.group(1)}", timeout_s=PAGE_S)
        assert_clean(student, f"student {i}")
        draw(student, strokes.trace(images[i]))
        stapp.wait_idle(student, PAGE_S)
        stapp.keyed(student, "cw_said").get_by_text(str(int(labels[i])), exact=True).click()
        stapp.wait_idle(student, PAGE_S)
        stapp.button(student, "cw_send").click()
        student.get_by_text(en("cw.sent", digit=int(labels[i]))).wait_for(
            timeout=PAGE_S * 1000)
        assert_clean(student, f"student {i}, sent")
        t0 = time.monotonic()
        while wall_count(teacher) != i + 1:  # the teacher's wall refreshes by itself
            assert time.monotonic() - t0 < ARRIVE_S, \
                f"student {i}'s digit did not reach the teacher's wall ({wall_count(teacher)})"
            teacher.wait_for_timeout(500)
    stars = teacher.locator(".scatterlayer .trace:last-child path.point")
    t0 = time.monotonic()
    while stars.count() != STUDENTS:  # the figure is drawn a moment after the count
        assert time.monotonic() - t0 < ARRIVE_S, f"{stars.count()} stars on the teacher's wall"
        teacher.wait_for_timeout(500)
    assert_clean(teacher, "teacher, the wall filled")
    stapp.screenshot(teacher, shots / "class_wall.png")
    assert not outside, "requests to outside the server:\n" + "\n".join(outside[:20])
