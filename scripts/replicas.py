"""Two replicas of the dashboard behind HAProxy, on loopback, and the checks that a class
needs of them.

Why: one server carries one class; more servers carry more, but a Streamlit session lives in
one replica's memory (its runs, models, the tab's reload token) and its WebSocket must stay
there, while the class wall's rooms must be seen from every replica. This script starts
N `streamlit run dashboard.py` replicas (each its own port, all with one AE_ROOMS_DB in a
temporary folder; AE_DATA_DIR passed through) and Debian's HAProxy with deploy/haproxy.cfg
in front, waits until HAProxy sees every replica healthy, and checks through the balancer:

(a) spread: fresh clients (no cookie) land on every replica (the X-AE-Replica header and
    HAProxy's own per-server session counts from its stats CSV agree);
(b) stickiness: a client that keeps its cookie and reloads (a new GET and a new WebSocket
    upgrade on /_stcore/stream, with the page's Origin) lands on the same replica every time;
    the WebSocket is accepted through the proxy with Streamlit's CORS and XSRF protection on,
    and a foreign Origin is still refused;
(c) in Chromium (Debian's, via Playwright): a teacher pinned to replica 1 opens a class-wall
    room; a student pinned to replica 2 finds it, uploads a digit and sends it (an upload:
    Streamlit's XSRF check through the proxy); the digit reaches the teacher's wall on
    replica 1 (the shared store); the teacher's reload on replica 1 keeps the room, while the
    same tab opened on replica 2 starts clean (sessions are not shared).

    .venv/bin/python scripts/replicas.py                     # the checks (a few minutes)
    .venv/bin/python scripts/replicas.py --no-browser        # (a) and (b) only
    .venv/bin/python scripts/replicas.py --run "CMD {url}"   # then CMD through the balancer
    .venv/bin/python scripts/replicas.py --serve             # start, print the URL, wait

It prints PASS/FAIL lines and exits 1 on a failure (2 when HAProxy is missing). With --run the
replicas stay up while CMD runs (its environment has AE_LB_URL; "{url}" in CMD is replaced),
then the sessions each replica received during it and each replica's memory are printed.
Another script can do the same: `with replicas(2) as lb: ... lb.url ...`.
"""

from __future__ import annotations

import argparse
import csv
import http.client
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import stapp  # noqa: E402  (tests/e2e: starting a server, the shared browser steps)

CONFIG = ROOT / "deploy" / "haproxy.cfg"
COOKIE = "AE_REPLICA"  # the cookie HAProxy inserts (deploy/haproxy.cfg)
HEADER = "X-AE-Replica"  # the replica that answered, set by HAProxy
SERVER_LINE = re.compile(r"^\s*server app\d+ .*$\n?", re.M)
PAGE_S = 300  # a page's first view on a busy 2-core machine


@dataclass
class Balanced:
    """The running set: HAProxy at `url`, its stats page, the replicas behind it."""

    url: str
    stats_url: str
    names: list[str]
    servers: list[stapp.Server]
    rooms_db: Path
    workdir: Path
    haproxy: subprocess.Popen
    log: Path
    requests: int = 0  # stapp.visit counts page loads here, as on a stapp.Server

    def stats(self) -> dict[str, dict[str, str]]:
        """HAProxy's per-server row of the backend (status, stot = sessions so far, ...)."""
        with urllib.request.urlopen(self.stats_url + ";csv", timeout=5) as r:
            text = r.read().decode()
        rows = csv.DictReader(io.StringIO(text.lstrip("# ")))
        return {r["svname"]: r for r in rows if r["pxname"] == "dashboard"
                and r["svname"] in self.names}

    def sessions(self) -> dict[str, int]:
        return {n: int(r["stot"] or 0) for n, r in self.stats().items()}

    def rss_mb(self) -> dict[str, float]:
        return {n: stapp.rss_mb(s.proc.pid) if s.proc else 0.0
                for n, s in zip(self.names, self.servers, strict=True)}


def config_text(n: int) -> str:
    """deploy/haproxy.cfg with one `server` line per replica (the file has two)."""
    text = CONFIG.read_text()
    lines = "".join(f'    server app{i} "${{AE_REPLICA_{i}}}" cookie app{i}\n'
                    for i in range(1, n + 1))
    first = SERVER_LINE.search(text)
    assert first, "deploy/haproxy.cfg has no `server app1` line"
    return text[:first.start()] + lines + SERVER_LINE.sub("", text[first.start():])


