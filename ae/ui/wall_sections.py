"""The wall page's other sections: the book's 30 random points painted and how many of them a
digit classifier recognises, the 20 x 20 decoded grid, and the wall over training; and the
For a variational autoencoder, also its own way of being
sampled (the generation page): codes from N(0, I) and the book's grid over the normal's
quantiles."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ae import analysis, plots
from ae.analysis import classifier as digit_classifier
from ae.data.sources import Dataset
from ae.ui import defect_panels, resources, results, state
from ae.ui.figures import chart, plot_texts
from ae.ui.i18n import language, t

N_SAMPLES, N_MANIFOLD = 30, 20  # the book's 30 random points and its 20 x 20 grid
SEED = "w_seed"  # the random points' seed: in the session and in the URL


def resample() -> None:
    st.session_state[SEED] = int(np.random.default_rng().integers(1, 10**9))


@st.cache_resource(show_spinner=False, scope="session", max_entries=2)
def painted_samples(model_key: str, red_bytes: bytes, lang: str, _model, _w: results.Wall,
                    _red: np.ndarray) -> tuple[np.ndarray, object]:
    """The 30 red points decoded and their 3 x 10 figure, as in the book."""
    images = analysis.decode(_model, _w.view.to_latent(_red))
    return images, plots.samples_figure(_red, images, scale=_w.scale,
                                        texts=plot_texts("wall.plot", "samples"))


def recognised(inplay: state.InPlay, ds: Dataset, w: results.Wall, images: np.ndarray) -> None:
    """Share of pictures the digit classifier recognises: painted from real marks (the test
    set's reconstructions), from random points, and from these 30."""
    if ds.name == "fashion-mnist":
        st.info(t("wall.rec.other", name=ds.name))
        return
    clf = resources.classifier()
    if clf is None:
        st.info(t("wall.rec.none"))
        return
    try:
        recons, rand = results.recognisability(inplay, ds, w, clf)
        these = digit_classifier.recognisability(clf, images)
    except Exception as e:  # a classifier that does not fit these pictures: say so, go on
        st.warning(t("wall.rec.error", msg=str(e)[:200]))
        return
    helptext = t("wall.rec.help", thr=these.threshold, n=min(results.N_SCORE, len(w.codes)))
    n_ok = int(round(these.share * len(images)))
    defect_panels.metrics([(t("wall.rec.recons"), f"{recons.share:.0%}", helptext),
                           (t("wall.rec.random"), f"{rand.share:.0%}", helptext),
                           (t("wall.rec.these"), f"{n_ok} / {len(images)}", None)])
    st.markdown(t("wall.rec.text.more" if recons.share > rand.share else "wall.rec.text.less"))
    per = ", ".join(f"{d}: {c}" for d, c in enumerate(np.asarray(rand.per_digit_count)))
    st.caption(t("wall.rec.per_digit", n=results.N_SCORE, per=per))



@st.fragment
def wall_over_time(inplay: state.InPlay, ds: Dataset, color: str) -> None:
    """A scrubber over the wall's snapshots recorded while the model trained."""
    try:
        snaps = results.snapshot_frames(inplay.snapshots, ds.y_test)
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
    chart(frame_figure(inplay.key, frame, n_frames, color, language(), snaps))


@st.cache_resource(show_spinner=False, scope="session", max_entries=4)
def frame_figure(model_key: str, frame: int, n_frames: int, color: str, lang: str,
                 _snaps: dict) -> object:
    return plots.wall_frame_figure(_snaps, frame, color_by=color,
                                   texts=plot_texts("wall.plot", "wall_frame"),
                                   code_texts=plot_texts("wall.plot", "latent"))


def manifold(inplay: state.InPlay, w: results.Wall, texts: dict | None = None,
             **figure_kw) -> object:
    """The book's decoded grid over the marks' box (`texts`, `figure_kw`: the caller's own)."""
    pts = analysis.grid_points(w.xy, N_MANIFOLD)
    images = analysis.decode(inplay.model, w.view.to_latent(pts))
    return plots.manifold_figure(images, pts, **figure_kw,
                                 texts=plot_texts("wall.plot", "manifold") | (texts or {}))


def normal_samples(inplay: state.InPlay, seed: int = 0, texts: dict | None = None,
                   **figure_kw) -> object:
    """A VAE sampled the way it is meant to be: N_SAMPLES codes from N(0, I), decoded."""
    z = analysis.sample_normal(N_SAMPLES, inplay.model.config.z_dim, seed)
    return plots.samples_figure(z, analysis.decode(inplay.model, z), **figure_kw, texts={
        "title": t("generation.normal.samples.title", n=N_SAMPLES),
        "hover": t("wall.plot.samples.hover")} | (texts or {}))


def normal_manifold(inplay: state.InPlay, texts: dict | None = None, **figure_kw) -> object:
    """The book's VAE grid: 20 x 20 codes at the standard normal's quantiles 0.01..0.99 (its
    analysis notebook), decoded; for a 2-D latent space only."""
    pts = analysis.normal_grid_points(N_MANIFOLD)
    return plots.manifold_figure(analysis.decode(inplay.model, pts), pts, **figure_kw,
                                 texts=plot_texts("wall.plot", "manifold")
                                 | {"title": t("generation.normal.grid.title")} | (texts or {}))
