"""Driving the dashboard in a real browser: start a `streamlit run` server, wait for a script
run to end, navigate by the sidebar, find exception elements, take README screenshots.

Why a module of its own: the real-browser tests and the load and soak scripts
drive the same app the same way; they share these few, carefully timed steps instead
of each guessing when Streamlit is done. Nothing here imports Playwright at module level, so a
machine without it can still collect the tests (they skip, or fail under AE_REQUIRE_E2E=1).

Streamlit facts this relies on (1.67): the root element `[data-testid='stApp']` carries
`data-test-script-state` ("initial", "running", "notRunning", "rerunRequested", ...); the page
scrolls inside `[data-testid='stMain']`, not the document, so a full-page screenshot needs a
viewport as tall as that element; a widget or chart with `key="k"` sits in an element with the
CSS class `st-key-k`.
"""

from __future__ import annotations

import io
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Playwright is optional at import time (see the module docstring)
    from playwright.sync_api import Locator, Page

REPO = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1400, "height": 900}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]

APP = "[data-testid='stApp']"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
SPINNER = "[data-testid='stSpinner']"
EXCEPTION = "[data-testid='stException']"
ERROR = "[data-testid='stAlertContentError']"
SIDEBAR = "[data-testid='stSidebar']"
NAV_LINK = "[data-testid='stSidebarNavLink']"
MAIN = "[data-testid='stMain']"

# one round trip instead of four locator calls per poll
_STATE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  return {script: app ? app.getAttribute('data-test-script-state') : null,
          connection: app ? app.getAttribute('data-test-connection-state') : null,
          spinners: document.querySelectorAll("[data-testid='stSpinner']").length};
}"""


# -- the server -----------------------------------------------------------------------------------
def free_port() -> int:
    """A TCP port nobody listens on now (loopback); tiny race, fine for a test server."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """`streamlit run dashboard.py` as a subprocess on 127.0.0.1 (its own process group).

    `data_dir` becomes AE_DATA_DIR; `log` receives the server's stdout and stderr (read it
    with `log_tail()` when something fails). Use as a context manager or start()/stop().
    """

    data_dir: Path
    log: Path
    port: int = 0
    extra_args: tuple[str, ...] = ()
    env: Mapping[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    requests: int = 0  # page loads made by `visit`: 0 means the server is still fresh

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 90) -> Server:
        self.port = self.port or free_port()
        cmd = [sys.executable, "-m", "streamlit", "run", "dashboard.py",
               "--server.headless", "true", "--server.port", str(self.port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               # no hot reload: a file saved by someone else mid-test would re-import modules
               # (a reloaded AEConfig class no longer compares equal: a false "stale" notice)
               # and put "File change / Rerun" into the screenshots
               "--server.fileWatcherType", "none", *self.extra_args]
        env = {**os.environ, "AE_DATA_DIR": str(self.data_dir), "PYTHONUNBUFFERED": "1",
               **self.env}
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "wb") as out:  # the child keeps its own handle
            self.proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        self.wait_healthy(timeout_s)
        return self

    def wait_healthy(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {self.proc.returncode}:\n"
                                   + self.log_tail())
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.3)
        raise TimeoutError(f"no /_stcore/health after {timeout_s:.0f} s:\n" + self.log_tail())

    def stop(self) -> None:
        """SIGTERM to the server's own process group (it was started in a new session), then
        SIGKILL if it lingers."""
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        for sig, wait_s in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                return
            try:
                proc.wait(wait_s)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_text(self) -> str:
        try:
            return self.log.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, n: int = 4000) -> str:
        return "--- server log (tail) ---\n" + self.log_text()[-n:]

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()


def data_dir_for_tests(tmp: Path) -> Path:
    """AE_DATA_DIR for a test server: $AE_E2E_DATA_DIR if set; the repository's data/ cache
    when it holds MNIST (fast); else an empty folder, so the app runs its source chain
    (download, PyPI wheel, synthetic digits) as on a fresh clone."""
    if os.environ.get("AE_E2E_DATA_DIR"):
        return Path(os.environ["AE_E2E_DATA_DIR"])
    raw = REPO / "data" / "MNIST" / "raw"
    if raw.is_dir() and len([p for p in raw.iterdir() if "idx" in p.name]) >= 4:
        return REPO / "data"
    tmp.mkdir(parents=True, exist_ok=True)
    return tmp


# -- waiting for the app ----------------------------------------------------------------------
def app_state(page: Page) -> dict:
    return page.evaluate(_STATE_JS)


class IdleWatch:
    """When a script run (and any rerun it triggers) is over: the app says "notRunning" with
    no spinner for `quiet_s` in a row. Right after a click the server may not have said
    "running" yet, so a quiet stretch only counts after `start_s`, or once a run was seen.
    Fed one `app_state` at a time by `wait_idle` and `wait_idle_async`."""

    def __init__(self, timeout_s: float, quiet_s: float, start_s: float):
        self.t0 = time.monotonic()
        self.timeout_s, self.quiet_s, self.start_s = timeout_s, quiet_s, start_s
        self.seen_run, self.quiet_since = False, None

    def done(self, s: dict) -> float | None:
        """The seconds waited once idle, else None; TimeoutError past the timeout."""
        now = time.monotonic()
        self.seen_run = self.seen_run or s["script"] in ("running", "rerunRequested")
        if s["script"] == "notRunning" and not s["spinners"]:
            self.quiet_since = self.quiet_since or now
            if now - self.quiet_since >= self.quiet_s and (
                    self.seen_run or now - self.t0 >= self.start_s):
                return now - self.t0
        else:
            self.quiet_since = None
        if now - self.t0 > self.timeout_s:
            raise TimeoutError(f"the app did not finish within {self.timeout_s:.0f} s "
                               f"(state {s})")
        return None


def wait_idle(page: Page, timeout_s: float = 300, quiet_s: float = 0.8,
              start_s: float = 1.5) -> float:
    """Wait until the script run is over (see `IdleWatch`); the seconds waited."""
    watch = IdleWatch(timeout_s, quiet_s, start_s)
    while (took := watch.done(app_state(page))) is None:
        page.wait_for_timeout(100)
    return took


def visit(page: Page, server: Server, path: str = "/", timeout_s: float = 300) -> float:
    """Load `server.url + path` in `page` and wait for the run to end; the seconds it took."""
    server.requests += 1
    t0 = time.monotonic()
    page.goto(server.url + path, wait_until="domcontentloaded", timeout=timeout_s * 1000)
    page.wait_for_selector(APP, timeout=timeout_s * 1000)
    wait_idle(page, timeout_s)
    return time.monotonic() - t0


def nav_link(page: Page, title: str) -> Locator:
    """The sidebar navigation link whose label is exactly `title`."""
    return page.locator(NAV_LINK).filter(has=page.get_by_text(title, exact=True))


def nav_titles(page: Page) -> list[str]:
    """The sidebar navigation labels, icons stripped."""
    return [t.strip().split("\n")[-1].strip() for t in page.locator(NAV_LINK).all_inner_texts()]


def go(page: Page, title: str, url_path: str, timeout_s: float = 300) -> float:
    """Click the sidebar link `title`, wait for the URL to show `url_path` and the run to end."""
    t0 = time.monotonic()
    nav_link(page, title).click()
    want = url_path.rstrip("/") or "/"
    page.wait_for_url(lambda u: (path_of(u).rstrip("/") or "/") == want, timeout=30_000)
    wait_idle(page, timeout_s)
    return time.monotonic() - t0


def path_of(url: str) -> str:
    """"/wall" of "http://127.0.0.1:8501/wall?x=1"."""
    rest = url.split("://", 1)[-1]
    return "/" + rest.split("/", 1)[1].split("?", 1)[0] if "/" in rest else "/"


# -- what is on the page ------------------------------------------------------------------------
def title(page: Page) -> str:
    """The page's h1 (the first one in the main area)."""
    return page.locator(f"{MAIN} h1").first.inner_text().strip()


