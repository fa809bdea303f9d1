"""What the training page's live view costs: the training speed of runs watched on the
training page, against the same runs trained while the browser shows another page (the live
view must cost < 10% of the training).

    .venv/bin/python scripts/live_overhead.py                  # 3 pairs of 60,000-image runs
    .venv/bin/python scripts/live_overhead.py --pairs 2 --subset 5000 --epochs 2

How: one `streamlit run dashboard.py` on loopback and Debian's Chromium (pinned to the last
core, lowest priority, so that its drawing competes with the server as little as a student's
own computer would). Pairs of identical runs (the page's Start, recipe from the URL) alternate
"watched" (the training page stays open: its fragments poll the run every second, the charts
every three) and "away" (right after Start the browser switches to the gallery: nothing
polls); each run's time is the page's own "Done: ... in S s". The cost is
1 - median(watched speed) / median(away speed); alternating runs of the same recipe cancel
the slow drift of other work on a shared machine. Both kinds record the live view's wall
frames (the run does, whether or not the page looks), so this measures the page's polling.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import stapp  # noqa: E402  (tests/e2e: the shared browser steps)

from ae.ui.i18n import all_texts  # noqa: E402

TEXTS = {k: v[0] for k, v in all_texts().items()}
DONE = re.compile(re.escape(TEXTS["training.done"].split("{")[0]) + r"[\d,]+ epochs in ([\d,]+) s")


def one_run(page, srv: stapp.Server, query: str, watched: bool, look_every_s: float) -> float:
    """Seconds the page reports for one run of `query`. Away, the browser looks in on the
    training page every `look_every_s` seconds, only to see whether the run is over."""
    stapp.visit(page, srv, f"/training?{query}", timeout_s=600)
    if stapp.button(page, "t_reset").is_enabled():  # the previous run: thrown away
        stapp.button(page, "t_reset").click()
        stapp.wait_idle(page, 300)
    stapp.button(page, "t_start").click()
    stapp.wait_idle(page, 300)
    while not DONE.search(stapp.main_text(page)):
        if watched:
            page.wait_for_timeout(1_000)
            continue
        stapp.go(page, TEXTS["nav.home"], "/", timeout_s=300)
        page.wait_for_timeout(look_every_s * 1000)
        stapp.go(page, TEXTS["nav.training"], "/training", timeout_s=300)
    return float(DONE.search(stapp.main_text(page)).group(1).replace(",", ""))


def main() -> int:
    a = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a.add_argument("--pairs", type=int, default=3, help="pairs of runs (3)")
    a.add_argument("--subset", type=int, default=60_000, help="training images (60000)")
    a.add_argument("--epochs", type=int, default=1, help="epochs per run (1)")
    a.add_argument("--look-every", type=float, default=30.0,
                   help="away: seconds between two looks at the training page (30)")
    a.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = a.parse_args()
    from playwright.sync_api import sync_playwright

    query = f"tr_sub=custom&tr_n={args.subset}&tr_ep={args.epochs}"
    images = args.subset * args.epochs
    cores = sorted(os.sched_getaffinity(0))
    wrapper = Path(tempfile.mkdtemp()) / "chromium"  # the last core, only when it is idle
    wrapper.write_text(f"#!/bin/sh\nexec taskset -c {cores[-1]} chrt --idle 0 "
                       f"{args.chromium} \"$@\"\n")
    wrapper.chmod(0o755)
    srv = stapp.Server(data_dir=stapp.data_dir_for_tests(Path(tempfile.mkdtemp())),
                       log=ROOT / "tests" / "artifacts" / "live_overhead.log")
    speeds: dict[bool, list[float]] = {True: [], False: []}
    with srv.start(600), sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(wrapper), args=stapp.CHROMIUM_ARGS)
        page = browser.new_page(viewport=stapp.VIEWPORT)
        for i in range(2 * args.pairs):
            watched = i % 2 == 0
            seconds = one_run(page, srv, query, watched, args.look_every)
            speeds[watched].append(images / seconds)
            print(f"  {'watched' if watched else 'away   '} {images:,} images in {seconds:,.0f} s:"
                  f" {speeds[watched][-1]:6,.0f} images/s", flush=True)
        browser.close()
    watched, away = (statistics.median(speeds[k]) for k in (True, False))
    print(f"median watched {watched:,.0f} images/s, median away {away:,.0f} images/s: the open "
          f"page costs {1 - watched / away:.1%} ({args.pairs} pairs, {os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
