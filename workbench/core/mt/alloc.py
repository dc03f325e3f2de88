"""glibc allocator thresholds for CTranslate2's buffers (via ctypes; a no-op elsewhere).

Beam search allocates and frees large buffers over and over. With glibc's defaults, buffers above
the dynamic mmap threshold are mapped and unmapped each time and the heap top is trimmed back to
the kernel, so a run spends a large share of its time in the kernel (sys time). Fixed, high
thresholds keep those buffers in the heap for reuse. bench/mt_throughput.py measures both.
"""

from __future__ import annotations

import ctypes
import ctypes.util

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
# glibc caps M_MMAP_THRESHOLD at 32 MiB on 64-bit systems (larger values are refused).
MMAP_THRESHOLD = 32 * 1024 * 1024
TRIM_THRESHOLD = 256 * 1024 * 1024

_applied: bool | None = None


def tune_allocator() -> bool:
    """Raise glibc's mmap and trim thresholds once per process; True when they are in force."""
    global _applied
    if _applied is None:
        _applied = False
        name = ctypes.util.find_library("c")
        try:
            libc = ctypes.CDLL(name) if name else None
            mallopt = libc.mallopt if libc is not None else None
        except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
            mallopt = None
        if mallopt is not None:
            _applied = bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
                mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD))
    return _applied
