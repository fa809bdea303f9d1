"""Where and how fast training runs: device, precision, threads, and one faster kernel.

Why a module of its own: these choices decide most of the training speed, and a teacher
should be able to see them ("bf16 on a CPU with AVX-512 BF16"). The rules, measured
(DESIGN.md "Training fast on a CPU" and `python -m ae bench`): a CUDA GPU, then Apple's MPS,
then the CPU; on the CPU, bf16 autocast only where the hardware computes bf16 natively (Intel
AMX, AVX-512 BF16 on Intel and AMD Zen 4); elsewhere bf16 is emulated and slower, so fp32.
`ThreadTuner` picks the thread count by timing steps; `conv_transpose2d_subpixel` replaces
oneDNN's slow strided deconvolution. Nothing here runs at import time.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from dataclasses import dataclass
from functools import lru_cache

import torch
import torch.nn.functional as F

# /proc/cpuinfo flags of the x86 extensions that compute bf16 dot products in hardware
NATIVE_BF16_FLAGS = ("amx_bf16", "avx512_bf16")
# values torch.backends.cpu.get_cpu_capability() may report for such CPUs (newer builds)
NATIVE_BF16_CAPABILITIES = ("AVX512_BF16", "AMX")


@lru_cache(maxsize=1)
def cpu_flags() -> frozenset[str]:
    """The CPU feature flags from /proc/cpuinfo (Linux); empty where there is no such file."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(("flags", "Features")):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def cpu_bf16() -> str | None:
    """The native bf16 feature of this CPU ("amx_bf16", "avx512_bf16", ...), or None."""
    cap = _cpu_capability()
    if cap in NATIVE_BF16_CAPABILITIES:
        return cap
    flags = cpu_flags()
    for flag in NATIVE_BF16_FLAGS:
        if flag in flags:
            return flag
    return None


def cpu_name() -> str:
    """The CPU's model name ("AMD EPYC ...") where /proc/cpuinfo says it, else the platform's."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _cpu_capability() -> str:
    try:
        return str(torch.backends.cpu.get_cpu_capability())
    except Exception:  # old builds without the query: fall back to /proc/cpuinfo
        return ""


def _mkldnn_bf16() -> bool:
    """oneDNN must be able to run bf16 at all (it says True for emulated bf16 too)."""
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except Exception:
        return torch.backends.mkldnn.is_available()


def pick_device(device: str | torch.device = "auto") -> torch.device:
    """"auto" -> cuda, else mps, else cpu; anything else is taken as the caller's choice."""
    if str(device) != "auto":
        return torch.device(device)
    if torch.cuda.is_available():
        return torch.device("cuda")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def pick_precision(device: torch.device, precision: str = "auto") -> str:
    """"bf16" or "fp32". "auto" picks bf16 only where the hardware makes it faster."""
    if precision not in ("auto", "bf16", "fp32"):
        raise ValueError(f'precision must be "auto", "bf16" or "fp32", not {precision!r}')
    if precision != "auto":
        return precision
    if device.type == "cuda":
        return "bf16" if torch.cuda.is_bf16_supported() else "fp32"
    if device.type == "cpu":
        return "bf16" if cpu_bf16() and _mkldnn_bf16() else "fp32"
    return "fp32"  # MPS: bf16 autocast is partial there; fp32 is the safe, fast-enough choice


@dataclass(frozen=True)
class Accel:
    """The device and precision a training run uses, and why, for logs and the UI."""

    device: torch.device
    precision: str  # "bf16" | "fp32"
    channels_last: bool
    reason: str

    @property
    def amp_dtype(self) -> torch.dtype | None:
        return torch.bfloat16 if self.precision == "bf16" else None


