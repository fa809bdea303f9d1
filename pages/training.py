"""Training: the article's recipe (or yours) trained live. The loss falls, the wall forms and the
reconstructions sharpen while you watch; the result becomes the model every page looks at.

Read top to bottom: the recipe, the buttons, the run as it trains, checkpoints out and in. The
run (`ae.live.run.Run`) trains in a worker thread and lives in the session, so it goes on
while other pages are shown; this page starts it and polls it. The recipe's widgets and the
live view are in `ae.ui.training_view`, the session's run and its adoption in `ae.ui.training`.
Tabs that start identical settings share one run (`ae.live.shared`): Pause is then off, and Stop
takes only this tab out of the run.
"""

import inspect
from typing import Any

import streamlit as st

from ae.data.sources import Dataset
from ae.live.run import Run
from ae.model import checkpoint
from ae.model.config import AEConfig
from ae.train.recipe import Recipe
from ae.train.trainer import Trainer
from ae.ui import frame, header, models, plain, present, state, t
from ae.ui import training_view as view
from ae.ui.training import (
    HANDLED,
    LEFT,
    RUN,
    START_ERROR,
    adopt_finished,
    current_run,
    start_run,
    stop_run,
    training_data,
)

UPLOAD, UPLOAD_MSG = "t_upload", "t_upload_msg"
MAX_UPLOAD_MB = checkpoint.MAX_BYTES // 2**20  # = server.maxUploadSize in .streamlit/config.toml


# -- Start / Pause / Resume / Stop / Reset ---------------------------------------------------------
def start(ds: Dataset, recipe: Recipe) -> None:
    start_run(st.session_state.get("config") or AEConfig.book(), ds, recipe)


def reset() -> None:
    """Throw the current run away (a finished run's model stays in play; a run shared with
    other tabs goes on for them)."""
    run = st.session_state.pop(RUN, None)
    if run is not None:
        run.stop()
    st.session_state.pop(HANDLED, None)
    st.session_state.pop(LEFT, None)


