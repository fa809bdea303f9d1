"""The link students open: the teacher's own address with the class-wall page and the room.

A teacher often opens the dashboard as http://localhost:8501 on the classroom's computer; that
address means the student's own phone on the student's phone. So a local host is replaced by
this machine's address on the room's network, and an operator behind a proxy or a name of its
own sets AE_PUBLIC_URL, which wins over both.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit, urlunsplit

PAGE = "class_wall"  # the page's URL path (Streamlit's, from pages/class_wall.py)
PARAM = "room"
LOCAL = {"localhost", "127.0.0.1", "::1", "0.0.0.0", "::"}


@dataclass(frozen=True)
class Link:
    url: str
    local: bool  # True: only this computer can open it (no address on a network was found)
    swapped: bool  # True: the teacher's local host was replaced by the network address


def lan_address() -> str | None:
    """This machine's IPv4 address on its network (the interface of its default route), or
    None. A UDP socket's connect only picks a route; it sends nothing."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.254.254.254", 1))
            ip = s.getsockname()[0]
    except OSError:
        return None
    return None if ip.startswith("127.") or ip in LOCAL else ip


def room_link(code: str, base_url: str | None, *, port: int = 8501,
              lan: str | None = None, public_url: str | None = None) -> Link:
    """The link to room `code`'s student page. `base_url` is the app's address as the teacher's
    browser sees it (`st.context.url`; None outside a browser), `lan` this machine's network
    address, `public_url` the operator's AE_PUBLIC_URL (default: read from the environment)."""
    public_url = os.environ.get("AE_PUBLIC_URL") if public_url is None else public_url
    base = public_url or base_url or f"http://localhost:{port}/"
    parts = urlsplit(base if "://" in base else f"http://{base}")
    host, swapped = parts.hostname or "localhost", False
    if host in LOCAL and lan and not public_url:
        netloc = lan + (f":{parts.port}" if parts.port else "")
        parts, host, swapped = parts._replace(netloc=netloc), lan, True
    path = parts.path.rstrip("/") + "/" + PAGE
    url = urlunsplit((parts.scheme or "http", parts.netloc, path, urlencode({PARAM: code}), ""))
    return Link(url, host in LOCAL, swapped)
