"""The class wall's rooms (no Streamlit): the server-wide store of rooms and their marks
(`store`), the link students open (`link`) and its QR code (`qr`)."""

from ae.rooms.link import Link, lan_address, room_link
from ae.rooms.qr import qr_png
from ae.rooms.store import Limits, Mark, Room, RoomError, RoomStore

__all__ = ["Limits", "Link", "Mark", "Room", "RoomError", "RoomStore", "lan_address",
           "qr_png", "room_link"]
