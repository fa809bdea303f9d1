"""The training page's two larger parts: the recipe's widgets (kept across pages, shared
through the URL) and the live view of the session's run.

Why the live view looks like this: the worker thread never calls Streamlit, so the page polls
the run, and every redraw runs Python in the process that trains, holding Python's lock while
it does. So the numbers (progress, loss, speed, ETA: two small elements) redraw every POLL_S,
the Plotly charts (loss curve, the wall forming, five reconstructions; ~0.1 s to build) every
CHARTS_S, the wall and the reconstructions only when the run has recorded a new frame, and
what does not change while it trains is drawn outside the fragments. `scripts/live_overhead.py`
measures what the open page costs the training.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import streamlit as st

from ae import plots
from ae.data.sources import Dataset
from ae.live.run import Run
from ae.plots.curves import PARTS_TEXTS, has_parts, parts_figure
from ae.train.recipe import BOOK_SUBSET, MAX_EPOCHS, R_LOSS_FACTOR_RANGE, Recipe
from ae.ui import frame, models, state, url
from ae.ui.i18n import all_texts, language, t, translated_radio
from ae.ui.training import HANDLED, current_run, fmt_lr

KEPT = "_t_kept"  # the recipe's values, kept while its widgets are not drawn
LRS = [1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
BATCHES = [1, 2, 4, 8, 16, 32, 64, 100, 128, 256, 512, 1024]  # 100: the 2nd edition's
SUBSETS = ["book", "all", "custom"]
# the VAE's weight of the reconstruction term: 1-2-5 steps over R_LOSS_FACTOR_RANGE (log-ish)
FACTORS = [f * 10.0 ** d for d in range(6) for f in (1, 2, 5)
           if R_LOSS_FACTOR_RANGE[0] <= f * 10.0 ** d <= R_LOSS_FACTOR_RANGE[1]]
# widget key -> (URL parameter, default); the URL lets a teacher share a ready-to-start run
PARAMS = {"t_lr": ("tr_lr", Recipe.lr), "t_bs": ("tr_bs", Recipe.batch_size),
          "t_ep": ("tr_ep", Recipe.epochs), "t_sub": ("tr_sub", "book"),
          "t_n": ("tr_n", BOOK_SUBSET), "t_seed": ("tr_seed", Recipe.seed),
          "t_rf": ("tr_rf", Recipe.r_loss_factor)}
POLL_S = 1.0  # the live numbers (status, progress, loss, speed, ETA) redraw this often
CHARTS_S = 3.0  # the live charts redraw this often (building them takes ~0.1 s)
NO_BAR = {"displayModeBar": False}


# -- the recipe: widgets that keep their values across pages and come from the URL -------------
def _parse(key: str, raw: Any, n_train: int) -> Any:
    """A URL value for widget `key`, or None when it is garbage."""
    try:
        if key == "t_lr":
            v = float(raw)
            return next((x for x in LRS if abs(x - v) <= 1e-9 * x), None)
        if key == "t_sub":
            return raw if raw in SUBSETS else None
        if key == "t_rf":
            v = float(raw)
            return next((x for x in FACTORS if abs(x - v) <= 1e-9 * x), None)
        v = url.int_in(raw, 0, 2**31 - 1)
        if key == "t_bs":
            return v if v in BATCHES else None
        if key in ("t_ep", "t_n"):
            top = MAX_EPOCHS if key == "t_ep" else n_train
            return v if v is not None and 1 <= v <= top else None
        return v
    except (TypeError, ValueError):
        return None


def _from_url(n_train: int) -> dict:
    """The recipe a link asks for (`tr_*`), the article's where it says nothing usable."""
    kept = {}
    for key, (param, default) in PARAMS.items():
        v = _parse(key, st.query_params.get(param), n_train)
        kept[key] = default if v is None else v
    return kept


def _restore(n_train: int) -> dict:
    """The values the widgets start from: kept from the last visit (Streamlit forgets the
    widgets of pages not shown), else from the URL, else the article's.

    They reach the widgets as their `value=` (`state.first_value`), never written into
    `st.session_state` first: Streamlit 1.67 paints a widget whose value was set there with its
    default for a moment (on a busy server, seconds of "1 image" in the subset box of a link
    that asked for 2,000)."""
    if KEPT not in st.session_state:
        st.session_state[KEPT] = _from_url(n_train)
    kept = st.session_state[KEPT]
    kept["t_n"] = min(max(int(kept["t_n"]), 1), n_train)
    if not 1 <= st.session_state.get("t_n", 1) <= n_train:  # another data set since
        st.session_state["t_n"] = kept["t_n"]
    st.session_state.setdefault("t_sub", kept["t_sub"])  # translated_radio's choice, no widget
    return kept