def main_text(page: Page) -> str:
    return page.locator(MAIN).inner_text()


def exceptions(page: Page) -> list[str]:
    """The text of every exception element (a traceback box) on the page."""
    return [e.strip()[:800] for e in page.locator(EXCEPTION).all_inner_texts()]


def errors(page: Page) -> list[str]:
    """The text of every st.error box on the page."""
    return [e.strip()[:400] for e in page.locator(ERROR).all_inner_texts()]


def sidebar_radio(page: Page, label: str) -> Locator:
    """A sidebar radio group by its label."""
    return page.locator(f"{SIDEBAR} [data-testid='stRadio']").filter(
        has=page.get_by_text(label, exact=True))


def keyed(page: Page, key: str) -> Locator:
    """The element of the widget or chart created with `key=key` (not a stale copy that a
    rerun keeps on screen until the new one is drawn)."""
    return page.locator(f".st-key-{key}:not([data-stale='true'])")


def images(scope: Locator) -> list[str]:
    """The sources of the st.image pictures in `scope` (media URLs named by content hash, so
    a new picture has a new source)."""
    return scope.locator("[data-testid='stImage'] img").evaluate_all("els => els.map(e => e.src)")


def button(page: Page, key: str) -> Locator:
    """The visible button of the `st.button(..., key=key)` (its element can hold a second,
    hidden copy)."""
    return keyed(page, key).locator("button:visible").first


