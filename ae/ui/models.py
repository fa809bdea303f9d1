"""Choosing the model in play: a shipped checkpoint, one trained here, or an upload.

Shipped checkpoints are loaded once per server; a session that picks one gets its own
`InPlay` wrapping the shared, read-only model. Training always builds a new model.

The session's data set (`DATA`: MNIST digits or Fashion-MNIST, set by the sidebar's radio or
an edition's preset) decides which shipped models are offered and what Start trains on; a
shipped or untrained model in play always belongs to it, and a change of data set puts the
new set's model of the same kind in play (a model of the session's own stays on offer).
"""

from __future__ import annotations

import streamlit as st
from torch import nn

from ae.model import checkpoint, kinds, presets
from ae.model.config import AEConfig
from ae.ui import resources, state
from ae.ui.i18n import t, translated_radio

ORDER = [*state.SHIPPED, *state.OWN, "untrained"]
DATA = "data_name"  # the session's data set (translated_radio keeps the sidebar's choice here)
SEEN = "data_seen"  # the data set the last run's chooser saw (a change switches the model)


def data_name() -> str:
    """The session's data set: one of `presets.DATASETS`."""
    name = st.session_state.get(DATA)
    return name if name in presets.DATASETS else presets.ED1.dataset


def family(dataset: str) -> str:
    """The data set of the sidebar's choice that a model's data set belongs to (synthetic
    digits stand in for MNIST)."""
    return presets.for_dataset(dataset).dataset


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
                        dataset=data_name())


def label(inplay: state.InPlay) -> str:
    base = t(f"side.model.{inplay.origin}")
    return f"{base}: {inplay.label}" if inplay.label else base


def _options(wanted: str | None = None) -> list[str]:
    """The models this session can pick: shipped ones of its data set, its own, and the
    untrained one when nothing else exists or when a link asks for it (`?model=untrained`
    with an architecture)."""
    own = {o for o in state.session_models() if o not in state.SHIPPED}  # shipped: by data
    have = set(resources.shipped_available(data_name())) | own
    if not have or wanted == "untrained":
        have.add("untrained")
    return [o for o in ORDER if o in have]


def _follow_data(inplay: state.InPlay | None) -> str | None:
    """The model to put in play because the data set changed, or None: a shipped or untrained
    model of another data set always gives way, a model of the session's own only when the
    learner has just changed the data set. The new set's shipped model of the same kind is
    taken (the autoencoder of the edition for a model of the session's own), else untrained."""
    data = data_name()
    if inplay is None or family(inplay.dataset) == data:
        return None
    if inplay.origin in state.OWN and st.session_state.get(SEEN) in (None, data):
        return None
    vae = inplay.model.config.is_vae
    same = [o for o in resources.shipped_available(data) if o.startswith("vae_") == vae]
    return (same or resources.shipped_available(data) or ["untrained"])[0]


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
    wanted = pending or linked or _follow_data(state.current())
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
    if inplay is None or inplay.origin != choice or (
            inplay.origin == "untrained" and family(inplay.dataset) != data_name()):
        _activate(choice)
    st.session_state[SEEN] = data_name()


def use(inplay: state.InPlay) -> None:
    """Put a model in play (after training or an upload) and select it in the sidebar; the
    session's data set becomes the model's."""
    state.set_current(inplay)
    st.session_state["pending_model"] = inplay.origin  # the radio is drawn already: next run
    st.session_state[DATA] = st.session_state[SEEN] = family(inplay.dataset)