def detect(device: str | torch.device = "auto", precision: str = "auto") -> Accel:
    """Decide device and precision; `reason` says what was found, in one line."""
    dev = pick_device(device)
    prec = pick_precision(dev, precision)
    # channels_last lets oneDNN / cuDNN pick their fast NHWC kernels; MPS gains nothing from it
    channels_last = dev.type in ("cpu", "cuda")
    if dev.type == "cpu":
        native = cpu_bf16()
        hw = f"native bf16 ({native})" if native else "no native bf16"
        reason = (f"CPU {cpu_name()}, {os.cpu_count()} logical cores, capability "
                  f"{_cpu_capability() or 'unknown'}, {hw}")
    elif dev.type == "cuda":
        reason = f"CUDA {torch.cuda.get_device_name(dev)}"
    else:
        reason = f"{dev.type} device"
    chosen = "bf16 autocast" if prec == "bf16" else "fp32"
    why = " (asked for)" if precision != "auto" else ""
    return Accel(dev, prec, channels_last, f"{reason} -> {chosen}{why}")


def describe() -> str:
    """One line for `bench` and the UI: what `detect()` chose on this machine."""
    return detect().reason


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


# -- a faster strided transposed convolution ---------------------------------------------------
def _phase_taps(k: int, s: int, c0: int) -> tuple[list[list[int]], int, int]:
    """For one axis: which kernel tap each output phase r uses at each window offset j.

    out[s*q + r] = sum_j xpad[q + j] * w[taps[r][j]] (tap k = a zero), with xpad = x padded by
    `before` on the left and `after` on the right. c0 = pixels cropped off the start.
    """
    ds = [d for r in range(s) for d in range(-k - c0, k + 1) if 0 <= s * d + r + c0 < k]
    lo, hi = min(ds), max(ds)
    taps = [[s * (hi - j) + r + c0 if 0 <= s * (hi - j) + r + c0 < k else k
             for j in range(hi - lo + 1)] for r in range(s)]
    return taps, hi, -lo


def conv_transpose2d_subpixel(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None,
                              stride: int, crop: tuple[int, int]) -> torch.Tensor:
    """A transposed conv with output exactly (H*s, W*s), starting `crop` pixels into the full
    output, computed as one stride-1 conv plus a pixel shuffle ("sub-pixel convolution").

    Why: oneDNN's strided deconvolution is several times slower than a plain conv of the same
    size on CPUs, and slower still in bf16; the same sums as a stride-1 conv run on its fast
    kernels. Equals conv_transpose2d(x, weight, bias, stride)[..., crop:, crop:] cut to
    (H*s, W*s), extended by the bias alone where the full output is shorter (k < s).
    """
    s = stride
    (th, bh, ah), (tw, bw, aw) = (_phase_taps(weight.shape[2 + i], s, crop[i]) for i in range(2))
    cin, cout = weight.shape[:2]
    ih = torch.tensor(th, device=weight.device).flatten()  # (s*Th,) taps, phase-major
    iw = torch.tensor(tw, device=weight.device).flatten()
    w = F.pad(weight, (0, 1, 0, 1))  # tap index k (the last) is a zero
    k = w.index_select(2, ih).index_select(3, iw)  # (Cin, Cout, s*Th, s*Tw)
    n_th, n_tw = len(th[0]), len(tw[0])
    # -> (s_h, s_w, Cout, Cin, Th, Tw): output channels ordered phase-major, channel-minor,
    # so the shuffle below moves whole channel vectors in channels_last memory
    k = k.view(cin, cout, s, n_th, s, n_tw).permute(2, 4, 1, 0, 3, 5)
    k = k.reshape(s * s * cout, cin, n_th, n_tw)
    b = None if bias is None else bias.repeat(s * s)
    y = F.conv2d(F.pad(x, (bw, aw, bh, ah)), k, b)  # (B, s*s*Cout, H, W)
    n, _, h, wd = y.shape
    z = y.permute(0, 2, 3, 1).reshape(n, h, wd, s, s, cout)  # NHWC view when channels_last
    z = z.permute(0, 1, 3, 2, 4, 5).reshape(n, h * s, wd * s, cout)  # (B, H*s, W*s, Cout)
    return z.permute(0, 3, 1, 2)  # (B, Cout, H*s, W*s), channels_last memory
