"""The cure, side by side: the article's defects measured the same way on an autoencoder and a
variational autoencoder (or any two models), compared row by row, and a VAE's state named.

`measure(model, x, y, clf)` gives one model's `Measures` on the test images: the five defects
of the issue (uneven areas; not centred / not bounded / not N(0, I); gaps; generation; continuity)
reusing `defects`, `latent` and `classifier`, plus the probes of `cure_probes`. `compare` puts
two of them in rows with a winner per row, `diagnose` says from a VAE's numbers whether the KL
term won (posterior collapse), the reconstruction term won (an autoencoder again), or neither,
and `cure_table.table_lines` prints it all for `python -m ae analyze A.pt B.pt`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from torch import nn

from ae.analysis.cure_probes import (
    STEP,
    GenScore,
    gen_score,
    kl_per_image,
    latent_fit,
    line_jump,
    line_pairs,
    step_change,
)
from ae.analysis.defects import GAP_K, gaps, nearest, typical_spacing, uneven_areas
from ae.analysis.latent import (
    decode,
    encode,
    encode_spread,
    pca_basis,
    project_2d,
    sample_normal,
)
from ae.analysis.wall_report import lift


@dataclass(frozen=True)
class Measures:
    """One model's numbers on the test images; "(lower)" / "(higher)" say which is better."""

    kind: str                  # "autoencoder" | "vae"
    n: int                     # test images measured
    area_shares: np.ndarray    # (10,) each digit's share of the occupied wall
    area_ratio: float          # largest / smallest share (lower)
    centre_offset: float       # distance of the codes' mean from 0, in spreads (lower)
    beyond_3: float            # share of marks farther than 3 spreads from 0 (lower)
    kl_fit: float              # KL( N(mean, cov) fitted to the codes || N(0, I) ), nats (lower)
    gap_share: float           # share of native samples more than 3 spacings from every mark
    native: GenScore | None    # samples drawn the model's own way (None without a classifier)
    normal: GenScore | None    # samples drawn from N(0, I), the same points for every model
    step_change: float         # picture change over a short step (lower)
    line_jump: float           # biggest picture change along a line between two digits (lower)
    mean_sigma: float | None   # VAE: mean patch spread exp(log_var / 2); None for the AE
    codes_std: float           # overall spread of the codes, sqrt(mean per-axis variance)
    kl_per_image: float | None = None  # VAE: the KL term of the loss on these images, nats
    spacing: float = float("nan")      # typical spacing of the marks in the latent space
    projection: str | None = None      # None for a 2-D wall, else how areas/gaps were drawn

    @property
    def is_vae(self) -> bool:
        return self.kind == "vae"


