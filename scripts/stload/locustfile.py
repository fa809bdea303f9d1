"""A class as Locust users: each `Student` is one tab speaking Streamlit's own protocol
(`stload.client.StreamlitSession`), doing what a student does in a lesson; one `Teacher`
opens a class-wall room and watches it.

    locust -f scripts/stload/locustfile.py --headless -u 40 -r 4 -t 3m --host http://127.0.0.1:8501

(scripts/class_load.py runs this for you, in steps, and prints the table.)

A student opens pages (home, lesson, architecture, training, reconstructions, wall, own digit,
class wall, generation, cure), moves sliders, picks points on the wall, resamples; one in five
(AE_STLOAD_TRAIN_SHARE) starts a run with the book recipe on the training page when it arrives
(identical requests share one run on the server: ae/live/shared.py) and watches it a while.
Between two actions a student reads for AE_STLOAD_WAIT seconds ("2,6": uniform).

Every rerun is reported to Locust as a request of type "rerun" named "<page>" (opening it) or
"<page>:<action>", with its time (request sent -> its script_finished); an exception element
in the rerun is a failure. An exception drawn by a `run_every` fragment between two actions
is a failure named "auto-rerun"; a lost connection is a failure named "connection" (the
student then reloads). AE_STLOAD_OUT: a file that gets one JSON line per rerun (name,
seconds, ok, user), for exact percentiles (Locust's own are rounded).

gevent: Locust monkey-patches the standard library before this file is imported, so the
client's socket, threads and locks (websocket-client) are gevent's cooperative ones.
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
from pathlib import Path

from locust import User, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # scripts/, for `stload`

from stload.client import Rerun, StreamlitError, StreamlitSession  # noqa: E402

WAIT = tuple(float(x) for x in os.environ.get("AE_STLOAD_WAIT", "2,6").split(","))
TRAIN_SHARE = float(os.environ.get("AE_STLOAD_TRAIN_SHARE", "0.2"))
TEACHER = os.environ.get("AE_STLOAD_TEACHER", "1") == "1"
TIMEOUT_S = float(os.environ.get("AE_STLOAD_TIMEOUT_S", "300"))
WATCH_S = 10.0  # a student who started a run looks at it this long
# the generation page's parts as the control labels them (generation.part.* in English)
GENERATION_PARTS = ("① Any point of the wall", "② A walk between two digits")
ROOM = re.compile(r"(?:Room|房间) ([A-Z2-9]{8})\b")  # cw.h.room, the teacher's heading
room_code: list[str] = []  # the teacher's room, once open (users share this process)

_out = None


@events.test_start.add_listener
def _open_out(**_kw) -> None:
    global _out
    path = os.environ.get("AE_STLOAD_OUT")
    if path:
        _out = open(path, "a", buffering=1)  # noqa: SIM115 (closed at test_stop)


@events.test_stop.add_listener
def _close_out(**_kw) -> None:
    global _out
    if _out is not None:
        _out.close()
        _out = None


class Tab(User):
    """A user with one Streamlit tab; reports each rerun to Locust."""

    abstract = True
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        self.s: StreamlitSession | None = None
        self.seen_exceptions = 0
        self.reload()

    def on_stop(self) -> None:
        if self.s is not None:
            self.s.close()

    def reload(self) -> None:
        """A fresh tab (the same cookies: a balancer's sticky cookie keeps it on its replica)."""
        cookies = self.s.cookies if self.s is not None else None
        if self.s is not None:
            self.s.close()
        self.s = StreamlitSession(self.host, cookies=cookies, timeout_s=TIMEOUT_S)
        self.seen_exceptions = 0
        t0 = time.perf_counter()
        try:
            self.s.connect()
        except Exception as e:
            self.report("connect", "connect", time.perf_counter() - t0, 0, e)
            raise
        self.report("connect", "connect", time.perf_counter() - t0, 0, None)

    def report(self, kind: str, name: str, seconds: float, size: int,
               exc: BaseException | None) -> None:
        events.request.fire(request_type=kind, name=name, response_time=seconds * 1000,
                            response_length=size, exception=exc, context={})
        if _out is not None and kind == "rerun":
            _out.write(json.dumps({"name": name, "s": round(seconds, 4), "ok": exc is None,
                                   "user": id(self), "t": time.time(),
                                   "error": None if exc is None else str(exc)[:300]}) + "\n")

    def step(self, name: str, action) -> Rerun | None:
        """Run one rerun (`action()` returns the client's Rerun) and report it; then report
        any exception the page's auto-reruns drew since the last step."""
        t0 = time.perf_counter()
        try:
            r = action()
        except StreamlitError as e:
            self.report("rerun", name, time.perf_counter() - t0, 0, e)
            if self.s.error:  # the connection is gone: report it and reload
                self.report("connection", "connection", 0, 0, StreamlitError(self.s.error))
                self.reload()
            return None
        exc = None if r.ok else StreamlitError("; ".join(r.exceptions)[:500] or r.status)
        self.report("rerun", name, r.seconds, r.received_bytes, exc)
        own = len(r.exceptions)
        extra = self.s.exceptions[self.seen_exceptions:]
        self.seen_exceptions = len(self.s.exceptions)
        if len(extra) > own:  # drawn by a fragment's auto-rerun, not by this rerun
            self.report("rerun", "auto-rerun", 0, 0, StreamlitError("; ".join(extra)[:500]))
        return r

    def open(self, page: str, query: str | None = None) -> Rerun | None:
        return self.step(page or "home", lambda: self.s.open(page, query))

    def on_page(self, page: str) -> bool:
        """Open `page` unless it is on screen; True when it is there without an error."""
        if self.s.page_hash and self.s.pages.get(page) == self.s.page_hash:
            return True
        r = self.open(page)
        return r is not None and r.ok


class Student(Tab):
    """A student in a lesson: reads pages, moves sliders, picks points; some train."""

    weight = 10

    def on_start(self) -> None:
        super().on_start()
        self.open("")
        if random.random() < TRAIN_SHARE:
            self.train()

    def train(self) -> None:
        """The book recipe (the training page's defaults), Start, and watch it a while."""
        if self.on_page("training") and self.s.has_widget("t_start"):
            self.step("training:start", lambda: self.s.click("t_start"))
            time.sleep(WATCH_S)  # the live fragments rerun meanwhile

    def act(self, page: str, action: str, fn) -> None:
        if self.on_page(page):
            self.step(f"{page}:{action}", fn)

    @task(2)
    def home(self) -> None:
        self.open("")

    @task(2)
    def lesson(self) -> None:
        self.open("lesson")

    @task(1)
    def architecture(self) -> None:
        if self.on_page("architecture") and self.s.has_widget("arch_layer"):
            options = list(self.s.widget("arch_layer").proto.options)
            self.act("architecture", "layer",
                     lambda: self.s.set_widget("arch_layer", random.choice(options)))

    @task(1)
    def training(self) -> None:
        self.open("training")

    @task(2)
    def reconstructions(self) -> None:
        self.act("reconstructions", "resample", lambda: self.s.click("r_resample"))

    @task(4)
    def wall_slide(self) -> None:
        self.act("wall", "slide", lambda: self.s.slide(random.choice(["w_px", "w_py"]),
                                                       random.random()))

    @task(4)
    def wall_pick(self) -> None:
        if self.on_page("wall") and self.s.has_widget("w_wall"):
            points = self.s.chart_points("w_wall", "digit:")
            if points:
                self.act("wall", "pick", lambda: self.s.pick("w_wall", [random.choice(points)]))

    @task(3)
    def generation(self) -> None:
        """Slide in the part shown (a point's x, y; a walk's steps); now and then the other."""
        if not self.on_page("generation"):
            return
        walk = self.s.has_widget("g_k")
        key = "g_k" if walk else random.choice(["g_x:", "g_y:"])
        if self.s.has_widget(key):
            self.act("generation", "slide", lambda: self.s.slide(key, random.random()))
        if random.random() < 0.3 and self.s.has_widget("g_part:"):
            other = GENERATION_PARTS[0 if walk else 1]
            self.act("generation", "part", lambda: self.s.set_widget("g_part:", other))

    @task(1)
    def own_digit(self) -> None:
        self.open("own_digit")

    @task(1)
    def class_wall(self) -> None:
        """The teacher's room link, as a student's tab (without a room: the teacher's page)."""
        if not room_code:
            return
        back = self.s.query
        self.open("class_wall", f"room={room_code[0]}")
        self.s.query = back  # the next page as from the student's own tab

    @task(1)
    def cure(self) -> None:
        self.open("cure")


class Teacher(Tab):
    """The teacher: opens a class-wall room and keeps its live wall on screen (a fragment that
    reruns every 2 s); now and then reloads it."""

    fixed_count = 1  # one in the class; Locust's -u counts the teacher as one user

    def on_start(self) -> None:
        super().on_start()
        self.open("")
        if self.on_page("class_wall") and self.s.has_widget("cw_open"):
            r = self.step("class_wall:open", lambda: self.s.click("cw_open"))
            for el in (r.elements if r else []):
                if el.WhichOneof("type") == "heading" and (m := ROOM.search(el.heading.body)):
                    room_code[:] = [m.group(1)]

    @task
    def watch(self) -> None:
        time.sleep(20)  # the live wall reruns on its own meanwhile
        self.step("class_wall:rerun", self.s.rerun)  # as the app menu's Rerun


if not TEACHER:  # AE_STLOAD_TEACHER=0: students only
    del Teacher
