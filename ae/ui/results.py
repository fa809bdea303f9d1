"""What the pages compute from the model in play, cached once per model: the codes of the
test images, the wall they draw, the three defect reports, the reconstruction errors, the
classifier's scores, the cure page's measures and the figures that depend on the model only.

One approach, Streamlit's own: a shipped model's results go into `st.cache_resource` (once
per server; forty tabs that open the wall at once wait for one computation), a session's own
model's into a session-scoped `st.cache_resource` (dropped when the session ends). The wall,
generation and reconstruction pages share the codes, the slow part on a classroom CPU; the
warm-up (`ae.ui.warmup`) fills the shipped models' results in the background.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import streamlit as st

from ae import analysis, fmt
from ae.analysis import classifier as digit_classifier
from ae.analysis import cure, defects, picking, reconstructions
from ae.data.sources import Dataset
from ae.ui.i18n import t
from ae.ui.state import InPlay

N_PICK_GRID, N_SCORE = 41, 1000  # pickable markers per side; images scored by the classifier


@st.cache_resource(show_spinner=False)
def _shipped_result(name: str, model_key: str, dataset: str, _compute: Callable[[], Any]) -> Any:
    return _compute()


@st.cache_resource(show_spinner=False, scope="session", max_entries=64)
def _own_result(name: str, model_key: str, dataset: str, _compute: Callable[[], Any]) -> Any:
    return _compute()


def cached(inplay: InPlay, ds: Dataset, name: str, compute: Callable[[], Any]) -> Any:
    """`compute()` once per (model, data set, name): server-wide for a shipped model, in the
    session for its own. A compute that raises leaves nothing behind (the next call retries)."""
    store = _shipped_result if inplay.shared else _own_result
    return store(name, inplay.key, ds.name, compute)


def test_codes(inplay: InPlay, ds: Dataset) -> np.ndarray:
    """The marks of the test images, float32 (N, z_dim)."""
    return cached(inplay, ds, "test_codes", lambda: analysis.encode(inplay.model, ds.x_test))


def test_wall(inplay: InPlay, ds: Dataset) -> tuple[np.ndarray, str | None]:
    """The wall as drawn: (xy (N, 2), axis label) from `analysis.project_2d` (PCA for z > 2)."""
    return cached(inplay, ds, "test_wall", lambda: analysis.project_2d(test_codes(inplay, ds)))


def wall_view(inplay: InPlay, ds: Dataset) -> picking.View:
    """How the drawn wall maps back into the latent space (`picking.View`)."""
    return cached(inplay, ds, "wall_view", lambda: picking.View.of(test_codes(inplay, ds)))


def recon_errors(inplay: InPlay, ds: Dataset) -> reconstructions.ReconErrors:
    """Every test image's reconstruction error, from the shared codes (decoder only)."""
    return cached(inplay, ds, "recon_errors", lambda: reconstructions.recon_errors(
        inplay.model, ds.x_test, ds.y_test, codes=test_codes(inplay, ds)))


@dataclass
class Wall:
    """The test set on the wall, computed once per model."""

    codes: np.ndarray       # (N, z_dim) the marks
    xy: np.ndarray          # (N, 2) as drawn (the PCA view when z_dim > 2)
    labels: np.ndarray      # (N,) digits
    images: Any             # the test images (uint8 (N, 28, 28)), to show a clicked mark's original
    axis_label: str | None  # None, "PCA 1/2" or "z (1-D)"
    view: picking.View
    bounds: picking.SliderBounds
    pick_grid: np.ndarray   # (M, 2) the faint pickable markers, a little beyond the marks
    scale: float            # the wall's size (`ae.fmt.spread`): how finely positions are shown

    @property
    def z_dim(self) -> int:
        return self.view.z_dim


