"""Fixtures of the real-browser test: one `streamlit run dashboard.py` per test session, and
Debian's Chromium driven by Playwright (sync API).

Why skip rules here: a developer without Chromium or the `playwright` package still runs the
rest of the suite (the e2e tests skip and say why); CI sets AE_REQUIRE_E2E=1 (.ci/run), and
then a missing browser is a failure, not a quiet skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import stapp

ARTIFACTS = stapp.REPO / "tests" / "artifacts" / "e2e"  # failure shots, server log (git-ignored)
PUBLIC_URL = "http://gallery.school.example:8501/"  # the class wall's link in the screenshots
SERVER_START_S = 120  # torch + streamlit imports on a busy 2-core machine


def unavailable(reason: str) -> None:
    """Skip, or fail loudly when CI demands the browser test (AE_REQUIRE_E2E=1)."""
    if os.environ.get("AE_REQUIRE_E2E") == "1":
        pytest.fail(f"AE_REQUIRE_E2E=1 but the real-browser test cannot run: {reason}",
                    pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        unavailable("Debian's chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("the python package `playwright` is not installed "
                    "(pip install -r requirements-dev.txt)")
    pw = sync_playwright().start()
    try:
        try:
            b = pw.chromium.launch(executable_path=chromium_path, args=stapp.CHROMIUM_ARGS)
        except Error as e:
            unavailable(f"chromium at {chromium_path} did not start: {str(e)[:300]}")
        yield b
        b.close()
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def server(browser, tmp_path_factory) -> Iterator[stapp.Server]:
    """The dashboard on a free loopback port; AE_DATA_DIR = the repository's MNIST cache when
    it has one, else an empty folder (the app's source chain runs, as on a fresh clone).
    Depends on `browser` so that a machine without one skips before a server starts."""
    srv = stapp.Server(data_dir=stapp.data_dir_for_tests(tmp_path_factory.mktemp("data")),
                       log=ARTIFACTS / "streamlit.log", env={"AE_PUBLIC_URL": PUBLIC_URL})
    srv.start(SERVER_START_S)
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def fashion_mnist(server) -> None:
    """Fashion-MNIST where the test server finds it without a download: Debian's
    `dataset-fashion-mnist` (installed by .ci/run) or the data folder's cache."""
    from ae.data.sources import DEBIAN_FASHION_DIR

    if not (DEBIAN_FASHION_DIR.is_dir() or (server.data_dir / "FashionMNIST" / "raw").is_dir()):
        unavailable("Fashion-MNIST is not on this machine (apt-get install dataset-fashion-mnist)")


@pytest.fixture(scope="session")
def js_errors() -> list[str]:
    """Uncaught JavaScript errors of every tab the tests opened ("tab: message")."""
    return []


@pytest.fixture(scope="session")
def outside() -> list[str]:
    """Every request a tab sent anywhere but the test servers ("tab: url"): a class's pages
    must load nothing from outside the school's server (fonts, scripts, statistics)."""
    return []


def _elsewhere(url: str) -> bool:
    scheme, _, rest = url.partition("://")
    if scheme not in ("http", "https", "ws", "wss"):
        return False  # data:, blob:, about:
    host = rest.split("/", 1)[0].rsplit(":", 1)[0]
    return host not in ("127.0.0.1", "localhost", "[::1]")


@pytest.fixture(scope="session")
def new_tab(browser, js_errors, outside) -> Iterator[Callable[..., object]]:
    """A factory of fresh tabs (each its own browser context, so its own Streamlit session)
    at the README's size; all are closed at the end of the session. Each tab's uncaught
    JavaScript errors and requests to anywhere but the servers are recorded."""
    contexts = []

    def make(name: str = "tab"):
        ctx = browser.new_context(viewport=stapp.VIEWPORT, device_scale_factor=1,
                                  locale="en-US")
        contexts.append(ctx)
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        page.on("pageerror", lambda e: js_errors.append(f"{name}: {e}"))
        page.on("request", lambda r: outside.append(f"{name}: {r.url}")
                if _elsewhere(r.url) else None)
        return page

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture(scope="session")
def shots() -> Path:
    """Where screenshots go: tests/artifacts/screenshots (git-ignored), or $AE_SCREENSHOTS_DIR;
    `make screenshots` sends them to assets/screenshots/ for the README."""
    default = stapp.REPO / "tests" / "artifacts" / "screenshots"
    return Path(os.environ.get("AE_SCREENSHOTS_DIR") or default)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call":
        item.rep_call = rep


@pytest.fixture(autouse=True)
def _shot_on_failure(request) -> Iterator[None]:
    """When a test fails, a screenshot of its tab and the server log's tail for the report."""
    yield
    rep = getattr(request.node, "rep_call", None)
    if rep is None or not rep.failed:
        return
    for name, value in request.node.funcargs.items():
        if hasattr(value, "screenshot") and hasattr(value, "goto"):
            path = ARTIFACTS / f"{request.node.name}-{name}.png".replace("/", "_")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                value.screenshot(path=str(path), full_page=True)
                print(f"failure screenshot: {path}")
            except Exception as e:  # the tab may be gone; the report matters more
                print(f"no failure screenshot: {e}")
        if isinstance(value, stapp.Server):
            print(value.log_tail())
