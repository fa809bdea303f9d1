"""AppTest of the class wall: a teacher opens a room (code, link, QR code); students in sessions
of their own (?room=CODE) send digits (uploaded: AppTest cannot draw on the canvas) that appear
on the teacher's wall; the per-student limit; removal and clearing; a closed, an expired and
an unknown room say so."""

import base64
import io
import json

import numpy as np
import pytest
from pagekit import (  # noqa: F401 (own_tab_store, small_data: fixtures, found by name)
    assert_ok,
    open_page,
    own_tab_store,
    set_language,
    small_data,
    texts,
)
from PIL import Image

from ae.data import synthetic
from ae.rooms import store as room_store
from ae.ui import class_wall
from ae.ui.i18n import all_texts

pytestmark = pytest.mark.usefixtures("small_data", "own_tab_store")
DIGITS, LABELS = synthetic.make_digits(4, seed=3)
EN = {k: v[0] for k, v in all_texts().items()}
ZH = {k: v[1] for k, v in all_texts().items()}


def photo(i: int) -> bytes:
    """Synthetic digit i as dark ink on light paper, enlarged: like a phone's photo."""
    paper = 255 - np.kron(DIGITS[i], np.ones((4, 4), np.uint8))
    buf = io.BytesIO()
    Image.fromarray(paper).save(buf, "PNG")
    return buf.getvalue()


def teacher_with_room():
    at = open_page("class_wall")
    assert_ok(at)
    at.button(key="cw_open").click()
    at = at.run()
    assert_ok(at)
    return at, at.session_state["cw_room"][0]


def send(student, i: int, digit: int):
    """A student uploads digit i's photo, says `digit` and sends it."""
    student.session_state["cw_source"] = "upload"
    student = student.run()
    student.get("file_uploader")[0].set_value((f"d{i}.png", photo(i), "image/png"))
    student.session_state["cw_said"] = digit
    student = student.run()
    assert_ok(student)
    send = student.button(key="cw_send")
    assert not send.disabled
    send.click()
    return student.run()


def numbers(v) -> np.ndarray:
    """A figure's array as JSON gives it: a list, or Plotly's typed array (dtype, base64)."""
    if isinstance(v, dict):
        return np.frombuffer(base64.b64decode(v["bdata"]), dtype=v["dtype"])
    return np.asarray(v, dtype=np.float64)


def stars(at) -> dict:
    """The class's digits on the teacher's wall (the stars trace)."""
    for c in at.get("plotly_chart"):
        fig = json.loads(c.proto.spec)
        for tr in fig["data"]:
            if tr.get("legendgroup") == "own":
                return tr
    raise AssertionError("no class wall")


def test_the_teacher_opens_a_room_with_its_code_link_and_qr_code():
    at = open_page("class_wall")
    assert_ok(at)
    assert EN["class_wall.intro"] in texts(at)
    assert "cw_room" not in at.session_state
    at.button(key="cw_open").click()
    at = at.run()
    assert_ok(at)
    code, key = at.session_state["cw_room"]
    assert len(code) == room_store.CODE_LEN and len(key) >= 24
    assert f"Room {code}" in [s.value for s in at.subheader]
    links = [c.value for c in at.code if "room=" in c.value]
    assert links and links[0].endswith(f"/class_wall?room={code}")
    assert key not in "".join(links) + texts(at)  # the key never reaches the page
    qr = [i for el in at.get("image") for i in el.proto.imgs if code in i.caption]
    assert qr, "no QR code"
    assert not len(numbers(stars(at)["x"])) and EN["cw.empty"] in texts(at)


def test_students_digits_appear_on_the_teachers_wall_coloured_and_repainted():
    teacher, code = teacher_with_room()
    student = open_page("class_wall", query={"room": code})
    assert_ok(student)
    assert EN["cw.student.title"] in texts(student)
    assert not student.get("plotly_chart")  # a student sees no wall, no model
    assert student.button(key="cw_send").disabled  # nothing drawn, no digit said
    student = send(student, 0, 7)
    assert [s.value for s in student.toast] == ["Your 7 is on the class wall."]
    assert student.session_state["cw_said"] is None  # fresh for the next digit
    assert "you have sent 1 of 5 digits" in texts(student)
    other = send(open_page("class_wall", query={"room": code.lower()}), 1, 3)
    assert_ok(other)
    teacher = teacher.run()  # what the wall's refresh does every REFRESH_S seconds
    assert_ok(teacher)
    tr = stars(teacher)
    assert tr["text"] == ["7", "3"] and np.isfinite(numbers(tr["x"])).all()
    assert len(numbers(tr["x"])) == 2
    assert [d[0] for d in tr["customdata"]] == [1, 2]  # the marks' ids, for a click
    assert tr["marker"]["color"][0] != tr["marker"]["color"][1]  # coloured by the digit said
    assert "2 of at most 200 digits" in texts(teacher)
    assert "The newest digit, #2, said to be a 3." in texts(teacher)
    captions = [i.caption for el in teacher.get("image") for i in el.proto.imgs]
    assert EN["cw.input"] in captions and EN["cw.repainted"] in captions
    teacher.selectbox(key="cw_pick").set_value(1)
    teacher = teacher.run()
    assert "Digit #1, said to be a 7." in texts(teacher)


