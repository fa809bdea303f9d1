"""Where training and encoding run, and in which precision: the device, bf16 or fp32, and why.

A CUDA GPU, then Apple's MPS, then the CPU; on the CPU, bf16 autocast only where the hardware
computes bf16 natively (Intel AMX, AVX-512 BF16 on Intel and AMD Zen 4); elsewhere bf16 is
emulated and slower, so fp32 (`python -m ae bench` measures it). `detect()` gives the choice
with a one-line reason a teacher can read. Nothing here runs at import time.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from functools import lru_cache

import torch

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
