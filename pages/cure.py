"""The cure: the book's variational autoencoder beside the autoencoder, every defect measured
on both. Read top to bottom: pick the two models, their walls on the same axes, the defect
table with a verdict per row; then one comparison at a time (random samples, the decoded
grids (20 x 20, or the second edition's 15 x 15), continuity, the VAE's two loss parts: each
draws two figures); and a VAE trained live with the r_loss_factor slider. The sections are in
ae.ui.cure_panels and ae.ui.cure_live; the numbers come from ae.analysis.cure."""

import streamlit as st

from ae.analysis import cure
from ae.ui import classes, cure_live, header, present, t
from ae.ui import cure_panels as panels
from ae.ui.figures import show_code
from ae.ui.kept import kept_choice

PARTS = ["samples", "grid", "cont", "parts"]  # the comparisons below the table, one shown

inplay, ds = header("cure")
cure_live.follow_finished()  # a VAE trained below just ended: compare it

# -- the two models: an autoencoder and a VAE -------------------------------------------------
ae, vae = panels.pickers(ds)
if ae is not None:
    with st.spinner(t("cure.measuring")):
        m_ae = panels.measures(ae, ds)
        m_vae = panels.measures(vae, ds) if vae is not None else None

    # -- the two walls, same axes, same colours ------------------------------------------------
    st.subheader(t("cure.h.walls"))
    st.markdown(classes.tx("cure.walls.text", ds.name))
    panels.walls(ae, vae, ds, m_vae)

if ae is not None and vae is not None:
    # -- every defect in numbers, both columns, a verdict per row -----------------------------
    st.subheader(t("cure.h.table"))
    st.markdown(classes.tx("cure.table.text", ds.name))
    panels.table_view(m_ae, m_vae, ds.name)
    panels.diagnosis(m_vae)
    show_code(cure.measure, cure.compare)

    n_samples, side = panels.sections.counts(ds.name)  # the edition's 30 and 20, or 18 and 15
    a, b = (classes.name(ds.name, d) for d in panels.line_classes(ds.name))
    nums = {"n": n_samples, "g": side, "a": a, "b": b}  # what the texts may name
    part = kept_choice(t("cure.part.pick"), PARTS, "cure_part",
                       {k: t(f"cure.part.{k}", **nums) for k in PARTS})
    st.subheader(classes.tx(f"cure.h.{part}", ds.name, **nums))
    st.markdown(classes.tx(f"cure.{part}.text", ds.name, **nums))
    if part == "parts":
        panels.loss_parts(vae)
    else:
        panels.side_by_side(ae, vae, ds, {"cont": "profile"}.get(part, part))

# -- the slider: train a VAE here and see what the factor does ----------------------------------
if present.controls():  # not on a presenter's link with controls=0
    st.subheader(t("cure.h.live"))
    st.markdown(t("cure.live.text"))
    cure_live.section(ds)
