"""The lesson's questions, each answered by a measurement of the model in play.

Predict, then reveal: a step of the lesson asks the class a question with a few choices before
it shows anything, then the measured answer. Each function below turns one measurement (the
defect reports, the continuity probe, the classifier's count, the loss history) into a
`Question` whose right choice is whatever the measurement says: nothing here knows the answer
for any particular model. Choices are language-free ids: a digit ("7"), a range ("10–30%"),
or a word the page translates ("yes", "no", "more", "same", "less").
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ae.analysis.cure import verdict
from ae.analysis.defects import nearest

CENTRED = 0.2  # the wall is "centred" when its centre is within a fifth of a spread of (0, 0)
ALIKE = 0.05   # two pictures "paint alike" when under 1 pixel in 20 changes by a quarter or more
LOSS_EDGES = (2.0, 5.0)                  # first / last loss: under 2x, 2-5x, over 5x
NEIGHBOUR_EDGES = (0.5, 0.8)             # share of marks whose nearest mark is the same digit
GAP_EDGES = (0.1, 0.3, 0.5)              # share of random points in a gap
WORDS = ("yes", "no", "more", "same", "less")  # choices the page translates


@dataclass(frozen=True)
class Question:
    """One prediction the class makes, and the measurement that answers it."""

    key: str                    # which question (the page's texts: lesson.q.<key>, lesson.a.<key>)
    choices: tuple[str, ...]    # what the class can pick, language-free ids
    answer_index: int           # the right choice, as measured
    value: float                # the measured value behind the answer
    facts: Mapping[str, Any] = field(default_factory=dict)  # more numbers for the reveal

    @property
    def answer(self) -> str:
        return self.choices[self.answer_index]

    def is_right(self, choice: str | None) -> bool:
        return choice == self.answer


def bucket(value: float, edges: Sequence[float]) -> int:
    """Which of the len(edges) + 1 ranges [.., e0), [e0, e1), ..., [e_last, ..) holds value."""
    return int(sum(value >= e for e in edges))


def pct_ranges(edges: Sequence[float]) -> tuple[str, ...]:
    """Range labels for shares: (0.1, 0.3) -> ("< 10%", "10–30%", "≥ 30%")."""
    p = [f"{100 * e:g}%" for e in edges]
    return (f"< {p[0]}", *(f"{a[:-1]}–{b}" for a, b in zip(p, p[1:], strict=False)),
            f"≥ {p[-1]}")


def count_ranges(n: int) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Four ranges of a count out of n, about a sixth, a third, a third and a sixth wide:
    30 -> ("0–5", "6–15", "16–25", "26–30") and their lower edges (6, 16, 26)."""
    edges = tuple(sorted({min(max(1, n), round(n * f) + 1) for f in (1 / 6, 1 / 2, 5 / 6)}))
    lows, highs = (0, *edges), (*(e - 1 for e in edges), n)
    return tuple(f"{a}–{b}" if a < b else f"{a}" for a, b in zip(lows, highs, strict=True)), edges


def _digits(n: int) -> tuple[str, ...]:
    return tuple(str(d) for d in range(n))


# -- the two networks ---------------------------------------------------------------------------
def code_size(z_dim: int) -> Question:
    """How many numbers does N.Coder write down for a painting? The model's z_dim, among
    1, 2, 10 and the picture's 784 pixels (the model's own size in place of one of them)."""
    z = int(z_dim)
    choices = {2, 10, 784, z}
    if len(choices) == 3:
        choices.add(1)
    ordered = tuple(str(c) for c in sorted(choices))
    return Question("code_size", ordered, ordered.index(str(z)), float(z), {"z": z})


