"""The class wall's rooms: a teacher opens one, students send digits into it, the teacher's
wall shows them. One `RoomStore` per server, in memory, shared by every session.

What a room holds is all that is shared: for each mark an id, the 28 x 28 picture, the digit
its student said and when it came. No names, nothing of a student's session (its models, runs,
uploads); the random token a student's page sends with each digit only counts that student's
marks against the per-student limit and is never shown. Every room is bounded (marks per
student, marks per room, rooms per server) and goes away by itself when idle for a while, so
a forgotten room neither grows nor stays. A refusal is a `RoomError` whose `reason` (a key of
MESSAGES) a page looks up in its own texts, as `ae.data.digit_image` does.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import numpy as np

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or off a projector
CODE_LEN = 8  # 31**8 ~ 8.5e11 codes: a room cannot be found by trying codes
SIDE = 28  # the picture's side (MNIST's)
FORGET_GONE = 1000  # how many closed or expired codes are remembered, to say so

MESSAGES = {
    "unknown": "there is no room {code}: check the code or ask your teacher for the link",
    "closed": "room {code} is closed",
    "expired": "room {code} has expired (nothing happened in it for a while)",
    "full": "room {code} is full ({limit} digits)",
    "student_full": "you have sent {limit} digits to this room, the most one student may send",
    "bad_image": "the picture is not a 28 x 28 digit ({why})",
    "bad_digit": "the digit must be a whole number from 0 to 9, not {digit}",
    "rooms_full": "the server already has {limit} rooms open; close one first",
    "not_teacher": "only the teacher who opened room {code} may change it",
}


class RoomError(ValueError):
    """A room refused: `reason` (a key of MESSAGES) and `params` for a page's own texts."""

    def __init__(self, reason: str, **params):
        super().__init__(MESSAGES[reason].format(**params))
        self.reason, self.params = reason, params


def _env_int(name: str, default: int) -> int:
    raw = (os.environ.get(name) or "").strip()
    return int(raw) if re.fullmatch(r"[0-9]{1,9}", raw) and int(raw) >= 1 else default


@dataclass(frozen=True)
class Limits:
    per_student: int = 5      # marks one student may send to a room
    max_marks: int = 200      # marks in a room (a class of 40 sending 5 each)
    max_rooms: int = 50       # rooms open at once on one server
    ttl_s: float = 3 * 3600   # a room idle this long is gone (a lesson's length, with margin)

    @classmethod
    def from_env(cls) -> Limits:
        """AE_ROOM_PER_STUDENT, AE_ROOM_MAX_MARKS, AE_MAX_ROOMS, AE_ROOM_TTL_S (whole numbers
        >= 1; anything else keeps the default)."""
        d = cls()
        return cls(_env_int("AE_ROOM_PER_STUDENT", d.per_student),
                   _env_int("AE_ROOM_MAX_MARKS", d.max_marks),
                   _env_int("AE_MAX_ROOMS", d.max_rooms),
                   float(_env_int("AE_ROOM_TTL_S", int(d.ttl_s))))


@dataclass(frozen=True)
class Mark:
    """One student's digit on the wall: all that is shared of it."""

    id: int            # from 1 in each room, never reused
    image: np.ndarray  # (28, 28) float32 in [0, 1], white ink on black (read-only)
    digit: int         # what the student says it is
    at: float          # when it came (seconds since the epoch)


@dataclass(frozen=True)
class Room:
    """A room as one moment saw it (a copy: the store's room goes on changing).

    `key` is the teacher's secret: only `open` hands it out; every other snapshot has None."""

    code: str
    key: str | None
    opened: float
    touched: float              # last activity; idle for Limits.ttl_s after it, the room is gone
    marks: tuple[Mark, ...]
    version: int                # +1 on every change of the marks: a page redraws when it moves


@dataclass
class _Live:
    code: str
    key: str
    opened: float
    touched: float
    marks: list[Mark] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)  # student token -> marks sent
    next_id: int = 1
    version: int = 0

    def snapshot(self, with_key: bool = False) -> Room:
        return Room(self.code, self.key if with_key else None, self.opened, self.touched,
                    tuple(self.marks), self.version)


def _now() -> float:
    return time.time()


def normalise(code: str | None) -> str | None:
    """A code as typed or read ("abcd-efgh ", lower case) -> "ABCDEFGH", or None when it
    cannot be a room's code."""
    if code is None:
        return None
    c = re.sub(r"[\s-]", "", str(code)).upper()
    return c if len(c) == CODE_LEN and all(ch in ALPHABET for ch in c) else None


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LEN))


def check_image(image: object) -> np.ndarray:
    """A student's picture as the wall keeps it: (28, 28) float32 in [0, 1] with some ink,
    read-only; RoomError("bad_image") otherwise (a page sends prepared digits only, but the
    store is the last line)."""
    try:
        a = np.array(image, dtype=np.float32)
    except (TypeError, ValueError):
        raise RoomError("bad_image", why="not numbers") from None
    if a.shape != (SIDE, SIDE):
        raise RoomError("bad_image", why=f"shape {a.shape}")
    if not np.isfinite(a).all() or a.min() < 0 or a.max() > 1:
        raise RoomError("bad_image", why="values outside 0..1")
    if a.max() == 0:
        raise RoomError("bad_image", why="no ink")
    a.setflags(write=False)
    return a


