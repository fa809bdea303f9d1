"""The measuring probes that the cure's side-by-side table needs and the older modules lack.

`defects` measures the article's three defects on a 2-D layout; the VAE comparison also asks
how close the codes are to the standard normal N(0, I) that a VAE is sampled from (`latent_fit`),
how recognisable and how varied decoded samples are (`gen_score`), and how much the picture
changes over a short step and along lines between test digits (`step_change`, `line_jump`).
Each works for any z_dim (in the latent space itself) and for either model kind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ae.analysis.classifier import THRESHOLD, recognisability
from ae.analysis.latent import continuity_profile, decode
from ae.train.losses import kl_loss

FAR = 3.0           # "beyond 3 spreads": the bound on a mark's distance from 0
STEP = 0.05         # the short step: 5% of the wall's spread (the article's 0.1 on a wall of ~3)
N_STEPS = 200       # short steps averaged (seeded test digits), enough for a stable mean
N_LINES = 10        # lines between two test digits of different labels, seeded
LINE_POINTS = 21    # points along each line (20 equal steps), as the wall page's profile


# -- not centred / not bounded / not N(0, I) -------------------------------------------------
@dataclass(frozen=True)
class LatentFit:
    centre_offset: float  # |mean / std|: how many spreads the codes' mean sits from 0
    beyond: float         # share of codes farther than FAR spreads from 0
    kl_fit: float         # KL( N(mean, cov) || N(0, I) ) in nats
    std: float            # overall spread: sqrt of the mean per-axis variance


def spread(codes: np.ndarray) -> np.ndarray:
    """The codes' spread per axis: their standard deviation along each latent axis, (z,)."""
    return np.asarray(codes, dtype=np.float64).std(axis=0)


def kl_to_standard_normal(mean: np.ndarray, cov: np.ndarray) -> float:
    """KL( N(mean, cov) || N(0, I) ) in nats, the closed form
    0.5 * (trace(cov) + |mean|^2 - z - ln det(cov)); eigenvalues below 1e-12 count as 1e-12,
    so codes squeezed onto a line or a point give a large finite number, not infinity."""
    mean, cov = np.asarray(mean, np.float64).ravel(), np.atleast_2d(np.asarray(cov, np.float64))
    ev = np.clip(np.linalg.eigvalsh((cov + cov.T) / 2), 1e-12, None)
    return float(0.5 * (ev.sum() + mean @ mean - len(mean) - np.log(ev).sum()))


def latent_fit(codes: np.ndarray, far: float = FAR) -> LatentFit:
    """Defect 2 in the latent space, for any z_dim.

    The spread is the codes' standard deviation along each axis (s_1..s_z). centre_offset is
    the length of mean / s, i.e. how many spreads the codes' mean sits away from 0 (0: centred).
    beyond is the share of codes whose distance from 0, measured in spreads per axis
    (sqrt(sum_i (z_i / s_i)^2)), exceeds `far`: codes drawn from N(0, I) give
    P(chi2_z > 9), 1.1% for z = 2 (`normal_beyond`); a longer tail or an offset gives more.
    kl_fit fits a Gaussian to the codes (their mean and covariance) and gives its KL divergence
    from N(0, I): 0 when the codes look like the prior a VAE is sampled from, large when they are
    off centre, too wide, too narrow or squeezed onto a line. std is the overall spread,
    sqrt(mean_i s_i^2), which sets the length of `step_change`'s short step.
    """
    c = np.asarray(codes, dtype=np.float64)
    s = spread(c)
    safe = np.where(s > 0, s, np.inf)
    mean = c.mean(axis=0)
    dist = np.sqrt(((c / safe) ** 2).sum(axis=1))
    cov = np.atleast_2d(np.cov(c, rowvar=False, bias=True))
    return LatentFit(float(np.linalg.norm(mean / safe)), float((dist > far).mean()),
                     kl_to_standard_normal(mean, cov), float(np.sqrt((s ** 2).mean())))


def normal_beyond(z_dim: int, far: float = FAR) -> float:
    """Share of N(0, I) draws farther than `far` from 0: P(chi2_z > far^2); 1.1% for z = 2."""
    return float(torch.special.gammaincc(torch.tensor(z_dim / 2, dtype=torch.float64),
                                         torch.tensor(far ** 2 / 2, dtype=torch.float64)))


