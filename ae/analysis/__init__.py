"""What the article does with a trained model, as plain functions that return numbers.

`latent` encodes the test set onto the wall and decodes points of it; beside it: the defects
in numbers, picking a point, the digit classifier, feature maps, and the wall over training.
"""

from ae.analysis.latent import (
    ContinuityProfile,
    ContinuityReport,
    Reconstructions,
    continuity,
    continuity_profile,
    decode,
    encode,
    evaluating,
    grid_points,
    interpolate,
    pca_basis,
    per_image_mse,
    project_2d,
    reconstruct,
    sample_box,
    sample_uniform,
    to_input,
    worst_per_digit,
)

__all__ = ["ContinuityProfile", "ContinuityReport", "Reconstructions", "continuity",
           "continuity_profile", "decode", "encode", "evaluating", "grid_points", "interpolate",
           "pca_basis", "per_image_mse", "project_2d", "reconstruct", "sample_box",
           "sample_uniform", "to_input", "worst_per_digit"]