def check_digit(digit: object) -> int:
    """The digit a student said, as an int 0..9; RoomError("bad_digit") otherwise."""
    if isinstance(digit, bool) or not isinstance(digit, (int, np.integer)) \
            or not 0 <= int(digit) <= 9:
        raise RoomError("bad_digit", digit=repr(digit)[:20])
    return int(digit)


class RoomStore:
    """Every room of the server, behind one lock (students send from many threads at once).

    Times are passed in (`now`, seconds) so tests need no clock; each call first forgets the
    rooms idle for longer than `limits.ttl_s` (lazily: no thread of its own)."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self._lock = threading.Lock()
        self._rooms: dict[str, _Live] = {}
        self._gone: OrderedDict[str, tuple[str, float]] = OrderedDict()  # code -> (why, when)

    # -- the teacher ------------------------------------------------------------------------
    def open(self, now: float | None = None) -> Room:
        """A new room with a fresh code; the snapshot carries its teacher key."""
        now = _now() if now is None else now
        with self._lock:
            self._sweep(now)
            if len(self._rooms) >= self.limits.max_rooms:
                raise RoomError("rooms_full", limit=self.limits.max_rooms)
            code = new_code()
            while code in self._rooms or code in self._gone:
                code = new_code()
            room = _Live(code, secrets.token_urlsafe(24), now, now)
            self._rooms[code] = room
            return room.snapshot(with_key=True)

    def remove(self, code: str, teacher_key: str, mark_id: int, now: float | None = None) -> bool:
        """Take mark `mark_id` off the wall; False when it is not there (already removed)."""
        with self._lock:
            room = self._teacher(code, teacher_key, now)
            kept = [m for m in room.marks if m.id != mark_id]
            if len(kept) == len(room.marks):
                return False
            room.marks, room.version = kept, room.version + 1
            return True

    def clear(self, code: str, teacher_key: str, now: float | None = None) -> None:
        """Take every mark off the wall; every student may send their full share again."""
        with self._lock:
            room = self._teacher(code, teacher_key, now)
            room.marks, room.sent, room.version = [], {}, room.version + 1

    def close(self, code: str, teacher_key: str, now: float | None = None) -> None:
        """Close the room: its marks are dropped now; students are told it is closed."""
        now = _now() if now is None else now
        with self._lock:
            self._teacher(code, teacher_key, now)
            self._forget(code, "closed", now)

    def watch(self, code: str, teacher_key: str, now: float | None = None) -> Room:
        """The room as the teacher's wall shows it; a teacher watching keeps it alive."""
        with self._lock:
            return self._teacher(code, teacher_key, now).snapshot()

    # -- the students -----------------------------------------------------------------------
    def get(self, code: str, now: float | None = None) -> Room:
        """The room (without its key), or RoomError unknown / closed / expired."""
        with self._lock:
            return self._live(code, now).snapshot()

    def sent(self, code: str, student: str, now: float | None = None) -> int:
        """How many marks this student has sent to the room (since it was last cleared)."""
        with self._lock:
            return self._live(code, now).sent.get(student, 0)

    def add(self, code: str, student: str, image: object, digit: object,
            now: float | None = None) -> Mark:
        """Put a student's digit on the wall, within the limits; RoomError otherwise."""
        now = _now() if now is None else now
        picture = check_image(image)  # outside the lock: it copies and checks 784 numbers
        digit = check_digit(digit)
        with self._lock:
            room = self._live(code, now)
            if len(room.marks) >= self.limits.max_marks:
                raise RoomError("full", code=code, limit=self.limits.max_marks)
            if room.sent.get(student, 0) >= self.limits.per_student:
                raise RoomError("student_full", limit=self.limits.per_student)
            mark = Mark(room.next_id, picture, digit, now)
            room.marks.append(mark)
            room.sent[student] = room.sent.get(student, 0) + 1
            room.next_id, room.version, room.touched = room.next_id + 1, room.version + 1, now
            return mark

    def open_rooms(self, now: float | None = None) -> int:
        with self._lock:
            self._sweep(_now() if now is None else now)
            return len(self._rooms)

    # -- inside the lock ----------------------------------------------------------------------
    def _live(self, code: str, now: float | None) -> _Live:
        now = _now() if now is None else now
        self._sweep(now)
        c = normalise(code)
        if c is not None and c in self._rooms:
            return self._rooms[c]
        if c is not None and c in self._gone:
            raise RoomError(self._gone[c][0], code=c)
        raise RoomError("unknown", code=str(code)[:CODE_LEN + 4])

    def _teacher(self, code: str, teacher_key: str, now: float | None) -> _Live:
        now = _now() if now is None else now
        room = self._live(code, now)
        if not secrets.compare_digest(str(teacher_key).encode(), room.key.encode()):
            raise RoomError("not_teacher", code=room.code)
        room.touched = now
        return room

    def _forget(self, code: str, why: str, now: float) -> None:
        del self._rooms[code]
        self._gone[code] = (why, now)
        while len(self._gone) > FORGET_GONE:
            self._gone.popitem(last=False)

    def _sweep(self, now: float) -> None:
        ttl = self.limits.ttl_s
        for code in [c for c, r in self._rooms.items() if now - r.touched > ttl]:
            self._forget(code, "expired", now)
        while self._gone and now - next(iter(self._gone.values()))[1] > ttl:
            self._gone.popitem(last=False)  # told for a while, then an unknown code again

