"""Peak memory of one extractor's run, measured inside the benchmark process.

All extractors run in one process, so the number reported is the growth of
the resident set over a baseline taken just before that extractor starts:

1. `settle()`: `gc.collect()` then glibc `malloc_trim(0)`, so memory freed by
   the previous extractor goes back to the OS and is not reused for free by
   the next one (otherwise whoever runs second looks lighter);
2. the baseline is the RSS right after settling;
3. the peak is Linux's own high-water mark `VmHWM` from /proc/self/status,
   reset first by writing "5" to /proc/self/clear_refs (proc(5)); where that
   is not allowed, a thread samples RSS from /proc/self/statm every 2 ms;
4. reported: peak - baseline, in MiB.

`tracemalloc` (Python allocations only, not C libraries like lxml or lexbor)
slows a run several times, so it runs in a separate untimed pass on request.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_MIB = 1024 * 1024


def rss_bytes() -> int:
    """Current resident set size (0 where /proc is absent)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return 0


def hwm_bytes() -> int:
    """The process's RSS high-water mark (VmHWM), 0 where unknown."""
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def _reset_hwm() -> bool:
    """Reset VmHWM to the current RSS; False when the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def settle() -> None:
    """Collect garbage and hand freed heap back to the OS (glibc only)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class _Sampler(threading.Thread):
    def __init__(self, interval: float = 0.002) -> None:
        super().__init__(daemon=True)
        self.interval = interval
        self.peak = rss_bytes()
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.peak = max(self.peak, rss_bytes())
            time.sleep(self.interval)

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return max(self.peak, rss_bytes())


@dataclass(slots=True)
class MemoryResult:
    peak_mib: float
    baseline_mib: float
    method: str


class PeakMemory:
    """Context manager: RSS growth (peak - baseline) while the block runs."""

    def __init__(self) -> None:
        self.result = MemoryResult(0.0, 0.0, "none")
        self._baseline = 0
        self._sampler: _Sampler | None = None

    def __enter__(self) -> PeakMemory:
        settle()
        self._baseline = rss_bytes()
        if not _reset_hwm() or hwm_bytes() == 0:
            self._sampler = _Sampler()
            self._sampler.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._sampler is not None:
            peak, method = self._sampler.stop(), "rss-sampling-2ms"
        else:
            peak, method = hwm_bytes(), "VmHWM"
        self.result = MemoryResult(max(0, peak - self._baseline) / _MIB, self._baseline / _MIB,
                                   method)


def tracemalloc_peak(work: Callable[[], object]) -> float:
    """Peak of Python-level allocations (MiB) while `work()` runs."""
    settle()
    tracemalloc.start()
    try:
        work()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / _MIB
