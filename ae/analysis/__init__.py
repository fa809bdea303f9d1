"""What the article does with a trained model, as plain functions that return numbers.

- `latent`: encode the test set onto the wall, decode points of it, the book's samples and
  grid, interpolation, continuity;
- `reconstructions`: chosen test images repainted, and the test set's errors in one pass;
- `defects`: the article's three defects of the wall in numbers (`wall_report`: all at once);
- `selection`, `picking`: what a click on a figure picked, and the latent point it stands for;
- `classifier`: is a decoded picture a recognisable digit?
- `featuremaps`: the architecture page's sizes, activations and parameter counts;
- `wall_recorder`: the wall over training, as a trainer callback.

The names the pages use most are re-exported here. No Streamlit, no figures (`ae.plots` draws
these results).
"""

from ae.analysis.latent import (
    ContinuityProfile,
    ContinuityReport,
    continuity,
    continuity_profile,
    decode,
    encode,
    encode_spread,
    evaluating,
    grid_points,
    interpolate,
    normal_grid_points,
    pca_basis,
    project_2d,
    sample_box,
    sample_normal,
    sample_uniform,
    to_input,
)
from ae.analysis.reconstructions import (
    ReconErrors,
    Reconstructions,
    per_image_mse,
    recon_errors,
    reconstruct,
    reconstruct_indices,
    worst_per_digit,
)

__all__ = ["ContinuityProfile", "ContinuityReport", "ReconErrors", "Reconstructions", "continuity",
           "continuity_profile", "decode", "encode", "encode_spread", "evaluating", "grid_points",
           "interpolate", "normal_grid_points", "pca_basis", "per_image_mse", "project_2d",
           "recon_errors", "reconstruct", "reconstruct_indices", "sample_box", "sample_normal",
           "sample_uniform", "to_input", "worst_per_digit"]
