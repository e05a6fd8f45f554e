"""Advisory locks on output directories: one ruralsim process at a time writes into a directory.

The lock of an output directory ``DIR`` is the file ``.DIR.lock`` beside it, in its parent (so a
directory that does not exist yet, or that is replaced whole when finished results are moved into
place, can be locked all the same). It records its owner as JSON: process id, host, boot id, the
process's start, the command and its arguments, and the time the lock was taken.

Taking a lock creates the file exclusively (``O_CREAT | O_EXCL``, atomic on local filesystems and
on NFS version 3 or later), so of two processes only one can hold it. The holder also keeps an
``flock`` on the file while it runs, which the kernel drops however the process ends (even
``kill -9``), and refreshes the file's modification time every :data:`HEARTBEAT_S` seconds. A
lock file whose owner has gone is *stale*:

- owner on this host (same boot): its ``flock`` is free, or (where the filesystem has no locks)
  its process no longer runs; recovered at once;
- owner on another host: its ``flock`` is free and its last heartbeat is more than
  :data:`STALE_AFTER_S` seconds old (an NFS server releases the locks of a host that died after
  its lease, and without working NFS locks the heartbeat alone decides); recovered then;
- owner on this host before a restart (another boot id): recovered at once.

A stale lock is removed only by a process holding the ``flock`` of that very file (checked by
inode before it is unlinked), so two processes recovering it at the same moment cannot both win;
the recovery is reported with the old owner. A held lock raises :class:`LockHeld` naming its
owner. Releasing the lock removes the file.

What is guaranteed: on a local filesystem, mutual exclusion and immediate recovery of the locks of
dead processes. On a shared NFS filesystem (v3 or later), mutual exclusion between hosts; a dead
process's lock is recovered at once on its own host and :data:`STALE_AFTER_S` after its last
heartbeat from other hosts (compared with this host's clock: keep the hosts' clocks in step, as
NTP does). Where the filesystem offers no ``flock`` at all (NFS mounted with ``nolock`` treats
locks as local to each host; some FUSE filesystems refuse them), exclusion still holds, but two
processes that recover the same stale lock in the same instant could both proceed.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # not on POSIX: exclusion by O_EXCL and the owner's process alone
    fcntl = None  # type: ignore[assignment]

#: Seconds between two refreshes of the lock file's modification time by its holder.
HEARTBEAT_S = 30.0
#: Seconds after its last heartbeat that the lock of a process on another host counts as stale.
STALE_AFTER_S = 600.0
#: Seconds a lock file may stay empty (its creator writes the owner right after creating it).
EMPTY_GRACE_S = 10.0
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL, errno.ENOSYS}
_HOST = socket.gethostname()


class LockError(RuntimeError):
    """An output directory that cannot be locked (the message says which and why)."""


class LockHeld(LockError):
    """The output directory is locked by another live process.

    Attributes:
        owner: What the lock file says of its owner (None when it could not be read).
        path: The lock file.
    """

    def __init__(self, message: str, owner: dict[str, Any] | None, path: Path):
        super().__init__(message)
        self.owner = owner
        self.path = path


def lock_path(directory: str | Path) -> Path:
    """The lock file of ``directory``: ``.NAME.lock`` beside it (symbolic links followed)."""
    directory = Path(directory).resolve()
    if not directory.name:
        raise LockError(f"{directory} cannot receive results (it is the root of the filesystem); give a new or "
                        "empty directory such as runs/my_run")
    return directory.with_name(f".{directory.name}.lock")


class OutputLock:
    """The lock of one output directory, held from :meth:`acquire` to :meth:`release` (or as a
    context manager).

    Args:
        directory: The output directory (it need not exist).
        command: What holds it, for the messages of others (``"ruralsim experiment"``).
        on_recover: Called with a sentence when a stale lock of a dead process is taken over.
    """

    def __init__(self, directory: str | Path, command: str, on_recover: Callable[[str], None] | None = None):
        self.directory = Path(directory)
        self.path = lock_path(directory)
        self.command = command
        self.on_recover = on_recover
        self.recovered: list[dict[str, Any] | None] = []
        self._fd: int | None = None
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    @property
    def held(self) -> bool:
        return self._fd is not None

    # -- taking and releasing ----------------------------------------------------------------------

    def acquire(self) -> None:
        """Take the lock, or raise :class:`LockHeld` (another live owner) or :class:`LockError`
        (the directory's parent cannot be created or written)."""
        if self._fd is not None:
            raise LockError(f"{self.directory} is already locked by this lock")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            blocker = next((p for p in self.path.parents if p.exists()), None)
            if blocker is not None and not blocker.is_dir():
                raise LockError(f"{blocker} is not a directory") from None
            raise LockError(f"cannot create {self.path.parent}: {exc.strerror or exc}") from None
        for _ in range(50):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o644)
            except FileExistsError:
                self._examine()  # raises LockHeld, or removed a stale lock (or it vanished): try again
                continue
            except OSError as exc:
                raise LockError(f"cannot write into {self.path.parent}: {exc.strerror or exc}") from None
            if not _flock_soon(fd):  # another process looked at the new file and did not let go
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
                os.close(fd)
                raise LockError(f"could not take the lock {self.path}: another process holds it open")
            try:
                os.write(fd, json.dumps(_owner(self.command, self.directory)).encode("utf-8"))
                os.fsync(fd)
            except OSError as exc:
                with contextlib.suppress(OSError):
                    os.unlink(self.path)
                os.close(fd)
                raise LockError(f"cannot write {self.path}: {exc.strerror or exc}") from None
            self._fd = fd
            self._stop.clear()
            self._heartbeat = threading.Thread(target=self._beat, name=f"lock heartbeat {self.path.name}",
                                               daemon=True)
            self._heartbeat.start()
            return
        raise LockError(f"could not take the lock {self.path}: it kept changing hands; try again")

    def release(self) -> None:
        """Remove the lock file (if it is still this lock's) and drop the lock."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        self._stop.set()
        if self._heartbeat is not None and self._heartbeat is not threading.current_thread():
            self._heartbeat.join(timeout=5)
        try:
            st, cur = os.fstat(fd), os.stat(self.path)
            if (st.st_dev, st.st_ino) == (cur.st_dev, cur.st_ino):
                os.unlink(self.path)  # while the flock is held: nobody can be recovering it
        except OSError:
            pass
        os.close(fd)

    def _beat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            fd = self._fd
            if fd is None:
                return
            with contextlib.suppress(OSError):
                os.utime(fd)

    # -- a lock file that exists -----------------------------------------------------------------

    def _examine(self) -> None:
        """Raise :class:`LockHeld` when the existing lock file has a live owner; otherwise remove
        it (reporting the recovery) so that the caller can try again."""
        try:
            removed, owner = _remove_if_stale(self.path)
        except _Held as held:
            raise LockHeld(held_message(self.directory, self.path, held.owner, held.heartbeat), held.owner,
                           self.path) from None
        except OSError as exc:
            raise LockError(f"cannot open the lock file {self.path}: {exc.strerror or exc}") from None
        if removed:
            self.recovered.append(owner)
            if self.on_recover is not None:
                self.on_recover(recovered_message(self.directory, owner))


class _Held(Exception):
    def __init__(self, owner: dict[str, Any] | None, heartbeat: float):
        self.owner, self.heartbeat = owner, heartbeat


def _remove_if_stale(path: Path) -> tuple[bool, dict[str, Any] | None]:
    """Remove the lock file ``path`` when its owner has gone: ``(True, owner)``; ``(False, None)``
    when it vanished or changed meanwhile (look again). Raises :class:`_Held` for a live owner."""
    try:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return False, None
    try:
        flocked = _try_flock(fd)
        st = os.fstat(fd)
        owner = _read_owner(fd)
        if owner is None and flocked is False:
            time.sleep(0.2)  # its creator is writing the owner
            owner = _read_owner(fd)
        if flocked is False and owner is not None and owner.get("host") == _HOST and \
                not process_alive(owner["pid"], owner.get("process_start")):
            time.sleep(0.05)  # another process is taking over this dead owner's lock: look again
            return False, None
        if flocked is False or not _stale(owner, flocked, st):
            raise _Held(owner, st.st_mtime)
        try:
            cur = os.stat(path)
        except FileNotFoundError:
            return False, None
        if (cur.st_dev, cur.st_ino) != (st.st_dev, st.st_ino):
            return False, None  # replaced meanwhile
        os.unlink(path)  # holding its flock: nobody else can be removing or taking it
        return True, owner
    finally:
        os.close(fd)


def remove_stale_locks(parent: Path) -> list[Path]:
    """Remove the lock files in ``parent`` whose owners have gone (see the module docstring)."""
    removed = []
    with contextlib.suppress(OSError):
        for path in Path(parent).glob(".*.lock"):
            with contextlib.suppress(_Held, OSError):
                if _remove_if_stale(path)[0]:
                    removed.append(path)
    return removed


# --------------------------------------------------------------------------------------------
# Owners and messages
# --------------------------------------------------------------------------------------------


def _owner(command: str, directory: Path) -> dict[str, Any]:
    return {"pid": os.getpid(), "host": _HOST, "boot_id": _boot_id(), "process_start": _process_start(os.getpid()),
            "command": command, "argv": [a[:200] for a in sys.argv[:40]], "directory": str(directory),
            "started": datetime.now(UTC).isoformat(timespec="seconds")}


def _read_owner(fd: int) -> dict[str, Any] | None:
    try:
        data = json.loads(os.pread(fd, 65536, 0).decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("pid"), int) else None


def _try_flock(fd: int) -> bool | None:
    """True when this call took the file's flock, False when another holds it, None when the
    filesystem (or platform) has no such locks."""
    if fcntl is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        if exc.errno in _NO_LOCKS:
            return None
        raise
    return True


def _flock_soon(fd: int, seconds: float = 5.0) -> bool:
    """Take the flock of a file this process just created: a process examining it (it found the
    file, before the owner was written) lets go within a moment."""
    deadline = time.monotonic() + seconds
    while (took := _try_flock(fd)) is False and time.monotonic() < deadline:
        time.sleep(0.01)
    return took is not False


def _stale(owner: dict[str, Any] | None, flocked: bool | None, st: os.stat_result) -> bool:
    """Whether a lock file whose flock is free (``flocked``; None: no locks here) has lost its owner."""
    age = time.time() - st.st_mtime
    if owner is None:  # never written (its creator died at once), or unreadable
        return age > EMPTY_GRACE_S
    if owner.get("host") == _HOST:
        if owner.get("boot_id") != _boot_id():
            return True  # this machine restarted since
        if flocked:
            return True  # the kernel released the owner's flock: the owner ended
        return not process_alive(owner["pid"], owner.get("process_start"))
    return age > STALE_AFTER_S


def process_alive(pid: int, start: Any = None) -> bool:
    """Whether process ``pid`` of this host runs (and, when ``start`` is known, is the same
    process, not a later one given the same id)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it exists, under another user
    except (OSError, OverflowError, ValueError):
        return False
    return start is None or _process_start(pid) in (None, start)