@contextmanager
def replicas(n: int = 2, data_dir: Path | None = None, env: Mapping[str, str] | None = None,
             say=print) -> Iterator[Balanced]:
    """N replicas and HAProxy on loopback until the block ends; every process stopped after.

    `data_dir` becomes each replica's AE_DATA_DIR (default: $AE_DATA_DIR, else the tests'
    choice); `env` is added to the replicas' environment (AE_ROOMS_DB is set here)."""
    haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
    if not Path(haproxy).exists():
        raise FileNotFoundError("haproxy is not installed (apt-get install haproxy)")
    work = Path(tempfile.mkdtemp(prefix="ae-replicas-"))
    rooms_db = work / "rooms.db"
    data = data_dir or (Path(os.environ["AE_DATA_DIR"]) if os.environ.get("AE_DATA_DIR")
                        else stapp.data_dir_for_tests(work / "data"))
    servers: list[stapp.Server] = []
    proc: subprocess.Popen | None = None
    try:
        for i in range(1, n + 1):
            srv = stapp.Server(data, work / f"replica{i}.log",
                               env={"AE_ROOMS_DB": str(rooms_db), **(env or {})})
            t0 = time.monotonic()
            servers.append(srv.start(timeout_s=PAGE_S))
            say(f"replica app{i}: {srv.url} (pid {srv.proc.pid}, healthy after "
                f"{time.monotonic() - t0:.1f} s)")
        lb_port, stats_port = stapp.free_port(), stapp.free_port()
        cfg = CONFIG if n == 2 else work / "haproxy.cfg"
        if n != 2:
            cfg.write_text(config_text(n))
        lb_env = {**os.environ, "AE_LB_BIND": f"127.0.0.1:{lb_port}",
                  "AE_LB_STATS": f"127.0.0.1:{stats_port}",
                  **{f"AE_REPLICA_{i}": f"127.0.0.1:{s.port}"
                     for i, s in enumerate(servers, start=1)}}
        log = work / "haproxy.log"
        with open(log, "wb") as out:
            proc = subprocess.Popen([haproxy, "-db", "-f", str(cfg)], env=lb_env, stdout=out,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                    start_new_session=True)
        lb = Balanced(f"http://127.0.0.1:{lb_port}", f"http://127.0.0.1:{stats_port}/stats",
                      [f"app{i}" for i in range(1, n + 1)], servers, rooms_db, work, proc, log)
        _wait_up(lb, 60)
        say(f"haproxy {_version(haproxy)}: {lb.url} -> {', '.join(s.url for s in servers)}; "
            f"stats {lb.stats_url}; rooms {rooms_db}")
        yield lb
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        for srv in servers:
            srv.stop()
        shutil.rmtree(work, ignore_errors=True)


def _version(haproxy: str) -> str:
    out = subprocess.run([haproxy, "-v"], capture_output=True, text=True).stdout
    return out.split()[2] if len(out.split()) > 2 else "?"


def _wait_up(lb: Balanced, timeout_s: float) -> None:
    """Until HAProxy's health checks (/_stcore/health) call every replica UP."""
    deadline, seen = time.monotonic() + timeout_s, {}
    while time.monotonic() < deadline:
        if lb.haproxy.poll() is not None:
            raise RuntimeError("haproxy exited:\n" + lb.log.read_text(errors="replace"))
        try:
            seen = {n: r["status"] for n, r in lb.stats().items()}
            if len(seen) == len(lb.names) and all(s.startswith("UP") for s in seen.values()):
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"HAProxy does not see every replica up: {seen}")


# -- plain HTTP and WebSocket clients ---------------------------------------------------------
@dataclass
class Answer:
    status: int
    replica: str | None  # the X-AE-Replica header
    cookie: str | None   # the AE_REPLICA cookie HAProxy set in this answer, if any
    headers: dict[str, str] = field(default_factory=dict)  # names in lower case


def _cookie_in(set_cookies: list[str]) -> str | None:
    for c in set_cookies:
        m = re.match(rf"\s*{COOKIE}=([^;]*)", c)
        if m:
            return m.group(1)
    return None


def get(lb: Balanced, path: str = "/", cookie: str | None = None) -> Answer:
    """One GET on a connection of its own (closed after: one HAProxy session per request)."""
    host, port = lb.url.split("//")[1].split(":")
    con = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        headers = {"Connection": "close"}
        if cookie:
            headers["Cookie"] = f"{COOKIE}={cookie}"
        con.request("GET", path, headers=headers)
        r = con.getresponse()
        r.read()
        return Answer(r.status, r.getheader(HEADER), _cookie_in(r.headers.get_all("Set-Cookie")
                                                                or []))
    finally:
        con.close()


