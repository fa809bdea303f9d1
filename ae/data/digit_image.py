"""A learner's own digit (a photo, a scan, a drawing) made into an MNIST picture, step by step.

MNIST's digits were prepared this way (LeCun et al.): each was scaled so that its longer side is
20 pixels, keeping its shape, then placed in a 28 x 28 frame so that its centre of mass sits at
the centre. `prepare` does the same to any picture and keeps every step as a picture, because
the steps are a lesson of their own: a digit drawn in a corner, or thin, lands elsewhere on the
wall until it is prepared like the digits the encoder learned from.

`decode` reads an uploaded file safely first: it refuses what is not an image or is truncated,
and a picture whose pixel count could exhaust memory (a decompression bomb) before it is
decoded; it takes the first frame of an animation, converts 16-bit, CMYK, palette and
transparent pictures (a transparent background is paper, not ink), and says what it did.
Every refusal is a `DigitImageError` with a sentence a learner can act on; it and each
`Note` carry a `reason` and its numbers, so a page can say the same in the learner's language.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageOps, UnidentifiedImageError

SIDE, BOX = 28, 20  # MNIST: 28 x 28 frames, the digit scaled into a 20 x 20 box
MAX_PIXELS = 40_000_000  # a 40-megapixel photo decodes to ~160 MB of floats; larger: refused
MAX_BYTES = 20 * 1024 * 1024  # the upload limit this module holds itself to
INK = 0.2  # a pixel is ink when at least this dark on white paper (after inverting, this bright)


# what went wrong or what was done, in English; a page looks `reason` up in its own texts
MESSAGES = {
    "empty": "the file is empty: choose a picture of a digit (PNG, JPEG, WebP)",
    "too_large": "the file has {mb:.0f} MB; pictures up to {limit} MB are read. Send a smaller "
                 "photo.",
    "bomb": "the picture claims {pixels} pixels, too many to open safely (at most {limit} "
            "million); it was not decoded. Send a smaller photo.",
    "not_image": "this file is not a picture that can be read (PNG, JPEG, WebP, GIF, BMP or "
                 "TIFF)",
    "damaged": "the picture is damaged or cut short and cannot be read",
    "not_2d": "a picture must be 2-D greyscale, not of shape {shape}",
    "no_ink": "no ink found: the picture is blank (or the digit is too faint). Draw or "
              "photograph a darker digit on plain paper.",
}
NOTES = {
    "frames": "the file holds {frames} frames; the first one is used",
    "sixteen_bit": "a 16-bit picture, scaled to 0..1",
    "transparent": "transparent parts count as white paper",
}


class DigitImageError(ValueError):
    """The picture cannot become a digit; the message says why and what to try. `reason` (a
    key of MESSAGES) and `params` let a page say it in another language."""

    def __init__(self, reason: str, **params):
        super().__init__(MESSAGES[reason].format(**params))
        self.reason, self.params = reason, params


@dataclass(frozen=True)
class Note:
    """Something done on the way that the learner should know (a key of NOTES, its numbers)."""

    reason: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return NOTES[self.reason].format(**self.params)


@dataclass
class Prepared:
    """The finished 28 x 28 digit (float32 in [0, 1], white ink on black) and each step."""

    image: np.ndarray  # (28, 28)
    steps: dict[str, np.ndarray]  # "grey", "dark", "cropped", "scaled", "centred": pictures
    inverted: bool  # the paper was light, so the picture was inverted
    notes: list[Note] = field(default_factory=list)  # what decode and prepare did on the way


# -- reading a file -----------------------------------------------------------------------------
def decode(data: bytes) -> tuple[np.ndarray, list[Note]]:
    """File bytes -> (greyscale float32 picture in [0, 1], notes). 0 is black, 1 white."""
    if not data:
        raise DigitImageError("empty")
    if len(data) > MAX_BYTES:
        raise DigitImageError("too_large", mb=len(data) / 2**20, limit=MAX_BYTES // 2**20)
    notes: list[Note] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))  # reads the header only: the size is known now
            w, h = im.size
            if w * h > MAX_PIXELS:
                raise DigitImageError("bomb", pixels=f"{w:,} x {h:,}",
                                      limit=MAX_PIXELS // 1_000_000)
            frames = getattr(im, "n_frames", 1)
            if frames > 1:
                im.seek(0)
                notes.append(Note("frames", {"frames": frames}))
            im.load()
    except DigitImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DigitImageError("bomb", pixels=f"over {2 * Image.MAX_IMAGE_PIXELS:,}",
                              limit=MAX_PIXELS // 1_000_000) from None
    except UnidentifiedImageError:
        raise DigitImageError("not_image") from None
    except (OSError, SyntaxError, ValueError):  # truncated or damaged
        raise DigitImageError("damaged") from None
    return _grey(im, notes), notes


def _grey(im: Image.Image, notes: list[Note]) -> np.ndarray:
    """Any mode -> float greyscale in [0, 1], transparency composited onto white paper."""
    im = ImageOps.exif_transpose(im)  # a phone photo taken sideways stands upright
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        a = np.asarray(im, dtype=np.float64)
        top = 65535.0 if a.max() > 255 or im.mode.startswith("I;16") else 255.0
        notes.append(Note("sixteen_bit"))
        return np.clip(a / top, 0, 1).astype(np.float32)
    if im.mode == "F":
        a = np.asarray(im, dtype=np.float64)
        return np.clip(a / max(a.max(), 1e-12), 0, 1).astype(np.float32)
    if im.mode == "P":
        im = im.convert("RGBA")  # a palette may carry a transparent colour
    if im.mode in ("RGBA", "LA", "PA") or "transparency" in im.info:
        rgba = im.convert("RGBA")
        if rgba.getextrema()[3][0] < 255:
            notes.append(Note("transparent"))
        paper = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        im = Image.alpha_composite(paper, rgba)
    return np.asarray(im.convert("L"), dtype=np.float32) / 255.0  # CMYK, RGB, 1-bit: via L


# -- preparing it like MNIST --------------------------------------------------------------------
def prepare(grey: np.ndarray, notes: list[Note] | None = None) -> Prepared:
    """A greyscale picture (0 black .. 1 white, any size) -> an MNIST digit, with its steps.

    1. dark background: the paper's brightness is read on the picture's border; light paper
       (a drawing, a scan) is inverted so the ink is white on black, as in MNIST;
    2. cropped to the ink (pixels at least INK bright after step 1);
    3. scaled (antialiased) so that the longer side is 20 pixels, the shape kept;
    4. placed in a 28 x 28 frame with its centre of mass at the centre.
    """
    g = np.asarray(grey, dtype=np.float32)
    if g.ndim != 2 or min(g.shape) < 1:
        raise DigitImageError("not_2d", shape=g.shape)
    inverted = paper(g) > 0.5
    dark = 1.0 - g if inverted else g.copy()
    dark = np.clip(dark - paper(dark), 0, 1)  # paper -> black
    top = float(dark.max())
    if top < INK:
        raise DigitImageError("no_ink")
    dark = dark / top  # the darkest stroke becomes full white, as in MNIST
    rows, cols = np.nonzero(dark >= INK)
    cropped = dark[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    scaled = _scale(cropped, BOX)
    centred = _centre(scaled, SIDE)
    steps = {"grey": g, "dark": dark, "cropped": cropped, "scaled": scaled, "centred": centred}
    return Prepared(centred, steps, inverted, list(notes or []))


def paper(img: np.ndarray) -> float:
    """The paper's brightness: the median of the picture's border pixels."""
    a = np.asarray(img)
    return float(np.median(np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])))


def _scale(img: np.ndarray, box: int) -> np.ndarray:
    """Resize so that the longer side is `box`, keeping the aspect ratio (at least 1 pixel)."""
    h, w = img.shape
    f = box / max(h, w)
    size = (max(1, round(h * f)), max(1, round(w * f)))
    t = torch.from_numpy(np.ascontiguousarray(img))[None, None]
    out = F.interpolate(t, size=size, mode="bilinear", align_corners=False, antialias=True)
    return out[0, 0].clamp(0, 1).numpy()


def _centre(img: np.ndarray, side: int) -> np.ndarray:
    """Place `img` in a side x side black frame with its centre of mass at pixel (14, 14) of
    28 x 28, as MNIST's digits have it (side / 2: measured on its test set), rounded to whole
    pixels and never pushed out of the frame."""
    h, w = img.shape
    total = float(img.sum())
    cy = float((img.sum(1) * np.arange(h)).sum() / total) if total else (h - 1) / 2
    cx = float((img.sum(0) * np.arange(w)).sum() / total) if total else (w - 1) / 2
    top = int(np.clip(round(side / 2 - cy), 0, side - h))
    left = int(np.clip(round(side / 2 - cx), 0, side - w))
    out = np.zeros((side, side), np.float32)
    out[top:top + h, left:left + w] = img
    return out


def from_file(data: bytes) -> Prepared:
    """`decode` then `prepare`: an uploaded file's bytes -> the MNIST digit and its steps."""
    grey, notes = decode(data)
    return prepare(grey, notes)


def from_pixels(pixels: np.ndarray) -> Prepared:
    """A drawing canvas' pixels, uint8 (H, W), (H, W, 3) or (H, W, 4) -> the MNIST digit and its
    steps; where the canvas is transparent it is paper, as in a file."""
    a = np.asarray(pixels)
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (3, 4)) or not a.size:
        raise DigitImageError("not_2d", shape=a.shape)
    return prepare(_grey(Image.fromarray(np.ascontiguousarray(a, dtype=np.uint8)), []))
