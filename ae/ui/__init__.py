"""The only Streamlit code under ae/: session state, the shared sidebar, i18n, resources.

Pages import from here and from the plain `ae` library; nothing below `ae/ui` imports
Streamlit, so the library stays testable without it.
"""

from ae.ui.header import header
from ae.ui.i18n import t

__all__ = ["header", "t"]
