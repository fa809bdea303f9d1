"""Streamlit glue of the training page: the recipe's widgets, the buttons, the session's run,
the trained model put in play, checkpoints in and out.
(The live view that polls the run is in `training_live`.)

Why it is built this way (DESIGN.md, "Streamlit facts"): a loop in the script thread would die
on the next click, so the run (`ae.session_job.Run`: a worker thread that never calls `st.*`)
lives in `st.session_state` and survives page switches; the page only reads it. When the run
is over, the next full run of the page puts the trained model in play. A reload keeps the run,
and a closed tab stops it: see `ae.ui.tabs`.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
import streamlit as st

from ae.data.sources import Dataset
from ae.model import checkpoint
from ae.model.config import AEConfig
from ae.train import job
from ae.train.session_job import BOOK_SUBSET, Run, Settings, train_threads
from ae.ui import models, state, url
from ae.ui.i18n import t, translated_radio

RUN, HANDLED, UPLOAD, UPLOAD_MSG, KEPT = "t_run", "t_handled", "t_upload", "t_upload_msg", "_t_kept"
LRS = [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
SUBSETS = ["book", "all", "custom"]
# widget key -> (URL parameter, default); the URL lets a teacher share a ready-to-start run
PARAMS = {"t_lr": ("tr_lr", 0.0005), "t_bs": ("tr_bs", 32), "t_ep": ("tr_ep", 200),
          "t_sub": ("tr_sub", "book"), "t_n": ("tr_n", BOOK_SUBSET), "t_seed": ("tr_seed", 0)}
MAX_UPLOAD_MB = checkpoint.MAX_BYTES // 2**20  # = server.maxUploadSize in .streamlit/config.toml


def fmt_lr(v: float) -> str:
    """0.0005 and 0.00005 as decimals (a learner reads "5e-05" as a typo)."""
    return np.format_float_positional(float(f"{v:.6g}"), trim="-")


# -- the settings: widgets that keep their values across pages and come from the URL -----------
def _parse(key: str, raw: Any, n_train: int) -> Any:
    """A URL value for widget `key`, or None when it is garbage."""
    try:
        if key == "t_lr":
            v = float(raw)
            return next((x for x in LRS if abs(x - v) <= 1e-9 * x), None)
        if key == "t_sub":
            return raw if raw in SUBSETS else None
        v = url.int_in(raw, 0, 2**31 - 1)
        if key == "t_bs":
            return v if v in BATCHES else None
        if key in ("t_ep", "t_n"):
            return v if v is not None and 1 <= v <= (10_000 if key == "t_ep" else n_train) else None
        return v
    except (TypeError, ValueError):
        return None


def _restore(n_train: int) -> dict:
    """The values the widgets start from: kept from the last visit (Streamlit forgets the
    widgets of pages not shown), else from the URL, else the article's.

    They reach the widgets as their `value=` (`state.first_value`), never written into
    `st.session_state` first: Streamlit 1.67 paints a widget whose value was set there with its
    default for a moment (on a busy server, seconds of "1 image" in the subset box of a link
    that asked for 2,000)."""
    if KEPT not in st.session_state:
        kept = {}
        for key, (param, default) in PARAMS.items():
            v = _parse(key, st.query_params.get(param), n_train)
            kept[key] = default if v is None else v
        st.session_state[KEPT] = kept
    kept = st.session_state[KEPT]
    kept["t_n"] = min(max(int(kept["t_n"]), 1), n_train)
    if not 1 <= st.session_state.get("t_n", 1) <= n_train:  # another data set since
        st.session_state["t_n"] = kept["t_n"]
    st.session_state.setdefault("t_sub", kept["t_sub"])  # translated_radio's choice, no widget
    return kept


def _value(key: str) -> Any:
    """A setting's value now: its widget's, or the kept one when the widget is not drawn."""
    return st.session_state.get(key, st.session_state[KEPT][key])


def _keep() -> None:
    st.session_state[KEPT] = {k: _value(k) for k in PARAMS}
    for key, (param, _) in PARAMS.items():
        value = fmt_lr(_value(key)) if key == "t_lr" else str(_value(key))
        if st.query_params.get(param) != value:
            st.query_params[param] = value


def settings_form(ds: Dataset, disabled: bool) -> Settings:
    """lr, batch size, epochs, training subset and seed; returns them (not yet checked)."""
    n_train = len(ds.x_train)
    kept = _restore(n_train)

    def first(key: str, neutral: Any = None) -> Any:
        return state.first_value(key, kept[key], neutral)

    c1, c2, c3, c4 = st.columns([3, 3, 2, 2])
    c1.select_slider(t("training.lr"), LRS, value=first("t_lr"), key="t_lr", format_func=fmt_lr,
                     help=t("training.lr.help"), disabled=disabled)
    c2.select_slider(t("training.batch"), BATCHES, value=first("t_bs"), key="t_bs",
                     help=t("training.batch.help"), disabled=disabled)
    c3.number_input(t("training.epochs"), 1, 10_000, value=first("t_ep", "min"), step=1,
                    key="t_ep", help=t("training.epochs.help"), disabled=disabled)
    c4.number_input(t("training.seed"), 0, 2**31 - 1, value=first("t_seed", "min"), step=1,
                    key="t_seed", help=t("training.seed.help"), disabled=disabled)
    c1, c2 = st.columns([3, 2], vertical_alignment="bottom")
    sub = translated_radio(t("training.subset"), SUBSETS, "t_sub", horizontal=True,
                           format_func=lambda s: t(f"training.subset.{s}",
                                                   n=min(BOOK_SUBSET, n_train), all=n_train),
                           help=t("training.subset.help"), disabled=disabled, container=c1)
    if sub == "custom":
        c2.number_input(t("training.subset.n"), 1, n_train, value=first("t_n", "min"),
                        step=100, key="t_n", disabled=disabled)
    _keep()
    n = {"book": min(BOOK_SUBSET, n_train), "all": n_train}.get(sub, _value("t_n"))
    return Settings(float(_value("t_lr")), int(_value("t_bs")), int(_value("t_ep")), int(n),
                    int(_value("t_seed")))


# -- the session's run and the buttons ---------------------------------------------------------
def current_run() -> Run | None:
    return st.session_state.get(RUN)


def _start(ds: Dataset, settings: Settings) -> None:
    old = current_run()
    if old is not None and old.active:
        return
    cfg = st.session_state.get("config") or AEConfig.book()
    try:
        run = Run.create(cfg, ds, settings, threads=train_threads(os.cpu_count(), job.slots.max))
    except ValueError as e:  # settings out of range (ConfigError is a ValueError too)
        st.session_state["t_start_error"] = str(e)
        return
    st.session_state.pop("t_start_error", None)
    st.session_state[RUN] = run
    run.start()


def _reset() -> None:
    """Throw the current run away (a finished run's model stays in play)."""
    run = st.session_state.pop(RUN, None)
    if run is not None:
        run.stop()
    st.session_state.pop(HANDLED, None)


def controls(run: Run | None, ds: Dataset, settings: Settings) -> None:
    """What the run will be, and Start / Pause / Resume / Stop / Reset."""
    cfg, cfg_error = st.session_state.get("config"), st.session_state.get("config_error")
    problem = cfg_error and t("training.config_error", msg=cfg_error)
    try:
        settings.check(len(ds.x_train))
    except ValueError as e:
        problem = problem or str(e)
    if cfg is not None and not cfg_error:
        st.caption(t("training.plan", params=cfg.n_params(), z=cfg.z_dim, n=settings.subset,
                     epochs=settings.epochs, total=settings.subset * settings.epochs,
                     steps=-(-settings.subset // settings.batch_size) * settings.epochs,
                     bs=settings.batch_size))
    s = run.state if run is not None else "none"
    active = run is not None and run.active
    cols = st.columns(5)
    cols[0].button(t("training.start"), key="t_start", type="primary", icon="▶️",
                   disabled=bool(problem) or active, on_click=_start, args=(ds, settings),
                   help=t("training.start.help"), width="stretch")
    cols[1].button(t("training.pause"), key="t_pause", icon="⏸️", disabled=s not in
                   ("queued", "running"), on_click=run.pause if run else None,
                   width="stretch")
    cols[2].button(t("training.resume"), key="t_resume", icon="⏯️", disabled=s != "paused",
                   on_click=run.resume if run else None, width="stretch")
    cols[3].button(t("training.stop"), key="t_stop", icon="⏹️", disabled=not active,
                   on_click=run.stop if run else None, help=t("training.stop.help"),
                   width="stretch")
    cols[4].button(t("training.reset"), key="t_reset", icon="🔄", disabled=run is None,
                   on_click=_reset, help=t("training.reset.help"), width="stretch")
    if problem:
        st.error(problem)
    elif st.session_state.get("t_start_error"):
        st.error(st.session_state["t_start_error"])


def adopt_finished() -> bool:
    """Once per finished run: its model becomes the model in play ("trained"). True when the
    model in play changed (the caller reruns, so the sidebar and header show it).

    The run is marked handled *last*. Every `st.session_state` access is a point where
    Streamlit may end the script run (a student's click asks for a new one): marked first, an
    adoption cut short there was never done again, and the student's page kept the shipped
    model after its run (1 tab in 8 under scripts/load.py). Cut short now, the next run adopts
    it again: `run.finish()` keeps its checkpoint, so that costs a model copy."""
    run = current_run()
    if run is None or not run.job.done or st.session_state.get(HANDLED) is run:
        return False
    bug = run.state == "failed" and not run.diverged  # not a model: the page shows the error
    ckpt = None if bug else run.finish()  # None too when stopped before the first step
    if ckpt is not None:
        label = t("training.label", n=run.settings.subset,
                  epochs=len(ckpt.history.get("epochs", [])), lr=fmt_lr(run.settings.lr))
        models.use(models.from_checkpoint(ckpt, "trained", state.new_key("trained"), label=label))
    st.session_state[HANDLED] = run
    return ckpt is not None


# -- checkpoints out and in --------------------------------------------------------------------
def download() -> None:
    """The session's trained model as a checkpoint file (made only when clicked)."""
    trained = state.session_models().get("trained")
    if trained is None:
        st.caption(t("training.download.none"))
        return

    def data() -> bytes:
        return checkpoint.to_bytes(trained.model, history=trained.history,
                                   dataset=trained.dataset, meta=trained.meta,
                                   snapshots=trained.snapshots)

    st.download_button(t("training.download"), data=data, file_name="autoencoder-trained.pt",
                       mime="application/octet-stream", key="t_download", icon="⬇️",
                       on_click="ignore")
    st.caption(models.label(trained))


def accept_upload(name: str, src: Any) -> str | None:
    """Load an uploaded checkpoint and put it in play; the reason it was refused, or None."""
    try:
        ckpt = checkpoint.load(src)
        inplay = models.from_checkpoint(ckpt, "upload", state.new_key("upload"), label=name)
    except checkpoint.CheckpointError as e:
        return str(e)
    models.use(inplay)
    return None


def _on_upload() -> None:
    f = st.session_state.get(UPLOAD)
    if f is None:
        st.session_state[UPLOAD_MSG] = None
        return
    err = accept_upload(f.name, f)
    st.session_state[UPLOAD_MSG] = ("error", err) if err else ("ok", f.name)


def upload() -> None:
    st.file_uploader(t("training.upload", mb=MAX_UPLOAD_MB), type=["pt", "pth"], key=UPLOAD,
                     on_change=_on_upload, help=t("training.upload.help", mb=MAX_UPLOAD_MB),
                     max_upload_size=MAX_UPLOAD_MB)
    msg = st.session_state.get(UPLOAD_MSG)
    if msg and msg[0] == "error":
        st.error(t("training.upload.error", msg=msg[1]))
    elif msg:
        up = state.session_models().get("upload")
        if up is not None:
            st.success(t("training.upload.ok", name=msg[1], params=up.model.config.n_params(),
                         dataset=up.dataset))