def upgrade(lb: Balanced, cookie: str | None, origin: str | None) -> Answer:
    """The WebSocket upgrade a Streamlit page makes (/_stcore/stream, subprotocol
    "streamlit"), then a clean close; status 101 when accepted."""
    from websockets.exceptions import InvalidStatus
    from websockets.sync.client import connect

    headers = {"Cookie": f"{COOKIE}={cookie}"} if cookie else {}
    uri = lb.url.replace("http://", "ws://") + "/_stcore/stream"
    try:
        with connect(uri, origin=origin, subprotocols=["streamlit"], additional_headers=headers,
                     open_timeout=30) as ws:
            h = ws.response.headers
            return Answer(ws.response.status_code, h.get(HEADER),
                          _cookie_in(h.get_all("Set-Cookie")),
                          {k.lower(): v for k, v in h.raw_items()})
    except InvalidStatus as e:
        h = e.response.headers
        return Answer(e.response.status_code, h.get(HEADER), _cookie_in(h.get_all("Set-Cookie")))


# -- the checks -------------------------------------------------------------------------------
class Report:
    def __init__(self) -> None:
        self.failed = 0

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        self.failed += not ok
        print(f"{'PASS' if ok else 'FAIL'} {what}" + (f": {detail}" if detail else ""),
              flush=True)
        return ok


def check_spread(lb: Balanced, rep: Report, clients: int) -> None:
    """(a) fresh clients, no cookie: each GET / lands somewhere and is given that cookie."""
    before = lb.sessions()
    got = [get(lb) for _ in range(clients)]
    after = lb.sessions()
    where = Counter(a.replica for a in got)
    rep.check(all(a.status == 200 for a in got), "fresh clients are answered",
              f"statuses {sorted(Counter(a.status for a in got).items())}")
    rep.check(all(a.cookie == a.replica for a in got),
              f"each fresh client is given the {COOKIE} cookie of the replica that answered")
    rep.check(set(where) == set(lb.names) and min(where.values()) >= clients // (3 * len(
        lb.names)), f"{clients} fresh clients are spread over every replica",
        ", ".join(f"{n}: {where.get(n, 0)}" for n in lb.names))
    delta = {n: after[n] - before[n] for n in lb.names}
    rep.check(delta == {n: where.get(n, 0) for n in lb.names},
              "HAProxy's own session counts (stats CSV, stot) agree", str(delta))


def check_sticky(lb: Balanced, rep: Report, clients: int, reloads: int) -> None:
    """(b) a client keeps its cookie: every reload (GET + WebSocket upgrade) on its replica."""
    before = lb.sessions()
    expected: Counter[str] = Counter()
    home: list[str] = []
    strays: list[str] = []
    for c in range(clients):
        first = get(lb)
        mine = first.cookie
        home.append(str(mine))
        expected[mine] += 1
        for r in range(reloads):
            page = get(lb, "/", cookie=mine)
            ws = upgrade(lb, mine, origin=lb.url)
            expected[mine] += 2
            if (page.status, page.replica, ws.status, ws.replica) != (200, mine, 101, mine):
                strays.append(f"client {c} reload {r}: GET {page.status} on {page.replica}, "
                              f"WebSocket {ws.status} on {ws.replica} (home {mine})")
    after = lb.sessions()
    rep.check(not strays, f"{clients} clients x {reloads} reloads (GET + WebSocket on "
              "/_stcore/stream) each stay on their replica",
              "; ".join(strays[:3]) or f"homes {dict(Counter(home))}")
    delta = {n: after[n] - before[n] for n in lb.names}
    rep.check(delta == {n: expected.get(n, 0) for n in lb.names},
              "HAProxy's session counts agree (stot per replica)", str(delta))
    fresh = upgrade(lb, None, origin=lb.url)
    protocol = fresh.headers.get("sec-websocket-protocol")
    rep.check(fresh.status == 101 and fresh.cookie == fresh.replica and fresh.replica in lb.names
              and protocol == "streamlit",
              "a WebSocket through HAProxy is accepted with the page's Origin (CORS and XSRF "
              "protection on) and pins its replica by cookie",
              f"status {fresh.status}, replica {fresh.replica}, cookie {fresh.cookie}, "
              f"subprotocol {protocol}")
    foreign = upgrade(lb, home[0], origin="http://elsewhere.example")
    rep.check(foreign.status != 101, "a WebSocket from a foreign Origin is refused by the "
              "replica behind the proxy", f"status {foreign.status}")


