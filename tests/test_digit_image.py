"""A learner's own digit prepared like MNIST: moved, scaled, inverted, blurred or on transparent
paper, it comes back as the same 28 x 28 digit; every bad file gets its own message."""

import io

import numpy as np
import pytest
from PIL import Image

from ae.data import synthetic
from ae.data.digit_image import MAX_BYTES, DigitImageError, decode, from_file, prepare

DIGITS, _ = synthetic.make_digits(20, seed=3)  # MNIST-shaped: white ink on black, uint8
GREY = [d.astype(np.float32) / 255 for d in DIGITS]


def png(im: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, format=kw.pop("format", "PNG"), **kw)
    return buf.getvalue()


def placed(d: np.ndarray, side: int, top: int, left: int, scale: int = 1) -> np.ndarray:
    big = np.kron(d, np.ones((scale, scale), np.float32))
    out = np.zeros((side, side), np.float32)
    out[top:top + big.shape[0], left:left + big.shape[1]] = big
    return out


def blurred(d: np.ndarray) -> np.ndarray:
    k = np.array([1, 2, 1], np.float32) / 4
    d = np.apply_along_axis(lambda r: np.convolve(r, k, mode="same"), 0, d)
    return np.apply_along_axis(lambda r: np.convolve(r, k, mode="same"), 1, d)


VARIANTS = {  # name: (change, mean and largest pixel error allowed over the 20 digits)
    "in a corner of a big frame": (lambda d: placed(d, 120, 4, 85), 0.005, 0.01),
    "three times larger": (lambda d: placed(d, 110, 10, 20, scale=3), 0.02, 0.08),
    "black ink on white paper": (lambda d: 1 - placed(d, 60, 20, 5), 0.005, 0.01),
    "blurred (a photo three times larger)": (lambda d: blurred(placed(d, 90, 6, 6, scale=3)),
                                             0.04, 0.1),  # blurring really changes it
}


@pytest.mark.parametrize("name", VARIANTS)
def test_a_moved_scaled_inverted_or_blurred_digit_comes_back_the_same(name):
    change, mean_max, worst_max = VARIANTS[name]
    errors = []
    for d in GREY:
        want = prepare(d).image
        got = prepare(change(d))
        assert got.image.shape == (28, 28) and got.image.dtype == np.float32
        assert got.inverted == (name == "black ink on white paper")
        errors.append(np.abs(got.image - want).mean())
    assert np.mean(errors) < mean_max and max(errors) < worst_max, (name, errors)


def test_the_prepared_digit_fits_a_20_pixel_box_centred_by_its_mass():
    p = prepare(placed(GREY[0], 90, 30, 3, scale=2))
    assert list(p.steps) == ["grey", "dark", "cropped", "scaled", "centred"]
    assert max(p.steps["scaled"].shape) == 20
    rows, cols = np.nonzero(p.image > 0.05)
    assert rows.max() - rows.min() < 22 and cols.max() - cols.min() < 22
    mass = p.image / p.image.sum()
    cy, cx = (mass.sum(1) * np.arange(28)).sum(), (mass.sum(0) * np.arange(28)).sum()
    assert abs(cy - 14) <= 0.5 and abs(cx - 14) <= 0.5  # where MNIST puts it


def test_transparent_paper_is_paper_not_ink():
    ink = placed(GREY[1], 64, 10, 10)
    rgba = np.zeros((64, 64, 4), np.uint8)  # black ink whose alpha is the stroke, no paper
    rgba[..., 3] = (ink * 255).astype(np.uint8)
    p = from_file(png(Image.fromarray(rgba, "RGBA")))
    assert p.inverted and any("transparent" in str(n) for n in p.notes)
    assert np.abs(p.image - prepare(GREY[1]).image).mean() < 0.04


def test_16_bit_cmyk_and_palette_pictures_are_converted():
    paper = (1 - placed(GREY[2], 56, 14, 14))
    want = prepare(GREY[2]).image
    sixteen = Image.fromarray((paper * 65535).astype(np.uint16))
    assert sixteen.mode.startswith("I;16")
    cmyk = Image.fromarray((paper * 255).astype(np.uint8)).convert("CMYK")
    pal = Image.fromarray((paper * 255).astype(np.uint8)).convert("P")
    for im, fmt in ((sixteen, "PNG"), (cmyk, "JPEG"), (pal, "PNG")):
        got = from_file(png(im, format=fmt)).image
        assert np.abs(got - want).mean() < 0.05, (im.mode, fmt)


