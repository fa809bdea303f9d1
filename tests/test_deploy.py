"""deploy/haproxy.cfg: what Streamlit behind a balancer needs is in it (read as text, no
HAProxy needed), HAProxy itself calls it valid (for 2 and for 3 replicas), and, run for real in
front of two small stand-in servers (no Streamlit: a second or two), it spreads fresh clients,
keeps a client on its replica by the inserted cookie across reloads and WebSocket upgrades,
and takes a replica whose health check fails out. The HAProxy tests skip where Debian's
haproxy is not installed (`apt-get install haproxy`), unless AE_REQUIRE_HAPROXY=1 (CI sets it
and installs haproxy): then they fail."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CFG = ROOT / "deploy" / "haproxy.cfg"
HAPROXY = shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists()
                                      else "")
REQUIRED = os.environ.get("AE_REQUIRE_HAPROXY") == "1"
needs_haproxy = pytest.mark.skipif(not HAPROXY and not REQUIRED,
                                   reason="haproxy is not installed (apt-get install haproxy)")


def test_haproxy_is_installed_where_required():
    assert HAPROXY or not REQUIRED, "AE_REQUIRE_HAPROXY=1 but haproxy is not installed"


def directives() -> list[str]:
    """The configuration's lines without comments and surrounding blanks."""
    lines = (re.sub(r"(^|\s)#.*$", "", ln).strip() for ln in CFG.read_text().splitlines())
    return [ln for ln in lines if ln]


def replicas_script():
    """scripts/replicas.py as a module (its config writer and its HTTP/WebSocket clients)."""
    if "ae_replicas_script" not in sys.modules:
        spec = importlib.util.spec_from_file_location("ae_replicas_script",
                                                      ROOT / "scripts" / "replicas.py")
        mod = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = mod  # before running it: its dataclasses look themselves up
        spec.loader.exec_module(mod)
    return sys.modules["ae_replicas_script"]


def test_the_config_has_what_streamlit_needs_behind_a_balancer():
    d = directives()
    assert "mode http" in d  # HTTP mode: cookies, health checks, the WebSocket upgrade
    assert any(re.fullmatch(r"timeout tunnel \d+[hm]", x) for x in d)  # open WebSockets
    assert "cookie AE_REPLICA insert indirect nocache httponly" in d
    assert "option httpchk" in d and any("uri /_stcore/health" in x for x in d)
    servers = [x for x in d if x.startswith("server ")]
    assert [s.split()[1] for s in servers] == ["app1", "app2"]
    assert all(re.search(r'"\$\{AE_REPLICA_\d-127\.0\.0\.1:\d+\}" cookie app\d$', s)
               for s in servers)
    assert not any(re.search(r"\bh2\b", x) for x in d)  # HTTP/1.1 only, both sides
    stats = d[d.index("listen stats") + 1]
    assert stats == 'bind "${AE_LB_STATS-127.0.0.1:8404}"'  # the stats page: loopback only
    assert "http-response set-header X-AE-Replica %s" in d
    for path in re.findall(r"/(?:work|tmp)/\S+", CFG.read_text()):
        raise AssertionError(f"a path of this machine in the config: {path}")


def test_the_launcher_writes_one_server_line_per_replica():
    text = replicas_script().config_text(4)
    servers = [ln.split()[1] for ln in text.splitlines() if ln.strip().startswith("server ")]
    assert servers == ["app1", "app2", "app3", "app4"]
    assert '"${AE_REPLICA_4}" cookie app4' in text
    assert text.replace("".join(f"    server app{i} \"${{AE_REPLICA_{i}}}\" cookie app{i}\n"
                                for i in range(1, 5)), "") == re.sub(
        r"    server app\d .*\n", "", CFG.read_text())  # nothing else changed


@needs_haproxy
@pytest.mark.parametrize("n", [2, 3])
def test_haproxy_calls_the_config_valid(tmp_path, n):
    cfg = CFG
    if n != 2:
        cfg = tmp_path / "haproxy.cfg"
        cfg.write_text(replicas_script().config_text(n))
    env = {**os.environ, **{f"AE_REPLICA_{i}": f"127.0.0.1:{9000 + i}" for i in range(1, 4)}}
    r = subprocess.run([HAPROXY, "-c", "-f", str(cfg)], capture_output=True, text=True, env=env)
    assert r.returncode == 0 and "Configuration file is valid" in r.stdout + r.stderr, \
        r.stdout + r.stderr
    assert "WARNING" not in r.stdout + r.stderr


