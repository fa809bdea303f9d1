"""Which room store a server uses: in memory (one process, no set-up) or a shared SQLite file.

`AE_ROOMS_DB=<path>` makes every replica that is given the same path share its rooms (a
student's tab may land on another replica than the teacher's); unset, the rooms live in the
process, as a single `streamlit run` needs.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from ae.rooms.sqlite_store import SqliteRoomStore
from ae.rooms.store import Limits, RoomStore

ENV = "AE_ROOMS_DB"
Store = RoomStore | SqliteRoomStore


def make_store(limits: Limits | None = None, env: Mapping[str, str] | None = None) -> Store:
    """The store `env` (default: the environment) asks for, with `limits` (default: from the
    environment). A file that cannot be used raises `StoreError` now, with the path and why,
    rather than at the first student's digit."""
    env = os.environ if env is None else env
    limits = Limits.from_env() if limits is None else limits
    path = (env.get(ENV) or "").strip()
    return SqliteRoomStore(path, limits) if path else RoomStore(limits)
