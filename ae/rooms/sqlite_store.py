"""The class wall's rooms in one SQLite file, shared by every replica of the app on a machine.

Why: `RoomStore` keeps the rooms in one process's memory, so behind a load balancer a student
whose tab landed on another replica than the teacher's would find no room. `SqliteRoomStore`
has RoomStore's methods and meaning exactly (codes, teacher keys, limits, expiry, the memory of
closed and expired codes, versions) over a file that several processes open at once: WAL mode
(readers never wait for the writer), every call one `BEGIN IMMEDIATE` transaction (the limits
are counted and enforced under SQLite's one write lock, across processes) and a busy timeout
(a call waits for another replica's write instead of failing). Inside a process, one
connection behind a lock, as RoomStore's. A picture is its 784 float32 numbers as raw bytes
(little-endian), read back with `np.frombuffer`: nothing is ever unpickled.

One machine only: SQLite's locks need a local disk, not a network share. Several machines
would share a Redis (see deploy/README.md).
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from ae.rooms import store as memory
from ae.rooms.store import (
    CODE_LEN,
    FORGET_GONE,
    SIDE,
    Limits,
    Mark,
    Room,
    RoomError,
    check_digit,
    check_image,
    new_code,
    normalise,
)

APP, SCHEMA = "ae-rooms", 1  # what the file says it is (ae_rooms_meta), to refuse a stranger's
BUSY_S = 15.0  # how long a call waits for another replica's write before failing
PICTURE = np.dtype("<f4")
PICTURE_BYTES = SIDE * SIDE * PICTURE.itemsize

_TABLES = """
CREATE TABLE ae_rooms_meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE ae_rooms (
    code TEXT PRIMARY KEY, key TEXT NOT NULL, opened REAL NOT NULL, touched REAL NOT NULL,
    next_id INTEGER NOT NULL, version INTEGER NOT NULL);
CREATE INDEX ae_rooms_touched ON ae_rooms (touched);
CREATE TABLE ae_room_marks (
    code TEXT NOT NULL, id INTEGER NOT NULL, image BLOB NOT NULL, digit INTEGER NOT NULL,
    at REAL NOT NULL, PRIMARY KEY (code, id));
CREATE TABLE ae_room_sent (
    code TEXT NOT NULL, student TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (code, student));
CREATE TABLE ae_rooms_gone (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL UNIQUE, why TEXT NOT NULL,
    at REAL NOT NULL);
"""


class StoreError(RuntimeError):
    """The room store's file cannot be used (not SQLite, damaged, another program's, cannot be
    opened): what an administrator reads, with the path and SQLite's own words."""


def _picture(blob: bytes) -> np.ndarray:
    if len(blob) != PICTURE_BYTES:
        raise StoreError(f"a stored picture has {len(blob)} bytes, not {PICTURE_BYTES}")
    a = np.frombuffer(blob, dtype=PICTURE).astype(np.float32, copy=False).reshape(SIDE, SIDE)
    a.setflags(write=False)  # as RoomStore's (frombuffer's is already; a big-endian copy not)
    return a


