"""Give memory that Python has freed back to the operating system (glibc's `malloc_trim`).

Why: glibc keeps most freed heap for the process (the training threads' arenas above all), so
after a class leaves and its models and runs are let go, a server's RSS would hardly fall, and
an operator could not tell freed memory from a leak. This is C library API, not Streamlit's;
it does nothing where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import gc


def give_back_freed_memory() -> None:
    """Collect garbage, then return the free heap pages to the operating system."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory stays free for Python to reuse
        pass
