"""Your own digit on the wall: draw it, upload it or photograph it; see it prepared like MNIST,
pinned among the test marks, repainted by D.Coder and read by the digit classifier; keep it on
the wall. The sections are in ae.ui.own_digit; the preparation in ae.data.digit_image, the
landing and the kept digits in ae.analysis.own_digit."""

import streamlit as st

from ae.analysis import own_digit as own
from ae.data import digit_image
from ae.ui import header, results, t
from ae.ui import own_digit as panels
from ae.ui.figures import show_code

inplay, ds = header("own_digit")
wall = results.wall_or_stop(inplay, ds)
panels.flash()

# -- 1. the digit: drawn, uploaded or photographed ----------------------------------------------
st.subheader(t("own.h.input"))
left, right = st.columns(2, gap="large")
with left:
    prepared = panels.source()
    digit = panels.said()

# -- 2. the same preparation as MNIST's digits, as pictures -------------------------------------
with right:
    st.markdown(f"**{t('own.h.steps')}**")
    st.markdown(t("own.steps.text"))
    if prepared is not None:
        panels.steps(prepared)
show_code(digit_image.prepare)

# -- 3. where N.Coder pins it, what D.Coder paints from there, what the classifier reads --------
if prepared is not None:
    st.subheader(t("own.h.land"))
    st.markdown(t("own.land.text", n=len(wall.xy)))
    landing = panels.land(inplay, wall, prepared)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        panels.wall_view(inplay, wall, landing, digit)
    with right:
        panels.readings(inplay, wall, landing, digit)
        panels.keep_button(prepared, digit)
    st.markdown(f"**{t('own.h.nearest')}**")
    st.caption(t("own.nearest.text"))
    panels.nearest(wall, landing, inplay.dataset)
    show_code(own.land)

# -- 4. the digits kept this session ------------------------------------------------------------
panels.mine(inplay, wall)
