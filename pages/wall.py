"""The latent wall: the test set encoded, any point picked and painted at once, the article's
three defects in numbers, the book's 30 random points, continuity, the 20 x 20 decoded grid,
and the wall forming during training. Sections live in ae.ui.wall_view / wall_panels."""

import streamlit as st

from ae import analysis
from ae.analysis import defects
from ae.ui import header, t
from ae.ui import wall_panels as panels
from ae.ui import wall_view as view

inplay, ds = header("wall")
view.init_params()
wall = view.load(inplay, ds)
if wall is None:
    st.error(t("wall.nonfinite"))
    st.stop()

# -- the wall: every test image's mark; pick any point and D.Coder paints it ---------------------
st.subheader(t("wall.h.wall", n=len(wall.xy)))
c1, c2 = st.columns(2)
with c1:
    color = view.color_by()
with c2:
    show_red = view.show_samples()
if wall.z_dim > 2:
    st.info(t("wall.pca", z=wall.z_dim))
elif wall.z_dim == 1:
    st.info(t("wall.one_d"))
st.markdown(t("wall.how"))
gaps = view.defect(inplay, wall, "gaps")
red = view.samples(wall)
view.wall_section(inplay, wall, color, red if show_red else None, gaps)
view.show_code(analysis.encode, analysis.project_2d)

# -- the three defects, each with its figure, its numbers and what they mean ---------------------
st.subheader(t("wall.h.defects"))
st.markdown(t("wall.defects.intro"))
tab1, tab2, tab3 = st.tabs([t("wall.d1.tab"), t("wall.d2.tab"), t("wall.d3.tab")])
with tab1:
    areas = view.defect(inplay, wall, "areas")
    if areas is not None:
        panels.areas_panel(inplay, wall, areas)
    view.show_code(defects.uneven_areas)
with tab2:
    sym = view.defect(inplay, wall, "symmetry")
    if sym is not None:
        panels.symmetry_panel(inplay, wall, sym, color)
    view.show_code(defects.symmetry_bounds)
with tab3:
    if gaps is not None:
        panels.gaps_panel(inplay, wall, gaps, color)
    view.show_code(defects.gaps)

# -- the book's experiment: 30 random points of the wall, painted --------------------------------
st.subheader(t("wall.h.samples"))
st.markdown(t("wall.samples.text"))
c1, c2 = st.columns([1, 3], vertical_alignment="center")
c1.button(t("wall.samples.resample"), on_click=view.resample, key="w_resample")
c2.caption(t("wall.samples.seed", seed=st.session_state[view.SEED]))
images = panels.samples_panel(inplay, wall, red)
st.markdown(f"**{t('wall.rec.h')}**")
panels.recognisability_panel(inplay, ds, wall, images)
view.show_code(analysis.sample_uniform)

# -- continuity: does a small step on the wall give a small change in the picture? ---------------
st.subheader(t("wall.h.cont"))
st.markdown(t("wall.cont.text"))
panels.continuity_section(inplay, wall)
view.show_code(analysis.continuity, analysis.continuity_profile)

# -- the whole wall painted: the book's 20 x 20 grid ---------------------------------------------
st.subheader(t("wall.h.grid"))
st.markdown(t("wall.grid.text"))
panels.manifold_panel(inplay, wall)
view.show_code(analysis.grid_points)

# -- the wall over time: the snapshots recorded while the model trained --------------------------
st.subheader(t("wall.h.time"))
panels.time_section(inplay, ds, color)

view.sync_params()
