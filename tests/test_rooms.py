"""The class wall's rooms without Streamlit: limits, removal, clear, close, expiry, codes, many
students sending at once, bad pictures (each against both stores: in memory and the SQLite
file replicas share); the students' link and its QR code; a room's marks placed, repainted and
read by a model, the wall figure and a click on a star. test_rooms_sqlite.py: what only the
shared file does (processes, a second store object, a bad file)."""

import io
import threading
from dataclasses import replace

import numpy as np
import pytest
import segno
from PIL import Image

from ae.analysis.classifier import DigitCNN
from ae.model.autoencoder import Autoencoder
from ae.model.config import AEConfig
from ae.rooms import Limits, RoomError, RoomStore, SqliteRoomStore, qr_png, room_link, wall
from ae.rooms import store as rooms
from ae.rooms.link import lan_address

T0 = 1_700_000_000.0


def digit(v: float = 1.0) -> np.ndarray:
    img = np.zeros((28, 28), np.float32)
    img[6:22, 12:16] = v  # a "1"
    return img


def reason(fn, *args, **kw) -> RoomError:
    with pytest.raises(RoomError) as e:
        fn(*args, **kw)
    return e.value


def same(a, b) -> bool:
    """Two marks alike (a Mark's == compares its picture arrays, which SQLite gives anew)."""
    return (a.id, a.digit, a.at) == (b.id, b.digit, b.at) and np.array_equal(a.image, b.image)


@pytest.fixture(params=["memory", "sqlite"])
def make(request, tmp_path):
    """A store of either kind with the given limits (the SQLite one on a fresh file)."""
    files = iter(tmp_path / f"rooms{i}.db" for i in range(100))
    if request.param == "memory":
        return RoomStore
    return lambda limits=None: SqliteRoomStore(next(files), limits)


@pytest.fixture
def store(make):
    return make(Limits(per_student=2, max_marks=5, max_rooms=3, ttl_s=100.0))


def test_a_mark_holds_the_picture_the_digit_and_the_time_only(store):
    room = store.open(T0)
    assert room.key and len(room.code) == rooms.CODE_LEN
    m = store.add(room.code, "s1", digit(), 7, now=T0 + 1)
    assert (m.id, m.digit, m.at) == (1, 7, T0 + 1)
    assert m.image.dtype == np.float32 and not m.image.flags.writeable
    seen = store.get(room.code, now=T0 + 2)
    assert seen.key is None  # only open() hands the teacher key out
    assert len(seen.marks) == 1 and same(seen.marks[0], m) and seen.version == 1
    assert seen.marks[0].image.dtype == np.float32 and not seen.marks[0].image.flags.writeable
    assert set(vars(m)) == {"id", "image", "digit", "at"}  # no student token, no name
    assert store.get(room.code.lower()[:4] + "-" + room.code[4:], now=T0).code == room.code


def test_limits_per_student_per_room_and_per_server(store):
    code = store.open(T0).code
    store.add(code, "a", digit(), 1, now=T0)
    store.add(code, "a", digit(), 2, now=T0)
    e = reason(store.add, code, "a", digit(), 3, now=T0)
    assert (e.reason, e.params) == ("student_full", {"limit": 2})
    assert store.sent(code, "a", now=T0) == 2 and store.sent(code, "b", now=T0) == 0
    store.add(code, "b", digit(), 3, now=T0)
    store.add(code, "b", digit(), 4, now=T0)
    store.add(code, "c", digit(), 5, now=T0)
    e = reason(store.add, code, "d", digit(), 6, now=T0)
    assert (e.reason, e.params) == ("full", {"code": code, "limit": 5})
    assert "full (5 digits)" in str(e)
    store.open(T0), store.open(T0)
    e = reason(store.open, T0)
    assert (e.reason, e.params) == ("rooms_full", {"limit": 3})


def test_the_teacher_removes_and_clears_with_the_key_only(store):
    room = store.open(T0)
    ids = [store.add(room.code, "a", digit(), d, now=T0).id for d in (1, 2)]
    assert reason(store.remove, room.code, "guess", ids[0], now=T0).reason == "not_teacher"
    assert reason(store.clear, room.code, "", now=T0).reason == "not_teacher"
    assert store.remove(room.code, room.key, ids[0], now=T0)
    assert not store.remove(room.code, room.key, ids[0], now=T0)  # already gone
    left = store.watch(room.code, room.key, now=T0)
    assert [m.digit for m in left.marks] == [2] and left.version == 3
    # a removed mark does not give its student another turn; a clear gives everyone theirs
    assert reason(store.add, room.code, "a", digit(), 3, now=T0).reason == "student_full"
    store.clear(room.code, room.key, now=T0)
    assert store.get(room.code, now=T0).marks == ()
    assert store.add(room.code, "a", digit(), 3, now=T0).id == 3  # ids are never reused


