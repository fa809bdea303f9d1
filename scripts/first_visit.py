"""How long the class waits for the latent-wall page the first time, with and without the
server's background warm-up (ae.ui.warmup), measured in the same run.

Why: the wall page's first visit for a model encodes the 10,000 test images and measures the
three defects (seconds on a classroom laptop). The warm-up does that for the shipped models
right after the first page load, while the teacher tells the gallery story. The absolute times
drift with the machine's load, so the script prints both and their ratio.

    .venv/bin/python scripts/first_visit.py               # 30 s on the home page, then the wall
    .venv/bin/python scripts/first_visit.py --story 10    # a hastier teacher

How: for each of warm-up off and on, a fresh `streamlit run` on loopback (Debian's Chromium via
Playwright): open the home page, stay `--story` seconds, click "The latent wall" in the sidebar,
time the click until the page's script run is over. Then the server's share of that visit:
the same page run by Streamlit's AppTest in this process (no browser), the shipped model
warmed up, so the rest of the browser's time is drawing the charts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import stapp  # noqa: E402  (tests/e2e: the shared browser steps)

from ae.ui.i18n import all_texts  # noqa: E402


def first_wall_visit(browser, warm: bool, story_s: float, log: Path) -> float:
    srv = stapp.Server(data_dir=stapp.data_dir_for_tests(Path(tempfile.mkdtemp())), log=log,
                       env={"AE_WARMUP": "1" if warm else "0"})
    srv.start(600)
    ctx = browser.new_context(viewport=stapp.VIEWPORT, locale="en-US")
    try:
        page = ctx.new_page()
        stapp.visit(page, srv, "/", timeout_s=600)
        page.wait_for_timeout(story_s * 1000)
        return stapp.go(page, all_texts()["nav.wall"][0], "/wall", timeout_s=600)
    finally:
        ctx.close()
        srv.stop()


def server_share(data_dir: Path) -> tuple[float, float]:
    """Seconds of the wall page's first and second script run, without a browser, with the
    book model's results warmed up (as `warmup` leaves them)."""
    import time

    os.environ.update(AE_DATA_DIR=str(data_dir), AE_WARMUP="0")
    import logging

    from streamlit.testing.v1 import AppTest

    from ae.ui import models, resources, warmup

    logging.disable(logging.WARNING)  # Streamlit's "bare mode" warnings: this is on purpose
    warmup.precompute(models.shipped("book"), resources.dataset("mnist"))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=600)
    at.run()
    at.switch_page("pages/wall.py")
    times = []
    for _ in range(2):
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
    assert not at.exception, [e.value for e in at.exception]
    return times[0], times[1]


def main() -> int:
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--story", type=float, default=30.0,
                   help="seconds on the home page before the wall (30)")
    a.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = a.parse_args()
    from playwright.sync_api import sync_playwright

    log = ROOT / "tests" / "artifacts" / "first_visit.log"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=args.chromium, args=stapp.CHROMIUM_ARGS)
        try:
            cold = first_wall_visit(browser, False, args.story, log)
            warm = first_wall_visit(browser, True, args.story, log)
        finally:
            browser.close()
    print(f"first visit of the wall page, {args.story:g} s after the first page load:")
    print(f"  warm-up off: {cold:5.1f} s")
    print(f"  warm-up on:  {warm:5.1f} s")
    print(f"  ratio off/on: {cold / warm:.1f}")
    first, again = server_share(stapp.data_dir_for_tests(Path(tempfile.mkdtemp())))
    print("the server's share (the same page run without a browser, model warmed up):")
    print(f"  first run:   {first:5.1f} s")
    print(f"  second run:  {again:5.1f} s")
    print(f"  browser share of the warm first visit: ~{max(warm - first, 0):.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
