"""Entry point: `streamlit run dashboard.py`.

Builds the navigation (the pages in the article's order) and the shared sidebar, then runs
the chosen page. Widgets drawn here, before `pg.run()`, keep their values on every page.
"""

import streamlit as st

from ae.ui import frame, sidebar, tabs, training
from ae.ui.i18n import t

st.set_page_config(page_title="Autoencoder gallery", page_icon="🖼️", layout="wide")

PAGES = [
    ("pages/home.py", "nav.home", "🖼️", True),
    ("pages/architecture.py", "nav.architecture", "🧱", False),
    ("pages/training.py", "nav.training", "🏋️", False),
    ("pages/reconstructions.py", "nav.reconstructions", "🔁", False),
    ("pages/wall.py", "nav.wall", "🗺️", False),
    ("pages/generation.py", "nav.generation", "✨", False),
]

frame.mark()
try:
    frame.leave_legacy_mode()  # before any widget: see ae.ui.frame
    tabs.resume()  # a reloaded tab gets its run and models back: see ae.ui.tabs
    sidebar.init_from_url()  # the language first: the next line may name a model
    training.adopt_finished()  # a run that ended meanwhile: its model in play on every page
    sidebar.render()
    pg = st.navigation([st.Page(path, title=t(key), icon=icon, default=default)
                        for path, key, icon, default in PAGES])
    pg.run()
finally:
    tabs.park()
    frame.unmark()
