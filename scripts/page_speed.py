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
is timed from the request to the last figure drawn. Each fresh tab first loads the app once,
untimed, with its figure: Streamlit's JavaScript bundle and Plotly's (a few MB each, cached by
the browser after the first page a student opens) would otherwise be counted in whichever page
a tab opens first. Each visit is a page load (a new session), so it still pays for running
that cached script; moving between pages by the sidebar does not. Prints per page
the median and the worst of two times, the script run over ("run": the server's work and the
browser's handling of what it sent) and every figure drawn and painted ("drawn": Plotly's
drawing comes on top), the number of figures, and the median drawn time as a multiple of the
reference page's (`REFERENCE`, timed in every run): absolute times drift with the machine's
load, the ratios much less. `--detail` also prints, for the last tab, when
each figure's element appeared and when its plot was drawn (a figure's element comes once
Plotly's script has run).
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
# --detail: when each figure first has its plot (ms after the navigation started), by title
WATCH_JS = """(() => {
  window.__drawn = new Map();
  const seen = () => document.querySelectorAll("[data-testid='stPlotlyChart']").forEach((c, i) => {
    const now = performance.now();
    if (!window.__drawn.has(c)) window.__drawn.set(c, ['figure ' + i, now, null]);
    const rec = window.__drawn.get(c);
    if (rec[2] === null && c.querySelector('.main-svg')) {
      const t = c.querySelector('.gtitle');
      rec[0] = ((t && t.textContent) || rec[0]).slice(0, 40);
      rec[2] = now;
    }
  });
  new MutationObserver(seen).observe(document, {childList: true, subtree: true});
})();"""
DETAIL_JS = "() => [...window.__drawn.values()].sort((a, b) => a[2] - b[2])"
# two animation frames: whatever the figures drew is painted on the screen
PAINTED_JS = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


# the reference: a page without a figure, whose work does not change with the model (its
# first view is the app's own cost: a new session, the sidebar, a page of text and widgets)
REFERENCE = "/class_wall"
QUIET_S = 0.3  # the idle watch's quiet stretch at the end of a run: not the page's time


def first_view(page, srv: stapp.Server, path: str, figures: int | None = None,
               timeout_s: float = 300) -> tuple[float, float, int]:
    """Seconds from the request until the run is over, and until `figures` figures have drawn
    and are painted (None: learn how many, by waiting 3 s more after the run); the figures."""
    t0 = time.monotonic()
    page.goto(srv.url + path, wait_until="domcontentloaded", timeout=timeout_s * 1000)
    page.wait_for_selector(stapp.APP, timeout=timeout_s * 1000)
    stapp.wait_idle(page, timeout_s, quiet_s=QUIET_S)
    run = max(time.monotonic() - t0 - QUIET_S, 0.0)
    if figures is None:  # the untimed visit: whatever is drawn 3 s after the run
        page.wait_for_timeout(3000)
        return run, time.monotonic() - t0, page.evaluate(DRAWN_JS, CHARTS)
    while page.evaluate(DRAWN_JS, CHARTS) < figures:
        if time.monotonic() - t0 > timeout_s:
            raise TimeoutError(f"{path}: figures not drawn in {timeout_s} s")
        page.wait_for_timeout(50)
    page.evaluate(PAINTED_JS)
    drawn = time.monotonic() - t0
    # a figure drawn during the quiet stretch was drawn by then: not part of the page's time
    return run, max(drawn - QUIET_S, run), figures


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tabs", type=int, default=3, help="fresh tabs timed per page")
    ap.add_argument("--pages", nargs="*", help="page paths without the slash (default: all)")
    ap.add_argument("--detail", action="store_true",
                    help="also print when each figure of the last tab's visit had its plot")
    args = ap.parse_args()
    pages = [p for p in PAGES if not args.pages or p.strip("/") in args.pages
             or (p == "/" and "home" in args.pages)]
    if REFERENCE not in pages:  # timed in every run: the ratios survive the machine's drift
        pages.append(REFERENCE)
    from playwright.sync_api import sync_playwright

    log = ROOT / "tests" / "artifacts" / "page_speed.log"
    srv = stapp.Server(data_dir=stapp.data_dir_for_tests(Path(tempfile.mkdtemp())), log=log)
    srv.start(900)
    pw = sync_playwright().start()
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=stapp.CHROMIUM_ARGS)
    runs: dict[str, list[float]] = {p: [] for p in pages}
    times: dict[str, list[float]] = {p: [] for p in pages}
    figures: dict[str, int] = {}
    detail: dict[str, list] = {}
    try:
        warm = browser.new_context(viewport=stapp.VIEWPORT, locale="en-US").new_page()
        for p in pages:  # the server warm: every page once, untimed; its figures counted
            figures[p] = first_view(warm, srv, p, timeout_s=900)[2]
        for _ in range(args.tabs):
            ctx = browser.new_context(viewport=stapp.VIEWPORT, locale="en-US")
            if args.detail:
                ctx.add_init_script(WATCH_JS)
            page = ctx.new_page()
            # untimed: the bundle, and the figures' script (Plotly, loaded when a page first
            # shows a figure), into this tab's cache: wait for the figures, else their script
            # is cut off half loaded and the next page pays for it
            first_view(page, srv, "/", figures.get("/"))
            for p in pages:
                run, drawn, _ = first_view(page, srv, p, figures[p])
                runs[p].append(run)
                times[p].append(drawn)
                if args.detail:
                    detail[p] = page.evaluate(DETAIL_JS)
            ctx.close()
    finally:
        browser.close()
        pw.stop()
        srv.stop()
    print(f"first view of each page, warm server, {args.tabs} fresh tabs "
          f"(seconds from the request until every figure is drawn)")
    ref = statistics.median(times[REFERENCE])
    print(f"{'':<18}{'run':>16}{'drawn':>16}")
    print(f"{'page':<18}{'median':>8}{'worst':>8}{'median':>8}{'worst':>8}{'figures':>9}"
          f"{'x ref':>8}")
    for p in pages:
        drawn = statistics.median(times[p])
        print(f"{p:<18}{statistics.median(runs[p]):>8.2f}{max(runs[p]):>8.2f}"
              f"{drawn:>8.2f}{max(times[p]):>8.2f}{figures[p]:>9}{drawn / ref:>8.2f}")
    print(f"x ref: the median drawn time over {REFERENCE}'s in the same run ({ref:.2f} s)")
    for p, drawn in detail.items():  # s from the navigation's start: element in page, drawn
        print(f"{p} (last tab, s after the request: the chart's element, its plot drawn)")
        for name, shown, plotted in drawn:
            print(f"    {shown / 1000:6.2f} {(plotted or 0) / 1000:6.2f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
