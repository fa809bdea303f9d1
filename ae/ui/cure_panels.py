"""The cure page's comparison: an autoencoder and a VAE picked side by side, every defect of
both measured (`measures`, once per model), the two walls on the same axes, the table with a
plain verdict per row, random samples drawn each model's way, the two decoded grids, the
continuity profiles on one scale, and the VAE's two loss parts. Counts and class names follow
the data set (the second edition's 18 samples and 15 x 15 grids for Fashion-MNIST). The live
run with the r_loss_factor slider is in `ae.ui.cure_live`.

The defects are computed by `ae.analysis.cure` (`measure`, `compare`, `diagnose`); the
numbers decide every verdict, so where the VAE does not do better the page says so.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from ae import analysis, fmt, plots
from ae.analysis import cure
from ae.data.sources import Dataset
from ae.plots import cure as cure_plots
from ae.plots.curves import parts_figure
from ae.ui import classes, models, own_digit, plain, resources, results, state
from ae.ui import wall_sections as sections
from ae.ui.figures import chart, plot_texts
from ae.ui.i18n import all_texts, language, t, translated_radio
from ae.ui.training_view import parts_texts

AE_KEY, VAE_KEY = "cure_ae", "cure_vae"  # the two pickers' choices
# the continuity line runs between the first test image of each of two classes: a 1 and a 7
# for digits; for clothes a Trouser and an Ankle boot, two items that share almost no ink, so
# every picture along the line has to turn one shape into a very different one
LINE_DIGITS = (1, 7)
LINE_CLASSES = {"fashion-mnist": (1, 9)}


def line_classes(dataset: str) -> tuple[int, int]:
    """The two labels the cure page's continuity line runs between, for `dataset`."""
    return LINE_CLASSES.get(dataset, LINE_DIGITS)


# -- which models: the pickers ------------------------------------------------------------------
def kind(inplay: state.InPlay) -> str:
    return inplay.model.config.kind


def _options(of_kind: str, dataset: str) -> list[str]:
    """The origins of this kind the session can pick, made for `dataset` (the data set the
    page measures on): shipped files that exist, its own."""
    own = state.session_models()
    have = {name for name in resources.shipped_available()
            if name not in own and resources.shipped(name).config.is_vae == (of_kind == "vae")
            and resources.shipped(name).dataset == dataset}
    have |= {origin for origin, m in own.items()
             if kind(m) == of_kind and m.dataset == dataset}
    return [o for o in models.ORDER if o in have]


def _model(origin: str) -> state.InPlay:
    own = state.session_models().get(origin)
    return own if own is not None else models.shipped(origin)


def _default(ae_opts: list[str], vae_opts: list[str]) -> tuple[str | None, str | None]:
    """The book pair, else the full-data pair, else the first of each."""
    for a, v in resources.PAIRS:
        if a in ae_opts and v in vae_opts:
            return a, v
    return (ae_opts[0] if ae_opts else None), (vae_opts[0] if vae_opts else None)


def pickers(ds: Dataset) -> tuple[state.InPlay | None, state.InPlay | None]:
    """Two radios (an autoencoder, a VAE of `ds`); the models picked, or None where none is."""
    ae_opts, vae_opts = _options("autoencoder", ds.name), _options("vae", ds.name)
    defaults = _default(ae_opts, vae_opts)
    left, right = st.columns(2, gap="large")
    picked = []
    for col, key, opts, default, which in ((left, AE_KEY, ae_opts, defaults[0], "ae"),
                                           (right, VAE_KEY, vae_opts, defaults[1], "vae")):
        if not opts:
            picked.append(None)
            continue
        if st.session_state.get(key) not in opts:
            st.session_state[key] = default
        choice = translated_radio(t(f"cure.pick.{which}"), opts, key, container=col,
                                  format_func=lambda o: t(f"cure.model.{o}"))
        picked.append(_model(choice))
    if picked[1] is None:
        right.info(t("cure.no_vae"), icon="ℹ️")
    if picked[0] is None:
        left.info(t("cure.no_ae"), icon="ℹ️")
    return picked[0], picked[1]


# -- the numbers ---------------------------------------------------------------------------------
def measures(inplay: state.InPlay, ds: Dataset) -> cure.Measures:
    """Every defect of this model on the test set, once per model (`results.cure_measures`;
    the warm-up computes the shipped models' in the background)."""
    clf = resources.classifier(ds.name)  # digits, or clothes: the data set's own
    return results.cure_measures(inplay, ds, clf)


