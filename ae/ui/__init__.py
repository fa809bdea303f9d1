"""The only Streamlit code under ae/: what several pages share.

The sidebar and the header, the texts (i18n), the URL state (url), the model in play (state,
models), server-wide resources and the cached results of the model in play (results), the
warm-up, and the few section modules a page would be unreadable without (wall_picker,
defect_panels). Pages import from here and from the `ae` core, which never imports Streamlit.
"""

from ae.ui.header import header
from ae.ui.i18n import t

__all__ = ["header", "t"]