def controls(run: Run | None, ds: Dataset, recipe: Recipe) -> None:
    """What the run will be, and the five buttons."""
    cfg, cfg_error = st.session_state.get("config"), st.session_state.get("config_error")
    problem = cfg_error and t("training.config_error", msg=cfg_error)
    try:
        recipe.check(len(ds.x_train))
    except ValueError as e:
        problem = problem or str(e)
    if cfg is not None and not cfg_error:
        st.caption(t("training.plan", params=cfg.n_params(), z=cfg.z_dim, n=recipe.subset,
                     epochs=recipe.epochs, total=recipe.subset * recipe.epochs,
                     steps=-(-recipe.subset // recipe.batch_size) * recipe.epochs,
                     bs=recipe.batch_size, kind=t(f"side.kind.{cfg.kind}"),
                     data=t(f"side.data.{ds.name}"))
                   + (t("training.plan.vae", f=recipe.r_loss_factor,
                        loss=t(f"training.plan.loss.{cfg.loss}")) if cfg.is_vae else ""))
    s = run.state if run is not None else "none"
    active = run is not None and run.active
    shared = run.watchers if active and run.shared else 0  # tabs sharing this run
    cols = st.columns(5)
    cols[0].button(t("training.start"), key="t_start", type="primary", icon="▶️",
                   disabled=bool(problem) or active, on_click=start, args=(ds, recipe),
                   help=t("training.start.help"), width="stretch")
    cols[1].button(t("training.pause"), key="t_pause", icon="⏸️", disabled=bool(shared) or s
                   not in ("queued", "running"), on_click=run.pause if run else None,
                   help=t("training.pause.shared", n=shared) if shared else None,
                   width="stretch")
    cols[2].button(t("training.resume"), key="t_resume", icon="⏯️", disabled=s != "paused",
                   on_click=run.resume if run else None, width="stretch")
    cols[3].button(t("training.stop"), key="t_stop", icon="⏹️", disabled=not active,
                   on_click=stop_run, help=t("training.stop.leave", n=shared - 1) if shared
                   else t("training.stop.help"), width="stretch")
    cols[4].button(t("training.reset"), key="t_reset", icon="🔄", disabled=run is None,
                   on_click=reset, help=t("training.reset.help"), width="stretch")
    if shared:
        st.caption(t("training.pause.shared", n=shared) + " " + t("training.stop.leave",
                                                                 n=shared - 1))
    if problem:
        st.error(problem)
    elif st.session_state.get(START_ERROR):
        st.error(st.session_state[START_ERROR])
    elif run is None and st.session_state.get(LEFT):
        st.info(t("training.left", n=st.session_state[LEFT]), icon="🚪")


# -- checkpoints out and in -----------------------------------------------------------------------
def download() -> None:
    """The session's trained model as a checkpoint file (made only when clicked)."""
    own = state.session_models()
    inplay = state.current()
    trained = (inplay if inplay is not None and inplay.origin in ("trained", "trained_vae")
               else own.get("trained") or own.get("trained_vae"))
    if trained is None:
        st.caption(t("training.download.none"))
        return

    def data() -> bytes:
        return checkpoint.to_bytes(trained.model, history=trained.history,
                                   dataset=trained.dataset, meta=trained.meta,
                                   snapshots=trained.snapshots)

    name = "vae" if trained.model.config.is_vae else "autoencoder"
    st.download_button(t("training.download"), data=data, file_name=f"{name}-trained.pt",
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


def on_upload() -> None:
    f = st.session_state.get(UPLOAD)
    if f is None:
        st.session_state[UPLOAD_MSG] = None
        return
    err = accept_upload(f.name, f)
    st.session_state[UPLOAD_MSG] = ("error", err) if err else ("ok", f.name)


@st.cache_data(show_spinner=False)
def step_source() -> str:
    """The code of one training step, shown as the lesson's code (read once per server)."""
    return inspect.getsource(Trainer._step)


def upload() -> None:
    st.file_uploader(t("training.upload", mb=MAX_UPLOAD_MB), type=["pt", "pth"], key=UPLOAD,
                     on_change=on_upload, help=t("training.upload.help", mb=MAX_UPLOAD_MB),
                     max_upload_size=MAX_UPLOAD_MB)
    msg = st.session_state.get(UPLOAD_MSG)
    if msg and msg[0] == "error":
        st.error(t("training.upload.error", msg=msg[1]))
    elif msg:
        up = state.session_models().get("upload")
        if up is not None:
            st.success(t("training.upload.ok", name=msg[1], params=up.model.config.n_params(),
                         dataset=up.dataset))


# -- the page --------------------------------------------------------------------------------------
inplay, ds = header("training")
if adopt_finished():  # a run that ended while this page was not drawn, or just now
    frame.rerun()
run = current_run()

# the recipe: how fast, in which bites, how long, on how many images
if present.controls():  # a presenter's link with controls=0 shows the run, not the buttons
    st.subheader(t("training.settings.h"))
    sidebar_cfg = st.session_state.get("config")
    train_ds = training_data()
    recipe = view.recipe_form(train_ds, disabled=run is not None and run.active,
                              vae=sidebar_cfg is not None and sidebar_cfg.is_vae)
    controls(run, train_ds, recipe)

# the run: loss, speed, the wall forming, a few repaintings (redrawn while it trains)
st.subheader(t("training.live.h"))
view.live_section(run, inplay)
with st.expander(t("training.how.h")):
    st.markdown(t("training.how"))
if (box := plain.lazy_expander(t("training.code"), "t_code")) is not None:
    with box:
        st.code(step_source(), language="python")

# keep the model, or bring one
st.subheader(t("training.ckpt.h"))
st.markdown(t("training.ckpt.intro"))
left, right = st.columns(2, gap="large")
with left:
    download()
with right:
    if present.controls():
        upload()
