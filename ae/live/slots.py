"""The server-wide cap on runs that train at once, and the threads each run gets.

Why: training uses every core it is given, so a server runs at most `slots.max` runs at once
(default: half the logical cores, or $AE_MAX_TRAINING_JOBS); later runs wait for a slot.
"""

from __future__ import annotations

import os
import re
import threading

import torch

MAX_JOBS_ENV = "AE_MAX_TRAINING_JOBS"  # a server's operator sets the cap here


def default_max_jobs(env: str | None = None, cpu_count: int | None = None) -> int:
    """$AE_MAX_TRAINING_JOBS when it is a whole number >= 1, else half the logical cores.

    Why half: a training run uses its cores fully, and the web server (every student's page
    reruns) needs the rest; more runs at once only make each one slower."""
    raw = (os.environ.get(MAX_JOBS_ENV) if env is None else env) or ""
    if re.fullmatch(r"[0-9]{1,6}", raw.strip()) and int(raw) >= 1:  # not "²", which isdigit()
        return int(raw)
    return max(1, (cpu_count or os.cpu_count() or 2) // 2)


def train_threads(cpu_count: int | None, max_jobs: int) -> int:
    """Threads for one run on a server: the cores shared among the runs that may train at
    once, less one core left to the web server (the pages and the live view).

    Why not every core: PyTorch's OpenMP threads wait for each other at every operation, so
    a thread that loses its core to other work stalls all of them."""
    return max(1, ((cpu_count or 1) - 1) // max(1, max_jobs))


def share_cores(trainer, max_jobs: int) -> None:
    """Cap a trainer's threads at its share of the cores when several runs may train at once,
    instead of oversubscribing them (a cap set by the caller stays)."""
    if max_jobs > 1 and trainer.thread_cap is None:
        trainer.thread_cap = max(1, torch.get_num_threads() // max_jobs)
        if isinstance(trainer.threads, int):
            trainer.threads = min(trainer.threads, trainer.thread_cap)


class Slots:
    """A counting semaphore whose size can change; waiters share its condition variable."""

    def __init__(self, max_jobs: int | None = None):
        self._max = max_jobs
        self.cv = threading.Condition()
        self.used = 0

    @property
    def max(self) -> int:
        return self._max or default_max_jobs()

    @max.setter
    def max(self, n: int | None) -> None:
        with self.cv:
            self._max = n
            self.cv.notify_all()

    def try_acquire(self) -> bool:
        """Take a slot if one is free. Call with `cv` held."""
        if self.used < self.max:
            self.used += 1
            return True
        return False

    def release(self) -> None:
        """Give a slot back. Call with `cv` held."""
        self.used = max(0, self.used - 1)
        self.cv.notify_all()


slots = Slots()  # the server's cap; change it with `ae.live.slots.slots.max = n`