# -- training -----------------------------------------------------------------------------------
def loss_fall(history: Mapping[str, Any] | None) -> Question | None:
    """How many times lower is the loss at the end of training than after the first epoch?
    From the epochs' train_loss (first and last); without two epochs, from the per-step losses
    (the mean of the first and the last twentieth). None when there is nothing to read."""
    history = history or {}
    epochs = [e.get("train_loss") for e in history.get("epochs") or []]
    epochs = [float(v) for v in epochs if v is not None and np.isfinite(v) and v > 0]
    if len(epochs) >= 2:
        first, last = epochs[0], epochs[-1]
    else:
        steps = np.asarray(history.get("steps") or [], dtype=np.float64)
        steps = steps[np.isfinite(steps) & (steps > 0)]
        if len(steps) < 2:
            return None
        k = max(1, len(steps) // 20)
        first, last = float(steps[:k].mean()), float(steps[-k:].mean())
    ratio = first / last
    return Question("loss_fall", ("< 2×", "2–5×", "≥ 5×"), bucket(ratio, LOSS_EDGES), ratio,
                    {"first": first, "last": last, "ratio": ratio})


# -- reconstructions ----------------------------------------------------------------------------
def worst_digit(per_digit: Sequence[float]) -> Question | None:
    """Which digit does D.Coder copy worst? The digit with the largest mean error (`per_digit`,
    NaN for a digit absent from the test set); None when no digit has an error."""
    err = np.asarray(per_digit, dtype=np.float64)
    if not np.isfinite(err).any():
        return None
    worst = int(np.nanargmax(np.where(np.isfinite(err), err, np.nan)))
    best = int(np.nanargmin(np.where(np.isfinite(err), err, np.nan)))
    return Question("worst_digit", _digits(len(err)), worst, float(err[worst]),
                    {"digit": worst, "mse": float(err[worst]), "best": best,
                     "best_mse": float(err[best])})


# -- the wall -----------------------------------------------------------------------------------
def same_digit_share(xy: np.ndarray, labels: np.ndarray, n: int = 2000, seed: int = 0) -> float:
    """Share of marks whose nearest other mark shows the same digit (a seeded random n of the
    marks, all of them when there are fewer): how well the wall keeps each digit together."""
    xy, labels = np.asarray(xy, dtype=np.float32), np.asarray(labels).astype(np.int64)
    if len(xy) < 2:
        return float("nan")
    who = np.arange(len(xy))
    if n < len(xy):
        who = np.sort(np.random.default_rng(seed).choice(len(xy), size=n, replace=False))
    _, idx = nearest(xy[who], xy, exclude=who)
    return float((labels[idx] == labels[who]).mean())


def neighbours(share: float) -> Question:
    """Pick any mark: how often is the mark nearest to it the same digit?"""
    return Question("neighbours", pct_ranges(NEIGHBOUR_EDGES), bucket(share, NEIGHBOUR_EDGES),
                    float(share), {"share": float(share)})


# -- the three defects --------------------------------------------------------------------------
def largest_area(cell_share: Sequence[float]) -> Question:
    """Which digit owns the largest part of the wall (`defects.uneven_areas`' cell shares)?"""
    share = np.asarray(cell_share, dtype=np.float64)
    big = int(share.argmax())
    nz = np.flatnonzero(share > 0)
    small = int(nz[share[nz].argmin()]) if len(nz) else big
    return Question("largest_area", _digits(len(share)), big, float(share[big]),
                    {"digit": big, "share": float(share[big]), "small": small,
                     "small_share": float(share[small]),
                     "ratio": float(share[big] / share[small]) if share[small] > 0 else 0.0})


def centred(offset_sigma: Sequence[float]) -> Question:
    """Is the wall centred on (0, 0)? Yes when its centre is within CENTRED spreads of (0, 0)
    along every axis (`defects.symmetry_bounds`' offset_sigma)."""
    off = np.abs(np.asarray(offset_sigma, dtype=np.float64))
    worst = float(off.max()) if len(off) else 0.0
    return Question("centred", ("yes", "no"), 0 if worst < CENTRED else 1, worst,
                    {"offset": worst, "limit": CENTRED})


def gap_share(share: float) -> Question:
    """What share of uniform random points fall in a gap (`defects.gaps`' gap_share)?"""
    return Question("gaps", pct_ranges(GAP_EDGES), bucket(share, GAP_EDGES), float(share),
                    {"share": float(share)})


# -- continuity and generation --------------------------------------------------------------------
def alike(changed_share: float, mse: float) -> Question:
    """Do two nearby points (the article's (2, -2) and (2.1, -2.1)) paint alike? Yes when
    fewer than ALIKE of the pixels change by more than a quarter (`latent.continuity`)."""
    return Question("alike", ("yes", "no"), 0 if changed_share < ALIKE else 1,
                    float(changed_share), {"changed": float(changed_share), "mse": float(mse),
                                           "limit": ALIKE})


def readable(n_ok: int, n: int) -> Question:
    """How many of n random points of the wall paint a digit the classifier recognises?"""
    labels, edges = count_ranges(n)
    return Question("readable", labels, bucket(n_ok, edges), float(n_ok),
                    {"k": int(n_ok), "n": int(n)})


# -- the cure ------------------------------------------------------------------------------------
def more_even(ae_ratio: float, vae_ratio: float) -> Question | None:
    """Will the VAE's wall be more even than the autoencoder's? By the largest / smallest area
    ratio of each, with the cure page's own tie rule (`cure.verdict`); None when one is missing."""
    side = verdict("area_ratio", ae_ratio, vae_ratio)
    if side == "n/a":
        return None
    index = {"right": 0, "tie": 1, "left": 2}[side]
    return Question("more_even", ("more", "same", "less"), index, float(vae_ratio),
                    {"ae": float(ae_ratio), "vae": float(vae_ratio)})