# -- screenshots --------------------------------------------------------------------------------
def screenshot(page: Page, path: Path, max_height: int = 9000, max_bytes: int = 600_000) -> Path:
    """The whole page (the main area scrolls, not the document, so the viewport is made as tall
    as the content for the shot), at the page's width, as a PNG of at most ~`max_bytes`: a
    palette PNG when the full-colour one is larger (UI colours survive 256 levels well), and
    cut at `max_height` CSS pixels. Returns the path written."""
    old = page.viewport_size or VIEWPORT
    height = page.evaluate(
        """(sel) => { const m = document.querySelector(sel);
                     const s = document.querySelector("[data-testid='stSidebarContent']");
                     if (m) m.scrollTop = 0;
                     return Math.max(m ? m.scrollHeight : 0, s ? s.scrollHeight : 0,
                                     document.body.scrollHeight); }""", MAIN)
    page.set_viewport_size({"width": old["width"], "height": int(min(max(height, old["height"]),
                                                                      max_height))})
    try:
        page.wait_for_timeout(700)  # layout and Plotly's redraw at the new size
        png = page.screenshot(animations="disabled")
    finally:
        page.set_viewport_size(old)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(shrink_png(png, max_bytes))
    return path


def shrink_png(png: bytes, max_bytes: int) -> bytes:
    """`png` as is when small enough, else quantised to 256 colours (needs Pillow, which
    torchvision brings; without it the original is kept)."""
    if len(png) <= max_bytes:
        return png
    try:
        from PIL import Image
    except ImportError:
        return png
    img = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    img.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    small = out.getvalue()
    return small if len(small) < len(png) else png


# -- the same steps with Playwright's async API (scripts/load.py, scripts/soak.py) -----------------
# Why twins: many sessions at once need many pages driven concurrently; Playwright's sync API
# cannot drive pages from several threads of one Playwright instance, while one asyncio loop can
# drive any number of contexts (one Streamlit session each) of a single Chromium. The locator
# helpers above (keyed, button, nav_link, sidebar_radio) work unchanged on an async Page; only
# what reads the page needs an `await`.
async def app_state_async(page: Any) -> dict:
    return await page.evaluate(_STATE_JS)


async def wait_idle_async(page: Any, timeout_s: float = 300, quiet_s: float = 0.8,
                          start_s: float = 1.5) -> float:
    """`wait_idle` for an async Page: the seconds waited."""
    import asyncio

    watch = IdleWatch(timeout_s, quiet_s, start_s)
    while (took := watch.done(await app_state_async(page))) is None:
        await asyncio.sleep(0.1)
    return took


async def visit_async(page: Any, server: Server, path: str = "/", timeout_s: float = 300) -> float:
    """`visit` for an async Page: load `server.url + path`, wait for the run to end."""
    server.requests += 1
    t0 = time.monotonic()
    await page.goto(server.url + path, wait_until="domcontentloaded", timeout=timeout_s * 1000)
    await page.wait_for_selector(APP, timeout=timeout_s * 1000)
    await wait_idle_async(page, timeout_s)
    return time.monotonic() - t0


async def go_async(page: Any, title: str, url_path: str, timeout_s: float = 300) -> float:
    """`go` for an async Page: click the sidebar link `title`, wait for `url_path` and idle."""
    t0 = time.monotonic()
    await nav_link(page, title).click()
    want = url_path.rstrip("/") or "/"
    await page.wait_for_url(lambda u: (path_of(u).rstrip("/") or "/") == want, timeout=30_000)
    await wait_idle_async(page, timeout_s)
    return time.monotonic() - t0


async def main_text_async(page: Any) -> str:
    return await page.locator(MAIN).inner_text()


async def exceptions_async(page: Any) -> list[str]:
    return [e.strip()[:800] for e in await page.locator(EXCEPTION).all_inner_texts()]


async def errors_async(page: Any) -> list[str]:
    return [e.strip()[:400] for e in await page.locator(ERROR).all_inner_texts()]


# -- the server's memory --------------------------------------------------------------------------
def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants (from /proc; Linux only)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:  # the process ended meanwhile
            continue
        ppid = int(text.rsplit(")", 1)[1].split()[1])  # comm may hold spaces and ")"
        children.setdefault(ppid, []).append(int(stat.parent.name))
    tree, todo = [], [pid]
    while todo:
        p = todo.pop()
        tree.append(p)
        todo.extend(children.get(p, []))
    return tree


def rss_mb(pid: int) -> float:
    """Resident memory of `pid` and its descendants, MiB (VmRSS of /proc/<pid>/status); 0 when
    the process is gone."""
    total_kb = 0
    for p in process_tree(pid):
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
                    break
        except OSError:
            continue
    return total_kb / 1024


def finish(json_path: Path | None, data: dict, failed: bool, srv: Server, t0: float) -> int:
    """The end of a load or soak script: the measurements to `json_path`, the server's log
    tail when something failed, one PASSED/FAILED line; the exit status."""
    import json

    if json_path:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(data, indent=1, default=str))
    if failed:
        print("\n" + srv.log_tail())
    print(f"\n{'FAILED' if failed else 'PASSED'} in {time.monotonic() - t0:.0f} s")
    return 1 if failed else 0