def to_picture(points: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Latent points -> the 2-D picture `project_2d(codes)` draws (the inverse of `lift`):
    themselves for z_dim 2, on the codes' PCA plane for z_dim > 2, (z, 0) for z_dim 1."""
    p, z_dim = np.asarray(points, dtype=np.float64), np.shape(codes)[1]
    if z_dim == 2:
        return p.astype(np.float32)
    if z_dim == 1:
        return np.hstack([p, np.zeros_like(p)]).astype(np.float32)
    return (p @ pca_basis(codes).T).astype(np.float32)


def measure(model: nn.Module, x, y, clf: nn.Module | None = None, n_samples: int = 2000,
            seed: int = 0, codes: np.ndarray | None = None,
            sigma: np.ndarray | None = None) -> Measures:
    """Every defect of the issue on one model, encoded once.

    - codes: the marks of x (a VAE's mu); pass `codes` (and a VAE's `sigma`) to reuse them.
    - areas (`defects.uneven_areas` on the 2-D wall, a 50 x 50 grid): each digit's share of
      the occupied cells and the largest / smallest share.
    - centre_offset, beyond_3, kl_fit, codes_std: `cure_probes.latent_fit` in the latent space.
    - native samples, n_samples of them with `seed`: the autoencoder's the book's way, uniform in
      the box of its 2-D wall (`sample_uniform`, lifted back for z_dim > 2); the VAE's from
      N(0, I) (`sample_normal`). normal samples: N(0, I) for both, the same points.
    - gap_share: the share of the native samples farther than GAP_K (3) x the typical spacing
      (median nearest-neighbour distance of the marks) from every mark, on the 2-D wall: for
      the autoencoder exactly `defects.gaps`. Samples drawn from the marks' own density land
      in a gap now and then in the thin tails (about 6% for 10,000 marks of N(0, I)), so
      compare the two models rather than reading one number against 0.
    - native / normal: `cure_probes.gen_score` of the decoded samples (None without clf).
    - step_change: mean picture change over steps of STEP (5%) x codes_std from N_STEPS seeded
      test digits' marks; line_jump: mean over N_LINES seeded pairs of test digits with
      different labels (the same pairs for every model) of the biggest step change along the
      straight line between their marks, in 20 equal steps.
    - mean_sigma, kl_per_image (VAE only): the patches' mean exp(log_var / 2) over images and
      axes, and the loss's KL term averaged over the images.
    """
    z_dim = model.config.z_dim
    vae = model.config.is_vae
    if codes is None:
        mu_sigma = encode_spread(model, x)
        codes, sigma = mu_sigma if mu_sigma is not None else (encode(model, x), None)
    elif vae and sigma is None:
        sigma = encode_spread(model, x)[1]
    codes = np.asarray(codes, dtype=np.float32)
    labels = np.asarray(y).astype(np.int64)
    xy, projection = project_2d(codes)
    areas = uneven_areas(xy, labels, n_samples=n_samples, seed=seed)
    fit = latent_fit(codes)
    normal_z = sample_normal(n_samples, z_dim, seed)
    if vae:  # N(0, I) is where a VAE is sampled: how many of those draws fall in a gap?
        native_z = normal_z
        spacing_2d = typical_spacing(xy, seed=seed)
        d, _ = nearest(to_picture(native_z, codes), xy)
        gap_share = float((d > GAP_K * spacing_2d).mean()) if len(d) else 0.0
    else:
        g = gaps(xy, n_samples=n_samples, seed=seed)
        native_z, gap_share, spacing_2d = lift(g.samples, codes), g.gap_share, g.spacing
    native = normal = None
    if clf is not None:
        native = gen_score(clf, decode(model, native_z))
        normal = native if vae else gen_score(clf, decode(model, normal_z))
    spacing = spacing_2d if z_dim == 2 else typical_spacing(codes, seed=seed)
    return Measures(
        kind=model.config.kind, n=len(codes), area_shares=areas.cell_share,
        area_ratio=areas.ratio, centre_offset=fit.centre_offset, beyond_3=fit.beyond,
        kl_fit=fit.kl_fit, gap_share=gap_share, native=native, normal=normal,
        step_change=step_change(model, codes, STEP * fit.std, seed=seed),
        line_jump=line_jump(model, codes, line_pairs(labels, seed=seed)),
        mean_sigma=None if sigma is None else float(np.mean(sigma)),
        codes_std=fit.std,
        kl_per_image=None if sigma is None else kl_per_image(codes, sigma),
        spacing=float(spacing), projection=projection)



# -- two models, row by row -------------------------------------------------------------------
ROW_KEYS = ("area_ratio", "centre_offset", "beyond_3", "kl_fit", "gap_share",
            "native_recognised", "native_evenness", "normal_recognised", "normal_evenness",
            "step_change", "line_jump")
HIGHER_IS_BETTER = frozenset({"native_recognised", "native_evenness", "normal_recognised",
                              "normal_evenness"})
TIE_REL = 0.05  # under 5% apart: about what another seed of the samples moves these numbers
TIE_ABS = {  # differences this small are noise at 10,000 test images and 2,000 samples
    "centre_offset": 0.02,      # 2 standard errors of a mean of 10,000 marks, in spreads
    "beyond_3": 0.002,          # 2 standard errors of a 1.1% share of 10,000 marks
    "kl_fit": 0.01,             # a hundredth of a nat: no visible difference in the wall
    "gap_share": 0.01,          # 2 standard errors of a 5% share of 2,000 samples
    "native_recognised": 0.02,  # 2 standard errors of a 50% share of 2,000 samples
    "normal_recognised": 0.02,
    "native_evenness": 0.02,    # a few samples more or less of one digit
    "normal_evenness": 0.02,
}


@dataclass(frozen=True)
class Row:
    key: str             # one of ROW_KEYS
    ae: float | None     # the first model's value (the autoencoder's, in the usual call)
    vae: float | None    # the second model's value (the VAE's)
    better: str          # "lower" | "higher"
    winner: str          # "vae" | "autoencoder" | "tie" | "n/a"
    side: str = "n/a"    # the same by position: "left" (first) | "right" (second) | "tie" | "n/a"


def value(m: Measures, key: str) -> float | None:
    """The number of one ROW_KEYS row; None when it was not measured (no classifier)."""
    if key.startswith(("native_", "normal_")):
        which, field = key.split("_", 1)
        score = getattr(m, which)
        return None if score is None else float(getattr(score, field))
    return float(getattr(m, key))


def verdict(key: str, a: float | None, b: float | None) -> str:
    """"left", "right", "tie" (TIE_REL apart, or within TIE_ABS) or "n/a" (a value missing)."""
    if a is None or b is None or not np.isfinite(a) or not np.isfinite(b):
        return "n/a"
    if abs(a - b) <= max(TIE_REL * max(abs(a), abs(b)), TIE_ABS.get(key, 0.0)):
        return "tie"
    return "left" if (a > b) == (key in HIGHER_IS_BETTER) else "right"


def compare(ae: Measures, vae: Measures) -> list[Row]:
    """One Row per ROW_KEYS entry for two models (usually the autoencoder first, the VAE second).

    `winner` names the better model by its kind ("autoencoder" / "vae") when the kinds differ;
    for two models of one kind it names them by position (the first "autoencoder", the second
    "vae"), and `side` always says it by position. A tie: the two values are less than TIE_REL
    (5%) of the larger apart, or within the row's TIE_ABS.
    """
    rows = []
    for key in ROW_KEYS:
        a, b = value(ae, key), value(vae, key)
        side = verdict(key, a, b)
        if side in ("left", "right"):
            winner = (ae if side == "left" else vae).kind if ae.kind != vae.kind else (
                "autoencoder" if side == "left" else "vae")
        else:
            winner = side
        rows.append(Row(key, a, b, "higher" if key in HIGHER_IS_BETTER else "lower", winner,
                        side))
    return rows


# -- what a VAE's numbers show ---------------------------------------------------------------
COLLAPSE_STD = 0.1    # every mark within a tenth of the prior's unit spread of 0: one blur
COLLAPSE_KL = 0.1     # nats per image: a code that costs no KL carries no news of its image
AE_LIKE_PATCH = 2.0   # patches barely reach past the next mark: the decoder sees points
AE_LIKE_KL_FIT = 0.5  # nats: as far from N(0, I) as N(0, I) is from itself moved by one spread
AE_LIKE_GAPS = 0.15   # over twice the ~6% of N(0, I) draws that 10,000 marks of N(0, I) miss


@dataclass(frozen=True)
class Diagnosis:
    label: str                  # "collapse" | "autoencoder_like" | "balanced"
    codes_std: float            # the codes' overall spread (1 for N(0, I))
    kl_per_image: float | None  # the KL term per image, nats
    patch_ratio: float          # mean patch spread / typical spacing of the marks (0: the AE)
    kl_fit: float               # KL of the codes' fitted Gaussian from N(0, I), nats
    gap_share: float            # share of the model's own samples in a gap
    rules: tuple[str, ...]      # the rules that fired, e.g. ("codes_near_zero",)


def diagnose(m: Measures, kl_per_image: float | None = None) -> Diagnosis:
    """Name what a VAE's numbers show (for the r_loss_factor slider), from the numbers alone.

    - "collapse" (posterior collapse, the KL term won): the codes' spread is below COLLAPSE_STD
      while each patch is wider than the whole wall ("codes_near_zero"), or the KL per image is
      below COLLAPSE_KL ("kl_near_zero"): every image gets nearly the prior itself, so every
      picture is the same blur. (A compact wall of tiny patches is not collapse: it costs KL.)
    - "autoencoder_like" (the reconstruction term won): the patches are small next to the
      typical spacing of the marks ("patches_tiny": mean sigma / spacing < AE_LIKE_PATCH), and
      the wall shows it: its fitted Gaussian is far from N(0, I) ("kl_fit_large": kl_fit >
      AE_LIKE_KL_FIT) or its own samples land in gaps ("gaps_back": gap_share > AE_LIKE_GAPS).
    - "balanced": neither.
    `kl_per_image` defaults to the one measured on the test images (m.kl_per_image). An
    autoencoder's marks are points (patch ratio 0), so it reads "autoencoder_like" as soon as
    its wall is off N(0, I) or gappy.
    """
    kl = m.kl_per_image if kl_per_image is None else kl_per_image
    ratio = (m.mean_sigma or 0.0) / m.spacing if m.spacing > 0 else float("inf")
    fired = []
    if m.codes_std < COLLAPSE_STD and (m.mean_sigma or 0.0) > m.codes_std:
        fired.append("codes_near_zero")  # and each patch is wider than the whole wall
    if kl is not None and kl < COLLAPSE_KL:
        fired.append("kl_near_zero")
    label = "collapse" if fired else "balanced"
    if not fired and ratio < AE_LIKE_PATCH:
        fired += ["patches_tiny"] + [rule for rule, on in (
            ("kl_fit_large", m.kl_fit > AE_LIKE_KL_FIT),
            ("gaps_back", m.gap_share > AE_LIKE_GAPS)) if on]
        label = "autoencoder_like" if len(fired) > 1 else "balanced"
    return Diagnosis(label, m.codes_std, kl, ratio, m.kl_fit, m.gap_share, tuple(fired))
