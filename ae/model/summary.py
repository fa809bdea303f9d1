"""Keras-style `model.summary()` tables for the encoder and the decoder.

Rows are computed once (by running one dummy image through the real modules with forward
hooks, so the table can never disagree with the model, for either kind) and printed
separately, as Keras does:
`Layer (type)`, `Output Shape` as `(None, H, W, C)`, `Param #`, then Total / Trainable /
Non-trainable. BatchNorm's running mean and variance count as non-trainable, as in Keras.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from ae.model.autoencoder import Autoencoder
from ae.model.layers import Conv2dSame, ConvTranspose2dSame, Crop2d
from ae.model.vae import Sampling

# PyTorch module -> the Keras class a learner sees in the book's summary
KERAS_NAMES: dict[type, str] = {
    Conv2dSame: "Conv2D",
    ConvTranspose2dSame: "Conv2DTranspose",
    nn.LeakyReLU: "LeakyReLU",
    nn.ReLU: "ReLU",
    nn.ZeroPad2d: "ZeroPadding2D",
    Crop2d: "Cropping2D",
    nn.BatchNorm2d: "BatchNormalization",
    nn.Dropout: "Dropout",
    nn.Flatten: "Flatten",
    nn.Linear: "Dense",
    nn.Unflatten: "Reshape",
    nn.Sigmoid: "Activation",
    Sampling: "Lambda",  # the VAE's sampling layer, a Keras Lambda in the book
}


@dataclass
class Row:
    name: str
    kind: str  # the Keras class name
    shape: tuple[int, ...]  # Keras order: (H, W, C) or (features,)
    params: int

    @property
    def layer(self) -> str:
        return f"{self.name} ({self.kind})"

    @property
    def shape_text(self) -> str:
        return "(None, " + ", ".join(str(s) for s in self.shape) + ")"


@dataclass
class Table:
    title: str
    rows: list[Row]
    trainable: int
    non_trainable: int

    @property
    def total(self) -> int:
        return self.trainable + self.non_trainable

    def records(self) -> list[dict]:
        """Rows as dicts, for a UI table."""
        return [{"Layer (type)": r.layer, "Output Shape": r.shape_text, "Param #": r.params}
                for r in self.rows]

    def __str__(self) -> str:
        w = (max(34, *(len(r.layer) + 2 for r in self.rows)), 26, 12)
        line = "_" * sum(w)
        head = f"{'Layer (type)':<{w[0]}}{'Output Shape':<{w[1]}}{'Param #':>{w[2]}}"
        body = [f"{r.layer:<{w[0]}}{r.shape_text:<{w[1]}}{r.params:>{w[2]},}" for r in self.rows]
        return "\n".join([f'Model: "{self.title}"', line, head, "=" * sum(w),
                          *body, "=" * sum(w),
                          f"Total params: {self.total:,}",
                          f"Trainable params: {self.trainable:,}",
                          f"Non-trainable params: {self.non_trainable:,}", line])


def _keras_shape(t: torch.Tensor) -> tuple[int, ...]:
    return tuple(t.shape[2:]) + (t.shape[1],) if t.dim() == 4 else tuple(t.shape[1:])


def _table(title: str, net: nn.Module, x: torch.Tensor, input_name: str) -> Table:
    """One row per direct child of `net`, in the order the forward pass calls them (a hook on
    each records its output): a Sequential's order, or the VAE encoder's flatten -> mu,
    log_var -> encoder_output."""
    rows = [Row(input_name, "InputLayer", _keras_shape(x), 0)]

    def record(name: str, module: nn.Module):
        def hook(_module, _inputs, out):
            rows.append(Row(name, KERAS_NAMES.get(type(module), type(module).__name__),
                            _keras_shape(out), sum(p.numel() for p in module.parameters())))
        return hook

    handles = [m.register_forward_hook(record(n, m)) for n, m in net.named_children()]
    try:
        net(x)
    finally:
        for h in handles:
            h.remove()
    seq = net
    trainable = sum(p.numel() for p in seq.parameters())
    frozen = sum(b.numel() for n, b in seq.named_buffers() if not n.endswith("num_batches_tracked"))
    for r in rows:  # Keras counts BatchNorm's moving mean / variance in the layer's params
        if r.kind == "BatchNormalization":
            r.params *= 2
    return Table(title, rows, trainable, frozen)


@torch.no_grad()
def summary(model: Autoencoder) -> tuple[Table, Table]:
    """(encoder table, decoder table) for the model, as Keras' `summary()` shows them."""
    h, w, c = model.config.input_dim
    was_training = model.training
    model.eval()
    try:
        p = next(model.parameters())
        x = torch.zeros(1, c, h, w, device=p.device)
        enc = _table("encoder", model.encoder, x, "encoder_input")
        z = torch.zeros(1, model.config.z_dim, device=p.device)
        dec = _table("decoder", model.decoder, z, "decoder_input")
    finally:
        model.train(was_training)
    return enc, dec
