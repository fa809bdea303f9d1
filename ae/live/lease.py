"""A lease: someone's promise to keep watching, renewed while they do, lapsed when they stop.

Why: a browser tab that closes says nothing to the server. The training page renews its run's
lease from a timer (a `run_every` fragment) while the tab is open; the run checks the lease
between steps and stops itself once it has lapsed, so a closed tab does not keep training for
nobody, holding one of the server's few training slots.
"""

from __future__ import annotations

import time
from collections.abc import Callable


class Lease:
    """Lapses `ttl_s` seconds after the last `renew()` (or its creation)."""

    def __init__(self, ttl_s: float, clock: Callable[[], float] = time.monotonic):
        if not (isinstance(ttl_s, (int, float)) and ttl_s > 0):
            raise ValueError(f"a lease lasts a positive number of seconds, not {ttl_s!r}")
        self.ttl_s, self._clock = float(ttl_s), clock
        self._renewed = clock()

    def renew(self) -> None:
        """Someone still watches: the lease runs `ttl_s` from now."""
        self._renewed = self._clock()

    @property
    def remaining(self) -> float:
        """Seconds until the lease lapses (<= 0 once it has)."""
        return self.ttl_s - (self._clock() - self._renewed)

    @property
    def expired(self) -> bool:
        return self.remaining <= 0
