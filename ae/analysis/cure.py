"""The cure, measured: every defect of the wall in numbers, the same way for the autoencoder and
the variational autoencoder, so the two can stand side by side in one table.

MINIMAL STAND-IN: the cure page (pages/cure.py) programs against this contract; helper A's
module of the same name replaces this one on merge. The numbers here are simple but honest:
  1. uneven areas: each digit's share of the occupied wall and the largest / smallest ratio;
  2. not centred / bounded: the centre's offset in spreads, the share of marks beyond 3 spreads,
     and the KL divergence of a Gaussian fitted to the codes from N(0, I);
  3. gaps: the share of samples drawn the model's own way (below) farther than 3 typical
     spacings from every mark (a box around a round cloud is mostly empty corners, so the
     VAE's gaps are looked for where it is sampled: N(0, I));
  4. generation: samples the model's own way (the autoencoder: the book's box; the VAE:
     N(0, I)) and both from N(0, I), scored by the digit classifier;
  5. continuity: the change of the picture for a short step, and the biggest jump along lines
     between test digits (relative to the mean step on that line).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from torch import nn

from ae.analysis import classifier as digit_classifier
from ae.analysis import defects
from ae.analysis.latent import (
    continuity_profile,
    decode,
    encode,
    encode_spread,
    project_2d,
    sample_normal,
)

STEP = 0.05  # the short step, in spreads of the wall (the article's 0.1 on a wall ~2 wide)
N_STEP, N_LINES = 200, 20  # marks probed with a short step; lines between two test digits
TIE = 0.05  # two values within 5 % of the larger are a tie
COLLAPSE = 0.5  # codes spread less than half a patch: the patches overlap, the code says little
POINT_LIKE = 0.02  # patches under 2 % of the wall's spread are points: the autoencoder again
# samples in gaps: 10,000 marks drawn from N(0, I) itself leave ~7.5 % of N(0, I) samples in a
# "gap" (its thin tails); over three times that is the autoencoder's defect back
GAPPY = 0.25


@dataclass(frozen=True)
class GenScore:
    recognised: float  # share of samples the classifier names with confidence >= 0.9
    evenness: float  # entropy of the recognised digits / log(10): 1 = all ten equally often
    counts: np.ndarray  # (10,) recognised samples per digit


@dataclass(frozen=True)
class Measures:
    kind: str  # "autoencoder" | "vae"
    n: int  # test images measured
    area_shares: np.ndarray  # (10,) each digit's share of the occupied wall
    area_ratio: float  # largest / smallest share
    centre_offset: float  # distance of the codes' mean from 0, in spreads
    beyond_3: float  # share of marks farther than 3 spreads from the centre
    kl_fit: float  # KL(N(mean, cov) of the codes || N(0, I)), nats
    gap_share: float  # share of samples drawn the model's own way that land in a gap
    native: GenScore | None  # samples the model's own way; None without a classifier
    normal: GenScore | None  # samples from N(0, I) for both kinds
    step_change: float  # mean MSE between the pictures of a mark and a short step away
    line_jump: float  # mean over lines of (largest step change / mean step change)
    mean_sigma: float | None  # the VAE's mean patch size (exp(log_var / 2)); None: AE
    codes_std: float  # mean standard deviation of the codes per axis


def _score(clf: nn.Module | None, images: np.ndarray) -> GenScore | None:
    if clf is None:
        return None
    r = digit_classifier.recognisability(clf, images)
    counts = np.asarray(r.per_digit_count[:10], dtype=np.int64)
    p = counts[counts > 0] / max(int(counts.sum()), 1)
    even = float(-(p * np.log(p)).sum() / np.log(10)) if len(p) else 0.0
    return GenScore(float(r.share), even, counts)


def _kl_fit(codes: np.ndarray) -> float:
    """KL divergence of the Gaussian fitted to `codes` from the standard normal, in nats."""
    k = codes.shape[1]
    m, cov = codes.mean(axis=0), np.atleast_2d(np.cov(codes, rowvar=False))
    sign, logdet = np.linalg.slogdet(cov)
    if sign <= 0:
        return float("inf")
    return float(0.5 * (np.trace(cov) + m @ m - k - logdet))


def measure(model: nn.Module, x: Any, y: Any, clf: nn.Module | None = None,
            n_samples: int = 2000, seed: int = 0, codes: np.ndarray | None = None) -> Measures:
    """Every defect of `model`'s wall on images x with labels y (`codes`: their marks, when
    already encoded; a VAE's are its mu)."""
    spread = encode_spread(model, x)
    kind = "autoencoder" if spread is None else "vae"
    if codes is None:
        codes = encode(model, x) if spread is None else spread[0]
    codes = np.asarray(codes, dtype=np.float64)
    labels = np.asarray(y).astype(np.int64)
    xy, _ = project_2d(codes)
    areas = defects.uneven_areas(xy, labels, n_samples=n_samples, seed=seed)
    std = codes.std(axis=0)
    safe = np.where(std > 0, std, np.inf)
    centre = codes.mean(axis=0) / safe
    far = np.sqrt((((codes - codes.mean(axis=0)) / safe) ** 2).sum(axis=1)) > 3
    rng = np.random.default_rng(seed)
    z_dim = codes.shape[1]
    normal = sample_normal(n_samples, z_dim, seed)
    box = rng.uniform(codes.min(axis=0), codes.max(axis=0), (n_samples, z_dim))
    own = normal if kind == "vae" else box
    spacing = defects.typical_spacing(codes, seed=seed)
    gap = float((defects.nearest(own, codes)[0] > defects.GAP_K * spacing).mean())
    native = _score(clf, decode(model, own)) if clf else None
    by_normal = _score(clf, decode(model, normal)) if clf else None
    # continuity: a short step from some marks, and lines between two test digits
    who = rng.choice(len(codes), min(N_STEP, len(codes)), replace=False)
    direction = rng.standard_normal((len(who), z_dim))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    a, b = decode(model, codes[who]), decode(model, codes[who] + STEP * std * direction)
    step_change = float(((a - b) ** 2).mean()) if len(who) else 0.0
    jumps = []
    for _ in range(N_LINES):
        i, j = rng.choice(len(codes), 2, replace=False)
        step = continuity_profile(model, codes[i], codes[j], k=21).step_change
        if step.mean() > 0:
            jumps.append(float(step.max() / step.mean()))
    return Measures(kind, len(codes), areas.cell_share[:10], float(areas.ratio),
                    float(np.linalg.norm(centre)), float(far.mean()), _kl_fit(codes), gap,
                    native, by_normal, step_change, float(np.mean(jumps)) if jumps else 1.0,
                    None if spread is None else float(spread[1].mean()), float(std.mean()))


