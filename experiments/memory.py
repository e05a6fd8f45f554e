"""Whether a province fits in this machine's memory, checked before it is built.

A run needs at least :data:`BYTES_PER_HOUSEHOLD` bytes per simulated household on top of
:data:`BASE_BYTES` for the interpreter and libraries: the smallest ratio measured (the whole-country
run, 30,000,000 households in 5.6 GB peak; ``benchmarks/HISTORY.md``), smaller provinces and more
threads need more per household. A size whose floor exceeds the memory available now cannot run
(the operating system would kill the process part way); a size below it may still need more.
"""

from __future__ import annotations

import os

#: Memory of the interpreter, NumPy, numba and the compiled kernels before any household.
BASE_BYTES = 400e6
#: Fewest bytes per household measured at the peak of a run (household state is 129 of them).
BYTES_PER_HOUSEHOLD = 180


def needed_bytes(households: int) -> float:
    """The least memory a run of ``households`` households needs."""
    return BASE_BYTES + BYTES_PER_HOUSEHOLD * households


def available_bytes() -> float | None:
    """Memory available to a new process now (Linux ``MemAvailable``; physical memory elsewhere),
    None when unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return float(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return float(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return None


def too_large(households: int, what: str) -> str | None:
    """A sentence when ``households`` households certainly do not fit in the memory available."""
    available = available_bytes()
    needed = needed_bytes(households)
    if available is None or needed <= available:
        return None
    return (f"{what} of {households:,} households needs at least {needed / 1e9:.1f} GB of memory, and "
            f"{available / 1e9:.1f} GB are available on this machine now")
