"""Entry point: `streamlit run dashboard.py`.

Builds the navigation (the pages in the article's order) and the shared sidebar, then runs
the chosen page. Widgets drawn here, after `st.navigation` and before `pg.run()`, keep their
values on every page. Nothing before `st.navigation` draws: on a fresh server the first run
still starts in Streamlit's pages-folder mode (see ae.ui.frame), where a widget drawn before
`st.navigation` is drawn under another page id than in every later run.
"""

import streamlit as st

from ae.ui import frame, present, resources, sidebar, tabs, training, warmup
from ae.ui.i18n import t

st.set_page_config(page_title="Autoencoder gallery", page_icon="🖼️", layout="wide",
                   initial_sidebar_state=present.sidebar_state())

PAGES = [
    ("pages/home.py", "nav.home", "🖼️", True),
    ("pages/lesson.py", "nav.lesson", "🎓", False),
    ("pages/architecture.py", "nav.architecture", "🧱", False),
    ("pages/training.py", "nav.training", "🏋️", False),
    ("pages/reconstructions.py", "nav.reconstructions", "🔁", False),
    ("pages/wall.py", "nav.wall", "🗺️", False),
    ("pages/own_digit.py", "nav.own", "✍️", False),
    ("pages/class_wall.py", "nav.class_wall", "👩‍🏫", False),
    ("pages/generation.py", "nav.generation", "✨", False),
    ("pages/cure.py", "nav.cure", "💊", False),
]

frame.mark()
try:
    tabs.resume()  # a reloaded tab gets its run and models back: see ae.ui.tabs
    sidebar.init_from_url()  # the language first: the navigation's titles are in it
    present.init_from_url()  # ?present=1 (the presenter view), ?controls=0 (nothing to edit)
    training.adopt_finished()  # a run that ended meanwhile: its model in play on every page
    pg = st.navigation([st.Page(path, title=t(key), icon=icon, default=default)
                        for path, key, icon, default in PAGES])
    present.to_lesson(pg.url_path)  # a ?lesson=ae link opens the guided lesson
    present.style()
    sidebar.render()
    present.keep_in_url()
    tabs.keep_alive()  # the tab's lease, renewed every few seconds while it is open
    pg.run()
    # once per server, after the first page has drawn: the shipped models' walls, in the background
    warmup.start(resources.dataset("mnist"))
finally:
    tabs.park()
    frame.unmark()
