"""Streamlit glue of the training page, second half: the live view of the session's run.

Why it looks like this: the worker thread never calls Streamlit, so the page polls the run,
and every redraw runs Python in the process that trains, holding Python's lock while it
does. So the numbers (progress, loss, speed, ETA: two small elements) redraw every POLL_S,
the Plotly charts (loss curve, the wall forming, five reconstructions; ~0.1 s to build)
every CHARTS_S, the wall and the reconstructions only when the run has recorded a new frame,
and what does not change while it trains is drawn outside the fragments. Measured with
`scripts/live_overhead.py`: the open page costs the training ~5% (2-core machine); the
costly part was Streamlit's forced garbage collection after every rerun, turned off in
.streamlit/config.toml (runner.postScriptGC).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from ae import plots
from ae.train import job
from ae.train.session_job import Run
from ae.train.trainer import Trainer
from ae.ui import frame, models, state
from ae.ui.i18n import all_texts, language, t
from ae.ui.training import HANDLED, current_run, fmt_lr

POLL_S = 1.0  # the live numbers (status, progress, loss, speed, ETA) redraw this often
CHARTS_S = 3.0  # the live charts redraw this often (building them takes ~0.1 s)
NO_BAR = {"displayModeBar": False}


def ptexts(name: str) -> dict[str, str]:
    """A figure builder's texts in the session's language (keys `training.plot.<name>.<k>`)."""
    have = all_texts()
    return {k: t(f"training.plot.{name}.{k}") for k in plots.TEXTS[name]
            if f"training.plot.{name}.{k}" in have}


@functools.cache
def source(fn: Callable) -> str:
    return inspect.getsource(fn)


# -- the live view -------------------------------------------------------------------------------
def live_section(run: Run | None, inplay: state.InPlay) -> None:
    """The run's state, then two fragments that redraw it while it trains: the numbers every
    POLL_S, the charts every CHARTS_S; captions, which do not change, outside them."""
    if run is None:
        _idle(inplay)
        return
    if run.job.done and st.session_state.get(HANDLED) is not run:
        # it ended after this run's dashboard.py looked (a Stop lands a step later): once
        # more, so that its model is put in play now, not at the next click
        frame.rerun()
    state_now = run.state
    _status(run, run.progress())
    live = state_now in ("queued", "running")
    st.fragment(_numbers, run_every=POLL_S if live else None)(state_now)
    st.fragment(_charts, run_every=CHARTS_S if live else None)()
    if len(run.live.recorder):
        st.caption(t("training.live.captions", p=len(run.live.recorder.probe_index),
                     n=len(run.live.index)))
    p = run.progress()
    st.caption(t("training.device", device=p["device"], precision=p["precision"]))


def _numbers(drawn_state: str) -> None:
    """The progress bar and one line of numbers (two elements per redraw)."""
    run = current_run()
    if run is None:
        return
    p = run.progress()
    if p["state"] != drawn_state and st.session_state.get(HANDLED) is not run:
        frame.rerun()  # queued -> running, or over: the whole page (and, when over, the model)
    total = max(p["total_steps"], 1)
    st.progress(min(p["step"] / total, 1.0), text=t("training.progress", step=p["step"],
                total=p["total_steps"], epoch=p["epoch"], epochs=p["epochs"]))
    elapsed = p["elapsed_s"]
    speed = run.images_trained() / elapsed if elapsed > 0 else p["images_per_s"]
    st.markdown(t("training.numbers", loss="–" if p["last_loss"] is None
                  else f"{p['last_loss']:.4f}", speed=f"{speed:,.0f}",
                  eta=_duration(p["eta_s"]), elapsed=_duration(elapsed)),
                help=t("training.numbers.help"))


def _charts() -> None:
    """The loss curve, the wall forming and five reconstructions (three elements)."""
    run = current_run()
    if run is None:
        return
    p = run.progress()
    left, right = st.columns([3, 2])
    left.plotly_chart(plots.loss_figure(
        p["steps"], p["epochs_history"], steps_per_epoch=run.trainer.steps_per_epoch,
        max_points=1500, height=440, texts=ptexts("loss")), key="t_loss", config=NO_BAR)
    key = (run.id, run.live.frames, language())  # read before the frame it names
    if len(run.live.recorder):
        right.plotly_chart(_memo("wall", key, lambda: plots.wall_frame_figure(
            _recent(run.frames()), -1, height=440, marker_size=4,
            texts=ptexts("wall_frame"), code_texts=ptexts("latent"))),
            key="t_wall", config=NO_BAR)
    rec = run.latest_recons()
    if rec is not None:
        st.plotly_chart(_memo("recons", key, lambda: plots.reconstructions_figure(
            rec.images, rec.codes, rec.recons, mse=rec.mse, index=rec.index, labels=rec.labels,
            cell_px=52, texts=ptexts("reconstructions"))), key="t_recons", config=NO_BAR)


def _recent(frames: dict, n: int = 5) -> dict:
    """The last n frames: the live wall's axes follow the wall as it grows now, instead of
    holding every frame since the start (the wall page's scrubber does that)."""
    return {k: v[-n:] if k in ("steps", "epochs", "codes") else v for k, v in frames.items()}


def _memo(name: str, key: tuple, build: Callable[[], Any]) -> Any:
    """The last figure built under `name`, rebuilt only when `key` changes: the wall and the
    reconstructions change only when the run records a frame (every few seconds)."""
    memo = st.session_state.setdefault("_t_memo", {})
    if name not in memo or memo[name][0] != key:
        memo[name] = (key, build())
    return memo[name][1]


def _status(run: Run, p: dict) -> None:
    s = p["state"]
    if s == "queued":
        st.warning(t("training.queued", used=job.slots.used, max=job.slots.max), icon="⏳")
    elif s == "running":
        st.info(t("training.running"), icon="🏃")
    elif s == "paused":
        st.info(t("training.paused", step=p["step"]), icon="⏸️")
    elif s == "done":
        st.success(t("training.done", epochs=p["epoch"], sec=p["elapsed_s"]))
    elif s == "stopped":
        st.info(t("training.stopped", step=p["step"], epoch=p["epoch"]) if p["step"]
                else t("training.stopped_empty"))
    elif run.diverged:
        lr = run.settings.lr
        kept = (t("training.diverged.kept", step=p["step"]) if p["step"]
                else t("training.diverged.none"))
        st.error(t("training.diverged", lr=fmt_lr(lr), lr10=fmt_lr(lr / 10)) + " " + kept,
                 icon="💥")
        with st.expander(t("training.diverged.detail")):
            st.write(p["error"])
    else:
        st.error(t("training.failed", msg=p["error"]))


def _duration(seconds: float | None) -> str:
    if seconds is None or not np.isfinite(seconds):
        return "–"
    m, s = divmod(int(round(seconds)), 60)
    return f"{m // 60}:{m % 60:02d}:{s:02d}" if m >= 60 else f"{m}:{s:02d}"


def _idle(inplay: state.InPlay) -> None:
    st.info(t("training.idle"))
    steps = (inplay.history or {}).get("steps") or []
    if steps:
        st.caption(t("training.idle.history", model=models.label(inplay)))
        st.plotly_chart(plots.loss_figure(steps, inplay.history.get("epochs", []),
                                          max_points=1500, height=340, texts=ptexts("loss")),
                        key="t_loss_inplay", config=NO_BAR)


def show_code() -> None:
    with st.expander(t("training.code")):
        st.code(source(Trainer._step), language="python")


