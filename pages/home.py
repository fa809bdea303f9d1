"""Home: the gallery story, one image's trip through the model in play, quick start."""

import numpy as np
import streamlit as st

from ae import analysis, fmt, plots
from ae.ui import header, t

inplay, ds = header("home")

left, right = st.columns([3, 2])
with left:
    st.subheader(t("home.story.h"))
    st.markdown(t("home.story"))
with right:
    st.subheader(t("home.map.h"))
    st.markdown(t("home.map"))

st.subheader(t("home.pipeline.h"))
if st.button(t("home.pipeline.another")):
    st.session_state["home_pick"] = int(np.random.default_rng().integers(len(ds.x_test)))
i = st.session_state.get("home_pick", 0)
rec = analysis.reconstruct_indices(inplay.model, ds.x_test, ds.y_test, [i])
st.plotly_chart(plots.pipeline_figure(rec.images[0], rec.codes[0], rec.recons[0], texts={
    k: t(f"home.pipeline.{k}") for k in ("in", "enc", "wall", "dec", "out")}),
    config={"displayModeBar": False})
size = fmt.spread(rec.codes[0][None])  # one mark: rounded to its own size, as the figure
st.caption(t("home.pipeline.caption", x=fmt.coord(rec.codes[0][0], size, extra=1),
             y=fmt.coord(rec.codes[0][-1], size, extra=1), mse=float(rec.mse[0])))

st.subheader(t("home.start.h"))
cols = st.columns(4)
for col, (key, page) in zip(cols, [("arch", "pages/architecture.py"),
                                   ("train", "pages/training.py"),
                                   ("wall", "pages/wall.py"),
                                   ("gen", "pages/generation.py")], strict=True):
    col.page_link(page, label=t(f"home.start.{key}"))
st.info(t("home.lesson"))