def wall(inplay: InPlay, ds: Dataset) -> Wall | None:
    """The wall of the model in play, or None when its codes are not finite (diverged)."""
    def compute() -> Wall | None:
        codes = test_codes(inplay, ds)
        if not len(codes) or not np.isfinite(codes).all():
            return None
        xy, label = test_wall(inplay, ds)
        b = picking.slider_bounds(xy)
        corners = np.array([[b.x[0], b.y[0]], [b.x[1], b.y[1]]])
        return Wall(codes, xy, np.asarray(ds.y_test).astype(np.int64), ds.x_test, label,
                    wall_view(inplay, ds), b, analysis.grid_points(corners, N_PICK_GRID),
                    fmt.spread(xy))
    return cached(inplay, ds, "wall", compute)


def wall_or_stop(inplay: InPlay, ds: Dataset) -> Wall:
    """The wall of the model in play for a page that cannot go on without it: a diverged
    model (codes not finite) gets the page's error and nothing more."""
    w = wall(inplay, ds)
    if w is None:
        st.error(t("wall.nonfinite"))
        st.stop()
    return w


DEFECTS: dict[str, Callable[[Wall], Any]] = {  # the article's three defects, measured
    "gaps": lambda w: defects.gaps(w.xy),
    "areas": lambda w: defects.uneven_areas(w.xy, w.labels),
    "symmetry": lambda w: defects.symmetry_bounds(w.xy),
}


def defect_report(inplay: InPlay, ds: Dataset, w: Wall, name: str) -> Any:
    """One of DEFECTS for this model."""
    return cached(inplay, ds, f"defect.{name}", lambda: DEFECTS[name](w))


def recognisability(inplay: InPlay, ds: Dataset, w: Wall, clf: Any) -> tuple[Any, Any]:
    """How many of N_SCORE repainted test marks, and of N_SCORE uniform random points of the
    wall, the classifier recognises."""
    model = inplay.model
    recons = cached(inplay, ds, "recognised.recons", lambda: digit_classifier.recognisability(
        clf, analysis.decode(model, w.codes[:N_SCORE])))
    rand = cached(inplay, ds, "recognised.random", lambda: digit_classifier.recognisability(
        clf, analysis.decode(model, w.view.to_latent(
            analysis.sample_uniform(w.xy, N_SCORE, seed=0)))))
    return recons, rand


def cure_measures(inplay: InPlay, ds: Dataset, clf: Any) -> cure.Measures:
    """Every defect of this model on the test set, as the cure page compares them
    (`cure.measure`); the codes are the wall's, shared with the other pages."""
    return cached(inplay, ds, "cure.measures", lambda: cure.measure(
        inplay.model, ds.x_test, ds.y_test, clf=clf, codes=test_codes(inplay, ds)))


def figure(inplay: InPlay, ds: Dataset, name: str, build: Callable[[], Any], *key: Any) -> Any:
    """A figure that depends only on the model (and `key`: the language, a colour): building
    a Plotly figure costs ~100 ms, sending a built one ~10 ms. Streamlit only reads it."""
    return cached(inplay, ds, f"figure.{name}." + ".".join(map(str, key)), build)


def snapshot_frames(snapshots: dict, labels: Any) -> dict | None:
    """A checkpoint's wall snapshots as numpy arrays for `plots.wall_frame_figure`, or None
    when there are none. Older files lack "probe_labels": they are looked up in the test set."""
    codes = snapshots.get("codes") if snapshots else None
    if codes is None:
        return None
    codes = np.asarray(codes, dtype=np.float32)
    if codes.ndim != 3:
        raise ValueError(f"codes must be (frames, probes, z), got shape {codes.shape}")
    if codes.shape[0] == 0 or codes.shape[1] == 0:
        return None
    out = {"codes": codes}
    for key in ("probe_index", "probe_labels", "steps", "epochs"):
        if snapshots.get(key) is not None:
            out[key] = np.asarray(snapshots[key]).astype(np.int64).ravel()
    idx = out.get("probe_index")
    if "probe_labels" not in out and idx is not None and len(idx) == codes.shape[1] \
            and len(labels) and 0 <= idx.min() and idx.max() < len(labels):
        out["probe_labels"] = np.asarray(labels).astype(np.int64)[idx]
    for key in ("probe_index", "probe_labels"):
        if key in out and len(out[key]) != codes.shape[1]:
            del out[key]
    return out
