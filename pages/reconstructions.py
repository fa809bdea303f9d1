"""Reconstructions: the article's figure (ten random test images, their marks, their
repaintings) with each one's error, the learner's own count, and the worst copy of each digit
(of each item of clothing, for a Fashion-MNIST model: labels are shown by their class names)."""

import numpy as np
import streamlit as st

from ae import analysis, fmt, plots
from ae.ui import classes, header, plain, results, t, url
from ae.ui.figures import show_code

inplay, ds = header("reconstructions")
model, n_test = inplay.model, len(ds.x_test)


def resample() -> None:
    st.session_state["r_seed"] = int(np.random.default_rng().integers(1_000_000))


def fig_texts(**override: str) -> dict[str, str]:
    keys = plots.TEXTS["reconstructions"]
    return {k: classes.tx(f"reconstructions.fig.{k}", ds.name) for k in keys} | override


if "r_seed" not in st.session_state:  # a shared link opens on the same ten images
    st.session_state["r_seed"] = url.int_in(url.get("r_seed"), 0, 10**9) or 0
seed = st.session_state["r_seed"]
url.write({"r_seed": str(seed)})

# -- the article's figure ----------------------------------------------------------------------
st.subheader(t("reconstructions.article.h"))
if model.config.is_vae:
    st.caption(t("reconstructions.vae"))
left, right = st.columns([1, 5], vertical_alignment="center")
left.button(t("reconstructions.resample"), on_click=resample, key="r_resample",
            icon="🎲")
right.caption(t("reconstructions.seed", seed=seed))
rec = analysis.reconstruct(model, ds.x_test, ds.y_test, n=10, seed=seed)
st.plotly_chart(plots.reconstructions_figure(rec.images, rec.codes, rec.recons, mse=rec.mse,
                                             index=rec.index,
                                             labels=classes.of(ds.name, rec.labels),
                                             texts=fig_texts()),
                key="r_fig", config={"displayModeBar": False})

with st.spinner(t("reconstructions.computing", n=n_test)):
    errors = results.recon_errors(inplay, ds)  # reuses the test codes the other pages share
st.markdown(t("reconstructions.these", mean=float(rec.mse.mean()), n=n_test, all=errors.mean))
if (box := plain.lazy_expander(t("reconstructions.numbers"), "r_numbers")) is not None:
    with box:
        plain.table({t("reconstructions.col.index"): rec.index,
                     classes.tx("reconstructions.col.digit", ds.name): classes.of(ds.name,
                                                                                 rec.labels),
                     t("reconstructions.col.code"): [fmt.point(c, fmt.spread(rec.codes))
                                                     for c in rec.codes],
                     t("reconstructions.col.mse"): [f"{e:.4f}" for e in rec.mse]},
                    right=[t("reconstructions.col.index"), t("reconstructions.col.mse")],
                    keep=[t("reconstructions.col.code")])
show_code(analysis.reconstruct)

# -- the learner's count against the article's 4 of 10 -----------------------------------------
accepted = st.pills(classes.tx("reconstructions.accept.q", ds.name), list(range(len(rec.index))),
                    selection_mode="multi", format_func=lambda i: str(i + 1),
                    key=f"r_accept:{seed}:{inplay.key}")
st.markdown(t("reconstructions.accept.n", k=len(accepted), n=len(rec.index)))
st.info(t(f"reconstructions.article.{inplay.origin}"))

# -- the worst per digit and the model's mean error -------------------------------------------
st.subheader(classes.tx("reconstructions.worst.h", ds.name))
st.markdown(classes.tx("reconstructions.worst.intro", ds.name, n=n_test))
worst = analysis.reconstruct_indices(model, ds.x_test, ds.y_test, errors.worst())
st.plotly_chart(plots.reconstructions_figure(
    worst.images, worst.codes, worst.recons, mse=worst.mse, index=worst.index,
    labels=classes.of(ds.name, worst.labels),
    texts=fig_texts(title=classes.tx("reconstructions.worst.title", ds.name))),
    key="r_worst", config={"displayModeBar": False})
left, right = st.columns([1, 3])
left.metric(t("reconstructions.mean"), f"{errors.mean:.4f}")
right.plotly_chart(plots.error_bars_figure(errors, class_names=classes.names(ds.name), texts={
    k: classes.tx(f"reconstructions.bars.{k}", ds.name) for k in ("title", "x", "y", "mean")}),
    key="r_bars", config={"displayModeBar": False})

st.subheader(t("reconstructions.blurry.h"))
st.markdown(t("reconstructions.blurry", z=model.config.z_dim))