class SqliteRoomStore:
    """Every room of every replica, in the SQLite file at `path` (created when missing).

    Same methods, arguments, results and refusals as `RoomStore`; `now` (seconds) is passed in
    by tests, else the clock. The limits are this object's (every replica should be started
    with the same AE_ROOM_* settings); `max_rooms` counts the rooms of the whole file."""

    def __init__(self, path: str | os.PathLike, limits: Limits | None = None):
        self.path = Path(path)
        self.limits = limits or Limits()
        self._lock = threading.Lock()
        self._con: sqlite3.Connection | None = None
        self._pid = -1
        self._marks: dict[str, tuple[int, tuple[Mark, ...]]] = {}  # key -> (version, marks)
        with self._lock:
            self._connect()

    # -- the teacher ------------------------------------------------------------------------
    def open(self, now: float | None = None) -> Room:
        """A new room with a fresh code; the snapshot carries its teacher key."""
        now = _now() if now is None else now
        with self._tx(now) as db:
            n = db.execute("SELECT COUNT(*) FROM ae_rooms").fetchone()[0]
            if n >= self.limits.max_rooms:
                raise RoomError("rooms_full", limit=self.limits.max_rooms)
            code = new_code()
            while db.execute("SELECT 1 FROM ae_rooms WHERE code = ? UNION ALL "
                             "SELECT 1 FROM ae_rooms_gone WHERE code = ?",
                             (code, code)).fetchone():
                code = new_code()
            key = secrets.token_urlsafe(24)
            db.execute("INSERT INTO ae_rooms VALUES (?, ?, ?, ?, 1, 0)", (code, key, now, now))
            return Room(code, key, now, now, (), 0)

    def remove(self, code: str, teacher_key: str, mark_id: int, now: float | None = None) -> bool:
        """Take mark `mark_id` off the wall; False when it is not there (already removed)."""
        now = _now() if now is None else now
        with self._tx(now) as db:
            c = self._teacher(db, code, teacher_key, now)[0]
            if db.execute("DELETE FROM ae_room_marks WHERE code = ? AND id = ?",
                          (c, int(mark_id))).rowcount == 0:
                return False
            db.execute("UPDATE ae_rooms SET version = version + 1 WHERE code = ?", (c,))
            return True

    def clear(self, code: str, teacher_key: str, now: float | None = None) -> None:
        """Take every mark off the wall; every student may send their full share again."""
        now = _now() if now is None else now
        with self._tx(now) as db:
            c = self._teacher(db, code, teacher_key, now)[0]
            db.execute("DELETE FROM ae_room_marks WHERE code = ?", (c,))
            db.execute("DELETE FROM ae_room_sent WHERE code = ?", (c,))
            db.execute("UPDATE ae_rooms SET version = version + 1 WHERE code = ?", (c,))

    def close(self, code: str, teacher_key: str, now: float | None = None) -> None:
        """Close the room: its marks are dropped now; students are told it is closed."""
        now = _now() if now is None else now
        with self._tx(now) as db:
            c = self._teacher(db, code, teacher_key, now)[0]
            self._forget(db, c, "closed", now)

    def watch(self, code: str, teacher_key: str, now: float | None = None) -> Room:
        """The room as the teacher's wall shows it; a teacher watching keeps it alive."""
        now = _now() if now is None else now
        with self._tx(now) as db:
            return self._snapshot(db, self._teacher(db, code, teacher_key, now))

    # -- the students -----------------------------------------------------------------------
    def get(self, code: str, now: float | None = None) -> Room:
        """The room (without its key), or RoomError unknown / closed / expired."""
        now = _now() if now is None else now
        with self._tx(now) as db:
            return self._snapshot(db, self._live(db, code))

    def sent(self, code: str, student: str, now: float | None = None) -> int:
        """How many marks this student has sent to the room (since it was last cleared)."""
        now = _now() if now is None else now
        with self._tx(now) as db:
            c = self._live(db, code)[0]
            return _sent(db, c, student)

    def add(self, code: str, student: str, image: object, digit: object,
            now: float | None = None) -> Mark:
        """Put a student's digit on the wall, within the limits; RoomError otherwise."""
        now = _now() if now is None else now
        picture = check_image(image)  # outside the transaction: it copies and checks 784 numbers
        digit = check_digit(digit)
        blob = picture.astype(PICTURE, copy=False).tobytes()
        with self._tx(now) as db:
            c, _, _, _, next_id, _ = self._live(db, code)
            n = db.execute("SELECT COUNT(*) FROM ae_room_marks WHERE code = ?", (c,)).fetchone()[0]
            if n >= self.limits.max_marks:
                raise RoomError("full", code=code, limit=self.limits.max_marks)
            if _sent(db, c, student) >= self.limits.per_student:
                raise RoomError("student_full", limit=self.limits.per_student)
            db.execute("INSERT INTO ae_room_marks VALUES (?, ?, ?, ?, ?)",
                       (c, next_id, blob, digit, now))
            db.execute("INSERT INTO ae_room_sent VALUES (?, ?, 1) ON CONFLICT (code, student) "
                       "DO UPDATE SET n = n + 1", (c, str(student)))
            db.execute("UPDATE ae_rooms SET next_id = next_id + 1, version = version + 1, "
                       "touched = ? WHERE code = ?", (now, c))
            return Mark(next_id, picture, digit, now)

    def open_rooms(self, now: float | None = None) -> int:
        with self._tx(_now() if now is None else now) as db:
            return db.execute("SELECT COUNT(*) FROM ae_rooms").fetchone()[0]

    # -- inside a transaction -------------------------------------------------------------------
    def _live(self, db: sqlite3.Connection, code: str) -> tuple:
        """The room's row (code, key, opened, touched, next_id, version), or why not."""
        c = normalise(code)
        if c is not None:
            row = db.execute("SELECT code, key, opened, touched, next_id, version FROM ae_rooms "
                             "WHERE code = ?", (c,)).fetchone()
            if row is not None:
                return row
            gone = db.execute("SELECT why FROM ae_rooms_gone WHERE code = ?", (c,)).fetchone()
            if gone is not None:
                raise RoomError(gone[0], code=c)
        raise RoomError("unknown", code=str(code)[:CODE_LEN + 4])

    def _teacher(self, db: sqlite3.Connection, code: str, teacher_key: str, now: float) -> tuple:
        row = self._live(db, code)
        if not secrets.compare_digest(str(teacher_key).encode(), row[1].encode()):
            raise RoomError("not_teacher", code=row[0])
        db.execute("UPDATE ae_rooms SET touched = ? WHERE code = ?", (now, row[0]))
        return (row[0], row[1], row[2], now, row[4], row[5])

    def _snapshot(self, db: sqlite3.Connection, row: tuple) -> Room:
        """The room without its key; its marks decoded once per version (a teacher's wall and
        every student's page ask for the same room again and again)."""
        code, key, opened, touched, _, version = row
        kept = self._marks.get(key)
        if kept is None or kept[0] != version:
            marks = tuple(Mark(i, _picture(blob), d, at) for i, blob, d, at in db.execute(
                "SELECT id, image, digit, at FROM ae_room_marks WHERE code = ? ORDER BY id",
                (code,)))
            kept = self._marks[key] = (version, marks)
        return Room(code, None, opened, touched, kept[1], version)

    def _forget(self, db: sqlite3.Connection, code: str, why: str, now: float) -> None:
        for table in ("ae_rooms", "ae_room_marks", "ae_room_sent"):
            db.execute(f"DELETE FROM {table} WHERE code = ?", (code,))  # fixed names
        db.execute("INSERT OR REPLACE INTO ae_rooms_gone (code, why, at) VALUES (?, ?, ?)",
                   (code, why, now))
        db.execute("DELETE FROM ae_rooms_gone WHERE seq <= "
                   "(SELECT MAX(seq) FROM ae_rooms_gone) - ?", (FORGET_GONE,))

    def _sweep(self, db: sqlite3.Connection, now: float) -> None:
        ttl = self.limits.ttl_s
        # `? - touched > ?`: RoomStore's arithmetic (now - touched > ttl), to the last bit
        for (code,) in db.execute("SELECT code FROM ae_rooms WHERE ? - touched > ?",
                                  (now, ttl)).fetchall():
            self._forget(db, code, "expired", now)
        db.execute("DELETE FROM ae_rooms_gone WHERE ? - at > ?", (now, ttl))
        if len(self._marks) > 2 * self.limits.max_rooms:  # decoded marks of rooms long gone
            self._marks.clear()

    @contextmanager
    def _tx(self, now: float) -> Iterator[sqlite3.Connection]:
        """One call = one write transaction (SQLite's write lock, held across processes),
        after forgetting the rooms idle for longer than `limits.ttl_s`."""
        with self._lock:
            db = self._connect()
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as e:
                raise self._unusable(e) from e
            try:
                self._sweep(db, now)
                yield db
                db.execute("COMMIT")
            except BaseException as e:
                try:
                    db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass  # SQLite rolled back by itself
                if isinstance(e, sqlite3.Error):
                    raise self._unusable(e) from e
                raise

    # -- the file ------------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        """This process's connection (a forked child opens its own), the file checked and its
        tables made on first use."""
        if self._con is not None and self._pid == os.getpid():
            return self._con
        self._marks.clear()
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_S, isolation_level=None,
                                  check_same_thread=False)
        except sqlite3.Error as e:
            raise self._unusable(e) from e
        try:
            mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise StoreError(f"AE_ROOMS_DB={self.path}: SQLite would not use WAL mode "
                                 f"(it said {mode!r}); put the file on a local disk")
            con.execute("PRAGMA synchronous = NORMAL")  # WAL: safe, no fsync per call
            con.execute("BEGIN IMMEDIATE")
            try:
                self._check_or_create(con)
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        except sqlite3.Error as e:
            con.close()
            raise self._unusable(e) from e
        except StoreError:
            con.close()
            raise
        self._con, self._pid = con, os.getpid()
        return con

    def _check_or_create(self, con: sqlite3.Connection) -> None:
        tables = {r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        if not tables:
            for statement in _TABLES.split(";"):
                if statement.strip():
                    con.execute(statement)
            con.executemany("INSERT INTO ae_rooms_meta VALUES (?, ?)",
                            [("app", APP), ("schema", str(SCHEMA))])
            return
        meta = dict(con.execute("SELECT k, v FROM ae_rooms_meta").fetchall()) \
            if "ae_rooms_meta" in tables else {}
        if meta.get("app") != APP:
            raise StoreError(f"AE_ROOMS_DB={self.path} is an SQLite file of another program "
                             f"(tables {', '.join(sorted(tables)[:5])}), not the class wall's "
                             "rooms: point AE_ROOMS_DB at a new file")
        if meta.get("schema") != str(SCHEMA):
            raise StoreError(f"AE_ROOMS_DB={self.path} holds rooms of schema "
                             f"{meta.get('schema')}, this app writes schema {SCHEMA}: move "
                             "the file away (rooms last a lesson) and restart")

    def _unusable(self, e: sqlite3.Error) -> StoreError:
        if "locked" in str(e) or "busy" in str(e):
            return StoreError(f"AE_ROOMS_DB={self.path} stayed locked for {BUSY_S:.0f} s by "
                              f"another process (SQLite: {e}); is the disk very slow?")
        return StoreError(f"AE_ROOMS_DB={self.path} cannot be used as the class wall's room "
                          f"store (SQLite: {e}); move the file away or point AE_ROOMS_DB at a "
                          "new file on a local disk, then restart the app")

    def _disconnect(self) -> None:
        """Close this process's connection (tests; the next call opens it again)."""
        with self._lock:
            if self._con is not None:
                self._con.close()
            self._con = None


def _sent(db: sqlite3.Connection, code: str, student: str) -> int:
    row = db.execute("SELECT n FROM ae_room_sent WHERE code = ? AND student = ?",
                     (code, str(student))).fetchone()
    return 0 if row is None else row[0]


def _now() -> float:
    return memory._now()  # one clock for both stores (a test that moves it moves both)
