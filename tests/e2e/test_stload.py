"""The load test's protocol client (scripts/stload/client.py) against a real server.

Why: the forty-student load run (scripts/class_load.py) is only as true as its client. A client
that took a fragment's auto-rerun for the end of a page, sent a slider value the server
ignores, or missed an exception element would report fast, clean pages that no browser sees.
Here one client session opens two pages, moves a slider by its key and sees the rerun carry the
new value, picks a point on the wall chart and sees the sliders follow it, and meets no
exception; meanwhile the tab's `run_every` fragment (its lease) auto-reruns.

It uses the browser tests' server when they have one (one server start less), else starts its
own (`stapp.Server` with the tests' data): no Chromium is needed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator

import pytest
import stapp

sys.path.insert(0, str(stapp.REPO / "scripts"))

from stload.client import StreamlitSession, slider_value  # noqa: E402

pytestmark = pytest.mark.e2e

PAGE_S = 600  # a cold wall page on a busy 2-core machine


@pytest.fixture(scope="module")
def base_url(request, tmp_path_factory) -> Iterator[str]:
    try:
        yield request.getfixturevalue("server").url  # the browser tests' server
        return
    except pytest.skip.Exception:  # no Chromium: a server of our own
        pass
    srv = stapp.Server(data_dir=stapp.data_dir_for_tests(tmp_path_factory.mktemp("data")),
                       log=stapp.REPO / "tests" / "artifacts" / "e2e" / "stload.log")
    srv.start(120)
    try:
        yield srv.url
    finally:
        srv.stop()


def test_client_opens_pages_moves_a_slider_and_picks_on_the_wall(base_url: str) -> None:
    with StreamlitSession(base_url, timeout_s=PAGE_S) as s:
        home = s.open("")
        assert home.ok, home.exceptions
        assert home.status == "FINISHED_SUCCESSFULLY" and home.elements
        assert "wall" in s.pages, f"the navigation lists the pages: {sorted(s.pages)}"
        assert "tab=" in s.query, f"the app's URL state came back: {s.query!r}"

        wall = s.open("wall")
        assert wall.ok, wall.exceptions
        assert s.page_hash == s.pages["wall"]
        assert s.has_widget("w_px") and s.has_widget("w_wall")

        # a slider moved by its key: the rerun (the wall section's fragment) draws it there
        px = s.widget("w_px")
        want = slider_value(px, 0.9)
        assert abs(want - s.value("w_px")[0]) > px.proto.step / 2, "a value that moves it"
        moved = s.slide("w_px", 0.9)
        assert moved.ok, moved.exceptions
        assert moved.status == "FINISHED_FRAGMENT_RUN_SUCCESSFULLY" and moved.fragment_id
        assert s.value("w_px")[0] == pytest.approx(want)

        # a point picked on the wall, far from the slider: the sliders follow it (on their step)
        points = s.chart_points("w_wall", "digit:")
        assert len(points) > 10 and "customdata" in points[0]
        far = max(points, key=lambda p: abs(p["x"] - s.value("w_px")[0]))
        picked = s.pick("w_wall", [far])
        assert picked.ok, picked.exceptions
        step = s.widget("w_px").proto.step
        lo, hi = s.widget("w_px").proto.min, s.widget("w_px").proto.max
        assert s.value("w_px")[0] == pytest.approx(min(max(far["x"], lo), hi), abs=step)
        assert s.value("w_py")[0] == pytest.approx(
            min(max(far["y"], s.widget("w_py").proto.min), s.widget("w_py").proto.max),
            abs=step)

        gen = s.open("generation")
        assert gen.ok, gen.exceptions
        assert s.has_widget("g_x:") and not s.has_widget("w_px")

        t0 = time.monotonic()  # the tab's lease fragment (run_every) reruns on its own
        while s.auto_reruns == 0 and time.monotonic() - t0 < 30:
            time.sleep(0.5)
        assert s.auto_reruns > 0 and s.auto
        assert not s.exceptions and s.error is None, (s.exceptions, s.error)
