"""The stroke tracer the browser test draws with: a digit traced, drawn with the pen width it
chose and prepared like MNIST comes back close to the original; a bar is one stroke, a ring one
closed stroke; the strokes stay on the canvas. With AE_DATA_DIR pointing at real MNIST, the
classifier reads the traced-and-drawn first 20 test digits almost as well as the originals."""

import os

import numpy as np
import pytest
import strokes
from PIL import Image, ImageDraw

from ae.data.digit_image import prepare


def drawn(shape: str, width: int = 3) -> np.ndarray:
    """A 28 x 28 MNIST-like digit (uint8, white ink on black) drawn with PIL."""
    im = Image.new("L", (28, 28), 0)
    d = ImageDraw.Draw(im)
    if shape == "bar":  # a "1"
        d.line([(14, 4), (14, 23)], fill=255, width=width)
    elif shape == "ring":  # a "0"
        d.ellipse((7, 4, 21, 24), outline=255, width=width)
    elif shape == "seven":
        d.line([(7, 5), (20, 5), (11, 23)], fill=255, width=width, joint="curve")
    elif shape == "ell":
        d.line([(9, 4), (9, 23), (19, 23)], fill=255, width=width, joint="curve")
    return np.asarray(im, np.uint8)


SHAPES = ["bar", "ring", "seven", "ell"]


def redrawn(image: np.ndarray) -> np.ndarray:
    """trace -> render -> prepare: the 28 x 28 digit the dashboard would encode."""
    return prepare(strokes.render(strokes.trace(image), strokes.pen_width(image))).image


def iou(a: np.ndarray, b: np.ndarray, level: float = 0.5) -> float:
    """Intersection over union of the ink, the best over shifts of up to one pixel: `prepare`
    rounds the centre of mass to whole pixels, so a faithful copy may land one pixel over."""
    b = b >= level
    best = 0.0
    for dy in (-1, 0, 1):
        for dx in (-1, 0, 1):
            c = np.roll(a, (dy, dx), (0, 1)) >= level
            best = max(best, float((c & b).sum() / max((c | b).sum(), 1)))
    return best


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("width", [2, 3, 4])
def test_a_traced_and_drawn_digit_prepares_close_to_the_original(shape, width):
    image = drawn(shape, width)
    want = prepare(image.astype(np.float32) / 255).image
    got = redrawn(image)
    assert got.shape == (28, 28)
    assert iou(got, want) > 0.6, iou(got, want)
    assert 0.6 < got.sum() / want.sum() < 1.5  # about as much ink: the pen fits the stroke


def test_a_bar_is_one_stroke_and_a_ring_one_closed_stroke():
    bar = strokes.trace(drawn("bar"))
    assert len(bar) == 1 and len(bar[0]) >= 2
    (x0, y0), (x1, y1) = bar[0][0], bar[0][-1]
    assert abs(x1 - x0) < 20 and abs(y1 - y0) > 150  # vertical, about the 200-px box tall
    ring = strokes.trace(drawn("ring"))
    assert len(ring) == 1 and len(ring[0]) >= 6
    (x0, y0), (x1, y1) = ring[0][0], ring[0][-1]
    assert np.hypot(x1 - x0, y1 - y0) < 20  # closed: it ends where it began
    xs, ys = np.array(ring[0]).T
    assert xs.max() - xs.min() > 80 and ys.max() - ys.min() > 120  # round the whole ring
    seven = strokes.trace(drawn("seven"))
    assert len(seven) == 1 and 3 <= len(seven[0]) <= strokes.MAX_POINTS


@pytest.mark.parametrize("size,margin", [(280, 40), (400, 60), (140, 10)])
def test_the_strokes_stay_on_the_canvas_centred_at_the_asked_scale(size, margin):
    for shape in SHAPES:
        points = np.array([p for s in strokes.trace(drawn(shape), size, margin) for p in s])
        assert (points >= 0).all() and (points <= size - 1).all()
        box = (size - 2 * margin) / strokes.BOX * 20  # the ink spans ~20 MNIST px (ring, bar)
        centre = (points.min(0) + points.max(0)) / 2
        assert np.abs(centre - size / 2).max() < 0.1 * size, (shape, centre)
        assert np.ptp(points, 0).max() < box + 1


def test_uint8_and_float_pictures_trace_alike_and_blank_is_refused():
    image = drawn("seven")
    assert strokes.trace(image) == strokes.trace(image.astype(np.float32) / 255)
    with pytest.raises(ValueError):
        strokes.trace(np.zeros((28, 28), np.uint8))


def test_the_pen_follows_the_stroke_thickness_within_its_range():
    widths = [strokes.pen_width(drawn("ell", w)) for w in (1, 2, 3, 4, 5)]
    assert all(strokes.WIDTHS[0] <= w <= strokes.WIDTHS[1] for w in widths)
    assert widths == sorted(widths) and widths[-1] > widths[1]


def test_thinning_leaves_a_one_pixel_line():
    bar = np.zeros((40, 20), bool)
    bar[5:35, 6:14] = True
    s = strokes.thin(bar)
    rows = s[12:28].sum(1)
    assert (rows == 1).all() and s.sum() < 40


def test_render_draws_black_round_ink_on_white_paper():
    blank = strokes.render([], 20)
    assert blank.shape == (280, 280) and blank.dtype == np.float32 and (blank == 1).all()
    dot = strokes.render([[(100.0, 100.0)]], 20)  # a single point: a round dot
    assert dot[100, 100] == 0 and dot[100, 115] == 1 and 200 < (dot < 0.5).sum() < 450
    line = strokes.render([[(50, 50), (200, 50)]], 12, size=300)
    assert line.shape == (300, 300) and line[50, 120] == 0 and line[70, 120] == 1
    assert line[50, 44] == 0  # the round cap reaches past the end point


@pytest.mark.skipif(strokes.mnist_test(1, os.environ.get("AE_DATA_DIR")) is None,
                    reason="set AE_DATA_DIR to a folder with "
                    "MNIST/raw/t10k-*-ubyte(.gz) to trace real digits")
def test_the_classifier_reads_traced_real_digits():
    from ae.analysis import classifier

    images, labels = strokes.mnist_test(20, os.environ.get("AE_DATA_DIR"))
    clf = classifier.load()
    originals = classifier.predict_proba(clf, images).argmax(1).numpy()
    traced = classifier.predict_proba(clf, np.stack([redrawn(x) for x in images])).argmax(1)
    right, right_originals = int((traced.numpy() == labels).sum()), int((originals == labels).sum())
    assert right_originals >= 19
    assert right >= 17, f"{right} of 20 traced digits read right ({right_originals} originals)"
