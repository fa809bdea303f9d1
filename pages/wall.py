"""The latent wall: the test set encoded, any point picked and painted at once; below it, one
section at a time (a class opens the page together, and each section draws its own figures):
the article's three defects in numbers, the book's random points (30, or 18 in the second
edition), continuity, the decoded grid (20 x 20, or 15 x 15), and the wall forming during
training. The wall and its picker are in ae.ui.wall_picker, the defect panels in
ae.ui.defect_panels, continuity in ae.ui.continuity_panel, the other sections in
ae.ui.wall_sections; what is computed once per model in ae.ui.results."""

import streamlit as st

from ae import analysis
from ae.analysis import defects
from ae.ui import (
    classes,
    continuity_panel,
    defect_panels,
    header,
    own_digit,
    results,
    t,
    url,
    wall_picker,
)
from ae.ui import wall_sections as sections
from ae.ui.figures import chart, show_code
from ae.ui.i18n import language
from ae.ui.kept import kept_choice, kept_toggle
from ae.ui.wall_sections import SEED

DEFECT_TABS = {"areas": "d1", "symmetry": "d2", "gaps": "d3"}  # the three defects' text keys
PARTS = ["defects", "samples", "cont", "grid", "time"]  # the sections below the wall, one shown

# -- the page ---------------------------------------------------------------------------------
inplay, ds = header("wall")
if "w_color_kept" not in st.session_state:  # a shared link opens on the same colour and points
    st.session_state["w_color_kept"] = url.get("w_color") == "digit"
if SEED not in st.session_state:
    st.session_state[SEED] = url.int_in(url.get(SEED), 0, 10**9 - 1) or 0
wall = results.wall_or_stop(inplay, ds)
n_samples, side = sections.counts(ds.name)  # the edition's: 30 and 20 x 20, or 18 and 15 x 15

# -- the wall: every test image's mark; pick any point and D.Coder paints it ---------------------
st.subheader(t("wall.h.wall", n=len(wall.xy)))
c1, c2 = st.columns(2)
with c1:
    color = "digit" if kept_toggle(classes.tx("wall.color", ds.name), "w_color", False,
                                   help=classes.tx("wall.color.help", ds.name)) else "none"
with c2:
    show_red = kept_toggle(t("wall.show_samples", n=n_samples), "w_red", True)
own_digit.toggle("wall")  # the learner's kept digits (the own-digit page), when there are some
if wall.z_dim > 2:
    st.info(t("wall.pca", z=wall.z_dim))
elif wall.z_dim == 1:
    st.info(t("wall.one_d"))
st.markdown(t("wall.how"))
gaps = defect_panels.report(inplay, ds, wall, "gaps")
red = analysis.sample_uniform(wall.xy, n_samples, st.session_state[SEED])  # the book's points
wall_picker.section(inplay, wall, color, red if show_red else None, gaps,
                    own_digit.layer(inplay.model, wall))
show_code(analysis.encode, analysis.project_2d)

# -- below the wall, one section at a time --------------------------------------------------------
st.divider()
part = kept_choice(t("wall.part.pick"), PARTS, "w_part",
                   {k: t(f"wall.part.{k}", n=n_samples, g=side) for k in PARTS},
                   in_url=True)  # a teacher's link can open one section


def the_defects() -> None:
    """The three defects, each with its figure, its numbers and what they mean (one drawn)."""
    st.subheader(t("wall.h.defects"))
    st.markdown(t("wall.defects.intro"))
    if inplay.model.config.is_vae:
        st.info(t("wall.defects.vae"))
    shown = kept_choice(t("wall.defects.pick"), list(DEFECT_TABS), "w_defect",
                        {k: t(f"wall.{d}.tab") for k, d in DEFECT_TABS.items()})
    if shown == "areas":
        if (areas := defect_panels.report(inplay, ds, wall, "areas")) is not None:
            defect_panels.areas(inplay, ds, wall, areas)
        show_code(defects.uneven_areas)
    elif shown == "symmetry":
        if (sym := defect_panels.report(inplay, ds, wall, "symmetry")) is not None:
            defect_panels.symmetry(inplay, ds, wall, sym, color)
        show_code(defects.symmetry_bounds)
    else:
        if gaps is not None:
            defect_panels.gaps(inplay, ds, wall, gaps, color)
        show_code(defects.gaps)


def the_samples() -> None:
    """The book's experiment: the random points of the wall, painted; a click picks one."""
    st.subheader(t("wall.h.samples", n=n_samples))
    st.markdown(t("wall.samples.text", n=n_samples))
    if inplay.model.config.is_vae:
        st.caption(t("wall.samples.vae"))
    c1, c2 = st.columns([1, 3], vertical_alignment="center")
    c1.button(t("wall.samples.resample"), on_click=sections.resample, key="w_resample")
    c2.caption(t("wall.samples.seed", seed=st.session_state[SEED]))
    images, fig = sections.painted_samples(inplay.key, red.tobytes(), language(), inplay.model,
                                           wall, red)
    chart(fig, key="w_samples_fig", selection_mode="points",
          on_select=wall_picker.on_pick("w_samples_fig", inplay.key, wall, kind="sample"))
    st.markdown(f"**{classes.tx('wall.rec.h', ds.name)}**")
    sections.recognised(inplay, ds, wall, images)
    show_code(analysis.sample_uniform)


def the_continuity() -> None:
    """Does a small step on the wall give a small change in the picture?"""
    st.subheader(t("wall.h.cont"))
    st.markdown(classes.tx("wall.cont.text", ds.name))
    continuity_panel.section(inplay, wall)
    show_code(analysis.continuity, analysis.continuity_profile)


def the_grid() -> None:
    """The whole wall painted: the book's decoded grid; a click picks that cell on the wall."""
    st.subheader(t("wall.h.grid", g=side))
    st.markdown(t("wall.grid.text", g=side))
    if inplay.model.config.is_vae:
        st.caption(t("wall.grid.vae"))
    chart(results.figure(inplay, ds, "manifold", lambda: sections.manifold(inplay, wall),
                         language()),
          key="w_grid_fig",
          on_select=wall_picker.on_pick("w_grid_fig", inplay.key, wall), selection_mode="points")
    show_code(analysis.grid_points)


def the_time() -> None:
    """The wall over time: the snapshots recorded while the model trained."""
    st.subheader(t("wall.h.time"))
    sections.wall_over_time(inplay, ds, color)


{"defects": the_defects, "samples": the_samples, "cont": the_continuity, "grid": the_grid,
 "time": the_time}[part]()

url.write({"w_color": "digit" if st.session_state["w_color"] else "black",
           SEED: str(st.session_state[SEED])})
