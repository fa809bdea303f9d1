"""The shipped models' heavy results, computed in the background as soon as the server has
its data: the wall of 10,000 test codes, the three defect reports, the reconstruction errors
and the classifier's scores.

Why: otherwise the first visitor of the wall page waits for all of it (7-9 s on a busy 2-core
machine), in front of the class. The teacher's first page load starts this thread; by the time
the lesson reaches the wall, the results are in the server-wide cache (`resources`), and a
page that asks while they are being computed waits for the same computation (one lock per
result) instead of starting its own. Models trained or uploaded in a session are not warmed:
their results belong to that session.

AE_WARMUP=0 turns it off (the page tests do, to keep each test's cache its own).
"""

from __future__ import annotations

import logging
import os
import threading
import time

from ae.data.sources import Dataset
from ae.ui import cached, models, resources, state, wall_panels, wall_view

_started = False
_lock = threading.Lock()
_log = logging.getLogger(__name__)


def precompute(inplay: state.InPlay, ds: Dataset) -> None:
    """Everything the wall and reconstruction pages compute once per model, for `inplay`."""
    wall = wall_view.load(inplay, ds)
    if wall is None:
        return
    for name in wall_view.DEFECTS:
        wall_view.defect_report(inplay, wall, name)
    cached.recon_errors(inplay, ds)
    clf = resources.classifier()
    if clf is not None and ds.name == "mnist":
        wall_panels.recognisability(inplay, wall, clf)


def _run() -> None:
    for name in resources.shipped_available():
        t0 = time.perf_counter()
        try:
            inplay = models.shipped(name)
            ds = resources.loaded_dataset(inplay.dataset)
            if ds is None:  # another data set than the one loaded: its first visitor pays
                continue
            precompute(inplay, ds)
        except Exception:  # a warm-up must never take the server down; the page will retry
            _log.exception("warm-up of the shipped model %r", name)
            continue
        _log.info("warm-up: %s model ready in %.1f s", name, time.perf_counter() - t0)


def start() -> threading.Thread | None:
    """Once per server, after the first page has loaded the data set; the thread it started."""
    global _started
    if os.environ.get("AE_WARMUP", "1") == "0":
        return None
    with _lock:
        if _started:
            return None
        _started = True
    thread = threading.Thread(target=_run, name="ae-warmup", daemon=True)
    thread.start()
    return thread
