"""The article's constructor arguments as a dataclass, and the checks that refuse bad ones.

`AEConfig` carries exactly the arguments of the book's `Autoencoder(...)` (same names, same
order) plus the LeakyReLU slope and the model's kind: the book's `VariationalAutoencoder` takes
the same arguments, so one configuration describes either network. Four more fields describe
the second edition's autoencoder (ReLU, the input padded to 32 x 32, a stride-1 output Conv2D,
binary cross-entropy); their defaults are the first edition's. `validate()` is the single
gate every configuration passes before a layer is built: it raises `ConfigError` with a message
a student can act on, so an impossible layer list never surfaces as a PyTorch shape error later.
How a model is trained is `ae.train.recipe.Recipe`."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass

# Limits that keep a model trainable on a laptop CPU. The article's model needs about
# 0.2 M parameters and 30 MFLOP per image forward; these allow ~25x that.
MAX_PARAMS = 5_000_000
MAX_MFLOPS = 750  # multiply-adds x 2, one image, encoder + decoder forward
MAX_FILTERS = 512
MAX_KERNEL = 15
MAX_STRIDE = 8
MAX_LAYERS = 8
MAX_Z_DIM = 256
MAX_SIDE = 256
KINDS = ("autoencoder", "vae")  # the book's Autoencoder and VariationalAutoencoder
ACTIVATIONS = ("leaky_relu", "relu")  # after each conv: the 1st edition's | the 2nd edition's
LOSSES = ("mse", "bce")  # per-image mean squared error (1st) | binary cross-entropy (2nd)
OUTPUT_KERNEL = 3  # the 2nd edition's output Conv2D(channels, 3 x 3, stride 1, sigmoid)


class ConfigError(ValueError):
    """A configuration the model cannot be built from; the message says what to change."""


@dataclass
class AEConfig:
    input_dim: tuple[int, int, int]  # (H, W, C), as in the article (Keras channels-last)
    encoder_conv_filters: list[int]
    encoder_conv_kernel_size: list[int]
    encoder_conv_strides: list[int]
    decoder_conv_t_filters: list[int]
    decoder_conv_t_kernel_size: list[int]
    decoder_conv_t_strides: list[int]
    z_dim: int
    use_batch_norm: bool = False
    use_dropout: bool = False
    leaky_relu_slope: float = 0.3  # Keras' LeakyReLU() default, which the book uses
    kind: str = "autoencoder"  # one of KINDS; not a constructor argument of either class
    activation: str = "leaky_relu"  # one of ACTIVATIONS
    pad_to: int = 0  # zero-pad the images to pad_to x pad_to before the encoder; 0: no padding
    output_conv: bool = False  # a stride-1 Conv2D to the image's channels after the decoder's
    loss: str = "mse"  # one of LOSSES

    @property
    def net_dim(self) -> tuple[int, int, int]:
        """(H, W, C) the network works at: the images' `input_dim`, padded to `pad_to`."""
        h, w, c = self.input_dim
        return (self.pad_to, self.pad_to, c) if self.pad_to else (h, w, c)

    @property
    def is_vae(self) -> bool:
        return self.kind == "vae"

    def constructor_args(self) -> dict:
        """The keyword arguments of the book's class (every field but `kind`)."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "kind"}

    @classmethod
    def book(cls, kind: str = "autoencoder") -> AEConfig:
        """The article's `AE` instance (or, with kind "vae", its `VAE`): MNIST 28x28x1, four
        conv layers each way, z_dim 2."""
        return cls(
            input_dim=(28, 28, 1),
            encoder_conv_filters=[32, 64, 64, 64],
            encoder_conv_kernel_size=[3, 3, 3, 3],
            encoder_conv_strides=[1, 2, 2, 1],
            decoder_conv_t_filters=[64, 64, 32, 1],
            decoder_conv_t_kernel_size=[3, 3, 3, 3],
            decoder_conv_t_strides=[1, 2, 2, 1],
            z_dim=2,
            kind=kind,
        ).validate()

    # -- serialisation -------------------------------------------------------------------
    def to_dict(self) -> dict:
        d = asdict(self)
        d["input_dim"] = list(self.input_dim)
        return d

    @classmethod
    def from_dict(cls, d: dict) -> AEConfig:
        """Build from a plain dict (JSON, a checkpoint, the URL); unknown keys are refused."""
        if not isinstance(d, dict):
            raise ConfigError("a configuration must be a JSON object")
        names = set(cls.__dataclass_fields__)
        unknown = set(d) - names
        if unknown:
            raise ConfigError(f"unknown configuration keys: {sorted(unknown)}")
        missing = {"input_dim", "encoder_conv_filters", "encoder_conv_kernel_size",
                   "encoder_conv_strides", "decoder_conv_t_filters",
                   "decoder_conv_t_kernel_size", "decoder_conv_t_strides", "z_dim"} - set(d)
        if missing:
            raise ConfigError(f"missing configuration keys: {sorted(missing)}")
        d = dict(d)
        if isinstance(d["input_dim"], (list, tuple)):
            d["input_dim"] = tuple(d["input_dim"])
        for k in ("encoder_conv_filters", "encoder_conv_kernel_size", "encoder_conv_strides",
                  "decoder_conv_t_filters", "decoder_conv_t_kernel_size",
                  "decoder_conv_t_strides"):
            if isinstance(d[k], (list, tuple)):
                d[k] = list(d[k])
        return cls(**d).validate()

    def to_json(self) -> str:
        return json.dumps(self.to_dict())

    @classmethod
    def from_json(cls, text: str) -> AEConfig:
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as e:
            raise ConfigError(f"not valid JSON: {e}") from None

    # -- derived sizes -------------------------------------------------------------------
    @property
    def n_encoder_layers(self) -> int:
        return len(self.encoder_conv_filters)

    @property
    def n_decoder_layers(self) -> int:
        return len(self.decoder_conv_t_filters)

    def encoder_shapes(self) -> list[tuple[int, int, int]]:
        """(H, W, C) after each encoder conv, Keras 'same': side -> ceil(side / stride)."""
        h, w, _ = self.net_dim
        out = []
        for f, s in zip(self.encoder_conv_filters, self.encoder_conv_strides, strict=False):
            h, w = math.ceil(h / s), math.ceil(w / s)
            out.append((h, w, f))
        return out

    def shape_before_flattening(self) -> tuple[int, int, int]:
        return self.encoder_shapes()[-1]

    def decoder_shapes(self) -> list[tuple[int, int, int]]:
        """(H, W, C) after each decoder transposed conv, Keras 'same': side -> side * stride."""
        h, w, _ = self.shape_before_flattening()
        out = []
        for f, s in zip(self.decoder_conv_t_filters, self.decoder_conv_t_strides, strict=False):
            h, w = h * s, w * s
            out.append((h, w, f))
        return out

    def mflops(self) -> float:
        """Forward cost of one image in MFLOP (2 x multiply-adds), encoder + decoder."""
        h, w, c = self.net_dim
        total = 0
        for (oh, ow, f), k in zip(self.encoder_shapes(), self.encoder_conv_kernel_size,
                                  strict=False):
            total += 2 * oh * ow * f * c * k * k
            c = f
        flat = math.prod(self.shape_before_flattening())
        heads = 2 if self.is_vae else 1  # the VAE's encoder ends in mu and log_var
        total += 2 * (heads + 1) * flat * self.z_dim  # encoder dense(s) + decoder dense
        h0, w0, c = self.shape_before_flattening()
        for (oh, ow, f), k, s in zip(self.decoder_shapes(), self.decoder_conv_t_kernel_size,
                                     self.decoder_conv_t_strides, strict=False):
            ih, iw = oh // s, ow // s
            total += 2 * ih * iw * f * c * k * k
            c = f
        if self.output_conv:
            total += 2 * h * w * self.input_dim[2] * c * OUTPUT_KERNEL ** 2
        return total / 1e6

    def n_params(self) -> int:
        """Trainable parameters of encoder + decoder (BatchNorm's gamma and beta included)."""
        c = self.input_dim[2]
        n = 0
        bn = 2 if self.use_batch_norm else 0
        for f, k in zip(self.encoder_conv_filters, self.encoder_conv_kernel_size, strict=False):
            n += c * f * k * k + f + bn * f
            c = f
        flat = math.prod(self.shape_before_flattening())
        heads = 2 if self.is_vae else 1  # the VAE's encoder ends in mu and log_var
        n += heads * (flat * self.z_dim + self.z_dim) + self.z_dim * flat + flat
        c = self.shape_before_flattening()[2]
        last = self.n_decoder_layers - 1
        for i, (f, k) in enumerate(zip(self.decoder_conv_t_filters,
                                       self.decoder_conv_t_kernel_size, strict=False)):
            n += c * f * k * k + f + (bn * f if i < last or self.output_conv else 0)
            c = f
        if self.output_conv:
            out = self.input_dim[2]
            n += c * out * OUTPUT_KERNEL ** 2 + out
        return n

    # -- validation ----------------------------------------------------------------------
    def validate(self) -> AEConfig:
        """Raise ConfigError naming the layer and the numbers if the model can't be built."""
        _check_input_dim(self.input_dim)
        if self.kind not in KINDS:
            raise ConfigError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")
        _check_int("z_dim", self.z_dim, 1, MAX_Z_DIM)
        if self.activation not in ACTIVATIONS:
            raise ConfigError(f"activation must be one of {', '.join(ACTIVATIONS)}, "
                              f"got {self.activation!r}")
        if self.loss not in LOSSES:
            raise ConfigError(f"loss must be one of {', '.join(LOSSES)}, got {self.loss!r}")
        pad = self.pad_to
        if pad != 0:
            _check_int("pad_to", pad, 1, MAX_SIDE)
            if pad < max(self.input_dim[:2]):
                raise ConfigError(
                    f"pad_to is {pad}, smaller than the {self.input_dim[0]}x{self.input_dim[1]} "
                    f"images: padding can only grow them (0 means no padding)")
            if (pad - self.input_dim[0]) % 2 or (pad - self.input_dim[1]) % 2:
                raise ConfigError(
                    f"pad_to {pad} would pad the {self.input_dim[0]}x{self.input_dim[1]} images "
                    f"unevenly: choose a size that differs from theirs by an even number")
        for name in ("use_batch_norm", "use_dropout", "output_conv"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be true or false")
        slope = self.leaky_relu_slope
        if isinstance(slope, bool) or not isinstance(slope, (int, float)) \
                or not math.isfinite(slope) or not 0 <= slope <= 1:
            raise ConfigError(f"leaky_relu_slope must be a number between 0 and 1, got {slope!r}")
        for part, what in (("encoder", "encoder_conv"), ("decoder", "decoder_conv_t")):
            lists = {k: getattr(self, f"{what}_{k}") for k in ("filters", "kernel_size", "strides")}
            for k, v in lists.items():
                if not isinstance(v, list) or not v:
                    raise ConfigError(f"{what}_{k} must be a non-empty list of integers")
            lengths = {k: len(v) for k, v in lists.items()}
            if len(set(lengths.values())) != 1:
                raise ConfigError(
                    f"the {part}'s lists must have one entry per layer, but they have "
                    f"{lengths['filters']} filters, {lengths['kernel_size']} kernel sizes and "
                    f"{lengths['strides']} strides")
            if lengths["filters"] > MAX_LAYERS:
                raise ConfigError(f"the {part} has {lengths['filters']} layers; "
                                  f"at most {MAX_LAYERS} are allowed")
            for i in range(lengths["filters"]):
                _check_int(f"{part} layer {i} filters", lists["filters"][i], 1, MAX_FILTERS)
                _check_int(f"{part} layer {i} kernel size", lists["kernel_size"][i], 1, MAX_KERNEL)
                _check_int(f"{part} layer {i} stride", lists["strides"][i], 1, MAX_STRIDE)

        h, w, c = self.net_dim
        for i, s in enumerate(self.encoder_conv_strides):
            if s > min(h, w):
                raise ConfigError(
                    f"encoder layer {i} has stride {s}, but the feature map entering it is only "
                    f"{h}x{w}: it would shrink below one pixel. Use a stride of at most "
                    f"{min(h, w)}.")
            h, w = math.ceil(h / s), math.ceil(w / s)
        if self.decoder_conv_t_filters[-1] != c and not self.output_conv:
            raise ConfigError(
                f"the decoder's last layer has {self.decoder_conv_t_filters[-1]} filters, but the "
                f"images have {c} channel(s): set its filters to {c}, or end the decoder with the "
                f"output Conv2D")
        oh, ow, _ = self.decoder_shapes()[-1]
        nh, nw, _ = self.net_dim
        if (oh, ow) != (nh, nw):
            grow = math.prod(self.decoder_conv_t_strides)
            padded = f" (the images padded to {self.pad_to})" if self.pad_to else ""
            raise ConfigError(
                f"the decoder starts from the encoder's {h}x{w} map and its strides "
                f"{self.decoder_conv_t_strides} multiply it by {grow}, giving {oh}x{ow} images, "
                f"not {nh}x{nw}{padded}. Make the decoder's strides undo "
                f"the encoder's (for the article: mirror them).")
        if self.n_params() > MAX_PARAMS:
            raise ConfigError(
                f"this model has {self.n_params():,} parameters; the limit for training on a "
                f"laptop is {MAX_PARAMS:,}. Use fewer filters or a smaller z_dim.")
        if self.mflops() > MAX_MFLOPS:
            raise ConfigError(
                f"one image costs {self.mflops():,.0f} MFLOP forward; the limit for training on a "
                f"laptop is {MAX_MFLOPS:,} MFLOP. Use fewer filters, smaller kernels or larger "
                f"early strides.")
        return self


def _check_int(name: str, v, lo: int, hi: int) -> None:
    if isinstance(v, bool) or not isinstance(v, int):
        raise ConfigError(f"{name} must be a whole number, got {v!r}")
    if not lo <= v <= hi:
        raise ConfigError(f"{name} is {v}; it must be between {lo} and {hi}")


def _check_input_dim(dim) -> None:
    if not isinstance(dim, tuple) or len(dim) != 3:
        raise ConfigError(f"input_dim must be (height, width, channels), got {dim!r}")
    for name, v, hi in zip(("height", "width", "channels"), dim, (MAX_SIDE, MAX_SIDE, 4),
                           strict=True):
        _check_int(f"input {name}", v, 1, hi)
