"""The session's training run, as far as every page needs it: where it is kept, and the
trained model put in play once it has finished (dashboard.py calls `adopt_finished` on every
page, so a run that ends while another page is shown is in play there).

The run itself (`ae.live.run.Run`: a worker thread that never calls `st.*`) lives in
`st.session_state` and survives page switches; the training page (pages/training.py) starts it
and shows it. A reload keeps the run, and a closed tab stops it: see `ae.ui.tabs`.

Tabs that press Start with identical settings share one run (`ae.live.shared`): the session
keeps a `Watch` of it, which reads like the run, holds the tab's own lease and gives the tab
its own copy of the result. Stop by a tab of a shared run only takes that tab out of it.
"""

from __future__ import annotations

import os

import numpy as np
import streamlit as st

from ae.data.sources import Dataset
from ae.live.run import Run
from ae.live.shared import Watch, request_key, shared_runs
from ae.live.slots import slots, train_threads
from ae.model.config import AEConfig
from ae.train.recipe import Recipe
from ae.ui import models, resources, state, tabs
from ae.ui.i18n import t

RUN, HANDLED = "t_run", "t_handled"  # the session's run; the run whose model was put in play
START_ERROR = "t_start_error"  # why the training page's last Start was refused
LEFT = "t_left"  # this tab left a shared run (Stop): how many tabs it left training


def fmt_lr(v: float) -> str:
    """0.0005 and 0.00005 as decimals (a learner reads "5e-05" as a typo)."""
    return np.format_float_positional(float(f"{v:.6g}"), trim="-")


def training_data() -> Dataset:
    """The data set Start trains on: the session's choice (the sidebar's data radio), which
    may differ from the data set of the model in play."""
    return resources.dataset(models.data_name())


def current_run() -> Watch | None:
    """The session's run (a `Watch`: reads like `ae.live.run.Run`), or None."""
    return st.session_state.get(RUN)


def start_run(cfg: AEConfig, ds: Dataset, recipe: Recipe,
              error_key: str = START_ERROR) -> Watch | None:
    """Start the session's run of a new `cfg` model (either kind) on `ds`, as the Training and
    the cure pages' Start buttons do, or join the active run of another tab that asked for
    exactly the same; None when a run is already active or the recipe is out of range (the
    reason is kept under `error_key` for the page to show).

    The tab renews its lease on the run while it is open (ae.ui.tabs): once every watching
    tab is closed, the run stops itself. The run's threads are the server's cores shared
    among its training slots."""
    old = current_run()
    if old is not None and old.active:
        return None
    threads = train_threads(os.cpu_count(), slots.max)
    try:
        key = request_key(cfg, ds, recipe.check(len(ds.x_train)))
        run = shared_runs.watch(key, lambda lease: Run.create(cfg, ds, recipe, lease=lease,
                                                              threads=threads),
                                lease=tabs.run_lease())
    except ValueError as e:  # a recipe out of range (ConfigError is a ValueError too)
        st.session_state[error_key] = str(e)
        return None
    st.session_state.pop(error_key, None)
    st.session_state.pop(LEFT, None)
    st.session_state[RUN] = run
    return run


def stop_run() -> None:
    """The Stop buttons: alone, the run stops after its step (what it learned is put in
    play); shared with other tabs, this tab leaves it, the run goes on for them, and this tab
    is back to no run (LEFT says how many it left training)."""
    run = current_run()
    if run is None:
        return
    others = run.watchers - 1
    if run.stop():
        st.session_state.pop(RUN, None)
        st.session_state.pop(HANDLED, None)
        st.session_state[LEFT] = max(1, others)


def adopt_finished() -> bool:
    """Once per finished run: its model becomes the model in play ("trained"). True when the
    model in play changed (the caller reruns, so the sidebar and header show it).

    The run is marked handled *last*: every `st.session_state` access is a point where
    Streamlit may end the script run (a click asks for a new one), and an adoption cut short
    after the mark would never be done again. Cut short before it, the next run adopts it
    again: `run.finish()` keeps its checkpoint, so that costs a model copy."""
    run = current_run()
    if run is None or not run.done or st.session_state.get(HANDLED) is run:
        return False
    bug = run.state == "failed" and not run.diverged  # not a model: the page shows the error
    ckpt = None if bug else run.finish()  # None too when stopped before the first step
    if ckpt is not None:
        label = t("training.label", n=run.n_images,
                  epochs=len(ckpt.history.get("epochs", [])), lr=fmt_lr(run.recipe.lr))
        origin = "trained_vae" if ckpt.config.is_vae else "trained"  # one slot per kind
        models.use(models.from_checkpoint(ckpt, origin, state.new_key(origin), label=label))
    st.session_state[HANDLED] = run
    return ckpt is not None