def _process_start(pid: int) -> int | None:
    """Start of a process in clock ticks since boot (Linux), None where unknown."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            text = fh.read().decode("ascii", "replace")
        return int(text.rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def _boot_id() -> str | None:
    try:
        with open("/proc/sys/kernel/random/boot_id", encoding="ascii") as fh:
            return fh.read().strip()
    except OSError:
        return None


def owner_text(owner: dict[str, Any] | None) -> str:
    """``ruralsim experiment (pid 1234 on host h, started 2026-12-06 10:00:00 UTC)``."""
    if owner is None:
        return "a process that has not recorded itself"
    started = str(owner.get("started", "?")).replace("T", " ").replace("+00:00", " UTC")
    return f"{owner.get('command', 'ruralsim')} (pid {owner.get('pid')} on host {owner.get('host')}, started {started})"


def held_message(directory: Path, path: Path, owner: dict[str, Any] | None, heartbeat: float) -> str:
    """Why ``directory`` cannot be used now, and what to do."""
    ago = max(time.time() - heartbeat, 0.0)
    other_host = owner is not None and owner.get("host") != _HOST
    gone = (f"if that process is gone, its lock is taken over {STALE_AFTER_S / 60:.0f} min after its last sign of "
            f"life ({ago / 60:.0f} min ago), or delete {path} once you are sure" if other_host else
            f"if you are sure no such process runs, delete {path}")
    return (f"{directory} is in use by another ruralsim process: {owner_text(owner)}. Wait until it finishes or "
            f"choose another output directory; {gone}")


def recovered_message(directory: Path, owner: dict[str, Any] | None) -> str:
    return (f"Took over the lock of {directory} from {owner_text(owner)}, which ended without releasing it.")