def test_a_closed_room_says_so_and_keeps_nothing(store):
    room = store.open(T0)
    store.add(room.code, "a", digit(), 1, now=T0)
    assert reason(store.close, room.code, "nope", now=T0).reason == "not_teacher"
    store.close(room.code, room.key, now=T0)
    for call in (lambda: store.get(room.code, now=T0),
                 lambda: store.add(room.code, "b", digit(), 1, now=T0),
                 lambda: store.watch(room.code, room.key, now=T0)):
        e = reason(call)
        assert (e.reason, e.params) == ("closed", {"code": room.code})
    assert store.open_rooms(now=T0) == 0
    assert reason(store.get, "ZZZZZZZZ", now=T0).reason == "unknown"
    assert reason(store.get, "not a code at all", now=T0).reason == "unknown"


def test_an_idle_room_expires_and_activity_keeps_it(store):
    a, b = store.open(T0), store.open(T0)
    store.add(a.code, "s", digit(), 1, now=T0 + 90)  # a student's digit is activity
    store.watch(b.code, b.key, now=T0 + 50)  # so is the teacher's wall
    assert store.get(a.code, now=T0 + 150).code == a.code
    assert reason(store.get, b.code, now=T0 + 151).reason == "expired"
    assert store.get(a.code, now=T0 + 190).code == a.code  # reading is not activity
    e = reason(store.add, a.code, "s", digit(), 1, now=T0 + 191)
    assert (e.reason, e.params) == ("expired", {"code": a.code})
    assert store.open_rooms(now=T0 + 191) == 0
    # an expired room is told for another ttl, then its code is unknown like any other
    assert reason(store.get, a.code, now=T0 + 400).reason == "unknown"


def test_codes_are_unique_and_do_not_look_guessable(make):
    store = make(Limits(max_rooms=2000))
    rs = [store.open(T0) for _ in range(1000)]
    codes = [r.code for r in rs]
    assert len(set(codes)) == len(codes)
    assert len({r.key for r in rs}) == len(rs) and all(len(r.key) >= 24 for r in rs)
    assert all(set(c) <= set(rooms.ALPHABET) for c in codes)
    assert not set(rooms.ALPHABET) & set("01OIL")  # none that reads as another
    # every position uses the whole alphabet about evenly (8,000 letters over 31 kinds)
    counts = np.unique(np.array([list(c) for c in codes]).ravel(), return_counts=True)[1]
    assert len(counts) == len(rooms.ALPHABET) and counts.min() > 150 and counts.max() < 400
    assert len({c[:3] for c in codes}) > 900  # no shared prefix, no counter


