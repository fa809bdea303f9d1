"""The article's three defects of the autoencoder's wall, each turned into numbers.

Looking at the scatter of encoded test images, the article sees three problems that make the
wall hard to sample from: (1) some digits cover a large area and others a small one, (2) the
cloud is neither centred on (0, 0) nor bounded, (3) there are gaps where almost no mark lies.
Each function below measures one of them on any 2-D layout of codes with their labels (for a
latent space of more than two dimensions, pass `project_2d(codes)[0]`), and returns
a small dataclass whose `lines()` say the result in plain words for a class or a terminal.

Nearest-neighbour questions ("which mark is closest to this point?") are answered exactly with
`torch.cdist` in chunks: 10,000 marks x 2,000 samples is a few tens of millions of distances.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ae.analysis.latent import sample_box, sample_uniform

GAP_K = 3.0  # a gap: the nearest mark is more than GAP_K typical spacings away (see `gaps`)
FAR = 3.0    # a point is "far out" beyond FAR spreads from the centre (see `symmetry_bounds`)
Box = tuple[float, float, float, float]  # xmin, xmax, ymin, ymax


# -- geometry helpers ------------------------------------------------------------------------
def nearest(queries: np.ndarray, points: np.ndarray, exclude: np.ndarray | None = None,
            chunk: int = 1024) -> tuple[np.ndarray, np.ndarray]:
    """For each query, the distance to and index of its nearest point (exact, chunked).

    `exclude[i]` is a point index that query i must skip (itself, when the queries are marks
    of the layout); None skips nothing. Distances use cdist's direct formula, not its
    matrix-multiply shortcut, which loses the small distances between close marks to float32
    rounding.
    """
    q = torch.as_tensor(np.asarray(queries, dtype=np.float32))
    p = torch.as_tensor(np.asarray(points, dtype=np.float32))
    ex = None if exclude is None else torch.as_tensor(np.asarray(exclude, dtype=np.int64))
    dist, idx = [], []
    for i in range(0, len(q), chunk):
        d = torch.cdist(q[i:i + chunk], p, compute_mode="donot_use_mm_for_euclid_dist")
        if ex is not None:
            d[torch.arange(len(d)), ex[i:i + chunk]] = float("inf")
        m = d.min(dim=1)
        dist.append(m.values)
        idx.append(m.indices)
    if not dist:
        return np.zeros(0, np.float32), np.zeros(0, np.int64)
    return torch.cat(dist).numpy(), torch.cat(idx).numpy().astype(np.int64)


def _cells(xy: np.ndarray, box: Box, grid: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) of each point in a grid x grid split of the box; row 0 is the top (max y)."""
    xmin, xmax, ymin, ymax = box
    w, h = max(xmax - xmin, 1e-12), max(ymax - ymin, 1e-12)
    col = np.clip(((xy[:, 0] - xmin) / w * grid).astype(np.int64), 0, grid - 1)
    row = grid - 1 - np.clip(((xy[:, 1] - ymin) / h * grid).astype(np.int64), 0, grid - 1)
    return row, col


def _cell_centres(box: Box, grid: int) -> np.ndarray:
    """Centres of the grid's cells, (grid*grid, 2) row-major, row 0 at the top."""
    xmin, xmax, ymin, ymax = box
    xs = xmin + (np.arange(grid) + 0.5) * (xmax - xmin) / grid
    ys = ymax - (np.arange(grid) + 0.5) * (ymax - ymin) / grid
    xv, yv = np.meshgrid(xs, ys)
    return np.stack([xv.ravel(), yv.ravel()], 1)


def typical_spacing(xy: np.ndarray, n: int | None = 2000, seed: int = 0) -> float:
    """Median distance from a mark to its nearest neighbour, over a seeded random n of the
    marks (all of them when n is None or the layout is smaller)."""
    xy = np.asarray(xy, dtype=np.float32)
    if len(xy) < 2:
        return 0.0
    who = np.arange(len(xy))
    if n is not None and n < len(xy):
        who = np.sort(np.random.default_rng(seed).choice(len(xy), size=n, replace=False))
    d, _ = nearest(xy[who], xy, exclude=who)
    return float(np.median(d))


def pct(v: float) -> str:
    """A share as a percentage with one decimal: 0.1234 -> "12.3%"."""
    return f"{100 * v:.1f}%"


