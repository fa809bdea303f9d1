"""Streamlit glue of the latent-wall page, second half: the three defect panels, the book's
random points and how many of them a classifier recognises, the continuity probe, the 20 x 20
decoded grid and the wall over time. (The wall and its picker are in `wall_view`.)

Each panel draws one report of `ae.defects` / `ae.analysis` with its figure from `ae.plots`,
its numbers as `st.metric`s and two sentences that say what the numbers mean. Positions and
distances are rounded to the wall's size (`ae.fmt`, `Wall.scale`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import streamlit as st

from ae import analysis, fmt, plots
from ae.data.sources import Dataset
from ae.plots.defects import gap_lengths
from ae.ui import state
from ae.ui.i18n import language, t
from ae.ui.wall_view import (
    BOOK_PAIR,
    N_MANIFOLD,
    N_SCORE,
    PAIR_KEYS,
    Wall,
    axis_names,
    chart,
    classifier,
    memo,
    model_figure,
    on_pick,
    ptexts,
)


# -- the three defects -----------------------------------------------------------------------
def metrics(items: list[tuple[str, str, str | None]]) -> None:
    for col, (label, value, helptext) in zip(st.columns(len(items)), items, strict=True):
        col.metric(label, value, help=helptext)


def areas_panel(inplay: state.InPlay, w: Wall, r: Any) -> None:
    share, smp = np.asarray(r.cell_share), np.asarray(r.sample_share)
    big = int(share.argmax())
    small = int(np.flatnonzero(share > 0)[share[share > 0].argmin()]) if (share > 0).any() else 0
    left, right = st.columns([1, 1], gap="medium")
    with left:
        chart(model_figure(inplay, "area_map", lambda: plots.area_map_figure(
            r, axis_label=w.axis_label, height=480, texts=ptexts("area_map"))))
    with right:
        metrics([(t("wall.d1.ratio"), f"{r.ratio:.1f} ×", t("wall.d1.ratio.help")),
                 (t("wall.d1.big", d=big), f"{share[big]:.0%}", None),
                 (t("wall.d1.small", d=small), f"{share[small]:.0%}", None)])
        st.markdown(t("wall.d1.text", big=big, small=small, ratio=r.ratio, big_s=smp[big],
                      small_s=smp[small]))
        chart(model_figure(inplay, "area", lambda: plots.area_figure(
            r, height=320, texts=ptexts("area"))))
    data = np.bincount(w.labels, minlength=len(share))[:len(share)] / max(len(w.labels), 1)
    st.dataframe({t("wall.d1.col.digit"): [str(d) for d in np.asarray(r.digits)],
                  t("wall.d1.col.cell"): [f"{v:.1%}" for v in share],
                  t("wall.d1.col.sample"): [f"{v:.1%}" for v in smp],
                  t("wall.d1.col.data"): [f"{v:.1%}" for v in data]}, hide_index=True)


def symmetry_panel(inplay: state.InPlay, w: Wall, r: Any, color: str) -> None:
    side_name, side = max(r.side_share.items(), key=lambda kv: kv[1])
    c = fmt.point(r.centroid, w.scale, extra=1)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        chart(model_figure(inplay, "symmetry", lambda: plots.symmetry_figure(
            w.xy, r, w.labels, color_by=color, axis_label=w.axis_label, height=520,
            texts=ptexts("symmetry"), code_texts=ptexts("latent")), color))
    with right:
        offset = t("wall.d2.offset.value", v=float(np.abs(r.offset_sigma).max()))
        metrics([(t("wall.d2.centroid"), c, None),
                 (t("wall.d2.offset"), offset, t("wall.d2.offset.help"))])
        metrics([(t("wall.d2.side"), f"{side:.0%}", t("wall.d2.side.help")),
                 (t("wall.d2.far"), f"{r.far_share:.1%}", t("wall.d2.far.help"))])
        x0, x1, y0, y1 = (fmt.coord(v, w.scale) for v in (r.mins[0], r.maxs[0], r.mins[1],
                                                          r.maxs[1]))
        st.markdown(t("wall.d2.text", c=c, side=side, side_name=t(f"wall.side.{side_name}"),
                      xmin=x0, xmax=x1, ymin=y0, ymax=y1, far=r.far_share))


def gaps_panel(inplay: state.InPlay, w: Wall, r: Any, color: str) -> None:
    left, right = st.columns([3, 2], gap="medium")
    with left:
        chart(model_figure(inplay, "gaps", lambda: plots.gap_figure(
            w.xy, r, w.labels, color_by=color, axis_label=w.axis_label, height=520,
            texts=ptexts("gaps"), code_texts=ptexts("latent")), color))
    radius, spacing = gap_lengths(r)  # as the figure shows them
    with right:
        metrics([(t("wall.d3.share"), f"{r.gap_share:.0%}", None),
                 (t("wall.d3.radius"), radius, t("wall.d3.radius.help")),
                 (t("wall.d3.spacing"), spacing, t("wall.d3.spacing.help"))])
        st.markdown(t("wall.d3.text", gap=r.gap_share, radius=radius, spacing=spacing))


# -- the book's random points and their recognisability ---------------------------------------
def samples_panel(inplay: state.InPlay, w: Wall, red: np.ndarray) -> np.ndarray:
    """The 30 red points painted, 3 x 10 as in the book; a click picks one on the wall."""
    def build() -> tuple[np.ndarray, Any]:
        images = analysis.decode(inplay.model, w.view.to_latent(red))
        return images, plots.samples_figure(red, images, scale=w.scale, texts=ptexts("samples"))

    images, fig = memo("samples", (inplay.key, red.tobytes(), language()), build)
    chart(fig, key="w_samples_fig",
          on_select=on_pick("w_samples_fig", inplay.key, w, kind="sample"),
          selection_mode="points")
    return images


def recognisability(inplay: state.InPlay, w: Wall, clf: Any) -> tuple[Any, Any]:
    """How many of N_SCORE repainted test marks, and of N_SCORE uniform random points of the
    wall, the classifier recognises; once per model (no Streamlit: `warmup` calls it too)."""
    from ae.analysis import classifier as cl

    model = inplay.model
    recons = state.derived(inplay, "wall.rec.recons", lambda: cl.recognisability(
        clf, analysis.decode(model, w.codes[:N_SCORE])))
    rand = state.derived(inplay, "wall.rec.random", lambda: cl.recognisability(
        clf, analysis.decode(model, w.view.to_latent(
            analysis.sample_uniform(w.xy, N_SCORE, seed=0)))))
    return recons, rand


def recognisability_panel(inplay: state.InPlay, ds: Dataset, w: Wall, images: np.ndarray) -> None:
    """Share of pictures the digit classifier recognises: painted from real marks (the test
    set's reconstructions), from random points, and from these 30."""
    if ds.name == "fashion-mnist":
        st.info(t("wall.rec.other", name=ds.name))
        return
    clf = classifier()
    if clf is None:
        st.info(t("wall.rec.none"))
        return
    from ae.analysis import classifier as cl

    try:
        recons, rand = recognisability(inplay, w, clf)
        these = cl.recognisability(clf, images)
    except Exception as e:  # a classifier that does not fit these pictures: say so, go on
        st.warning(t("wall.rec.error", msg=str(e)[:200]))
        return
    helptext = t("wall.rec.help", thr=these.threshold, n=min(N_SCORE, len(w.codes)))
    n_ok = int(round(these.share * len(images)))
    metrics([(t("wall.rec.recons"), f"{recons.share:.0%}", helptext),
             (t("wall.rec.random"), f"{rand.share:.0%}", helptext),
             (t("wall.rec.these"), f"{n_ok} / {len(images)}", None)])
    st.markdown(t("wall.rec.text.more" if recons.share > rand.share else "wall.rec.text.less"))
    per = ", ".join(f"{d}: {c}" for d, c in enumerate(np.asarray(rand.per_digit_count)))
    st.caption(t("wall.rec.per_digit", n=N_SCORE, per=per))


# -- continuity ------------------------------------------------------------------------------
def book_pair() -> None:
    for key, v in zip(PAIR_KEYS, BOOK_PAIR, strict=True):
        st.session_state[key] = v


def pair_places(w: Wall) -> int:
    """Decimals of the pair's inputs: the book's 2 on a trained wall, more on a small one."""
    return max(2, fmt.decimals(w.scale, extra=1))


def pair_from_pick(w: Wall) -> None:
    """A = the picked point, B = a small step (+s, -s) away: the book's 0.1 on a trained wall,
    less on a small one (an untrained wall is only a few hundredths wide)."""
    held = st.session_state.get("_w_point")
    if held is not None:
        places = pair_places(w)
        s = min(BOOK_PAIR[2] - BOOK_PAIR[0], 10.0 ** (1 - places))
        x, y = (round(v, places) for v in held[1].xy)
        pair = (x, y, round(x + s, places), round(y - s, places))
        for key, v in zip(PAIR_KEYS, pair, strict=True):
            st.session_state[key] = v


@st.fragment
def continuity_section(inplay: state.InPlay, w: Wall) -> None:
    """Two points, their pictures, how different they are, and the profile along the line."""
    nx, ny = axis_names(w)
    labels = [f"{t(f'wall.cont.{p}')} · {n}" for p in "ab" for n in (nx, ny)]
    places = pair_places(w)
    for col, key, label, v in zip(st.columns(4), PAIR_KEYS, labels, BOOK_PAIR, strict=True):
        col.number_input(label, -1000.0, 1000.0, state.first_value(key, v, "min"),
                         step=min(0.1, 10.0 ** (1 - places)), format=f"%.{places}f", key=key)
    c1, c2 = st.columns(2)
    c1.button(t("wall.cont.book"), on_click=book_pair, key="w_cont_book")
    c2.button(t("wall.cont.picked"), on_click=pair_from_pick, args=(w,), key="w_cont_pick")
    if w.view.projected:
        st.caption(t("wall.cont.pca"))
    pair = np.array([float(st.session_state[k]) for k in PAIR_KEYS]).reshape(2, 2)
    rep, fig, profile_fig = memo("continuity", (inplay.key, pair.tobytes(), language()),
                                 lambda: probe(inplay, w, pair))
    left, right = st.columns([3, 2], gap="medium")
    with left:
        chart(fig)
    with right:
        metrics([(t("wall.cont.mse"), fmt.number(rep.mse), None),
                 (t("wall.cont.max"), fmt.number(rep.max_abs, 2), None)])
        metrics([(t("wall.cont.changed"), f"{rep.changed_share:.1%}", t("wall.cont.changed.help")),
                 (t("wall.cont.dist"), fmt.length(float(np.hypot(*(pair[1] - pair[0]))),
                                                  least=3), None)])
    st.caption(t("wall.cont.profile"))
    chart(profile_fig)


def probe(inplay: state.InPlay, w: Wall, pair: np.ndarray) -> tuple[Any, Any, Any]:
    """The continuity report of a pair of picture points, its figure and the profile's."""
    za, zb = w.view.to_latent(pair)
    rep = analysis.continuity(inplay.model, za, zb)
    prof = analysis.continuity_profile(inplay.model, za, zb, k=21)
    return (rep, plots.continuity_figure(rep, cell_px=120, texts=ptexts("continuity")),
            plots.continuity_profile_figure(prof, texts=ptexts("continuity_profile")))


# -- the 20 x 20 grid ------------------------------------------------------------------------
def manifold_panel(inplay: state.InPlay, w: Wall) -> None:
    """The book's decoded grid over the marks' box; a click picks that cell on the wall."""
    def build() -> Any:
        pts = analysis.grid_points(w.xy, N_MANIFOLD)
        images = analysis.decode(inplay.model, w.view.to_latent(pts))
        return plots.manifold_figure(images, pts, texts=ptexts("manifold"))

    chart(model_figure(inplay, "manifold", build), key="w_grid_fig",
          on_select=on_pick("w_grid_fig", inplay.key, w), selection_mode="points")


# -- the wall over time ----------------------------------------------------------------------
def frames_of(snapshots: dict, labels: Any) -> dict | None:
    """The checkpoint's snapshots as numpy arrays for `plots.wall_frame_figure`, or None when
    there are none. Older files lack "probe_labels": they are looked up in the test set."""
    codes = snapshots.get("codes") if snapshots else None
    if codes is None:
        return None
    codes = np.asarray(codes, dtype=np.float32)
    if codes.ndim != 3:
        raise ValueError(f"codes must be (frames, probes, z), got shape {codes.shape}")
    if codes.shape[0] == 0 or codes.shape[1] == 0:
        return None
    out = {"codes": codes}
    for key in ("probe_index", "probe_labels", "steps", "epochs"):
        if snapshots.get(key) is not None:
            out[key] = np.asarray(snapshots[key]).astype(np.int64).ravel()
    idx = out.get("probe_index")
    if "probe_labels" not in out and idx is not None and len(idx) == codes.shape[1] \
            and len(labels) and 0 <= idx.min() and idx.max() < len(labels):
        out["probe_labels"] = np.asarray(labels).astype(np.int64)[idx]
    for key in ("probe_index", "probe_labels"):
        if key in out and len(out[key]) != codes.shape[1]:
            del out[key]
    return out


@st.fragment
def time_section(inplay: state.InPlay, ds: Dataset, color: str) -> None:
    """A scrubber over the wall's snapshots during training."""
    try:
        snaps = frames_of(inplay.snapshots, ds.y_test)
    except (ValueError, TypeError) as e:
        st.warning(t("wall.time.bad", msg=str(e)[:200]))
        return
    if snaps is None:
        st.info(t("wall.time.none"))
        return
    n_frames, n_probe = snaps["codes"].shape[:2]
    st.markdown(t("wall.time.text", p=n_probe, t=n_frames))
    frame = n_frames - 1
    steps, epochs = snaps.get("steps"), snaps.get("epochs")
    if n_frames > 1:
        def label(i: int) -> str:
            if steps is not None and epochs is not None and len(steps) == len(epochs) == n_frames:
                return t("wall.time.fmt", epoch=int(epochs[i]), step=int(steps[i]))
            return f"{i + 1} / {n_frames}"
        frame = st.select_slider(t("wall.time.frame"), options=list(range(n_frames)),
                                 value=n_frames - 1, format_func=label,
                                 key=f"w_frame:{inplay.key}")
    chart(memo("frame", (inplay.key, frame, n_frames, color, language()),
               lambda: plots.wall_frame_figure(snaps, frame, color_by=color,
                                               texts=ptexts("wall_frame"),
                                               code_texts=ptexts("latent"))))
