"""The article's convolutional autoencoder in PyTorch, built from an `AEConfig`.

Reads top to bottom like the book's `models/AE.py`: `_build()` makes the encoder (conv ->
LeakyReLU [-> BatchNorm] [-> Dropout], flatten, dense to z) and the decoder (dense, reshape,
transposed convs, sigmoid). The second edition's choices slot in: ReLU for LeakyReLU, the images
zero-padded to `pad_to` first (the decoder's output is cropped back, so every picture the rest
of the dashboard sees keeps the data's size), a stride-1 output Conv2D, binary cross-entropy.
Convolutions use Keras `padding='same'` for any kernel and stride: a conv maps a side n to
ceil(n / s) and a transposed conv maps n to n * s, with TensorFlow's convention of putting the
odd padding pixel at the bottom / right.

Tensors are PyTorch's (B, C, H, W) with pixels in [0, 1]; `input_dim` stays (H, W, C) as in
the article.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from pathlib import Path

import torch
from torch import nn

from ae.model import checkpoint, kinds
from ae.model.config import OUTPUT_KERNEL, AEConfig
from ae.model.layers import Conv2dSame, ConvTranspose2dSame, Crop2d
from ae.train.losses import reconstruction_loss
from ae.train.trainer import Trainer


@kinds.register("autoencoder")
class Autoencoder(nn.Module):
    """The book's `Autoencoder`, same constructor and methods, as an `nn.Module`.

    Two names shadow `nn.Module` methods because the article uses them:
    - `train(x_train, batch_size, epochs, ...)` trains (see below); `model.train()` /
      `model.train(True|False)` with a bool or no argument still switch training mode, so
      `model.eval()` keeps working.
    - `compile(learning_rate)` sets up the optimiser like Keras' compile, not torch.compile.
    """

    KIND = "autoencoder"  # AEConfig.kind of the models this class builds

    def __init__(self, input_dim, encoder_conv_filters, encoder_conv_kernel_size,
                 encoder_conv_strides, decoder_conv_t_filters, decoder_conv_t_kernel_size,
                 decoder_conv_t_strides, z_dim, use_batch_norm=False, use_dropout=False,
                 leaky_relu_slope=0.3, activation="leaky_relu", pad_to=0, output_conv=False,
                 loss="mse"):
        super().__init__()
        self.config = AEConfig(
            tuple(input_dim), list(encoder_conv_filters), list(encoder_conv_kernel_size),
            list(encoder_conv_strides), list(decoder_conv_t_filters),
            list(decoder_conv_t_kernel_size), list(decoder_conv_t_strides), z_dim,
            use_batch_norm, use_dropout, leaky_relu_slope, self.KIND, activation, pad_to,
            output_conv, loss).validate()
        self.learning_rate: float | None = None
        self._build()

    @classmethod
    def from_config(cls, cfg: AEConfig):
        return cls(**cfg.constructor_args())

    def _block(self, conv: nn.Module, i: int, prefix: str,
               last: bool) -> list[tuple[str, nn.Module]]:
        """One conv and what follows it in the book: LeakyReLU (or ReLU), BatchNorm, Dropout."""
        c = self.config
        layers = [(f"{prefix}_{i}", conv)]
        if last:
            return layers
        if c.activation == "relu":
            layers.append((f"{prefix}_relu_{i}", nn.ReLU()))
        else:
            layers.append((f"{prefix}_lrelu_{i}", nn.LeakyReLU(c.leaky_relu_slope)))
        if c.use_batch_norm:
            # Keras' BatchNormalization defaults: momentum 0.99 (torch: 1 - 0.99), eps 1e-3
            layers.append((f"{prefix}_bn_{i}", nn.BatchNorm2d(conv.out_channels, eps=1e-3,
                                                              momentum=0.01)))
        if c.use_dropout:
            layers.append((f"{prefix}_dropout_{i}", nn.Dropout(0.25)))
        return layers

    def _build(self) -> None:
        body, flat = self._encoder_body()
        body.append(("encoder_output", nn.Linear(flat, self.config.z_dim)))
        self.encoder = nn.Sequential(OrderedDict(body))
        self.decoder = self._decoder()

    def _encoder_body(self) -> tuple[list[tuple[str, nn.Module]], int]:
        """The conv blocks and the flatten (named as in the book), and the flat size."""
        c = self.config
        h, w, ch = c.net_dim
        enc: list[tuple[str, nn.Module]] = []
        if c.pad_to:  # the 2nd edition's np.pad(imgs, 2): zeros around, as Keras' ZeroPadding2D
            dh, dw = (c.pad_to - c.input_dim[0]) // 2, (c.pad_to - c.input_dim[1]) // 2
            enc.append(("zero_padding", nn.ZeroPad2d((dw, dw, dh, dh))))
        for i, (f, k, s) in enumerate(zip(c.encoder_conv_filters, c.encoder_conv_kernel_size,
                                          c.encoder_conv_strides, strict=False)):
            enc += self._block(Conv2dSame(ch, f, k, s, (h, w)), i, "encoder_conv", last=False)
            h, w, ch = math.ceil(h / s), math.ceil(w / s), f
        self.shape_before_flattening = (h, w, ch)  # (H, W, C), as the book names it
        return enc + [("flatten", nn.Flatten())], h * w * ch

    def _decoder(self) -> nn.Sequential:
        """Dense, reshape, transposed convs [, output conv], sigmoid [, crop back to the images'
        size]: the same for both kinds."""
        c = self.config
        h, w, ch = self.shape_before_flattening
        flat = h * w * ch
        dec: list[tuple[str, nn.Module]] = [
            ("decoder_dense", nn.Linear(c.z_dim, flat)),
            ("reshape", nn.Unflatten(1, (ch, h, w))),  # (B, flat) -> (B, C, H, W)
        ]
        last = c.n_decoder_layers - 1
        for i, (f, k, s) in enumerate(zip(c.decoder_conv_t_filters, c.decoder_conv_t_kernel_size,
                                          c.decoder_conv_t_strides, strict=False)):
            dec += self._block(ConvTranspose2dSame(ch, f, k, s, (h, w)), i, "decoder_conv_t",
                               last=i == last and not c.output_conv)
            h, w, ch = h * s, w * s, f
        if c.output_conv:
            dec.append(("decoder_conv", Conv2dSame(ch, c.input_dim[2], OUTPUT_KERNEL, 1, (h, w))))
        dec.append(("decoder_output", nn.Sigmoid()))
        if c.pad_to:
            dec.append(("cropping", Crop2d(c.input_dim[0], c.input_dim[1])))
        return nn.Sequential(OrderedDict(dec))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C, H, W) images in [0, 1] -> reconstructions of the same shape."""
        return self.decoder(self.encoder(x))

    def paint(self, z: torch.Tensor) -> torch.Tensor:
        """What the loss reads, at the network's size (the padded images when `pad_to`: the
        book's loss counts the zero border too): the decoder's output before its sigmoid for
        binary cross-entropy (computed from logits, as TensorFlow does), after it for MSE."""
        stop = "decoder_output" if self.config.loss == "bce" else "cropping"
        for name, module in self.decoder.named_children():
            if name == stop:
                break
            z = module(z)
        return z

    def target(self, x: torch.Tensor) -> torch.Tensor:
        """The images as the network sees them (padded to `pad_to`), for the loss."""
        pad = getattr(self.encoder, "zero_padding", None)
        return x if pad is None else pad(x)

    def loss_parts(self, x: torch.Tensor, r_loss_factor: float | None = None) -> dict:
        """The training loss on images `x`: {"loss": per-image MSE or BCE} (the factor is the
        VAE's)."""
        return {"loss": reconstruction_loss(self.config.loss, self.target(x),
                                            self.paint(self.encoder(x)))}

    # -- the article's methods ------------------------------------------------------------
    def compile(self, learning_rate: float) -> None:  # noqa: A003 - the article's name
        """Remember the learning rate for `train`, like Keras' compile(Adam(lr), r_loss)."""
        self.learning_rate = float(learning_rate)

    def train(self, x_train=True, batch_size: int | None = None, epochs: int | None = None,
              run_folder: str | Path | None = None, initial_epoch: int = 0,
              lr_decay: float = 1, **trainer_kwargs):
        """Fit the model to `x_train` like the book's `AE.train(...)`, and return the Trainer.

        Called with a bool or nothing (`model.train()`, `model.train(False)`, and so
        `model.eval()`), it is `nn.Module.train(mode)` and switches training mode instead.
        `x_train` is uint8 or float in [0, 1], a NumPy array or a tensor, (N, H, W),
        (N, C, H, W) or the book's channels-last (N, H, W, C); with `run_folder`,
        the model is saved there at the end, as the book's checkpoint callback does.
        """
        if isinstance(x_train, bool):
            return super().train(x_train)
        if batch_size is None or epochs is None:
            raise TypeError("train(x_train, batch_size, epochs, ...) needs batch_size and epochs")
        lr = {"lr": self.learning_rate} if self.learning_rate else {}  # else the Recipe's
        trainer = Trainer(self, x_train, batch_size=batch_size, lr_decay=lr_decay,
                          **lr, **trainer_kwargs)
        trainer.fit(epochs=epochs, initial_epoch=initial_epoch)
        if run_folder is not None:
            self.save(run_folder)
        return trainer

    def save(self, folder: str | Path) -> Path:
        """Write config and weights into `folder` (one checkpoint file + readable config)."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "params.json").write_text(self.config.to_json() + "\n")
        return checkpoint.save(folder / checkpoint.FILENAME, self)

    def load_weights(self, path: str | Path) -> None:
        """Load weights from a checkpoint file (or a folder holding one), safely."""
        ckpt = checkpoint.load(path)
        checkpoint.check_compatible(ckpt, self.config)
        self.load_state_dict(ckpt.state_dict)


def load_model(folder: str | Path) -> Autoencoder:
    """The book's pattern: rebuild the model from the saved config, then load its weights."""
    return checkpoint.load(folder).model()