def check_rooms_and_sessions(lb: Balanced, rep: Report) -> None:
    """(c) in Chromium: a room opened on app1 is seen and filled from app2; the teacher's
    session stays on app1."""
    from playwright.sync_api import sync_playwright

    from ae.ui.i18n import all_texts

    en = {k: v[0] for k, v in all_texts().items()}
    code_re = re.compile(re.escape(en["cw.h.room"].split("{")[0]) + r"([A-Z2-9]{8})")
    count_re = re.compile(r"(\d+)" + re.escape(en["cw.count"].split("}", 1)[1].split("{")[0]))
    a, b = lb.names[0], lb.names[1]
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=stapp.CHROMIUM_ARGS)
        try:
            def tab(pin: str):
                ctx = browser.new_context(viewport=stapp.VIEWPORT)
                ctx.add_cookies([{"name": COOKIE, "value": pin, "url": lb.url}])
                page = ctx.new_page()
                seen: list[str] = []
                page.on("response", lambda r: seen.append(r.headers.get(HEADER.lower(), "")))
                return ctx, page, seen

            t_ctx, teacher, t_seen = tab(a)
            stapp.visit(teacher, lb, "/class_wall", timeout_s=PAGE_S)
            stapp.button(teacher, "cw_open").click()
            teacher.get_by_text(en["cw.h.wall"], exact=True).wait_for(timeout=PAGE_S * 1000)
            stapp.wait_idle(teacher, PAGE_S)
            m = code_re.search(stapp.main_text(teacher))
            if not rep.check(m is not None, f"a teacher pinned to {a} opens a room"):
                return
            code, teacher_url = m.group(1), teacher.url
            s_ctx, student, s_seen = tab(b)
            stapp.visit(student, lb, f"/class_wall?room={code}", timeout_s=PAGE_S)
            text = stapp.main_text(student)
            rep.check(code in text and en["cw.student.room"].split("**")[0] in text
                      and not stapp.errors(student),
                      f"a student pinned to {b} finds room {code} (the shared store)",
                      text[:120].replace("\n", " | "))
            _send_upload(student, en, digit=7)
            t0, n = time.monotonic(), None
            while time.monotonic() - t0 < 60:
                m = count_re.search(stapp.main_text(teacher))
                n = int(m.group(1)) if m else None
                if n == 1:
                    break
                teacher.wait_for_timeout(500)
            rep.check(n == 1, f"the student's upload on {b} (Streamlit's XSRF check through "
                      f"the proxy) reaches the teacher's wall on {a}",
                      f"{time.monotonic() - t0:.1f} s, wall count {n}")
            rep.check(set(t_seen) - {""} == {a} and set(s_seen) - {""} == {b},
                      "every HTTP answer to each browser came from its pinned replica",
                      f"teacher {dict(Counter(t_seen))}, student {dict(Counter(s_seen))}")
            stapp.wait_idle(teacher, PAGE_S)
            teacher.reload(wait_until="domcontentloaded")
            teacher.wait_for_selector(stapp.APP, timeout=PAGE_S * 1000)
            rep.check(_shows(teacher, en["cw.h.wall"]) and code in stapp.main_text(teacher),
                      f"the teacher's reload stays on {a} and keeps the room (tab token)")
            teacher.close()
            o_ctx, other, _ = tab(b)
            stapp.visit(other, lb, teacher_url.split(lb.url, 1)[1], timeout_s=PAGE_S)
            rep.check(stapp.button(other, "cw_open").count() == 1
                      and code not in stapp.main_text(other),
                      f"the teacher's tab opened on {b} starts clean: sessions are not shared")
            back = t_ctx.new_page()
            stapp.visit(back, lb, teacher_url.split(lb.url, 1)[1], timeout_s=PAGE_S)
            rep.check(_shows(back, en["cw.h.wall"]) and code in stapp.main_text(back),
                      f"the same tab opened again on {a} takes its room back")
            for c in (t_ctx, s_ctx, o_ctx):
                c.close()
        finally:
            browser.close()


