"""The cure page's live experiment: an r_loss_factor slider and a Start button that trains the
book's VAE on this page, both loss parts drawn as it trains, and, when it ends, what the
numbers say happened (posterior collapse, balance, or the autoencoder's gaps back).

It uses the session's one training run (`ae.ui.training`: started with `start_run`, put in play
by `adopt_finished` when it ends, its lease renewed by the tab), polled from a fragment like
the training page's live view. The recipe is short, for a CPU in front of a class.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from ae.data.sources import Dataset
from ae.live.run import Run
from ae.model import presets
from ae.plots.curves import parts_figure
from ae.train.recipe import Recipe
from ae.ui import classes, cure_panels, frame, state
from ae.ui.figures import chart
from ae.ui.i18n import t
from ae.ui.training import HANDLED, current_run, start_run, stop_run
from ae.ui.training_view import parts_texts

FACTORS = (1, 3, 10, 30, 100, 300, 1000, 3000, 10000)  # log scale over R_LOSS_FACTOR_RANGE
FACTOR, RUN_ID, SWITCHED, ERROR = "cure_factor", "cure_run_id", "cure_switched", "cure_error"
LIVE = Recipe(epochs=10, subset=1000)  # the book's lr and batch; 10,000 images seen in all
POLL_S = 2.0  # the live numbers and the two curves redraw this often


def recipe(ds: Dataset, factor: float) -> Recipe:
    """The live recipe with this factor, on at most the data set's training images."""
    return replace(LIVE, subset=min(LIVE.subset, len(ds.x_train)), r_loss_factor=float(factor))


def start(ds: Dataset) -> None:
    """Start the VAE of the data set's edition (the 2nd edition's body on Fashion-MNIST)."""
    run = start_run(presets.for_dataset(ds.name).vae(), ds, recipe(ds, st.session_state[FACTOR]),
                    error_key=ERROR)
    if run is not None:
        st.session_state[RUN_ID] = run.id


def ours(run: Run | None) -> bool:
    """Whether the session's run was started on this page."""
    return run is not None and st.session_state.get(RUN_ID) == run.id


def trained_vae(run: Run | None) -> state.InPlay | None:
    """The model this page's finished run left in play, once adopted (a VAE), else None."""
    trained = state.session_models().get("trained_vae")
    if not ours(run) or not run.done or st.session_state.get(HANDLED) is not run:
        return None
    return trained if trained is not None and cure_panels.kind(trained) == "vae" else None


def follow_finished() -> None:
    """Once per finished run of this page: the VAE picker shows the model it trained (call
    before the pickers are drawn)."""
    run = current_run()
    if trained_vae(run) is not None and st.session_state.get(SWITCHED) != run.id:
        st.session_state[cure_panels.VAE_KEY] = "trained_vae"
        st.session_state[SWITCHED] = run.id


def section(ds: Dataset) -> None:
    """The slider, Start and Stop, the run as it trains, and the diagnosis once it is done."""
    run = current_run()
    active = run is not None and run.active
    st.select_slider(t("cure.factor"), FACTORS, value=state.first_value(FACTOR, 1000),
                     key=FACTOR, help=t("cure.factor.help"), disabled=active)
    r = recipe(ds, st.session_state[FACTOR])
    st.caption(classes.tx("cure.live.plan", ds.name, n=r.subset, epochs=r.epochs,
                          total=r.subset * r.epochs, lr=r.lr, bs=r.batch_size,
                          factor=f"{r.r_loss_factor:g}"))
    c1, c2, _ = st.columns([1, 1, 3])
    c1.button(t("cure.start"), key="cure_start", type="primary", icon="▶️", disabled=active,
              on_click=start, args=(ds,), width="stretch")
    c2.button(t("cure.stop"), key="cure_stop", icon="⏹️", disabled=not (active and ours(run)),
              on_click=stop_run, width="stretch")
    if st.session_state.get(ERROR):
        st.error(st.session_state[ERROR])
    if active and not ours(run):
        st.info(t("cure.live.busy"))
        return
    if not ours(run):
        st.caption(t("cure.live.none"))
        return
    if run.done and st.session_state.get(HANDLED) is not run:
        frame.rerun()  # it ended after dashboard.py looked: once more, to put its model in play
    st.fragment(_live, run_every=POLL_S if run.active else None)(run.state)
    vae = trained_vae(run)
    if vae is not None:
        with st.spinner(t("cure.measuring")):
            m = cure_panels.measures(vae, ds)
        cure_panels.diagnosis(m)


def live_history(run: Run) -> dict:
    """Copies of the run's history (the worker appends while we read)."""
    h = run.trainer.history
    parts = dict(h.parts)
    return {"steps": list(h.steps), "epochs": [dict(e) for e in h.epochs],
            "parts": {k: list(v) for k, v in parts.items()}}


def _live(drawn_state: str) -> None:
    """Progress, the last loss parts and their curves (redrawn every POLL_S while it runs)."""
    run = current_run()
    if run is None or run.released:
        return
    p = run.progress()
    if p["state"] != drawn_state and st.session_state.get(HANDLED) is not run:
        frame.rerun()  # queued -> running, or over: the whole page (and its model in play)
    total = max(p["total_steps"], 1)
    st.progress(min(p["step"] / total, 1.0), text=t(f"cure.live.{p['state']}", step=p["step"],
                total=p["total_steps"], epoch=p["epoch"], epochs=p["epochs"],
                sec=f"{p['elapsed_s']:.0f}", error=p["error"] or ""))
    h = live_history(run)
    last = {k: v[-1] for k, v in h["parts"].items() if v}
    if last:
        st.markdown(t("cure.live.numbers", r=f"{last.get('r_loss', float('nan')):.4g}",
                      kl=f"{last.get('kl_loss', float('nan')):.4g}",
                      eta="–" if p["eta_s"] is None else f"{p['eta_s']:.0f}"))
    chart(parts_figure(h["parts"], h["epochs"], steps_per_epoch=run.trainer.steps_per_epoch,
                       texts=parts_texts()), key="cure_live_parts")
