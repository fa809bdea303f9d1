"""The wall page's other sections: the book's random points painted (30 in the first edition,
18 in the second) and how many of them the data set's classifier recognises, the decoded grid
(20 x 20, or 15 x 15), and the wall over training. For a variational autoencoder, also its own
way of being sampled (the generation page): codes from N(0, I) and the book's grid over the
normal's quantiles. The counts follow the edition of the model's data set (`counts`)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from ae import analysis, plots
from ae.analysis import classifier as digit_classifier
from ae.data.sources import Dataset
from ae.model import presets
from ae.ui import classes, defect_panels, resources, results, state
from ae.ui.figures import chart, plot_texts
from ae.ui.i18n import language, t

SEED = "w_seed"  # the random points' seed: in the session and in the URL


def counts(dataset: str) -> tuple[int, int]:
    """(random points, grid side) of the book whose chapter uses `dataset`: the first
    edition's 30 and 20 x 20 for MNIST, the second's 18 and 15 x 15 for Fashion-MNIST."""
    p = presets.for_dataset(dataset)
    return p.n_samples, p.grid_side


def resample() -> None:
    st.session_state[SEED] = int(np.random.default_rng().integers(1, 10**9))


@st.cache_resource(show_spinner=False, scope="session", max_entries=2)
def painted_samples(model_key: str, red_bytes: bytes, lang: str, _model, _w: results.Wall,
                    _red: np.ndarray) -> tuple[np.ndarray, object]:
    """The red points decoded and their figure, as in the book (3 x 10, or 18 for the second
    edition's Fashion-MNIST)."""
    images = analysis.decode(_model, _w.view.to_latent(_red))
    return images, plots.samples_figure(_red, images, scale=_w.scale,
                                        texts=plot_texts("wall.plot", "samples"))


def recognised(inplay: state.InPlay, ds: Dataset, w: results.Wall, images: np.ndarray) -> None:
    """Share of pictures the data set's classifier recognises (digits, or Fashion-MNIST's
    clothes): painted from real marks (the test set's reconstructions), from random points,
    and from these."""
    clf = resources.classifier(ds.name)
    if clf is None:
        st.info(classes.tx("wall.rec.none", ds.name))
        return
    try:
        recons, rand = results.recognisability(inplay, ds, w, clf)
        these = digit_classifier.recognisability(clf, images)
    except Exception as e:  # a classifier that does not fit these pictures: say so, go on
        st.warning(t("wall.rec.error", msg=str(e)[:200]))
        return
    helptext = classes.tx("wall.rec.help", ds.name, thr=these.threshold,
                          n=min(results.N_SCORE, len(w.codes)))
    n_ok = int(round(these.share * len(images)))
    defect_panels.metrics([(t("wall.rec.recons"), f"{recons.share:.0%}", helptext),
                           (t("wall.rec.random"), f"{rand.share:.0%}", helptext),
                           (t("wall.rec.these", n=len(images)), f"{n_ok} / {len(images)}", None)])
    st.markdown(classes.tx("wall.rec.text.more" if recons.share > rand.share
                           else "wall.rec.text.less", ds.name))
    names = classes.names(ds.name)
    per = ", ".join(f"{names[d]}: {c}" for d, c in enumerate(np.asarray(rand.per_digit_count)))
    st.caption(classes.tx("wall.rec.per_digit", ds.name, n=results.N_SCORE, per=per))



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
    chart(frame_figure(inplay.key, frame, n_frames, color, language(), ds.name, snaps))


@st.cache_resource(show_spinner=False, scope="session", max_entries=4)
def frame_figure(model_key: str, frame: int, n_frames: int, color: str, lang: str,
                 dataset: str, _snaps: dict) -> object:
    return plots.wall_frame_figure(_snaps, frame, color_by=color,
                                   class_names=classes.names(dataset),
                                   texts=classes.plot_texts("wall.plot", "wall_frame", dataset),
                                   code_texts=classes.plot_texts("wall.plot", "latent", dataset))


def manifold(inplay: state.InPlay, w: results.Wall, texts: dict | None = None,
             **figure_kw) -> object:
    """The book's decoded grid over the marks' box, its side the edition's (`texts`,
    `figure_kw`: the caller's own)."""
    pts = analysis.grid_points(w.xy, counts(inplay.dataset)[1])
    images = analysis.decode(inplay.model, w.view.to_latent(pts))
    return plots.manifold_figure(images, pts, **figure_kw,
                                 texts=plot_texts("wall.plot", "manifold") | (texts or {}))


def normal_samples(inplay: state.InPlay, seed: int = 0, texts: dict | None = None,
                   **figure_kw) -> object:
    """A VAE sampled the way it is meant to be: the edition's number of codes from N(0, I),
    decoded."""
    n = counts(inplay.dataset)[0]
    z = analysis.sample_normal(n, inplay.model.config.z_dim, seed)
    return plots.samples_figure(z, analysis.decode(inplay.model, z), **figure_kw, texts={
        "title": t("generation.normal.samples.title", n=n),
        "hover": t("wall.plot.samples.hover")} | (texts or {}))


def normal_manifold(inplay: state.InPlay, texts: dict | None = None, **figure_kw) -> object:
    """The book's VAE grid: 20 x 20 (15 x 15) codes at the standard normal's quantiles
    0.01..0.99 (its analysis notebook), decoded; for a 2-D latent space only."""
    side = counts(inplay.dataset)[1]
    pts = analysis.normal_grid_points(side)
    return plots.manifold_figure(analysis.decode(inplay.model, pts), pts, **figure_kw,
                                 texts=plot_texts("wall.plot", "manifold")
                                 | {"title": t("generation.normal.grid.title")}
                                 | (texts or {}))