def _shows(page, text: str, timeout_s: float = 60) -> bool:
    """Whether `text` appears on the page within `timeout_s` (a reload's restore takes a
    moment after the first script run)."""
    try:
        page.get_by_text(text, exact=True).wait_for(timeout=timeout_s * 1000)
        return True
    except Exception:  # Playwright's TimeoutError
        return False


def _send_upload(page, en: dict[str, str], digit: int) -> None:
    """A student's digit by the upload source: a synthetic digit as dark ink on paper."""
    import numpy as np
    from PIL import Image

    from ae.data import synthetic

    img = synthetic.make_digits(1, seed=3)[0][0]
    paper = 255 - np.kron(img, np.ones((4, 4), np.uint8))
    buf = io.BytesIO()
    Image.fromarray(paper).save(buf, "PNG")
    page.locator("[data-testid='stRadio']").get_by_text(en["own.source.upload"],
                                                         exact=True).click()
    stapp.wait_idle(page, PAGE_S)
    page.locator(".st-key-cw_up_0 input[type='file']").set_input_files(
        files=[{"name": "digit.png", "mimeType": "image/png", "buffer": buf.getvalue()}])
    stapp.wait_idle(page, PAGE_S)
    stapp.keyed(page, "cw_said").get_by_text(str(digit), exact=True).click()
    stapp.wait_idle(page, PAGE_S)
    stapp.button(page, "cw_send").click()
    page.get_by_text(en["cw.sent"].format(digit=digit)).wait_for(timeout=PAGE_S * 1000)


# -- the command line -------------------------------------------------------------------------
def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("-n", "--replicas", type=int, default=2, help="replicas (2)")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="AE_DATA_DIR of the replicas (default $AE_DATA_DIR)")
    p.add_argument("--clients", type=int, default=24, help="fresh clients for (a) (24)")
    p.add_argument("--reloads", type=int, default=4, help="reloads per client for (b) (4)")
    p.add_argument("--no-browser", action="store_true", help="skip (c), the Chromium check")
    p.add_argument("--no-checks", action="store_true", help="only --run or --serve")
    p.add_argument("--run", default=None, help='a command to run through the balancer '
                   '("{url}" is replaced; AE_LB_URL is set)')
    p.add_argument("--serve", action="store_true", help="stay up until Ctrl-C")
    args = p.parse_args()
    if args.replicas < 2:
        p.error("--replicas must be at least 2")
    rep = Report()
    try:
        with replicas(args.replicas, args.data_dir) as lb:
            if not args.no_checks:
                check_spread(lb, rep, args.clients)
                check_sticky(lb, rep, clients=4, reloads=args.reloads)
                if not args.no_browser:
                    try:
                        check_rooms_and_sessions(lb, rep)
                    except Exception as e:  # a page that never came: say which step
                        rep.check(False, "the browser check (c) ran to its end",
                                  f"{type(e).__name__}: {str(e)[:600]}")
                        for s in lb.servers:
                            print(s.log_tail(1500))
                print(f"replicas' memory (RSS, MiB): {_mb(lb.rss_mb())}")
            if args.run:
                rep.failed += run_through(lb, args.run) != 0
            if args.serve:
                print(f"serving on {lb.url} (Ctrl-C stops)", flush=True)
                try:
                    while True:
                        time.sleep(3600)
                except KeyboardInterrupt:
                    pass
    except FileNotFoundError as e:
        print(f"FAIL {e}")
        return 2
    print("PASSED" if not rep.failed else f"FAILED ({rep.failed})")
    return 1 if rep.failed else 0


def run_through(lb: Balanced, command: str) -> int:
    """`command` in a shell with AE_LB_URL; then each replica's sessions during it and RSS."""
    before, t0 = lb.sessions(), time.monotonic()
    env = {**os.environ, "AE_LB_URL": lb.url, "AE_LB_STATS_URL": lb.stats_url}
    print(f"--run: {command.replace('{url}', lb.url)}", flush=True)
    rc = subprocess.run(command.replace("{url}", lb.url), shell=True, env=env,
                        cwd=ROOT).returncode
    after = lb.sessions()
    print(f"--run: exit {rc} after {time.monotonic() - t0:.0f} s; HAProxy sessions per replica "
          f"during it: { {n: after[n] - before[n] for n in lb.names} }; replicas' memory (RSS, "
          f"MiB): {_mb(lb.rss_mb())}", flush=True)
    return rc


def _mb(d: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.0f}" for k, v in d.items())


if __name__ == "__main__":
    sys.exit(main())