def _shown(key: str, v: float | None) -> str:
    """A row's value as a learner reads it."""
    if v is None or not np.isfinite(v):
        return "–"
    if key in ("beyond_3", "gap_share") or key.endswith("_recognised"):
        return f"{v:.1%}"
    if key == "area_ratio":
        return f"{v:.1f} ×"
    if key in ("step_change", "line_jump"):
        return fmt.number(v)
    return f"{v:.2f}"


def table_view(ae_m: cure.Measures, vae_m: cure.Measures, dataset: str = "mnist") -> None:
    """The defect table as a static table: its texts wrap, so every verdict reads in full."""
    rows = table(ae_m, vae_m, dataset)
    plain.table({c: list(rows[c]) for c in rows.columns},
                right=[t("cure.col.ae"), t("cure.col.vae")])


def table(ae_m: cure.Measures, vae_m: cure.Measures, dataset: str = "mnist") -> pd.DataFrame:
    """The defect table: both values and a plain verdict per row."""
    rows = []
    for row in cure.compare(ae_m, vae_m):
        if row.winner == "vae":
            verdict = "✅ " + classes.tx(f"cure.win.{row.key}", dataset)
        elif row.winner == "autoencoder":
            verdict = "❌ " + t(f"cure.lose.{row.better}")
        else:
            verdict = "＝ " + t(f"cure.verdict.{row.winner}")
        rows.append({t("cure.col.defect"): classes.tx(f"cure.row.{row.key}", dataset),
                     t("cure.col.ae"): _shown(row.key, row.ae),
                     t("cure.col.vae"): _shown(row.key, row.vae),
                     t("cure.col.better"): t(f"cure.better.{row.better}"),
                     t("cure.col.verdict"): verdict})
    return pd.DataFrame(rows)


def diagnosis(m: cure.Measures) -> None:
    """What the VAE's numbers say about its balance: collapse, balanced or autoencoder-like
    (`cure.diagnose`, with the KL per image measured on the test images)."""
    d = cure.diagnose(m)
    numbers = t("cure.diag.numbers", std=f"{d.codes_std:.3g}",
                kl="–" if d.kl_per_image is None else f"{d.kl_per_image:.3g}",
                ratio=f"{d.patch_ratio:.3g}", fit=f"{d.kl_fit:.3g}", gap=f"{d.gap_share:.1%}")
    box = st.success if d.label == "balanced" else st.warning
    box(t(f"cure.diag.{d.label}") + "\n\n" + numbers, icon="🩺")


# -- the figures ---------------------------------------------------------------------------------
def ftexts(name: str) -> dict[str, str]:
    """A cure figure's texts in the session's language (keys `cure.plot.<name>.<k>`)."""
    have = all_texts()
    return {k: t(f"cure.plot.{name}.{k}") for k in cure_plots.TEXTS[name]
            if f"cure.plot.{name}.{k}" in have}


@st.cache_resource(show_spinner=False, scope="session", max_entries=2)
def _walls(ae_key: str, vae_key: str | None, lang: str, own_key: tuple | None, dataset: str,
           _ae: results.Wall, _vae: results.Wall | None, _own: tuple | None) -> go.Figure:
    return cure_plots.walls_figure((_ae.xy, _ae.labels),
                                   None if _vae is None else (_vae.xy, _vae.labels),
                                   own=_own, class_names=classes.names(dataset),
                                   texts=walls_texts(dataset) | plot_texts("own.plot", "own"))


def walls_texts(dataset: str) -> dict[str, str]:
    """The two walls' texts, the legend's title the data set's ("digit", or "item")."""
    return ftexts("walls") | {"digit": classes.tx("cure.plot.walls.digit", dataset)}


def _own(ae: state.InPlay, vae: state.InPlay | None, w_ae: results.Wall,
         w_vae: results.Wall | None) -> tuple | None:
    """The learner's kept digits on both walls (where each model pins them), or None."""
    mine = own_digit.layer(ae.model, w_ae)
    if mine is None:
        return None
    theirs = own_digit.layer(vae.model, w_vae) if vae is not None and w_vae else None
    return mine[0], None if theirs is None else theirs[0], mine[1]