@dataclass(frozen=True)
class Row:
    key: str  # one of ROW_KEYS
    ae: float | None
    vae: float | None
    better: str  # "lower" | "higher"
    winner: str  # "vae" | "autoencoder" | "tie" | "n/a"


ROW_KEYS = ("area_ratio", "centre_offset", "beyond_3", "kl_fit", "gap_share",
            "native_recognised", "native_evenness", "normal_recognised", "normal_evenness",
            "step_change", "line_jump")
HIGHER = {"native_recognised", "native_evenness", "normal_recognised", "normal_evenness"}


def _value(m: Measures, key: str) -> float | None:
    head, _, tail = key.partition("_")
    if head in ("native", "normal"):
        score = getattr(m, head)
        return None if score is None else float(getattr(score, tail))
    return float(getattr(m, key))


def _winner(ae: float | None, vae: float | None, better: str) -> str:
    if ae is None or vae is None or not (np.isfinite(ae) and np.isfinite(vae)):
        return "n/a"
    if abs(ae - vae) <= TIE * max(abs(ae), abs(vae)):
        return "tie"
    vae_wins = vae < ae if better == "lower" else vae > ae
    return "vae" if vae_wins else "autoencoder"


def compare(ae: Measures, vae: Measures) -> list[Row]:
    """One row per defect number: both values and which model does better on it."""
    rows = []
    for key in ROW_KEYS:
        a, v = _value(ae, key), _value(vae, key)
        better = "higher" if key in HIGHER else "lower"
        rows.append(Row(key, a, v, better, _winner(a, v, better)))
    return rows


@dataclass(frozen=True)
class Diagnosis:
    label: str  # "collapse" | "balanced" | "autoencoder_like"
    codes_std: float
    mean_sigma: float | None
    gap_share: float
    kl_per_image: float | None


def diagnose(m: Measures, kl_per_image: float | None = None) -> Diagnosis:
    """What a VAE's numbers say: posterior collapse (the codes spread less than a patch, every
    picture alike), autoencoder-like (point-sized patches, or gaps), or balanced."""
    sigma = m.mean_sigma if m.mean_sigma is not None else 0.0
    if m.codes_std < COLLAPSE * sigma:
        label = "collapse"
    elif sigma < POINT_LIKE * m.codes_std or m.gap_share >= GAPPY:
        label = "autoencoder_like"
    else:
        label = "balanced"
    return Diagnosis(label, m.codes_std, m.mean_sigma, m.gap_share, kl_per_image)
