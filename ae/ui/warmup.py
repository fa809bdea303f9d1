"""The shipped models' heavy results, computed in the background once the server has its data:
the wall of 10,000 test codes, the three defect reports, the reconstruction errors, the
classifier's scores and the cure page's measures.

Why: otherwise the first visitor of the wall page waits for all of it, in front of the class.
The first page load starts one daemon thread; it fills the same server-wide `st.cache_resource`
entries the pages read (`ae.ui.results`), and a page that asks meanwhile waits for that
computation instead of starting its own. At interpreter exit the thread is asked to stop and
waited for between two results, so it is never cut off inside torch. Models trained or
uploaded in a session are not warmed: their results belong to that session.

AE_WARMUP=0 turns it off (the page tests do, to keep each test's cache its own).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time

from ae.data.sources import Dataset
from ae.ui import cure_panels, models, resources, results
from ae.ui.state import InPlay

_started = False
_start_lock = threading.Lock()
_stop = threading.Event()
_log = logging.getLogger(__name__)


def precompute(inplay: InPlay, ds: Dataset) -> None:
    """Everything the wall and reconstruction pages compute once per model, for `inplay`."""
    steps = [lambda: results.wall(inplay, ds), lambda: results.recon_errors(inplay, ds)]
    steps += [lambda name=name: _defect(inplay, ds, name) for name in results.DEFECTS]
    steps.append(lambda: _recognisability(inplay, ds))
    steps.append(lambda: cure_panels.measures(inplay, ds))
    for step in steps:
        if _stop.is_set():
            return
        step()


def _defect(inplay: InPlay, ds: Dataset, name: str) -> None:
    if (wall := results.wall(inplay, ds)) is not None:
        results.defect_report(inplay, ds, wall, name)


def _recognisability(inplay: InPlay, ds: Dataset) -> None:
    wall, clf = results.wall(inplay, ds), resources.classifier(ds.name)
    if wall is not None and clf is not None:
        results.recognisability(inplay, ds, wall, clf)


def _run(ds: Dataset) -> None:
    for name in resources.shipped_available():
        t0 = time.perf_counter()
        try:
            inplay = models.shipped(name)
            if inplay.dataset != ds.name:  # another data set than the one loaded: its first
                continue  # visitor pays
            precompute(inplay, ds)
        except Exception:  # a warm-up must never take the server down; the page will retry
            _log.exception("warm-up of the shipped model %r", name)
            continue
        _log.info("warm-up: %s model ready in %.1f s", name, time.perf_counter() - t0)


def _stop_and_wait(thread: threading.Thread) -> None:
    _stop.set()
    thread.join()


def start(ds: Dataset) -> threading.Thread | None:
    """Once per server, after the first page has loaded `ds`; the thread it started."""
    global _started
    if os.environ.get("AE_WARMUP", "1") == "0":
        return None
    with _start_lock:
        if _started:
            return None
        _started = True
    _stop.clear()
    thread = threading.Thread(target=_run, args=(ds,), name="ae-warmup", daemon=True)
    thread.start()
    atexit.register(_stop_and_wait, thread)
    return thread