# -- defect 1: uneven areas ------------------------------------------------------------------
@dataclass
class AreaReport:
    digits: np.ndarray        # (D,) the digits 0..9
    cell_share: np.ndarray    # (D,) share of the occupied cells that each digit owns
    ratio: float              # largest / smallest non-zero cell share
    sample_share: np.ndarray  # (D,) share of uniform samples whose nearest mark has that digit
    occupancy: np.ndarray     # (G, G) int: -1 empty, else the digit owning the cell; row 0 = top
    box: np.ndarray           # (4,) xmin, xmax, ymin, ymax
    grid: int

    def lines(self) -> list[str]:
        big, small = int(self.cell_share.argmax()), _smallest(self.cell_share)
        share = self.cell_share
        return [f"Uneven areas: digit {big} owns {pct(share[big])} of the occupied wall, "
                f"digit {small} only {pct(share[small])} (ratio {self.ratio:.1f}).",
                "  Uniform samples land nearest to: " + ", ".join(
                    f"{d}: {pct(s)}" for d, s in zip(self.digits, self.sample_share,
                                                      strict=True))]


def _smallest(share: np.ndarray) -> int:
    nz = np.flatnonzero(share > 0)
    return int(nz[share[nz].argmin()]) if len(nz) else 0


def uneven_areas(xy: np.ndarray, labels: np.ndarray, grid: int = 50, n_samples: int = 2000,
                 seed: int = 0) -> AreaReport:
    """Defect 1: some digits take up a lot of the wall and others very little.

    Lay a fine grid of grid x grid cells over the box that holds all the marks. A cell is
    occupied when at least one mark falls in it, and it belongs to the digit with the most
    marks there. Each digit's area is the share of occupied cells it owns; the ratio compares
    the biggest digit with the smallest. Then throw n_samples darts uniformly into the box,
    as the book does when it samples, and ask which digit's mark is closest to each dart:
    big digits catch most of the darts, so random samples favour them.
    """
    xy, labels = np.asarray(xy, dtype=np.float32), np.asarray(labels).astype(np.int64)
    n_digits = max(10, int(labels.max()) + 1 if len(labels) else 10)
    box = sample_box(xy)
    row, col = _cells(xy, box, grid)
    counts = np.zeros((grid * grid, n_digits), np.int64)
    np.add.at(counts, (row * grid + col, labels), 1)  # marks of each digit in each cell
    occupied = counts.sum(axis=1) > 0
    owner = np.where(occupied, counts.argmax(axis=1), -1)
    cell_share = np.bincount(owner[occupied], minlength=n_digits) / max(occupied.sum(), 1)
    nz = cell_share[cell_share > 0]
    ratio = float(nz.max() / nz.min()) if len(nz) else float("nan")
    _, idx = nearest(sample_uniform(xy, n_samples, seed), xy)
    sample_share = np.bincount(labels[idx], minlength=n_digits) / max(n_samples, 1)
    return AreaReport(np.arange(n_digits), cell_share.astype(np.float64), ratio,
                      sample_share.astype(np.float64), owner.reshape(grid, grid),
                      np.asarray(box), grid)


# -- defect 2: not symmetric, not bounded ----------------------------------------------------
@dataclass
class SymmetryReport:
    centroid: np.ndarray      # (2,) mean of the marks
    mins: np.ndarray          # (2,) per axis
    maxs: np.ndarray          # (2,)
    spread: np.ndarray        # (2,) standard deviation per axis
    side_share: dict          # {"x<0", "x>0", "y<0", "y>0"} -> share of the marks
    offset_sigma: np.ndarray  # (2,) centroid / spread: how many spreads off (0, 0), per axis
    far_share: float          # share of marks more than FAR spreads from the centroid
    asymmetry: np.ndarray     # (2,) reach on the + side / reach on the - side, per axis

    def lines(self) -> list[str]:
        s = self.side_share
        return [f"Not centred: centre ({self.centroid[0]:.2f}, {self.centroid[1]:.2f}) = "
                f"({self.offset_sigma[0]:+.2f}, {self.offset_sigma[1]:+.2f}) spreads from (0, 0); "
                f"x<0 {pct(s['x<0'])} / x>0 {pct(s['x>0'])}, "
                f"y<0 {pct(s['y<0'])} / y>0 {pct(s['y>0'])}.",
                f"  Not bounded: x from {self.mins[0]:.2f} to {self.maxs[0]:.2f}, "
                f"y from {self.mins[1]:.2f} to {self.maxs[1]:.2f}; "
                f"{pct(self.far_share)} of the marks lie beyond {FAR:g} spreads "
                f"(a round bell-shaped cloud has about 1.1%)."]


