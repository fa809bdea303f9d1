"""Per-session state: the model in play, the models this session has had, widgets' first values.

Everything a session owns lives in `st.session_state`, so one student's model, history and
uploads are never visible to another. Shipped models are shared read-only (see resources);
what is computed from a model is cached in `ae.ui.results`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from ae.model.autoencoder import Autoencoder

# the origins of the shipped models (ae.ui.resources.SHIPPED has their files)
SHIPPED = ("book", "full", "vae_book", "vae_full", "fashion_2nd", "vae_fashion_2nd")
# the session's own: a trained autoencoder and a trained VAE keep a slot each, so training
# the one never throws the other away (the cure page compares the two); an upload
OWN = ("trained", "trained_vae", "upload")

_counter = itertools.count(1)


@dataclass
class InPlay:
    """The model the pages look at, with what came with it."""

    key: str  # unique per model: a SHIPPED name, "upload:<sha>", "trained:<n>", "untrained:<n>"
    origin: str  # one of SHIPPED | OWN | "untrained"
    model: Autoencoder  # or its subclass, the VariationalAutoencoder
    dataset: str
    history: dict = field(default_factory=dict)
    snapshots: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)
    label: str = ""  # a name for uploads ("my_model.pt")

    @property
    def shared(self) -> bool:
        """Shipped models are shared across sessions (cached once per server)."""
        return self.origin in SHIPPED


def new_key(prefix: str) -> str:
    return f"{prefix}:{next(_counter)}"


def first_value(key: str, value: Any, neutral: Any = None) -> Any:
    """What to pass as a widget's `value=` (or `index=`): `value` on its first draw, `neutral`
    once the widget has a state.

    Why: Streamlit 1.67 paints a widget whose first value was written into st.session_state
    with its default for a moment (seconds on a busy server), so first values go in as
    `value=`. A value written there later (a Reset button's callback) must still win, and
    Streamlit warns when a widget also gets a non-default `value=`; `neutral` is the argument
    it reads as "no default": None (sliders), False (checkboxes), 0 (an index), "min"
    (number inputs)."""
    return neutral if key in st.session_state else value


def current() -> InPlay | None:
    return st.session_state.get("in_play")


def set_current(inplay: InPlay) -> None:
    st.session_state["in_play"] = inplay
    st.session_state.setdefault("models", {})[inplay.origin] = inplay


def session_models() -> dict[str, InPlay]:
    """Models this session has had in play, by origin (the sidebar offers them again)."""
    return st.session_state.setdefault("models", {})