def set_recipe(recipe: Recipe, url_wins: bool = False) -> None:
    """The recipe's widgets take `recipe`'s values (an edition's button or link): kept for
    pages without them, and written into those drawn now. With `url_wins`, a value the link
    gives itself (`tr_*`) stays."""
    sub = {BOOK_SUBSET: "book", None: "all"}.get(recipe.subset, "custom")
    values = {"t_lr": recipe.lr, "t_bs": recipe.batch_size, "t_ep": recipe.epochs,
              "t_sub": sub, "t_seed": recipe.seed, "t_rf": recipe.r_loss_factor}
    if sub == "custom":
        values["t_n"] = recipe.subset
    if url_wins:
        values = {k: v for k, v in values.items() if PARAMS[k][0] not in st.query_params}
    kept = st.session_state.get(KEPT) or _from_url(2**31 - 1)  # _restore clamps the subset
    st.session_state[KEPT] = {**kept, **values}
    for key, value in values.items():
        if key == "t_sub" or key in st.session_state:
            st.session_state[key] = value


def _value(key: str) -> Any:
    """A setting's value now: its widget's, or the kept one when the widget is not drawn."""
    return st.session_state.get(key, st.session_state[KEPT][key])


def _keep() -> None:
    st.session_state[KEPT] = {k: _value(k) for k in PARAMS}
    for key, (param, _) in PARAMS.items():
        value = (fmt_lr(_value(key)) if key == "t_lr" else
                 f"{_value(key):g}" if key == "t_rf" else str(_value(key)))
        if st.query_params.get(param) != value:
            st.query_params[param] = value