def symmetry_bounds(xy: np.ndarray) -> SymmetryReport:
    """Defect 2: the cloud of marks is not centred on (0, 0) and has no natural edge.

    The centroid is the average mark. The spread is the standard deviation along each axis:
    the typical distance of a mark from the centre. offset_sigma says how many spreads the
    centre sits away from (0, 0): near 0 means centred. For each axis we count the share of
    marks on either side of 0 (half and half when balanced) and compare how far the cloud
    reaches on the positive side with the negative side (1 when symmetric). far_share is the
    share of marks more than 3 spreads away from the centre: a round bell-shaped cloud has
    about 1 in 90 there; more means long tails, so no box catches the whole wall.
    """
    xy = np.asarray(xy, dtype=np.float64)
    centroid, spread = xy.mean(axis=0), xy.std(axis=0)
    mins, maxs = xy.min(axis=0), xy.max(axis=0)
    safe = np.where(spread > 0, spread, np.inf)
    dist = np.sqrt((((xy - centroid) / safe) ** 2).sum(axis=1))  # in units of spread per axis
    with np.errstate(divide="ignore", invalid="ignore"):
        asym = np.maximum(maxs, 0) / np.maximum(-mins, 0)  # inf when nothing is below 0
    side = {"x<0": (xy[:, 0] < 0).mean(), "x>0": (xy[:, 0] > 0).mean(),
            "y<0": (xy[:, 1] < 0).mean(), "y>0": (xy[:, 1] > 0).mean()}
    return SymmetryReport(centroid, mins, maxs, spread, {k: float(v) for k, v in side.items()},
                          centroid / safe, float((dist > FAR).mean()), asym)


# -- defect 3: gaps --------------------------------------------------------------------------
@dataclass
class GapReport:
    radius: float          # a sample farther than this from every mark is in a gap
    spacing: float         # typical distance between neighbouring marks (median)
    samples: np.ndarray    # (S, 2) uniform samples in the box
    in_gap: np.ndarray     # (S,) bool
    gap_share: float       # share of samples in a gap
    gap_map: np.ndarray    # (G, G) bool: cell centre in a gap; row 0 = top
    box: np.ndarray        # (4,)

    def lines(self) -> list[str]:
        return [f"Gaps: {pct(self.gap_share)} of uniform samples are more than {self.radius:.3f} "
                f"({self.radius / max(self.spacing, 1e-12):.0f} x the typical spacing "
                f"{self.spacing:.3f}) from every mark."]


def gaps(xy: np.ndarray, n_samples: int = 2000, seed: int = 0, radius: float | None = None,
         grid: int = 60, n_spacing: int = 2000) -> GapReport:
    """Defect 3: there are empty stretches of wall between the digits.

    First measure how closely the marks sit: for every mark, the distance to its nearest
    neighbour; the typical spacing is the median of these. A place on the wall is in a gap
    when the closest mark is more than 3 typical spacings away (or `radius`, if given). In a
    region filled as evenly as a typical region, fewer than 1 in 500 places is that far from
    every mark, so what we find is real emptiness. gap_share is the share of uniform samples
    (the book's way of sampling) that fall in a gap: the decoder never saw anything there.
    gap_map marks the cells of a grid x grid map whose centre is in a gap. (The spacing is the
    median over a seeded random n_spacing of the marks: as good an estimate, 5x less work.)
    """
    xy = np.asarray(xy, dtype=np.float32)
    spacing = typical_spacing(xy, n_spacing, seed)
    r = float(radius) if radius is not None else GAP_K * spacing
    box = sample_box(xy)
    samples = sample_uniform(xy, n_samples, seed)
    d_samples, _ = nearest(samples, xy)
    d_cells, _ = nearest(_cell_centres(box, grid), xy)
    in_gap = d_samples > r
    return GapReport(r, spacing, samples, in_gap, float(in_gap.mean()) if len(in_gap) else 0.0,
                     (d_cells > r).reshape(grid, grid), np.asarray(box))
