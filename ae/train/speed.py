"""Training speed on top of `ae.device`: the model and optimiser placed together in the
chosen memory format, and `ThreadTuner`, which picks the thread count by timing real steps."""

from __future__ import annotations

import statistics
import time

import torch


def place(model: torch.nn.Module, optimizer: torch.optim.Optimizer, device: torch.device,
          memory_format: torch.memory_format) -> None:
    """Move a model and its optimiser's state together: same device, same memory format.

    Fused Adam needs each state tensor laid out like its parameter; `model.to` swaps `.data`,
    so the optimiser keeps the same parameter objects.
    """
    model.to(device=device, memory_format=memory_format)
    fused = bool(optimizer.defaults.get("fused"))
    for state in optimizer.state.values():
        for k, v in state.items():
            if isinstance(v, torch.Tensor) and v.ndim == 4:
                state[k] = v.to(device, memory_format=memory_format)
            elif isinstance(v, torch.Tensor) and (v.ndim or fused):  # fused: `step` on device
                state[k] = v.to(device)


# -- how many threads --------------------------------------------------------------------------
class ThreadTuner:
    """Picks the torch thread count that trains fastest right now, by timing real steps.

    Why: with every core busy elsewhere (other users, a browser, the UI thread), OpenMP threads
    wait on each other at every layer; on the 2-core development machine under load two
    threads ran 10-20x slower than one, while on an idle machine two are faster. So: time a
    few steps with each candidate, keep the fastest, and look again later (less often while
    the answer stays the same). A candidate twice as slow as the best is dropped at once.
    """

    def __init__(self, max_threads: int, probe_steps: int = 3, every_s: float = 20.0,
                 max_every_s: float = 300.0):
        n = max(1, int(max_threads))
        self.candidates = sorted({n, max(1, n // 2), 1}, reverse=True)
        self.best, self.probe_steps = n, probe_steps
        self.every_s, self.max_every_s = every_s, max_every_s
        self._queue: list[int] = []  # candidates still to time in this round
        self._times: dict[int, list[float]] = {}
        self._next = 0.0  # time.monotonic() of the next round

    def threads(self) -> int:
        """The thread count for the next step."""
        if len(self.candidates) > 1 and not self._queue and time.monotonic() >= self._next:
            # round robin, the current best first: a slow candidate costs a single step
            order = [self.best] + [c for c in self.candidates if c != self.best]
            self._queue = order * self.probe_steps
            self._times = {c: [] for c in self.candidates}
        return self._queue[0] if self._queue else self.best

    def apply(self) -> None:
        """Set torch's thread count for the next step."""
        if self.threads() != torch.get_num_threads():
            torch.set_num_threads(self.threads())

    def record(self, seconds: float) -> None:
        """Report how long the step run with `threads()` took."""
        if not self._queue:
            return
        self._times[self._queue.pop(0)].append(seconds)
        timed = {k: statistics.median(v) for k, v in self._times.items() if v}
        fastest = min(timed.values())
        self._queue = [c for c in self._queue if timed.get(c, fastest) <= 2 * fastest]
        if not self._queue:
            best = min(timed, key=timed.__getitem__)
            # the same answer again: look less often; a change: look again soon
            self.every_s = (min(2 * self.every_s, self.max_every_s) if best == self.best
                            else self.every_s)
            self.best, self._next = best, time.monotonic() + self.every_s
