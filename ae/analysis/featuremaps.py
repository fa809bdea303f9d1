"""What the architecture page shows, computed: feature-map sizes, real activations, the
sliding kernel, and where each layer's parameter count comes from.

The summary table lists numbers; learners understand them when they *see* a 28x28 map turn
into a 14x14 one and can redo a layer's parameter count by hand. Everything is derived from
the config or the model itself (never from literals), so it follows the sidebar's sliders.
No Streamlit, no plotting here: `ae.plots.architecture` draws these results.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace

import numpy as np
import torch
from torch import nn

from ae.model.autoencoder import Autoencoder
from ae.model.config import OUTPUT_KERNEL, AEConfig
from ae.model.layers import Conv2dSame, ConvTranspose2dSame, same_pads


# -- the feature maps' sizes, layer by layer ---------------------------------------------
@dataclass(frozen=True)
class Stage:
    """One tensor on the way image -> z -> image, in Keras order (H, W, C).

    `part` is "input", "encoder", "latent", "decoder" or "output"; a vector (the code z) has
    h = w = 1 and its length in `c`. `kernel` / `stride` are those of the layer that made it.
    """

    name: str
    part: str
    h: int
    w: int
    c: int
    kernel: int | None = None
    stride: int | None = None

    @property
    def is_vector(self) -> bool:
        return self.part == "latent"

    @property
    def size(self) -> int:
        """How many numbers the tensor holds (784 for a 28 x 28 x 1 image)."""
        return self.h * self.w * self.c

    @property
    def shape_text(self) -> str:
        return str(self.c) if self.is_vector else f"{self.h}×{self.w}×{self.c}"


def stages(cfg: AEConfig) -> list[Stage]:
    """Input (and its zero padding), every encoder conv, the code z, the decoder's reshaped
    start, every transposed conv, the output conv and the cropping back to the input's size
    (the second edition's), the last stage being the image. Sizes follow Keras 'same'
    padding, as the model."""
    h, w, c = cfg.input_dim
    out = [Stage("input", "input", h, w, c)]
    if cfg.pad_to:
        out.append(Stage("zero_padding", "encoder", cfg.pad_to, cfg.pad_to, c))
    for i, ((oh, ow, f), k, s) in enumerate(zip(cfg.encoder_shapes(),
                                                cfg.encoder_conv_kernel_size,
                                                cfg.encoder_conv_strides, strict=True)):
        out.append(Stage(f"encoder_conv_{i}", "encoder", oh, ow, f, k, s))
    out.append(Stage("z", "latent", 1, 1, cfg.z_dim))
    bh, bw, bc = cfg.shape_before_flattening()
    out.append(Stage("reshape", "decoder", bh, bw, bc))
    for i, ((oh, ow, f), k, s) in enumerate(zip(cfg.decoder_shapes(),
                                                cfg.decoder_conv_t_kernel_size,
                                                cfg.decoder_conv_t_strides, strict=True)):
        out.append(Stage(f"decoder_conv_t_{i}", "decoder", oh, ow, f, k, s))
    oh, ow, _ = cfg.decoder_shapes()[-1]
    if cfg.output_conv:
        out.append(Stage("decoder_conv", "decoder", oh, ow, c, OUTPUT_KERNEL, 1))
    if cfg.pad_to:
        out.append(Stage("cropping", "decoder", h, w, c))
    out[-1] = replace(out[-1], part="output")
    return out


# -- real activations of the first conv layers -------------------------------------------
@dataclass
class LayerMaps:
    """A few feature maps of one layer for one image: maps (n, H, W) float32, channel ids."""

    name: str
    stride: int
    channels: list[int]
    maps: np.ndarray
    n_channels: int

    @property
    def side(self) -> tuple[int, int]:
        return int(self.maps.shape[1]), int(self.maps.shape[2])


def first_convs(cfg: AEConfig) -> int:
    """How many encoder convs to show: up to and including the first that strides (so a
    learner sees the map shrink), or the first two when none strides."""
    for i, s in enumerate(cfg.encoder_conv_strides):
        if s > 1:
            return i + 1
    return min(2, cfg.n_encoder_layers)


@torch.no_grad()
def feature_maps(model: Autoencoder, image: torch.Tensor | np.ndarray, n_maps: int = 4,
                 n_layers: int | None = None) -> tuple[np.ndarray, list[LayerMaps]]:
    """Pass one image (uint8 (H, W) or float (C, H, W) in [0, 1]) through the encoder's first
    `n_layers` conv blocks (default: `first_convs`) and keep `n_maps` maps of each.

    Maps are taken after the LeakyReLU, as the next layer sees them; the channels kept are
    the most varied ones (largest standard deviation), which show structure even for an
    untrained model. Returns (the input image (H, W) in [0, 1], one LayerMaps per layer).
    """
    x = torch.as_tensor(image)
    if x.dtype == torch.uint8:
        x = x.float() / 255.0
    if x.dim() == 2:
        x = x[None]
    p = next(model.parameters())
    x = x[None].to(device=p.device, dtype=p.dtype)  # (1, C, H, W)
    picture = x[0, 0].float().cpu().numpy()
    n_layers = first_convs(model.config) if n_layers is None else n_layers
    out: list[LayerMaps] = []
    conv, stride = "", 1
    for name, module in model.encoder.named_children():
        if len(out) == n_layers or isinstance(module, nn.Flatten):
            break
        # a private eval-mode copy: the model may be shared, or training in another thread,
        # so its own train/eval mode is never touched (and dropout stays off here)
        x = copy.deepcopy(module).eval()(x)
        if isinstance(module, Conv2dSame):
            conv, stride = name, module.stride[0]
        elif isinstance(module, (nn.LeakyReLU, nn.ReLU)):
            a = x[0].float().cpu()  # (C, H, W)
            keep = torch.argsort(a.flatten(1).std(dim=1), descending=True)[:n_maps]
            keep = torch.sort(keep).values
            out.append(LayerMaps(conv, stride, [int(i) for i in keep], a[keep].numpy(),
                                 a.shape[0]))
    return picture, out


# -- a kernel sliding with a step --------------------------------------------------------
@dataclass(frozen=True)
class Slide:
    """Where a k x k kernel lands on an n x n input with Keras 'same' padding and stride s.

    `pads` = (before, after) padding per axis (TensorFlow puts the odd pixel after);
    `windows` = top-left corner of each position, row by row, in input coordinates
    (negative = in the padding); `out` = output side = ceil(n / s).
    """

    n: int
    k: int
    s: int
    pads: tuple[int, int]
    out: int
    windows: list[tuple[int, int]]


def slide(n: int, k: int, s: int) -> Slide:
    """The kernel's positions: one per output pixel, `s` pixels apart."""
    before, after = same_pads(n, k, s)
    out = math.ceil(n / s)
    windows = [(r * s - before, c * s - before) for r in range(out) for c in range(out)]
    return Slide(n, k, s, (before, after), out, windows)


# -- where a layer's parameter count comes from ------------------------------------------
@dataclass(frozen=True)
class ParamCount:
    """One layer's parameters as a learner would count them by hand.

    conv / transposed conv: k x k x c_in x c_out weights + c_out biases;
    dense: c_in x c_out weights + c_out biases; batch norm: 2 x c trainable (gamma, beta) +
    2 x c non-trainable (moving mean, variance): there `weights` holds the c gammas,
    `biases` the c betas, and `non_trainable` (zero elsewhere) the moving statistics.
    """

    name: str
    kind: str  # the Keras class: "Conv2D", "Conv2DTranspose", "Dense", "BatchNormalization"
    k: int
    c_in: int
    c_out: int
    weights: int
    biases: int
    non_trainable: int = 0

    @property
    def total(self) -> int:
        return self.weights + self.biases + self.non_trainable


def _count(name: str, module: nn.Module) -> ParamCount | None:
    if isinstance(module, ConvTranspose2dSame):  # torch weight: (c_in, c_out, k, k)
        c_in, c_out, k, _ = module.weight.shape
        return ParamCount(name, "Conv2DTranspose", k, c_in, c_out, k * k * c_in * c_out, c_out)
    if isinstance(module, Conv2dSame):  # torch weight: (c_out, c_in, k, k)
        c_out, c_in, k, _ = module.weight.shape
        return ParamCount(name, "Conv2D", k, c_in, c_out, k * k * c_in * c_out, c_out)
    if isinstance(module, nn.Linear):
        return ParamCount(name, "Dense", 1, module.in_features, module.out_features,
                          module.in_features * module.out_features, module.out_features)
    if isinstance(module, nn.BatchNorm2d):
        c = module.num_features
        return ParamCount(name, "BatchNormalization", 1, c, c, c, c, non_trainable=2 * c)
    return None


def param_counts(model: Autoencoder) -> list[ParamCount]:
    """Every layer that has parameters, encoder then decoder, in the summary's order."""
    out = []
    for seq in (model.encoder, model.decoder):
        for name, module in seq.named_children():
            pc = _count(name, module)
            if pc is not None:
                out.append(pc)
    return out
