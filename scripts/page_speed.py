"""How long each page's first view takes to finish drawing in a real browser, on a warm server.

Why: a class opens a page together; every page should be drawn within 2 s of the click on the
development machine. "Drawn" means the script run is over and every Plotly figure on the page
has drawn its plot (a `.main-svg`), not just that the server finished.

    .venv/bin/python scripts/page_speed.py                 # 3 fresh tabs, every page
    .venv/bin/python scripts/page_speed.py --tabs 5 --pages wall cure

How: one `streamlit run` on loopback (AE_DATA_DIR as the tests pick it: set AE_E2E_DATA_DIR to
real MNIST for the real pages). A first tab visits every page once, so the server is warm (the
shipped models' walls and defects computed, as after a lesson's first minutes). Then each of
`--tabs` fresh tabs (a new session each, as a new student) opens each page by its address and
is timed from the request to the last figure drawn. Prints per page the median and the worst,
and the number of figures. Absolute times drift with the machine's load: compare runs made in
the same conditions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import stapp  # noqa: E402  (tests/e2e: the shared browser steps)

PAGES = ["/", "/lesson", "/architecture", "/training", "/reconstructions", "/wall",
         "/own_digit", "/class_wall", "/generation", "/cure"]
CHARTS = "[data-testid='stPlotlyChart']"
DRAWN_JS = """(sel) => [...document.querySelectorAll(sel)]
  .filter(c => c.querySelector('.main-svg')).length"""


def first_view(page, srv: stapp.Server, path: str, figures: int | None = None,
               timeout_s: float = 300) -> tuple[float, int]:
    """Seconds from the request until the run is over and `figures` figures have drawn (None:
    learn how many, by waiting 3 s more after the run); the figures drawn."""
    t0 = time.monotonic()
    page.goto(srv.url + path, wait_until="domcontentloaded", timeout=timeout_s * 1000)
    page.wait_for_selector(stapp.APP, timeout=timeout_s * 1000)
    stapp.wait_idle(page, timeout_s, quiet_s=0.3)
    if figures is None:  # the untimed visit: whatever is drawn 3 s after the run
        page.wait_for_timeout(3000)
        return time.monotonic() - t0, page.evaluate(DRAWN_JS, CHARTS)
    while page.evaluate(DRAWN_JS, CHARTS) < figures:
        if time.monotonic() - t0 > timeout_s:
            raise TimeoutError(f"{path}: figures not drawn in {timeout_s} s")
        page.wait_for_timeout(50)
    # the idle watch waited `quiet_s` of quiet at the end: not part of the page's time
    return max(time.monotonic() - t0 - 0.3, 0.0), figures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tabs", type=int, default=3, help="fresh tabs timed per page")
    ap.add_argument("--pages", nargs="*", help="page paths without the slash (default: all)")
    args = ap.parse_args()
    pages = [p for p in PAGES if not args.pages or p.strip("/") in args.pages
             or (p == "/" and "home" in args.pages)]
    from playwright.sync_api import sync_playwright

    log = ROOT / "tests" / "artifacts" / "page_speed.log"
    srv = stapp.Server(data_dir=stapp.data_dir_for_tests(Path(tempfile.mkdtemp())), log=log)
    srv.start(900)
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=stapp.CHROMIUM_ARGS)
    times: dict[str, list[float]] = {p: [] for p in pages}
    figures: dict[str, int] = {}
    try:
        warm = browser.new_context(viewport=stapp.VIEWPORT, locale="en-US").new_page()
        for p in pages:  # the server warm: every page once, untimed; its figures counted
            figures[p] = first_view(warm, srv, p, timeout_s=900)[1]
        for _ in range(args.tabs):
            ctx = browser.new_context(viewport=stapp.VIEWPORT, locale="en-US")
            page = ctx.new_page()
            for p in pages:
                times[p].append(first_view(page, srv, p, figures[p])[0])
            ctx.close()
    finally:
        browser.close()
        pw.stop()
        srv.stop()
    print(f"first view of each page, warm server, {args.tabs} fresh tabs "
          f"(seconds from the request until every figure is drawn)")
    print(f"{'page':<18}{'median':>8}{'worst':>8}{'figures':>9}")
    for p in pages:
        print(f"{p:<18}{statistics.median(times[p]):>8.2f}{max(times[p]):>8.2f}"
              f"{figures[p]:>9}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
