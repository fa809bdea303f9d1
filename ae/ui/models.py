"""Choosing the model in play: a shipped checkpoint, one trained here, or an upload.

Shipped checkpoints are loaded once per server; a session that picks one gets its own
`InPlay` wrapping the shared, read-only model. Training always builds a new model.
"""

from __future__ import annotations

import streamlit as st
from torch import nn

from ae.model import checkpoint, kinds
from ae.model.config import AEConfig
from ae.ui import resources, state
from ae.ui.i18n import t, translated_radio

ORDER = [*state.SHIPPED, *state.OWN, "untrained"]


def from_checkpoint(ckpt: checkpoint.Checkpoint, origin: str, key: str,
                    label: str = "") -> state.InPlay:
    return state.InPlay(key=key, origin=origin, model=ckpt.model(), dataset=ckpt.dataset,
                        history=ckpt.history, snapshots=ckpt.snapshots, meta=ckpt.meta,
                        label=label)


@st.cache_resource(show_spinner=False)
def _shipped_inplay_model(name: str) -> nn.Module:
    return resources.shipped(name).model()


def shipped(name: str) -> state.InPlay:
    ckpt = resources.shipped(name)
    return state.InPlay(key=name, origin=name, model=_shipped_inplay_model(name),
                        dataset=ckpt.dataset, history=ckpt.history, snapshots=ckpt.snapshots,
                        meta=ckpt.meta)


def untrained(cfg: AEConfig | None = None) -> state.InPlay:
    model = kinds.build(cfg or AEConfig.book()).eval()
    return state.InPlay(key=state.new_key("untrained"), origin="untrained", model=model,
                        dataset="mnist")


def label(inplay: state.InPlay) -> str:
    base = t(f"side.model.{inplay.origin}")
    return f"{base}: {inplay.label}" if inplay.label else base


def _options(wanted: str | None = None) -> list[str]:
    """The models this session can pick: shipped ones, its own, and the untrained one when
    nothing else exists or when a link asks for it (`?model=untrained` with an architecture)."""
    have = set(resources.shipped_available()) | set(state.session_models())
    if not have or wanted == "untrained":
        have.add("untrained")
    return [o for o in ORDER if o in have]


def _activate(origin: str) -> None:
    own = state.session_models().get(origin)
    if own is not None:
        state.set_current(own)
    elif origin in state.SHIPPED:
        state.set_current(shipped(origin))
    else:
        state.set_current(untrained(st.session_state.get("config")))


def chooser() -> None:
    """The sidebar's model radio; makes sure a model is in play. Call it after the sidebar has
    stored this run's `config`: an untrained model is built from it.

    A choice asked for by code (`pending_model`, a link's `url_model`) is dropped only once it
    is the radio's: Streamlit may end a run at any `st.session_state` access, and a request
    dropped before it was written sent the student back to the shipped model."""
    pending, linked = (st.session_state.get(k) for k in ("pending_model", "url_model"))
    wanted = pending or linked
    options = _options(wanted)
    if wanted in options:
        st.session_state["model_choice"] = wanted
    for k in ("pending_model", "url_model"):
        st.session_state.pop(k, None)
    if st.session_state.get("model_choice") not in options:
        st.session_state["model_choice"] = options[0]
    choice = translated_radio(t("side.model"), options, "model_choice",
                              format_func=lambda o: t(f"side.model.{o}"))
    inplay = state.current()
    if inplay is None or inplay.origin != choice:
        _activate(choice)


def use(inplay: state.InPlay) -> None:
    """Put a model in play (after training or an upload) and select it in the sidebar."""
    state.set_current(inplay)
    st.session_state["pending_model"] = inplay.origin  # the radio is drawn already: next run