# -- HAProxy for real, in front of two stand-ins ---------------------------------------------
class StandIn:
    """A replica's stand-in: answers /_stcore/health (until `healthy` is cleared) and any
    page with its name, and accepts WebSocket upgrades on /_stcore/stream (websockets ships
    with Streamlit)."""

    def __init__(self, name: str):
        from websockets.sync.server import serve

        self.name, self.healthy = name, threading.Event()
        self.healthy.set()
        self.server = serve(self.echo, "127.0.0.1", 0, process_request=self.http)
        self.port = self.server.socket.getsockname()[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def http(self, connection, request):
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return None  # go on with the handshake
        if request.path.startswith("/_stcore/health") and not self.healthy.is_set():
            return connection.respond(503, "down\n")
        return connection.respond(200, f"{self.name}\n")

    def echo(self, ws) -> None:
        ws.send(self.name)

    def stop(self) -> None:
        self.server.shutdown()


@pytest.fixture
def balancer(tmp_path):
    import urllib.request

    from websockets.sync.client import connect  # noqa: F401 (fail early without websockets)

    mod = replicas_script()
    stand = [StandIn("one"), StandIn("two")]
    lb_port, stats_port = mod.stapp.free_port(), mod.stapp.free_port()
    env = {**os.environ, "AE_LB_BIND": f"127.0.0.1:{lb_port}",
           "AE_LB_STATS": f"127.0.0.1:{stats_port}",
           "AE_REPLICA_1": f"127.0.0.1:{stand[0].port}",
           "AE_REPLICA_2": f"127.0.0.1:{stand[1].port}"}
    log = tmp_path / "haproxy.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([HAPROXY, "-db", "-f", str(CFG)], env=env, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    lb = mod.Balanced(f"http://127.0.0.1:{lb_port}", f"http://127.0.0.1:{stats_port}/stats",
                      ["app1", "app2"], [], tmp_path / "none.db", tmp_path, proc, log)
    try:
        mod._wait_up(lb, 20)
        urllib.request.urlopen(lb.stats_url, timeout=5).close()
        yield mod, lb, stand
    finally:
        proc.terminate()
        proc.wait(10)
        for s in stand:
            s.stop()


@needs_haproxy
def test_haproxy_spreads_fresh_clients_and_keeps_each_on_its_replica(balancer):
    mod, lb, stand = balancer
    fresh = [mod.get(lb) for _ in range(12)]
    assert all(a.status == 200 and a.cookie == a.replica for a in fresh)
    assert Counter(a.replica for a in fresh) == {"app1": 6, "app2": 6}  # leastconn, all idle
    for home in ("app1", "app2"):
        for _ in range(3):  # reloads: a page and its WebSocket, each on a new connection
            page, ws = mod.get(lb, "/", cookie=home), mod.upgrade(lb, home, origin=lb.url)
            assert (page.status, page.replica, page.cookie) == (200, home, None)  # no re-insert
            assert (ws.status, ws.replica) == (101, home)
    last = mod.upgrade(lb, None, origin=None)
    assert last.status == 101 and last.cookie == last.replica  # the cookie set on the 101 too
    # HAProxy's own count: one session per connection, health checks not counted
    assert lb.sessions() == {n: 6 + 6 + (n == last.replica) for n in ("app1", "app2")}


@needs_haproxy
def test_a_replica_that_fails_its_health_check_gets_no_one(balancer):
    mod, lb, stand = balancer
    stand[1].healthy.clear()  # app2's /_stcore/health answers 503
    deadline = time.monotonic() + 20
    while lb.stats()["app2"]["status"].startswith("UP"):
        assert time.monotonic() < deadline, "HAProxy never took app2 out"
        time.sleep(0.3)
    assert {mod.get(lb).replica for _ in range(6)} == {"app1"}
    moved = mod.get(lb, "/", cookie="app2")  # a tab of app2 goes on elsewhere, freshly pinned
    assert (moved.status, moved.replica, moved.cookie) == (200, "app1", "app1")
