"""Model kinds by name: what a configuration's `kind` is built into.

A model class registers itself here (`@register("autoencoder")`, `@register("vae")`), so the
checkpoint can rebuild a saved model without importing the class that uses it to save itself. A
new kind of model plugs in by registering its class in its own module and naming it in
`ae.model.config.KINDS` (the package's `__init__` imports every kind, so all are registered).
"""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

from ae.model.config import AEConfig

_classes: dict[str, type[nn.Module]] = {}


def register(name: str) -> Callable[[type[nn.Module]], type[nn.Module]]:
    """Class decorator: `cls.from_config(cfg)` builds this kind."""
    def add(cls: type[nn.Module]) -> type[nn.Module]:
        _classes[name] = cls
        return cls
    return add


def build(cfg: AEConfig) -> nn.Module:
    """A new model of `cfg.kind` for `cfg` (on the current default device)."""
    try:
        cls = _classes[cfg.kind]
    except KeyError:
        raise ValueError(f"unknown model kind {cfg.kind!r}; known: {sorted(_classes)}") from None
    return cls.from_config(cfg)
