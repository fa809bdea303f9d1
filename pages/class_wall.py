"""The class wall: the teacher opens a room and shows its link and QR code; the students open
it on their phones or laptops, draw a digit, say which one it is and send it; each digit
appears on the teacher's wall within seconds, a star among the test marks, coloured by the digit
said, repainted by D.Coder on a click. Without `?room=` this is the teacher's page, with it a
student's. The sections are in ae.ui.class_wall; the rooms (limits, expiry) in ae.rooms."""

import streamlit as st

from ae.rooms import wall as room_wall
from ae.ui import class_wall as cw
from ae.ui import frame, header, results, t, url
from ae.ui.figures import show_code

code = url.get(cw.PARAM)
if not cw.ready():  # a shared room file that cannot be used: said, and nothing else here
    st.stop()

# -- a student: draw, say, send ------------------------------------------------------------------
if code is not None:
    frame.ensure()
    st.title(t("cw.student.title"))
    st.markdown(t("cw.student.intro"))
    cw.student_view(code)
    st.stop()

# -- the teacher: open a room, show its link, watch the wall fill ---------------------------------
inplay, ds = header("class_wall")
wall = results.wall_or_stop(inplay, ds)
cw.notes()
if cw.room() is None:
    cw.open_section()
    st.stop()

st.subheader(t("cw.h.room", code=cw.room()[0]))
cw.invitation()
st.subheader(t("cw.h.wall"))
cw.live_wall(inplay, wall)
show_code(room_wall.place)
