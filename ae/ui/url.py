"""Page state kept in the URL, so a teacher can share a link that opens the same view.

One reader per type (a whole number in a range, a list of numbers, one of a few words, a flag,
a layer table); each returns None for anything it cannot read, and the page falls back to the
article's value. `write` puts a page's values back beside the sidebar's. The architecture's
URL form is here too: `enc=32-3-1,64-3-2,...` (filters-kernel-stride per layer), `dec=` only
for a decoder of its own, `z`, `bn`, `do`, the model's `kind` (autoencoder or vae), and the
second edition's choices `act`, `pad`, `oc`, `loss`; garbage resets it to the article's with a
notice. `preset=ed1|ed2` (one of `ae.model.presets`) sets network, data and recipe at once;
explicit parameters beside it win, and `data=` names the data set to train on.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import streamlit as st

from ae.model import choices, presets
from ae.model.config import ACTIVATIONS, KINDS, LOSSES, AEConfig, ConfigError

_LAYER = re.compile(r"([0-9]{1,4})-([0-9]{1,4})-([0-9]{1,4})")  # ASCII digits only ("²" is not)


# -- one reader per type ----------------------------------------------------------------------
def whole(text: Any) -> int | None:
    """A whole number ("12", " 3 "), or None."""
    try:
        return int(str(text).strip()) if text is not None else None
    except ValueError:
        return None


def int_in(text: Any, lo: int, hi: int) -> int | None:
    """A whole number in [lo, hi], or None."""
    v = whole(text)
    return v if v is not None and lo <= v <= hi else None


def floats(text: Any, n: int) -> list[float] | None:
    """n finite numbers from "a,b,...", or None."""
    try:
        vals = [float(s) for s in str(text).split(",")] if text is not None else []
    except ValueError:
        return None
    return vals if len(vals) == n and all(math.isfinite(v) for v in vals) else None


def ints(text: Any, n: int) -> list[int] | None:
    """n whole numbers from "a,b,...", or None (ranges are the caller's to check)."""
    vals = [whole(s) for s in str(text).split(",")] if text is not None else []
    return vals if len(vals) == n and None not in vals else None  # type: ignore[return-value]


def choice(text: Any, options: Sequence[str]) -> str | None:
    """One of `options`, or None."""
    return text if text in options else None


def flag(text: Any) -> bool | None:
    """"1" or "0" as a bool, or None."""
    return {"1": True, "0": False}.get(text)


def layers(text: str) -> choices.Layers:
    """A layer table from "32-3-1,64-3-2"; ValueError saying what is expected."""
    if len(text) > 200:
        raise ValueError("too long")
    rows = [_LAYER.fullmatch(part) for part in text.split(",")]
    if not all(rows):
        raise ValueError("expected layers as filters-kernel-stride, e.g. 32-3-1,64-3-2")
    f, k, s = ([int(m.group(i)) for m in rows] for i in (1, 2, 3))  # type: ignore[union-attr]
    return f, k, s


# -- reading and writing this page's parameters -------------------------------------------------
def get(name: str) -> str | None:
    return st.query_params.get(name)


def write(values: Mapping[str, str]) -> None:
    """Put these values into the URL (only the ones that changed: each write is a message)."""
    for key, value in values.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


# -- the architecture ---------------------------------------------------------------------------
def _layers_text(table: choices.Layers) -> str:
    return ",".join(f"{a}-{b}-{c}" for a, b, c in zip(*table, strict=False))


def architecture_query(cfg: AEConfig, own_decoder: bool) -> dict[str, str]:
    """The URL form of a (possibly invalid) config: what the sidebar shows, as a link."""
    q = {"enc": _layers_text(choices.encoder_of(cfg)), "z": str(cfg.z_dim),
         "bn": str(int(cfg.use_batch_norm)), "do": str(int(cfg.use_dropout)), "kind": cfg.kind,
         "act": cfg.activation, "pad": str(cfg.pad_to), "oc": str(int(cfg.output_conv)),
         "loss": cfg.loss}
    if own_decoder:
        q["dec"] = _layers_text(choices.decoder_of(cfg))
    return q


def preset(params: Mapping[str, str]) -> presets.Preset | None:
    """The preset a link names (`preset=ed2`), or None."""
    return presets.PRESETS.get(params.get("preset", ""))


def read_data(params: Mapping[str, str]) -> tuple[str, list[str]]:
    """The data set a link asks to train on (`data=`, else its preset's, else MNIST), with a
    notice for one it does not know."""
    base = (preset(params) or presets.ED1).dataset
    if "data" not in params:
        return base, []
    name = choice(params["data"], presets.DATASETS)
    if name is None:
        return base, [f"URL parameter data={str(params['data'])[:40]!r} ignored: expected "
                      f"{' or '.join(presets.DATASETS)}"]
    return name, []


def read_architecture(params: Mapping[str, str]) -> tuple[AEConfig, bool, list[str]]:
    """The architecture a link asks for: (config, whether it has a decoder of its own,
    notices). It starts from the link's preset (else the article's); anything unreadable
    keeps that value, with one notice per parameter."""
    base, notices = (preset(params) or presets.ED1).config, []
    if "preset" in params and preset(params) is None:
        notices.append(f"URL parameter preset={str(params['preset'])[:40]!r} ignored: expected "
                       f"{' or '.join(presets.PRESETS)}")

    def bad(key: str, why: str) -> None:
        notices.append(f"URL parameter {key}={str(params.get(key))[:40]!r} ignored: {why}")

    tables = {"enc": choices.encoder_of(base), "dec": None}
    for key in tables:
        if key in params:
            try:
                tables[key] = layers(params[key])
            except ValueError as e:
                bad(key, str(e))
    z = base.z_dim
    if "z" in params:
        z = whole(params["z"]) if whole(params["z"]) is not None else z
        if whole(params["z"]) is None:
            bad("z", "not a whole number")
    on = {"bn": base.use_batch_norm, "do": base.use_dropout, "oc": base.output_conv}
    for key in on:
        if key in params:
            if flag(params[key]) is None:
                bad(key, "expected 0 or 1")  # the base's value stays
            else:
                on[key] = flag(params[key])
    words = {"kind": base.kind, "act": base.activation, "loss": base.loss}
    for key, options in (("kind", KINDS), ("act", ACTIVATIONS), ("loss", LOSSES)):
        if key in params:
            if choice(params[key], options) is None:
                bad(key, f"expected {' or '.join(options)}")
            else:
                words[key] = params[key]
    pad = base.pad_to
    if "pad" in params:
        pad = int_in(params["pad"], 0, 256)
        if pad is None:
            bad("pad", "expected 0 (no padding) or an image side such as 32")
            pad = base.pad_to
    try:
        cfg = choices.from_layers(tables["enc"], tables["dec"], z, on["bn"], on["do"],
                                  activation=words["act"], pad_to=pad, output_conv=on["oc"],
                                  loss=words["loss"])
    except ConfigError as e:
        notices.append(f"the architecture in the URL is not valid ({e}); "
                       f"showing the article's instead")
        return AEConfig.book(words["kind"]), False, notices
    return replace(cfg, kind=words["kind"]), tables["dec"] is not None, notices
