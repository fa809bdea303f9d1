"""Everything the article says about a model's wall, measured at once, for
`python -m ae analyze`: the three defects (`defects`), the continuity probe and, with a digit
classifier, how many of the book's random samples decode to a recognisable digit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ae.analysis.classifier import Recognisability, accuracy, recognisability
from ae.analysis.defects import (
    AreaReport,
    GapReport,
    SymmetryReport,
    gaps,
    pct,
    symmetry_bounds,
    uneven_areas,
)
from ae.analysis.latent import (
    ContinuityReport,
    continuity,
    decode,
    encode,
    pca_basis,
    project_2d,
    sample_uniform,
)


@dataclass
class WallReport:
    n: int                    # codes measured
    projection: str | None    # None for a 2-D wall, else how it was drawn in 2-D ("PCA 1/2")
    areas: AreaReport
    symmetry: SymmetryReport
    gaps: GapReport
    continuity: ContinuityReport
    recognisability: Recognisability | None  # None without a classifier
    classifier_accuracy: float | None  # the classifier on the given (test) images

    def lines(self) -> list[str]:
        where = f" (on the {self.projection} projection)" if self.projection else ""
        c = self.continuity
        out = [f"The wall of {self.n:,} test images{where}:", *self.areas.lines(),
               *self.symmetry.lines(), *self.gaps.lines(),
               f"Continuity: {_point(c.z_a)} vs {_point(c.z_b)}: picture mse {c.mse:.4f}, "
               f"largest pixel change {c.max_abs:.2f}, {pct(c.changed_share)} of pixels "
               f"change by more than a quarter."]
        if self.recognisability is not None:
            out += self.recognisability.lines()
        if self.classifier_accuracy is not None:
            out.append(f"  (the classifier recognises {pct(self.classifier_accuracy)} of the "
                       "real test images)")
        return out


def _point(z) -> str:
    return "(" + ", ".join(f"{v:g}" for v in np.asarray(z).ravel()) + ")"


def lift(points: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Points of the 2-D picture -> points of the latent space: themselves for z_dim 2, on the
    PCA plane of `codes` (`pca_basis`) for z_dim > 2, the x value for z_dim 1."""
    points, z_dim = np.asarray(points, dtype=np.float32), np.shape(codes)[1]
    if z_dim == 2:
        return points
    if z_dim == 1:
        return points[:, :1]
    return (points @ pca_basis(codes)).astype(np.float32)


def report(model, x, y, clf=None, n_samples: int = 2000, seed: int = 0,
           z_a=(2.0, -2.0), z_b=(2.1, -2.1)) -> WallReport:
    """Encode x, measure the three defects on the wall, probe continuity between z_a and z_b
    (points of the 2-D picture, as in the article), and, with a classifier, score n_samples
    uniform samples of the box as the book samples them (decoded, then classified)."""
    codes = encode(model, x)
    xy, label = project_2d(codes)
    labels = np.asarray(y).astype(np.int64)
    pair = lift(np.array([z_a, z_b], dtype=np.float32), codes)
    rec = acc = None
    if clf is not None:
        samples = lift(sample_uniform(xy, n_samples, seed), codes)
        rec = recognisability(clf, decode(model, samples))
        acc = accuracy(clf, x, labels)
    return WallReport(len(codes), label, uneven_areas(xy, labels, n_samples=n_samples, seed=seed),
                      symmetry_bounds(xy), gaps(xy, n_samples=n_samples, seed=seed),
                      continuity(model, pair[0], pair[1]), rec, acc)