def recipe_form(ds: Dataset, disabled: bool, vae: bool = False) -> Recipe:
    """lr, batch size, epochs, training subset and seed, and for a variational autoencoder
    (`vae`) the r_loss_factor; returns them (not yet checked)."""
    n_train = len(ds.x_train)
    kept = _restore(n_train)

    def first(key: str, neutral: Any = None) -> Any:
        return state.first_value(key, kept[key], neutral)

    c1, c2, c3, c4 = st.columns([3, 3, 2, 2])
    c1.select_slider(t("training.lr"), LRS, value=first("t_lr"), key="t_lr", format_func=fmt_lr,
                     help=t("training.lr.help"), disabled=disabled)
    c2.select_slider(t("training.batch"), BATCHES, value=first("t_bs"), key="t_bs",
                     help=t("training.batch.help"), disabled=disabled)
    c3.number_input(t("training.epochs"), 1, MAX_EPOCHS, value=first("t_ep", "min"), step=1,
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
    if vae:
        st.select_slider(t("training.factor"), FACTORS, value=first("t_rf"), key="t_rf",
                         format_func=lambda f: f"{f:,g}", help=t("training.factor.help"),
                         disabled=disabled)
    _keep()
    n = {"book": min(BOOK_SUBSET, n_train), "all": n_train}.get(sub, _value("t_n"))
    return Recipe(float(_value("t_lr")), int(_value("t_bs")), int(_value("t_ep")), int(n),
                  int(_value("t_seed")), r_loss_factor=float(_value("t_rf")))



def loss_texts(vae: bool) -> dict[str, str]:
    """The loss chart's texts; a VAE's loss is r_loss_factor x MSE + KL, not the MSE."""
    vae_texts = {k: t(f"training.plot.loss_vae.{k}") for k in ("title", "y_title")}
    return ptexts("loss") | (vae_texts if vae else {})


def parts_texts() -> dict[str, str]:
    """The VAE's loss-parts chart's texts (`training.plot.parts.<k>`)."""
    return {k: t(f"training.plot.parts.{k}") for k in PARTS_TEXTS}


def ptexts(name: str) -> dict[str, str]:
    """A figure builder's texts in the session's language (keys `training.plot.<name>.<k>`)."""
    have = all_texts()
    return {k: t(f"training.plot.{name}.{k}") for k in plots.TEXTS[name]
            if f"training.plot.{name}.{k}" in have}


# -- the live view: the run's state, then what redraws while it trains --------------------------
def live_section(run: Run | None, inplay: state.InPlay) -> None:
    """The run's state, then two fragments that redraw it while it trains: the numbers every
    POLL_S, the charts every CHARTS_S; captions, which do not change, outside them."""
    if run is None:
        _idle(inplay)
        return
    if run.done and st.session_state.get(HANDLED) is not run:
        # it ended after this run's dashboard.py looked (a Stop lands a step later): once
        # more, so that its model is put in play now, not at the next click
        frame.rerun()
    state_now = run.state
    _status(run, run.progress())
    live = state_now in ("queued", "running")
    # the numbers poll while paused too: the worker carries out a Resume or Stop when it wakes,
    # which may be after this run of the page has drawn "paused"; the poll then redraws it
    st.fragment(_numbers, run_every=POLL_S if run.active else None)(state_now, _shared(run))
    st.fragment(_charts, run_every=CHARTS_S if live else None)()
    if len(run.live.recorder):
        st.caption(t("training.live.captions", p=len(run.live.recorder.probe_index),
                     n=len(run.live.index)))
    p = run.progress()
    st.caption(t("training.device", device=p["device"], precision=p["precision"]))


def _shared(run: Any) -> int:
    """How many tabs share this active run (0: none besides this one, or over)."""
    return run.watchers if run.active and getattr(run, "shared", False) else 0


def _numbers(drawn_state: str, drawn_shared: int = 0) -> None:
    """The progress bar and one line of numbers (two elements per redraw), and how many tabs
    share the run."""
    run = current_run()
    if run is None:
        return
    p = run.progress()
    if p["state"] != drawn_state and st.session_state.get(HANDLED) is not run:
        frame.rerun()  # queued -> running, or over: the whole page (and, when over, the model)
    shared = _shared(run)
    if bool(shared) != bool(drawn_shared):
        frame.rerun()  # another tab joined or left: the Pause and Stop buttons change
    if shared:
        st.caption(t("training.shared", n=shared))
    total = max(p["total_steps"], 1)
    st.progress(min(p["step"] / total, 1.0), text=t("training.progress", step=p["step"],
                total=p["total_steps"], epoch=p["epoch"], epochs=p["epochs"]))
    elapsed = p["elapsed_s"]
    speed = run.images_trained() / elapsed if elapsed > 0 else p["images_per_s"]
    st.markdown(t("training.numbers", loss="–" if p["last_loss"] is None
                  else f"{p['last_loss']:.4f}", speed=f"{speed:,.0f}",
                  eta=_duration(p["eta_s"]), elapsed=_duration(elapsed)),
                help=t("training.numbers.help"))
    last = run.trainer.last_parts  # replaced whole by the worker each step: safe to read
    if "kl_loss" in last:
        st.markdown(t("training.numbers.parts", r=f"{last['r_loss']:.4g}",
                      kl=f"{last['kl_loss']:.4g}"), help=t("training.numbers.parts.help"))


def _charts() -> None:
    """The loss curve, the wall forming and five reconstructions (three elements)."""
    run = current_run()
    if run is None:
        return
    p = run.progress()
    left, right = st.columns([3, 2])
    parts = {k: list(v) for k, v in list(run.trainer.history.parts.items())}  # worker appends
    vae = has_parts(parts, p["epochs_history"])
    left.plotly_chart(plots.loss_figure(
        p["steps"], p["epochs_history"], steps_per_epoch=run.trainer.steps_per_epoch,
        max_points=1500, height=300 if vae else 440, texts=loss_texts(vae)), key="t_loss",
        config=NO_BAR)
    if vae:
        left.plotly_chart(parts_figure(
            parts, p["epochs_history"], steps_per_epoch=run.trainer.steps_per_epoch,
            max_points=1500, height=300, texts=parts_texts()), key="t_parts", config=NO_BAR)
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
        st.warning(t("training.queued", used=run.slots.used, max=run.slots.max), icon="⏳")
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
        lr = run.recipe.lr
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
        epochs, parts = inplay.history.get("epochs", []), inplay.history.get("parts") or {}
        vae = has_parts(parts, epochs)
        st.plotly_chart(plots.loss_figure(steps, epochs, max_points=1500, height=340,
                                          texts=loss_texts(vae)),
                        key="t_loss_inplay", config=NO_BAR)
        if vae:
            st.plotly_chart(parts_figure(parts, epochs, max_points=1500, height=340,
                                         texts=parts_texts()),
                            key="t_parts_inplay", config=NO_BAR)