def test_an_animation_uses_its_first_frame_and_says_so():
    frames = [Image.fromarray(((1 - placed(GREY[i], 40, 6, 6)) * 255).astype(np.uint8))
              for i in (3, 4)]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    p = from_file(buf.getvalue())
    assert any("2 frames" in str(n) for n in p.notes)
    assert np.abs(p.image - prepare(GREY[3]).image).mean() < 0.05


@pytest.mark.parametrize("data,needle", [
    (b"", "empty"),
    (b"this is not a picture at all", "not a picture"),
    (b"x" * (MAX_BYTES + 1), "MB"),
])
def test_bad_files_get_a_clear_message(data, needle):
    with pytest.raises(DigitImageError, match=needle):
        decode(data)


def test_a_truncated_picture_is_refused():
    data = png(Image.fromarray((GREY[5] * 255).astype(np.uint8)))
    with pytest.raises(DigitImageError, match="damaged or cut short"):
        decode(data[: len(data) // 2])


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = png(Image.new("1", (9_000, 5_000)))  # 45 million pixels in a few kB
    assert len(bomb) < 100_000
    with pytest.raises(DigitImageError, match="too many pixels|million"):
        decode(bomb)


@pytest.mark.parametrize("grey", [np.ones((40, 40)), np.full((40, 40), 0.5), np.zeros((9, 9))])
def test_a_blank_canvas_or_photo_has_no_ink(grey):
    with pytest.raises(DigitImageError, match="no ink found"):
        prepare(grey)


def test_a_prepared_variant_lands_near_the_originals_mark_on_the_shipped_wall():
    from ae.analysis import encode
    from ae.model import checkpoint
    from ae.ui.resources import SHIPPED

    model = checkpoint.load(SHIPPED["book"]).model()
    originals = np.stack([prepare(d).image for d in GREY])
    codes = encode(model, originals[:, None])
    spread = float(codes.std(axis=0).mean())
    for name, (change, _, _) in VARIANTS.items():
        moved = encode(model, np.stack([prepare(change(d)).image for d in GREY])[:, None])
        distance = np.linalg.norm(moved - codes, axis=1)
        assert np.median(distance) < 0.15 * spread, (name, distance, spread)


def test_real_mnist_digits_are_already_prepared(tmp_path_factory):
    """MNIST itself was made this way, so preparing its digits again changes little."""
    from test_shipped import mnist_root

    from ae import data

    root = mnist_root(tmp_path_factory)
    if root is None:
        pytest.skip("MNIST not available here")
    x = data.load("mnist", root=root).x_test[:200].numpy().astype(np.float32) / 255
    errors = [np.abs(prepare(d).image - d).mean() for d in x]
    assert np.median(errors) < 0.005, np.percentile(errors, [50, 90])  # measured: 0.0


def test_every_refusal_and_note_has_a_reason_a_page_can_translate():
    from ae.data.digit_image import MESSAGES, NOTES
    for data, reason in ((b"", "empty"), (b"not a picture", "not_image")):
        with pytest.raises(DigitImageError) as e:
            decode(data)
        assert e.value.reason == reason and e.value.reason in MESSAGES
    with pytest.raises(DigitImageError) as e:
        prepare(np.ones((5, 5)))
    assert e.value.reason == "no_ink"
    frames = [Image.fromarray(((1 - placed(GREY[i], 40, 6, 6)) * 255).astype(np.uint8))
              for i in (3, 4)]
    buf = io.BytesIO()
    frames[0].save(buf, format="GIF", save_all=True, append_images=frames[1:])
    note = from_file(buf.getvalue()).notes[0]
    assert note.reason in NOTES and note.params == {"frames": 2}


@pytest.mark.parametrize("background", ["white", "transparent"])
def test_a_canvas_drawing_black_on_white_or_on_nothing_becomes_the_digit(background):
    from ae.data.digit_image import from_pixels
    ink = placed(GREY[6], 280, 30, 40, scale=7)  # a 196-px digit on a 280-px canvas
    rgba = np.zeros((280, 280, 4), np.uint8)
    if background == "white":
        rgba[...] = 255
        rgba[..., :3] = ((1 - ink) * 255).astype(np.uint8)[..., None]
    else:  # black strokes whose alpha is the ink, as a canvas without a background gives
        rgba[..., 3] = (ink * 255).astype(np.uint8)
    p = from_pixels(rgba)
    assert p.inverted and not p.notes
    assert np.abs(p.image - prepare(GREY[6]).image).mean() < 0.03
    with pytest.raises(DigitImageError, match="no ink found"):
        from_pixels(np.full((280, 280, 4), 255, np.uint8))
    with pytest.raises(DigitImageError):
        from_pixels(np.zeros((280, 280, 2), np.uint8))