def test_the_per_student_limit_and_a_full_room(monkeypatch):
    monkeypatch.setenv("AE_ROOM_PER_STUDENT", "2")
    monkeypatch.setenv("AE_ROOM_MAX_MARKS", "3")
    _, code = teacher_with_room()
    student = open_page("class_wall", query={"room": code})
    student = send(send(student, 0, 1), 1, 2)
    limit = EN["cw.err.student_full"].format(limit=2)
    assert limit in [w.value for w in student.warning]
    assert "cw_send" not in [b.key for b in student.button]
    assert not student.get("file_uploader")  # no drawing left to do
    other = send(open_page("class_wall", query={"room": code}), 2, 3)
    last = open_page("class_wall", query={"room": code})
    last = send(last, 3, 4)
    full = EN["cw.err.full"].format(code=code, limit=3)
    assert any(full in e.value for e in last.error), [e.value for e in last.error]
    assert_ok(other)


def test_the_teacher_removes_a_digit_and_clears_the_wall():
    teacher, code = teacher_with_room()
    student = send(send(open_page("class_wall", query={"room": code}), 0, 5), 1, 6)
    teacher = teacher.run()
    assert stars(teacher)["text"] == ["5", "6"]
    teacher.button(key="cw_remove").click()  # the newest, shown beside the wall
    teacher = teacher.run()
    assert_ok(teacher)
    assert stars(teacher)["text"] == ["5"]
    teacher.button(key="cw_clear").click()
    teacher = teacher.run()
    assert_ok(teacher)
    assert stars(teacher)["text"] == [] and EN["cw.cleared"] in texts(teacher)
    student = student.run()  # a cleared wall gives every student their share again
    assert "you have sent 0 of 5 digits" in texts(student)


def test_a_closed_room_and_an_unknown_code_say_so():
    teacher, code = teacher_with_room()
    teacher.button(key="cw_close").click()
    teacher = teacher.run()
    assert_ok(teacher)
    assert "cw_room" not in teacher.session_state
    assert EN["cw.closed.note"].format(code=code) in texts(teacher)
    assert teacher.button(key="cw_open")  # ready for the next room
    student = open_page("class_wall", query={"room": code})
    assert [e.value for e in student.error] == [EN["cw.err.closed"].format(code=code)]
    assert not student.get("file_uploader") and "cw_send" not in [b.key for b in student.button]
    for typed in ("ZZZZ-ZZZZ", "<script>"):
        student = open_page("class_wall", query={"room": typed})
        assert len(student.error) == 1 and "There is no room" in student.error[0].value
        assert not student.exception


def test_an_idle_room_expires_for_the_teacher_and_the_students(monkeypatch):
    clock = [1_000_000.0]
    monkeypatch.setattr(room_store, "_now", lambda: clock[0])
    teacher, code = teacher_with_room()
    student = send(open_page("class_wall", query={"room": code}), 0, 8)
    ttl = class_wall.store().limits.ttl_s
    clock[0] += ttl - 1
    teacher = teacher.run()  # the teacher's wall keeps the room alive
    assert stars(teacher)["text"] == ["8"]
    clock[0] += ttl + 1
    student = student.run()
    assert EN["cw.err.expired"].format(code=code) in [e.value for e in student.error]
    teacher = teacher.run()
    infos = [i.value for i in teacher.info]
    assert any(EN["cw.err.expired"].format(code=code) in v for v in infos), infos
    assert "cw_room" not in teacher.session_state and teacher.button(key="cw_open")


def test_the_students_page_in_chinese():
    _, code = teacher_with_room()
    student = set_language(open_page("class_wall", query={"room": code}), "zh")
    assert_ok(student)
    assert ZH["cw.student.title"] in texts(student)
    assert student.button(key="cw_send").label == ZH["cw.send"]
