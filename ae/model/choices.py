"""An `AEConfig` from a layer table as a learner fills it in: the encoder's layers and either a
decoder of its own or the book's mirror of the encoder.

The sidebar, a shared link (`ae.ui.url`) and the robustness tests all build their config here,
so what a test proves about a layer table holds for what a student clicks. `AEConfig` stays
the one form of an architecture; a layer table is only the way to type one in.
"""

from __future__ import annotations

from ae.model.config import AEConfig

INPUT_DIM = (28, 28, 1)  # MNIST and Fashion-MNIST
Layers = tuple[list[int], list[int], list[int]]  # (filters, kernel sizes, strides), one per layer


def mirrored(encoder: Layers, channels: int = INPUT_DIM[2], output_conv: bool = False) -> Layers:
    """The decoder the book derives from an encoder: the transposed convs walk the encoder
    backwards, each producing the channel count the matching encoder layer consumed, the last
    one the image's (1st edition); with an output Conv2D to the image's channels after them
    (2nd edition), each produces the count the matching encoder layer produced."""
    filters, kernels, strides = encoder
    back = list(reversed(filters))
    return (back if output_conv else back[1:] + [channels], list(reversed(kernels)),
            list(reversed(strides)))


def from_layers(encoder: Layers, decoder: Layers | None = None, z_dim: int = 2,
                batch_norm: bool = False, dropout: bool = False, validate: bool = True,
                *, activation: str = "leaky_relu", pad_to: int = 0, output_conv: bool = False,
                loss: str = "mse") -> AEConfig:
    """The config (validated: ConfigError with the message the sidebar shows, unless
    `validate` is False); no `decoder` means the book's mirror of the encoder. The keywords
    are the second edition's choices (AEConfig's fields of the same names)."""
    dec = mirrored(encoder, INPUT_DIM[2], output_conv) if decoder is None else decoder
    cfg = AEConfig(INPUT_DIM, *(list(v) for v in encoder), *(list(v) for v in dec), z_dim,
                   batch_norm, dropout, activation=activation, pad_to=pad_to,
                   output_conv=output_conv, loss=loss)
    return cfg.validate() if validate else cfg


def encoder_of(cfg: AEConfig) -> Layers:
    return (list(cfg.encoder_conv_filters), list(cfg.encoder_conv_kernel_size),
            list(cfg.encoder_conv_strides))


def decoder_of(cfg: AEConfig) -> Layers:
    return (list(cfg.decoder_conv_t_filters), list(cfg.decoder_conv_t_kernel_size),
            list(cfg.decoder_conv_t_strides))


def is_mirrored(cfg: AEConfig) -> bool:
    """Whether the decoder is the book's mirror of the encoder."""
    return decoder_of(cfg) == mirrored(encoder_of(cfg), cfg.input_dim[2], cfg.output_conv)
