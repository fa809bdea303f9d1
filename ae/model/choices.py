"""The sidebar's architecture choices as plain data: to an AEConfig, to and from the URL.

The dashboard's sidebar, its shareable URL and the robustness tests all go through these
functions, so what a test proves about them holds for what a student clicks. No Streamlit here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from ae.model.config import AEConfig, ConfigError

INPUT_DIM = (28, 28, 1)  # MNIST and Fashion-MNIST


def _book() -> AEConfig:
    return AEConfig.book()


@dataclass
class Choices:
    """What the sidebar edits. `mirror` derives the decoder from the encoder, as the article."""

    enc_filters: list[int] = field(default_factory=lambda: list(_book().encoder_conv_filters))
    enc_kernels: list[int] = field(default_factory=lambda: list(_book().encoder_conv_kernel_size))
    enc_strides: list[int] = field(default_factory=lambda: list(_book().encoder_conv_strides))
    mirror: bool = True
    dec_filters: list[int] = field(default_factory=lambda: list(_book().decoder_conv_t_filters))
    dec_kernels: list[int] = field(
        default_factory=lambda: list(_book().decoder_conv_t_kernel_size))
    dec_strides: list[int] = field(default_factory=lambda: list(_book().decoder_conv_t_strides))
    z_dim: int = 2
    batch_norm: bool = False
    dropout: bool = False

    def decoder(self) -> tuple[list[int], list[int], list[int]]:
        """The decoder's (filters, kernels, strides): mirrored from the encoder or as given.

        Mirroring as the book: the transposed convs walk the encoder backwards, each producing
        the channel count the matching encoder layer consumed, the last one the image's.
        """
        if not self.mirror:
            return list(self.dec_filters), list(self.dec_kernels), list(self.dec_strides)
        filters = list(reversed(self.enc_filters))[1:] + [INPUT_DIM[2]]
        return filters, list(reversed(self.enc_kernels)), list(reversed(self.enc_strides))

    def to_config(self) -> AEConfig:
        """The validated AEConfig, or ConfigError with the message the sidebar shows."""
        f, k, s = self.decoder()
        return AEConfig(INPUT_DIM, list(self.enc_filters), list(self.enc_kernels),
                        list(self.enc_strides), f, k, s, self.z_dim, self.batch_norm,
                        self.dropout).validate()

    @classmethod
    def from_config(cls, cfg: AEConfig) -> Choices:
        c = cls(list(cfg.encoder_conv_filters), list(cfg.encoder_conv_kernel_size),
                list(cfg.encoder_conv_strides), True, list(cfg.decoder_conv_t_filters),
                list(cfg.decoder_conv_t_kernel_size), list(cfg.decoder_conv_t_strides),
                cfg.z_dim, cfg.use_batch_norm, cfg.use_dropout)
        try:
            mirrored = c.to_config()
        except ConfigError:
            mirrored = None
        return c if mirrored == cfg else replace(c, mirror=False)

    # -- URL -------------------------------------------------------------------------------
    def to_query(self) -> dict[str, str]:
        """Compact query parameters: enc=32-3-1,64-3-2,... (filters-kernel-stride per layer)."""
        q = {"enc": _layers_text(self.enc_filters, self.enc_kernels, self.enc_strides),
             "z": str(self.z_dim), "bn": str(int(self.batch_norm)),
             "do": str(int(self.dropout))}
        if not self.mirror:
            q["dec"] = _layers_text(self.dec_filters, self.dec_kernels, self.dec_strides)
        return q

    @classmethod
    def from_query(cls, params: dict[str, str]) -> tuple[Choices, list[str]]:
        """Choices from query parameters; anything unreadable falls back to the default,
        with one notice per parameter saying what was ignored."""
        c, notices = cls(), []

        def bad(key: str, why: str) -> None:
            notices.append(f"URL parameter {key}={str(params.get(key))[:40]!r} ignored: {why}")

        for key, attrs in (("enc", ("enc_filters", "enc_kernels", "enc_strides")),
                           ("dec", ("dec_filters", "dec_kernels", "dec_strides"))):
            if key in params:
                try:
                    layers = _parse_layers(params[key])
                    for a, v in zip(attrs, layers, strict=False):
                        setattr(c, a, v)
                    if key == "dec":
                        c.mirror = False
                except ValueError as e:
                    bad(key, str(e))
        if "z" in params:
            try:
                c.z_dim = int(params["z"])
            except ValueError:
                bad("z", "not a whole number")
        for key, attr in (("bn", "batch_norm"), ("do", "dropout")):
            if key in params:
                if params[key] in ("0", "1"):
                    setattr(c, attr, params[key] == "1")
                else:
                    bad(key, "expected 0 or 1")
        try:
            c.to_config()
        except ConfigError as e:
            notices.append(f"the architecture in the URL is not valid ({e}); "
                           f"showing the article's instead")
            c = cls()
        return c, notices

    def to_dict(self) -> dict:
        return asdict(self)


def _layers_text(f: list[int], k: list[int], s: list[int]) -> str:
    return ",".join(f"{a}-{b}-{c}" for a, b, c in zip(f, k, s, strict=False))


def _parse_layers(text: str) -> tuple[list[int], list[int], list[int]]:
    if len(text) > 200:
        raise ValueError("too long")
    f, k, s = [], [], []
    for part in text.split(","):
        bits = part.split("-")
        if len(bits) != 3 or not all(b.isdigit() and len(b) <= 4 for b in bits):
            raise ValueError("expected layers as filters-kernel-stride, e.g. 32-3-1,64-3-2")
        f.append(int(bits[0]))
        k.append(int(bits[1]))
        s.append(int(bits[2]))
    return f, k, s