def walls(ae: state.InPlay, vae: state.InPlay | None, ds: Dataset,
          vae_m: cure.Measures | None) -> None:
    """The two walls on one figure; under it, how big the VAE's patches are."""
    w_ae = results.wall(ae, ds)
    w_vae = results.wall(vae, ds) if vae is not None else None
    if w_ae is None:
        st.error(t("wall.nonfinite"))
        return
    own_digit.toggle("cure")
    own = _own(ae, vae, w_ae, w_vae)
    own_key = None if own is None else own_digit.fingerprint(*own)
    chart(_walls(ae.key, vae.key if vae else None, language(), own_key, ds.name, w_ae, w_vae,
                 own),
          key="cure_walls")
    if vae_m is not None and vae_m.mean_sigma is not None:
        st.caption(t("cure.walls.sigma", sigma=f"{vae_m.mean_sigma:.3g}",
                     std=f"{vae_m.codes_std:.3g}"))


def _samples(inplay: state.InPlay, w: results.Wall) -> go.Figure:
    """The edition's random points (30, or 18) drawn this model's way, decoded: the
    autoencoder from the box of its marks (the book's chapter 3), the VAE from N(0, I) (the
    book's chapter 3 VAE notebook)."""
    n = sections.counts(inplay.dataset)[0]
    if kind(inplay) == "vae":
        return sections.normal_samples(inplay, scale=w.scale, texts=plot_texts(
            "wall.plot", "samples") | {"title": t("cure.plot.vae.samples.title", n=n)})
    pts = analysis.sample_uniform(w.xy, n, seed=0)
    images = analysis.decode(inplay.model, w.view.to_latent(pts))
    return plots.samples_figure(pts, images, scale=w.scale,
                                texts=plot_texts("wall.plot", "samples")
                                | {"title": t("cure.plot.ae.samples.title", n=n)})


def _grid(inplay: state.InPlay, w: results.Wall) -> go.Figure:
    """The book's grid (20 x 20, or 15 x 15): over the marks' box (autoencoder) or the
    normal's quantiles (VAE)."""
    if kind(inplay) == "vae" and w.z_dim == 2:
        return sections.normal_manifold(inplay, cell_px=24,
                                        texts=plot_texts("cure.plot.vae", "manifold"))
    return sections.manifold(inplay, w, cell_px=24, texts=plot_texts("cure.plot.ae", "manifold"))


def _line_ends(labels: np.ndarray, dataset: str = "mnist") -> tuple[int, int]:
    """The first test image of each of `line_classes` (else the first two test images)."""
    hits = [np.flatnonzero(labels == d) for d in line_classes(dataset)]
    return (int(hits[0][0]), int(hits[1][0])) if all(len(h) for h in hits) else (0, 1)


def _profile(inplay: state.InPlay, w: results.Wall) -> go.Figure:
    i, j = _line_ends(w.labels, inplay.dataset)
    a, b = (classes.name(inplay.dataset, d) for d in line_classes(inplay.dataset))
    prof = analysis.continuity_profile(inplay.model, w.codes[i], w.codes[j], k=21)
    texts = plot_texts("wall.plot", "continuity_profile") | plot_texts(
        "cure.plot", "continuity_profile") | {
        "x_title": t("cure.cont.x_title", a=a, b=b)}
    return plots.continuity_profile_figure(prof, height=360, texts=texts)


def side_by_side(ae: state.InPlay, vae: state.InPlay, ds: Dataset, name: str) -> None:
    """One figure per model, side by side: "samples", "grid" or "profile" (the profiles on one
    scale)."""
    build = {"samples": _samples, "grid": _grid, "profile": _profile}[name]
    figs = []
    for inplay in (ae, vae):
        w = results.wall(inplay, ds)
        if w is None:
            return
        figs.append(results.figure(inplay, ds, f"cure.{name}", lambda m=inplay, w=w: build(m, w),
                                    language()))
    if name == "profile":  # copies: the cached figures are shared
        figs = cure_plots.same_scale([go.Figure(f) for f in figs])
    for col, fig, who in zip(st.columns(2, gap="medium"), figs, ("ae", "vae"), strict=True):
        with col:
            st.markdown(f"**{t(f'cure.col.{who}')}**")
            chart(fig, key=f"cure_{name}_{who}")


def loss_parts(vae: state.InPlay) -> None:
    """The VAE's reconstruction and KL parts over its training, if its history has them."""
    if not (vae.history or {}).get("parts"):
        st.info(t("cure.parts.none"))
        return
    h = vae.history
    chart(parts_figure(h["parts"], h.get("epochs") or [], texts=parts_texts()),
          key="cure_parts")
