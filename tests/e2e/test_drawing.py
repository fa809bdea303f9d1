"""The own-digit page in a real browser: digits drawn with the mouse on the canvas, pen down,
along each stroke, pen up, as a learner draws them.

The strokes are traced from MNIST test images (tests/strokes.py). Each drawing must get its
preparation, its mark on the wall, D.Coder's repainting and the classifier's two readings; it
is then kept with the digit it shows, and the canvas starts afresh. With real MNIST beside the
server (AE_E2E_DATA_DIR, or what the app fetched), the first N_TRACED test digits are drawn and
the classifier's readings are counted and written to tests/artifacts/e2e/own_digit_readings.json;
without it, a few of the synthetic digits the app would train on. The page with its last
drawing is the README's screenshot.
"""

from __future__ import annotations

import json
import re
import time

import numpy as np
import pytest
import stapp
import strokes
from test_browser import PAGE_S, assert_clean, en

from ae.data import synthetic

pytestmark = pytest.mark.e2e

CANVAS = "iframe[title='streamlit_drawable_canvas.st_canvas']"
READS = re.compile(re.escape(en("own.read").split("{")[0].replace("**", "")) + r"(\d) \((\d+)%\)")
N_TRACED, N_SYNTHETIC = 20, 3
ARTIFACTS = stapp.REPO / "tests" / "artifacts" / "e2e"
MIN_READ = 16  # of N_TRACED read right from the prepared input (20 of 20 offline, PIL-drawn)


def digits(server: stapp.Server) -> tuple[np.ndarray, np.ndarray, str]:
    """The digits to draw: MNIST's first test images when the server has them, else a few
    synthetic digits."""
    real = strokes.mnist_test(N_TRACED, server.data_dir)
    if real is not None:
        return real[0], real[1], "mnist"
    x, y = synthetic.make_digits(N_SYNTHETIC, seed=0)
    return x, y, "synthetic"


def canvas_box(page) -> dict:
    """The drawing layer of a freshly mounted canvas, scrolled into view, in the viewport's
    coordinates (where the mouse moves)."""
    page.locator(CANVAS).wait_for(timeout=60_000)
    page.locator(CANVAS).evaluate("el => el.scrollIntoView({block: 'center'})")
    layer = page.frame_locator(CANVAS).locator("canvas.upper-canvas").last
    layer.wait_for(timeout=60_000)
    box, before = layer.bounding_box(), None
    while box != before:  # until a (smooth) scroll has come to rest
        page.wait_for_timeout(250)
        before, box = box, layer.bounding_box()
    view = page.viewport_size
    assert box and box["width"] == box["height"] == 280, f"canvas {box}"
    assert box["y"] >= 0 and box["y"] + box["height"] <= view["height"], f"off screen: {box}"
    return box


def draw(page, pen_strokes) -> None:
    """Each stroke with the mouse: down at its first point, through the others, up."""
    box = canvas_box(page)
    for stroke in pen_strokes:
        (x0, y0), rest = stroke[0], stroke[1:] or [(stroke[0][0] + 1, stroke[0][1] + 1)]
        page.mouse.move(box["x"] + x0, box["y"] + y0)
        page.mouse.down()
        for x, y in rest:
            page.mouse.move(box["x"] + x, box["y"] + y, steps=3)
        page.mouse.up()


def landed(page, timeout_s: float = PAGE_S) -> list[tuple[int, int]]:
    """Wait for the drawing's mark and both readings; the readings (digit, percent)."""
    t0 = time.monotonic()
    while True:
        stapp.wait_idle(page, timeout_s)
        text = stapp.main_text(page)
        reads = [(int(d), int(p)) for d, p in READS.findall(text)]
        if en("own.land.at").split("{")[0].replace("**", "") in text and len(reads) == 2:
            return reads
        assert time.monotonic() - t0 < timeout_s, "no mark, repainting or readings appeared"
        page.wait_for_timeout(300)


def keep(page, digit: int, n_kept: int) -> None:
    """Say which digit it is, keep it; the kept list grows and the canvas starts afresh."""
    stapp.keyed(page, "own_said").get_by_text(str(digit), exact=True).click()
    stapp.wait_idle(page, PAGE_S)
    stapp.button(page, "own_keep").click()
    want = en("own.h.mine", n=n_kept, limit=50)
    page.get_by_text(want, exact=True).wait_for(timeout=PAGE_S * 1000)
    page.get_by_text(en("own.waiting.draw")).wait_for(timeout=PAGE_S * 1000)
    stapp.wait_idle(page, PAGE_S, quiet_s=1.5)  # the fresh canvas has mounted and reported


@pytest.fixture
def page(server, new_tab):
    """A learner's tab on the own-digit page (a failing test screenshots it)."""
    tab = new_tab("own digit")
    stapp.visit(tab, server, "/own_digit", timeout_s=PAGE_S)
    return tab


def test_digits_drawn_with_the_mouse_land_are_repainted_read_and_kept(server, page, shots,
                                                                     outside):
    assert_clean(page, "own digit, empty")
    images, labels, source = digits(server)
    rows = []
    for i, (image, label) in enumerate(zip(images, labels, strict=True)):
        draw(page, strokes.trace(image))
        read_input, read_repainted = landed(page)
        assert_clean(page, f"drawing {i}")
        rows.append({"test_index": i, "label": int(label), "input": read_input[0],
                     "input_p": read_input[1], "repainted": read_repainted[0],
                     "repainted_p": read_repainted[1]})
        if i == len(images) - 1:  # the README's picture: a drawing, its steps and its mark
            stapp.screenshot(page, shots / "own_digit.png")
        keep(page, int(label), i + 1)
    assert_clean(page, "own digit, all kept")
    assert not outside, "requests to outside the server:\n" + "\n".join(outside[:20])
    right_in = sum(r["input"] == r["label"] for r in rows)
    right_out = sum(r["repainted"] == r["label"] for r in rows)
    report = {"source": source, "n": len(rows), "read_right_from_input": right_in,
              "read_right_from_repainting": right_out, "digits": rows}
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "own_digit_readings.json").write_text(json.dumps(report, indent=1))
    print(f"own digit: {source}, {len(rows)} drawn; the classifier reads {right_in} right from "
          f"the prepared input, {right_out} from D.Coder's repainting")
    if source == "mnist":
        assert right_in >= MIN_READ, report
