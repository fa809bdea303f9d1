"""The class wall's rooms (no Streamlit): the server-wide store of rooms and their marks
(`store`: in memory; `sqlite_store`: one file shared by replicas; `stores.make_store` picks by
AE_ROOMS_DB), the link students open (`link`) and its QR code (`qr`)."""

from ae.rooms.link import Link, lan_address, room_link
from ae.rooms.qr import qr_png
from ae.rooms.sqlite_store import SqliteRoomStore, StoreError
from ae.rooms.store import Limits, Mark, Room, RoomError, RoomStore
from ae.rooms.stores import Store, make_store

__all__ = ["Limits", "Link", "Mark", "Room", "RoomError", "RoomStore", "SqliteRoomStore",
           "Store", "StoreError", "lan_address", "make_store", "qr_png", "room_link"]
