"""Training: the article's recipe (or yours) trained live. The loss falls, the wall forms and the
reconstructions sharpen while you watch; the result becomes the model every page looks at.
Widgets and the run's controls live in ae.ui.training, the live view in ae.ui.training_live,
the run itself in ae.session_job."""

import streamlit as st

from ae.ui import frame, header, t
from ae.ui import training as tr
from ae.ui import training_live as live

inplay, ds = header("training")
if tr.adopt_finished():  # a run that ended while this page was not drawn, or just now
    frame.rerun()
run = tr.current_run()

# -- the recipe: how fast, in which bites, how long, on how many images ---------------------------
st.subheader(t("training.settings.h"))
settings = tr.settings_form(ds, disabled=run is not None and run.active)
tr.controls(run, ds, settings)

# -- the run: loss, speed, the wall forming, a few repaintings (redrawn while it trains) ---------
st.subheader(t("training.live.h"))
live.live_section(run, inplay)
with st.expander(t("training.how.h")):
    st.markdown(t("training.how"))
live.show_code()

# -- keep the model, or bring one ---------------------------------------------------------------
st.subheader(t("training.ckpt.h"))
st.markdown(t("training.ckpt.intro"))
left, right = st.columns(2, gap="large")
with left:
    tr.download()
with right:
    tr.upload()