def test_many_students_at_once_each_within_their_limit(make):
    store = make(Limits(per_student=5, max_marks=1000))
    code = store.open(T0).code
    errors: list[str] = []

    def student(i: int) -> None:
        for k in range(8):  # 3 more than allowed
            try:
                store.add(code, f"s{i}", digit(), (i + k) % 10, now=T0)
            except RoomError as e:
                errors.append(e.reason)

    threads = [threading.Thread(target=student, args=(i,)) for i in range(16)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    room = store.get(code, now=T0)
    assert len(room.marks) == 16 * 5 and room.version == 80
    assert sorted(m.id for m in room.marks) == list(range(1, 81))
    assert errors == ["student_full"] * (16 * 3)


@pytest.mark.parametrize("bad, why", [
    (np.zeros((28, 28)), "no ink"),
    (np.ones((28, 27)), "shape"),
    (np.full((28, 28), 2.0), "values"),
    (np.full((28, 28), np.nan), "values"),
    ("a picture", "not numbers"),
    (None, "shape"),
])
def test_bad_pictures_and_digits_are_refused(store, bad, why):
    code = store.open(T0).code
    e = reason(store.add, code, "s", bad, 3, now=T0)
    assert e.reason == "bad_image" and why in e.params["why"]
    for d in (10, -1, 2.5, "7", True, None):
        assert reason(store.add, code, "s", digit(), d, now=T0).reason == "bad_digit"
    assert store.get(code, now=T0).marks == () and store.sent(code, "s", now=T0) == 0


def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("AE_ROOM_PER_STUDENT", "3")
    monkeypatch.setenv("AE_ROOM_MAX_MARKS", "40")
    monkeypatch.setenv("AE_MAX_ROOMS", "²")  # not a whole number: the default
    monkeypatch.setenv("AE_ROOM_TTL_S", "60")
    assert Limits.from_env() == Limits(3, 40, 50, 60.0)
    monkeypatch.delenv("AE_ROOM_TTL_S")
    assert Limits.from_env().ttl_s == 3 * 3600


def test_the_link_works_on_the_rooms_network():
    code = "ABCDEFGH"
    link = room_link(code, "http://localhost:8501/", lan="192.168.1.20", public_url="")
    assert link.url == "http://192.168.1.20:8501/class_wall?room=ABCDEFGH"
    assert link.swapped and not link.local
    link = room_link(code, "http://10.1.2.3:8501/app/", lan="192.168.1.20", public_url="")
    assert link.url == "http://10.1.2.3:8501/app/class_wall?room=ABCDEFGH" and not link.swapped
    assert room_link(code, None, port=9000, lan=None, public_url="").local
    link = room_link(code, "http://localhost:8501/", lan="192.168.1.20",
                     public_url="https://ai.school.example/gallery")
    assert link.url == "https://ai.school.example/gallery/class_wall?room=ABCDEFGH"
    ip = lan_address()
    assert ip is None or not ip.startswith("127.")


def test_the_qr_code_is_the_link():
    url = "http://192.168.1.20:8501/class_wall?room=ABCDEFGH"
    png = qr_png(url, scale=4, border=4)
    img = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    matrix = np.array(segno.make(url, error="m", micro=False).matrix, dtype=bool)
    n = matrix.shape[0]
    assert img.shape == ((n + 8) * 4,) * 2
    centres = img[4 * 4 + 2::4, 4 * 4 + 2::4][:n, :n]  # each module's middle pixel
    assert np.array_equal(centres < 128, matrix)  # dark where the code has a module
    assert (img[:16] == 255).all()  # the quiet zone
    with pytest.raises(ValueError):
        qr_png("")


def test_a_rooms_marks_are_placed_repainted_and_read_by_the_model_in_play():
    model = Autoencoder.from_config(replace(AEConfig.book(), z_dim=2).validate()).eval()
    store = RoomStore()
    code = store.open(T0).code
    for d in (4, 9, 4):
        store.add(code, f"s{d}", digit(0.5 + d / 20), d, now=T0)
    marks = store.get(code, now=T0).marks
    placed = wall.place(model, marks, DigitCNN().eval())
    assert placed.ids.tolist() == [1, 2, 3] and placed.digits == [4, 9, 4]
    assert placed.codes.shape == (3, 2) and np.isfinite(placed.codes).all()
    assert placed.repainted.shape == (3, 28, 28)
    assert all(0 <= r[0] <= 9 and 0 <= r[1] <= 1 for r in placed.reads)
    assert placed.index(2) == 1 and placed.index(99) is None
    assert wall.place(model, ()).codes.shape == (0, 2)
    assert wall.place(model, marks).reads == [None] * 3  # no classifier, no readings

    xy = np.random.default_rng(0).normal(size=(50, 2))
    fig = wall.wall_figure(xy, np.arange(50) % 10, placed.codes, placed,
                           texts={"own": "la classe"})
    stars = fig.data[-1]
    assert stars.name == "la classe" and list(stars.text) == ["4", "9", "4"]
    assert [c[0] for c in stars.customdata] == [1, 2, 3]
    assert "%{customdata[1]}" in stars.hovertemplate
    # a click on a star gives its mark's id; on a test mark, nothing
    on_star = {"points": [{"curve_number": len(fig.data) - 1, "customdata": [3, "4 (50%)"]}]}
    assert wall.picked_id(on_star, fig) == 3
    on_mark = {"points": [{"curve_number": 0, "customdata": 3, "legendgroup": "digit:0"}]}
    assert wall.picked_id(on_mark, fig) is None
    typed = {"points": [{"legendgroup": "own", "customdata": {"0": 2, "1": "x"}}]}
    assert wall.picked_id(typed) == 2
    assert wall.picked_id(None) is None
