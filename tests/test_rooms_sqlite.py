"""What only the shared SQLite room store does (test_rooms.py runs the common behaviour against
both stores): two processes sending into one room at once keep every limit exactly; a room
opened through one store object is seen, with its marks and its teacher's changes, through
another on the same file (as two replicas); pictures are raw float32 bytes; a file that is not
a room store is refused with a clear message, which the class wall page shows; AE_ROOMS_DB
picks the store."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from pagekit import (  # noqa: F401 (own_tab_store, small_data: fixtures, found by name)
    assert_ok,
    open_page,
    own_tab_store,
    small_data,
    texts,
)

from ae.rooms import (
    Limits,
    RoomError,
    RoomStore,
    SqliteRoomStore,
    StoreError,
    make_store,
)
from ae.rooms import sqlite_store as sq

T0 = 1_700_000_000.0
STUDENTS, TRIES = 12, 6  # per process; students 6..11 of one are 0..5 of the other


def digit(v: float = 1.0) -> np.ndarray:
    img = np.zeros((28, 28), np.float32)
    img[6:22, 12:16] = v
    return img


def _sender(path: str, code: str, first: int, limits: Limits, start, out) -> None:
    """One replica's students (a process of its own) send TRIES digits each, all at once."""
    import threading

    store = SqliteRoomStore(path, limits)
    got: list[tuple[str, int | str]] = []
    lock = threading.Lock()

    def student(i: int) -> None:
        for k in range(TRIES):
            try:
                m = store.add(code, f"s{i}", digit(0.2 + k / 10), (i + k) % 10, now=T0 + 1)
                r: int | str = m.id
            except RoomError as e:
                r = e.reason
            with lock:
                got.append((f"s{i}", r))

    start.wait(60)  # both processes begin together
    threads = [threading.Thread(target=student, args=(first + i,)) for i in range(STUDENTS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    out.put(got)


def test_two_processes_sending_at_once_keep_the_limits_exactly(tmp_path):
    path = str(tmp_path / "rooms.db")
    limits = Limits(per_student=3, max_marks=40, max_rooms=5, ttl_s=3600.0)
    code = SqliteRoomStore(path, limits).open(T0).code
    ctx = mp.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_sender, args=(path, code, first, limits, start, out))
             for first in (0, STUDENTS // 2)]  # 18 students, 6 of them in both processes
    for p in procs:
        p.start()
    results = [r for _ in procs for r in out.get(timeout=300)]
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    ids = sorted(r for _, r in results if isinstance(r, int))
    assert ids == list(range(1, 41))  # exactly max_marks, every id once
    refused = [r for _, r in results if not isinstance(r, int)]
    assert len(refused) == 2 * STUDENTS * TRIES - 40
    assert set(refused) == {"student_full", "full"}
    per_student: dict[str, int] = {}
    for who, r in results:
        per_student[who] = per_student.get(who, 0) + isinstance(r, int)
    assert max(per_student.values()) == 3  # no student above the limit, even across processes
    room = SqliteRoomStore(path, limits).get(code, now=T0 + 2)
    assert [m.id for m in room.marks] == ids and room.version == 40
    reader = SqliteRoomStore(path, limits)
    assert sum(reader.sent(code, f"s{i}", now=T0 + 2) for i in range(18)) == 40


def test_a_room_opened_through_one_store_is_seen_through_another(tmp_path):
    path = tmp_path / "rooms.db"
    limits = Limits(per_student=2, max_marks=5, max_rooms=2, ttl_s=100.0)
    a, b = SqliteRoomStore(path, limits), SqliteRoomStore(path, limits)  # two replicas
    room = a.open(T0)
    m = b.add(room.code, "s", digit(0.5), 4, now=T0 + 1)
    seen = a.watch(room.code, room.key, now=T0 + 2)  # the teacher's wall, on replica a
    assert [(x.id, x.digit, x.at) for x in seen.marks] == [(1, 4, T0 + 1)]
    assert np.array_equal(seen.marks[0].image, m.image) and seen.version == 1
    b.add(room.code, "s", digit(), 5, now=T0 + 3)
    assert [x.digit for x in a.get(room.code, now=T0 + 3).marks] == [4, 5]  # not a stale copy
    assert reason(a.add, room.code, "s", digit(), 6, now=T0 + 3) == "student_full"
    assert b.remove(room.code, room.key, 1, now=T0 + 4)  # the key works on any replica
    assert [x.digit for x in a.get(room.code, now=T0 + 4).marks] == [5]
    a.open(T0 + 4)
    assert reason(b.open, T0 + 4) == "rooms_full"  # the limit is the file's, not a replica's
    b.close(room.code, room.key, now=T0 + 5)
    assert reason(a.get, room.code, now=T0 + 5) == "closed"
    assert a.open_rooms(now=T0 + 5) == b.open_rooms(now=T0 + 5) == 1
    other = a.open(T0 + 5)
    assert reason(b.get, other.code, now=T0 + 200) == "expired"  # expiry swept by either
    a._disconnect()
    assert reason(a.get, other.code, now=T0 + 201) == "expired"  # the memory is in the file


def reason(fn, *args, **kw) -> str:
    with pytest.raises(RoomError) as e:
        fn(*args, **kw)
    return e.value.reason


def test_the_file_is_wal_sqlite_and_pictures_are_raw_float32(tmp_path):
    path = tmp_path / "rooms.db"
    store = SqliteRoomStore(path)
    room = store.open(T0)
    img = digit(0.25)
    store.add(room.code, "s", img, 1, now=T0)
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        blob, = con.execute("SELECT image FROM ae_room_marks").fetchone()
        students = [r[0] for r in con.execute("SELECT student FROM ae_room_sent")]
    assert isinstance(blob, bytes) and blob == img.astype("<f4").tobytes()  # no pickle
    assert students == ["s"]  # a random token of the session: no name
    con.close()


@pytest.mark.parametrize("content, says", [
    (b"this is not a database at all, just some text" * 40, "file is not a database"),
    (b"SQLite format 3\x00" + bytes(range(256)) * 8, "SQLite:"),
])
def test_a_file_that_is_not_sqlite_is_refused_clearly(tmp_path, content, says):
    path = tmp_path / "rooms.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as e:
        SqliteRoomStore(path)
    msg = str(e.value)
    assert f"AE_ROOMS_DB={path}" in msg and says in msg and "point AE_ROOMS_DB" in msg
    assert path.read_bytes() == content  # nothing written over it


def test_another_programs_sqlite_file_and_a_missing_folder_are_refused(tmp_path):
    path = tmp_path / "theirs.db"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE pupils (name TEXT)")
    con.close()
    with pytest.raises(StoreError, match="another program.*pupils"):
        SqliteRoomStore(path)
    with pytest.raises(StoreError, match="cannot be used"):
        SqliteRoomStore(tmp_path / "no such folder" / "rooms.db")


def test_the_environment_picks_the_store(tmp_path):
    lim = Limits(per_student=1)
    assert type(make_store(lim, {})) is RoomStore  # the default: nothing to set up
    assert type(make_store(lim, {"AE_ROOMS_DB": "  "})) is RoomStore
    shared = make_store(lim, {"AE_ROOMS_DB": str(tmp_path / "r.db")})
    assert isinstance(shared, SqliteRoomStore) and shared.limits == lim
    assert shared.path == Path(tmp_path / "r.db") and (tmp_path / "r.db").exists()
    assert sq.SCHEMA == 1


@pytest.mark.usefixtures("small_data", "own_tab_store")
def test_the_page_sends_through_a_shared_file_and_shows_a_bad_one(tmp_path, monkeypatch):
    """Teacher and student on 'two replicas': Streamlit's cache emptied between them, so the
    student's page makes its own store on the file, and still finds the room."""
    monkeypatch.setenv("AE_ROOMS_DB", str(tmp_path / "rooms.db"))
    teacher = open_page("class_wall")
    teacher.button(key="cw_open").click()
    teacher = teacher.run()
    assert_ok(teacher)
    code = teacher.session_state["cw_room"][0]
    st.cache_resource.clear()  # another process: nothing in memory
    student = open_page("class_wall", query={"room": code})
    assert_ok(student)
    assert code in texts(student) and not student.error  # "Room CODE · you have sent 0 of 5"
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"not sqlite" * 100)
    monkeypatch.setenv("AE_ROOMS_DB", str(bad))
    st.cache_resource.clear()
    broken = open_page("class_wall")
    # what a teacher sees: the page's own words, the path and SQLite's reason, no exception
    assert not broken.exception and len(broken.error) == 1
    assert "rooms cannot be kept" in broken.error[0].value
    assert "AE_ROOMS_DB=" in broken.error[0].value
    assert "file is not a database" in broken.error[0].value
    student = open_page("class_wall", query={"room": code})  # a student is told the same
    assert not student.exception and "rooms cannot be kept" in student.error[0].value
