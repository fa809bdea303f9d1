"""A lease: something stays wanted only while someone keeps renewing it.

A browser tab renews its run's lease from a timer; when the tab is closed the renewals stop,
the lease expires, and whoever holds the lease (the run, the server's store of tabs) can let
go of the work without any signal from the browser.
"""

from __future__ import annotations

import threading
import time


class Lease:
    """Fresh for `ttl_s` seconds after it was made or last renewed. Thread-safe."""

    def __init__(self, ttl_s: float):
        self.ttl_s = ttl_s
        self._lock = threading.Lock()
        self._renewed = time.monotonic()

    def renew(self) -> None:
        with self._lock:
            self._renewed = time.monotonic()

    @property
    def expired(self) -> bool:
        with self._lock:
            return time.monotonic() - self._renewed >= self.ttl_s
