"""Plotly figures of the dashboard (no Streamlit here): every builder takes plain arrays or the
result objects of `ae.analysis` and returns a `go.Figure` in one house style (`style`).

Every human-visible string can be replaced through the builder's `texts` dict (the app's
Chinese texts); `TEXTS` lists each builder's keys with the English defaults. Titles may hold
`str.format` fields such as `{ratio:.1f}` that the builder fills in with its numbers.

pandas and PIL.Image are imported here, whole, before any figure is built: Plotly looks for
them without importing them, so a module that another thread is importing at that moment (a
Streamlit session's first `st.dataframe` or `st.image`) would be seen half made. An `import`
waits for it instead.
"""

import pandas  # noqa: F401  (imported whole before plotly looks for it: see above)
import PIL.Image  # noqa: F401  (the same)

from ae.plots.continuity import (
    PAIR_TEXTS,
    PROFILE_TEXTS,
    continuity_figure,
    continuity_profile_figure,
)
from ae.plots.curves import LOSS_TEXTS, ema, loss_figure
from ae.plots.defects import (
    AREA_TEXTS,
    GAP_TEXTS,
    OWNER_TEXTS,
    SYMMETRY_TEXTS,
    area_figure,
    area_map_figure,
    gap_figure,
    symmetry_figure,
)
from ae.plots.grid import image_grid_figure
from ae.plots.images import (
    IMAGE_TEXTS,
    MANIFOLD_TEXTS,
    RECON_TEXTS,
    SAMPLES_TEXTS,
    STRIP_TEXTS,
    image_figure,
    manifold_figure,
    reconstructions_figure,
    samples_figure,
    strip_figure,
)
from ae.plots.latent import LATENT_TEXTS, PATH_TEXTS, latent_figure, wall_figure
from ae.plots.own_digit import LANDING_TEXTS, OWN_TEXTS, landing_figure, own_trace
from ae.plots.reconstructions import (
    ERROR_TEXTS,
    PIPELINE_TEXTS,
    error_bars_figure,
    pipeline_figure,
)
from ae.plots.style import DIGIT_COLORS, DIGIT_SYMBOLS
from ae.plots.wall_time import FRAME_TEXTS, wall_frame_figure, wall_ranges

TEXTS = {
    "loss": LOSS_TEXTS, "latent": LATENT_TEXTS, "reconstructions": RECON_TEXTS,
    "samples": SAMPLES_TEXTS, "manifold": MANIFOLD_TEXTS, "strip": STRIP_TEXTS,
    "image": IMAGE_TEXTS, "area": AREA_TEXTS, "area_map": OWNER_TEXTS,
    "symmetry": SYMMETRY_TEXTS, "gaps": GAP_TEXTS, "continuity": PAIR_TEXTS,
    "continuity_profile": PROFILE_TEXTS, "wall_frame": FRAME_TEXTS,
    "wall": LATENT_TEXTS | PATH_TEXTS, "pipeline": PIPELINE_TEXTS, "errors": ERROR_TEXTS,
    "landing": LANDING_TEXTS, "own": OWN_TEXTS,
}

__all__ = [
    "TEXTS", "DIGIT_COLORS", "DIGIT_SYMBOLS", "ema",
    "loss_figure", "latent_figure", "wall_figure", "wall_frame_figure", "wall_ranges",
    "reconstructions_figure", "samples_figure", "manifold_figure", "strip_figure",
    "image_figure", "image_grid_figure",
    "area_figure", "area_map_figure", "symmetry_figure", "gap_figure",
    "continuity_figure", "continuity_profile_figure", "pipeline_figure", "error_bars_figure",
    "landing_figure", "own_trace",
]
