"""What several pages compute from the model in play, under one name each, so a model's test
set is encoded once whichever page a learner opens first.

Why: the wall, generation and reconstruction pages all start from the codes of the 10,000 test
images, the slow part on a classroom CPU (~10 s per pass on 2 cores). Each page used to cache
them under its own name, so a new model was encoded again on every page. Here they are cached
once per model through `state.derived` (server-wide for shipped models, per session for the
others); the reconstruction errors reuse the codes and only run the decoder.
"""

from __future__ import annotations

import numpy as np

from ae import analysis
from ae.analysis import picking
from ae.data.sources import Dataset
from ae.ui import state


def test_codes(inplay: state.InPlay, ds: Dataset) -> np.ndarray:
    """The marks of the test images, float32 (N, z_dim)."""
    return state.derived(inplay, "test_codes", lambda: analysis.encode(inplay.model, ds.x_test))


def test_wall(inplay: state.InPlay, ds: Dataset) -> tuple[np.ndarray, str | None]:
    """The wall as drawn: (xy (N, 2), axis label) from `analysis.project_2d` (PCA for z > 2)."""
    return state.derived(inplay, "test_wall",
                         lambda: analysis.project_2d(test_codes(inplay, ds)))


def wall_view(inplay: state.InPlay, ds: Dataset) -> picking.View:
    """How the drawn wall maps back into the latent space (`picking.View`)."""
    return state.derived(inplay, "wall_view", lambda: picking.View.of(test_codes(inplay, ds)))


def recon_errors(inplay: state.InPlay, ds: Dataset) -> analysis.ReconErrors:
    """Every test image's reconstruction error, from the shared codes (decoder only)."""
    return state.derived(inplay, "recon_errors", lambda: analysis.recon_errors(
        inplay.model, ds.x_test, ds.y_test, codes=test_codes(inplay, ds)))
