"""Worker processes that end with the process that started them, however it ends.

A pool's workers wait on a queue whose ends they hold themselves, so when the parent is killed
(``kill -9``, out of memory) nothing tells them: they and the forkserver they came from would
live on, each holding its share of memory. A :class:`Lifeline` is a pipe whose writing end only
the parent holds; each worker watches the reading end (:func:`watch`) and exits as soon as it
closes, which the kernel does when the parent ends. Workers also never see Ctrl-C
(:func:`interrupts_blocked` around their start): the terminal sends it to the whole process
group, and only the parent decides what happens (it stops the pool).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

#: Exit status of a worker whose parent ended.
ORPHAN_EXIT = 3


class Lifeline:
    """A pipe from the parent to its workers; pass :attr:`reader` to each worker's initializer.

    Args:
        context: The multiprocessing context the workers are started with.
    """

    def __init__(self, context: Any):
        self.reader, self._writer = context.Pipe(duplex=False)

    def close(self) -> None:
        """Close both ends here: workers still watching exit (call it once the pool is shut down)."""
        for end in (self.reader, self._writer):
            with contextlib.suppress(OSError):
                end.close()


def watch(reader: Any) -> None:
    """In a worker: exit at once when the parent's end of the lifeline closes."""
    def wait() -> None:
        try:
            reader.recv_bytes()  # the parent never writes: this returns only when its end closes
        except (EOFError, OSError):
            pass
        os._exit(ORPHAN_EXIT)

    threading.Thread(target=wait, name="ruralsim parent watch", daemon=True).start()


@contextlib.contextmanager
def interrupts_blocked() -> Iterator[None]:
    """Hold back SIGINT in this thread while worker processes (and a forkserver) are started:
    they inherit the blocked signal, so a Ctrl-C meant for the parent cannot interrupt them while
    they start up (the parent receives it as soon as the block ends)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
