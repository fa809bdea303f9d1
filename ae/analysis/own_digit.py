"""Where N.Coder pins a learner's own digit: its mark, D.Coder's repainting, what the digit
classifier reads in each, the nearest test marks; and the learner's marks of a session.

The picture comes in prepared like MNIST (`ae.data.digit_image.prepare`), so the question "where
would *my* 7 go?" is answered for the same kind of picture the encoder learned from. `MarkBook`
keeps a session's marks (at most MAX_MARKS), removes one, and writes them out as a PNG strip and
a CSV of coordinates, so a learner can take them home.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image
from torch import nn

from ae.analysis.classifier import predict_proba
from ae.analysis.latent import decode, encode, encode_spread

MAX_MARKS = 50  # a session's own marks on the wall
K_NEAREST = 5


@dataclass
class Landing:
    """One picture's journey: prepared input -> mark (and patch) -> repainting, and neighbours."""

    image: np.ndarray               # (H, W) the prepared input, float32 in [0, 1]
    code: np.ndarray                # (z,) its mark (a VAE's mu)
    sigma: np.ndarray | None        # (z,) a VAE's spread exp(log_var / 2); None for the AE
    repainted: np.ndarray           # (H, W) what D.Coder paints from the mark
    read_input: tuple[int, float] | None      # the classifier's digit and confidence
    read_repainted: tuple[int, float] | None  # the same for the repainting
    nearest: np.ndarray             # (k,) indices of the nearest test marks, nearest first
    nearest_distance: np.ndarray    # (k,) their distances to the mark


def _read(clf: nn.Module | None, image: np.ndarray) -> tuple[int, float] | None:
    if clf is None:
        return None
    p = predict_proba(clf, image[None])[0]
    return int(p.argmax()), float(p.max())


def land(model: nn.Module, image: np.ndarray, test_codes: np.ndarray,
         clf: nn.Module | None = None, k: int = K_NEAREST) -> Landing:
    """Encode a prepared (H, W) picture, repaint it, read both with `clf` (None: no reading)
    and find the k test marks nearest to its mark (Euclidean, in the latent space)."""
    x = np.asarray(image, dtype=np.float32)[None, None]
    code = encode(model, x, precision="fp32")[0]
    spread = encode_spread(model, x)
    repainted = decode(model, code[None])[0]
    d = np.linalg.norm(np.asarray(test_codes, dtype=np.float32) - code, axis=1)
    k = min(k, len(d))
    nearest = np.argsort(d, kind="stable")[:k]
    return Landing(x[0, 0], code, None if spread is None else spread[1][0], repainted,
                   _read(clf, x[0, 0]), _read(clf, repainted), nearest, d[nearest])


@dataclass
class Mark:
    image: np.ndarray  # (H, W) the prepared input
    digit: int | None  # what the learner says it is (None: not said)


@dataclass
class MarkBook:
    """A session's own digits: add (at most MAX_MARKS), remove, export; nothing else shared.

    It keeps the pictures, not their marks: the same drawings land on the wall of whichever
    model is in play (`codes(model)`), so switching models moves them with it."""

    marks: list[Mark] = field(default_factory=list)
    limit: int = MAX_MARKS

    def add(self, image: np.ndarray, digit: int | None) -> Mark:
        """Keep a picture; ValueError (with the limit in it) when the book is full."""
        if len(self.marks) >= self.limit:
            raise ValueError(f"this session already has {self.limit} digits on the wall; "
                             "remove one to add another")
        if digit is not None and not (isinstance(digit, int) and 0 <= digit <= 9):
            raise ValueError(f"the digit must be 0 to 9, not {digit!r}")
        mark = Mark(np.asarray(image, dtype=np.float32).copy(), digit)
        self.marks.append(mark)
        return mark

    def remove(self, i: int) -> None:
        """Forget mark i (its place in `marks`); an index out of range changes nothing."""
        if 0 <= i < len(self.marks):
            del self.marks[i]

    def images(self) -> np.ndarray:
        """(n, H, W) the pictures, in the order they were added."""
        if not self.marks:
            return np.zeros((0, 28, 28), np.float32)
        return np.stack([m.image for m in self.marks])

    def digits(self) -> list[int | None]:
        return [m.digit for m in self.marks]

    def codes(self, model: nn.Module) -> np.ndarray:
        """(n, z) where `model`'s encoder pins each picture (a VAE: mu)."""
        if not self.marks:
            return np.zeros((0, model.config.z_dim), np.float32)
        return encode(model, self.images()[:, None], precision="fp32")

    def to_csv(self, codes: np.ndarray) -> str:
        """One row per mark: its number, the digit said, and its coordinates z1, z2, ... (the
        `codes` of the model in play, one row per mark)."""
        codes = np.asarray(codes).reshape(len(self.marks), -1)
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["mark", "digit", *(f"z{i + 1}" for i in range(codes.shape[1]))])
        for i, (m, c) in enumerate(zip(self.marks, codes, strict=True), 1):
            w.writerow([i, "" if m.digit is None else m.digit, *(f"{v:.6g}" for v in c)])
        return buf.getvalue()

    def to_png_strip(self) -> bytes:
        """The marks' pictures side by side (white ink on black, as MNIST), as PNG bytes."""
        if not self.marks:
            raise ValueError("no marks yet: there is nothing to download")
        strip = np.concatenate(list(self.images()), axis=1)
        buf = io.BytesIO()
        Image.fromarray((np.clip(strip, 0, 1) * 255).round().astype(np.uint8)).save(buf, "PNG")
        return buf.getvalue()