def kl_per_image(mu: np.ndarray, sigma: np.ndarray) -> float:
    """A VAE's KL term averaged over images, in nats: the loss's own `kl_loss` with
    log_var = 2 ln(sigma)."""
    if not len(mu):
        return 0.0
    log_var = 2 * np.log(np.clip(np.asarray(sigma, np.float64), 1e-150, None))
    return float(kl_loss(torch.from_numpy(np.asarray(mu, np.float64)), torch.from_numpy(log_var)))


# -- generation: how many decoded samples are digits, and how varied ------------------------
@dataclass(frozen=True)
class GenScore:
    recognised: float   # share recognised with confidence >= THRESHOLD (higher is better)
    evenness: float     # normalised entropy of the recognised digits' histogram, 0..1 (higher)
    counts: np.ndarray  # (10,) samples recognised as each digit


def evenness(counts: np.ndarray) -> float:
    """How evenly counts spread over the classes: entropy / ln(classes), 1 for a uniform
    histogram, 0 when all fall on one class (or none at all)."""
    c = np.asarray(counts, dtype=np.float64)
    total = c.sum()
    if total <= 0 or len(c) < 2:
        return 0.0
    p = c[c > 0] / total
    return float(max(0.0, -(p * np.log(p)).sum() / np.log(len(c))))


def gen_score(clf: nn.Module, images: np.ndarray, threshold: float = THRESHOLD) -> GenScore:
    """Score decoded samples with the digit classifier (`classifier.recognisability`): the share
    it recognises with confidence >= threshold, and `evenness` of what it recognised (a wall
    that paints only ones scores 0, one that paints all ten digits equally often scores 1)."""
    rec = recognisability(clf, images, threshold)
    return GenScore(rec.share, evenness(rec.per_digit_count), rec.per_digit_count.copy())


# -- continuity: a short step, and lines between two test digits ------------------------------
def step_change(model: nn.Module, codes: np.ndarray, length: float, n: int = N_STEPS,
                seed: int = 0) -> float:
    """Mean picture change over a short step: n seeded test digits' marks (the same indices for
    every model of the same test set), each moved by `length` in a seeded random direction
    (uniform on the sphere); the change is the mean squared pixel difference of the two
    decoded pictures, as `latent.continuity` measures it, averaged over the n steps."""
    codes = np.asarray(codes, dtype=np.float32)
    if not len(codes):
        return 0.0
    rng = np.random.default_rng(seed)
    who = rng.choice(len(codes), size=min(n, len(codes)), replace=False)
    u = rng.standard_normal((len(who), codes.shape[1]))
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    a = codes[who]
    pictures = decode(model, np.concatenate([a, a + (length * u).astype(np.float32)]))
    diff = pictures[:len(who)] - pictures[len(who):]
    return float((diff ** 2).mean())


def line_pairs(labels: np.ndarray, n: int = N_LINES, seed: int = 0) -> np.ndarray:
    """n seeded pairs of test-image indices (n, 2) whose labels differ: the ends of the lines
    `line_jump` walks. They depend only on the labels and the seed, so two models of the same
    test set are measured between the very same test digits."""
    labels = np.asarray(labels)
    rng, out = np.random.default_rng(seed), []
    if len(np.unique(labels)) < 2:
        return np.zeros((0, 2), np.int64)
    while len(out) < n:
        i, j = rng.choice(len(labels), size=2, replace=False)
        if labels[i] != labels[j]:
            out.append((i, j))
    return np.asarray(out, dtype=np.int64)


def line_jump(model: nn.Module, codes: np.ndarray, pairs: np.ndarray,
              k: int = LINE_POINTS) -> float:
    """Mean over the pairs' lines of the biggest picture change between neighbouring points:
    each line from one test digit's mark to the other's is walked in k - 1 equal steps
    (`latent.continuity_profile`), its largest step change (mean squared pixel difference)
    taken; a smooth wall morphs gradually, a torn one jumps somewhere along the way."""
    jumps = [float(continuity_profile(model, codes[i], codes[j], k).step_change.max())
             for i, j in np.asarray(pairs)]
    return float(np.mean(jumps)) if jumps else 0.0
