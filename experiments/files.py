"""Writing results so that a reader never sees them half-written, and the JSON they are written as.

Every command that writes results goes through here: one file (:func:`atomic_write`), a whole
output directory (:func:`write_directory`), or a set of result files beside something that stays,
such as a resumable store (:func:`publish_files`). Each writes into a temporary place first and
renames it into place only when it is complete; the temporary place is removed on any failure.
Temporary places are named ``.NAME.tmp-HOST-PID``: one that a hard kill left behind is removed by
the next :func:`write_directory` into the same parent once its process is gone
(:func:`remove_leftovers`).

An existing directory is replaced only when it is empty or holds an earlier ruralsim output
(:func:`is_ruralsim_output`), and :func:`check_writable` finds an output directory that cannot be
written before any work is done.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
_HOST = socket.gethostname()
_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>tmp|old)-(?P<host>.+)-(?P<pid>\d+)$")


def _temporary(path: Path, kind: str = "tmp") -> Path:
    """``.NAME.tmp-HOST-PID`` beside ``path``: whose it is can be told after a hard kill."""
    return path.with_name(f".{path.name}.{kind}-{_HOST}-{os.getpid()}")


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it."""
    path = Path(path)
    tmp = _temporary(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_json(path: Path, data: Any) -> None:
    """``data`` as indented JSON (numpy scalars, paths, sets and tuples allowed), atomically."""
    atomic_write(path, (json.dumps(data, indent=2, default=json_default) + "\n").encode("utf-8"))


def write_directory(out: Path, write: Callable[[Path], Any], replace: bool = False) -> Any:
    """Call ``write(tmp)`` on a temporary sibling directory, then rename it to ``out``.

    ``out`` must not exist or be empty, unless ``replace``: then its old content (an earlier
    ruralsim output, :func:`is_ruralsim_output`) is swapped out and removed once the new one is in
    place (and put back if the rename fails). Returns what ``write`` returned.

    Raises:
        FileExistsError: ``replace`` of a directory that holds something other than ruralsim output.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if replace and out.is_dir() and any(out.iterdir()) and not is_ruralsim_output(out):
        raise FileExistsError(f"{out} holds files that are not an earlier ruralsim output (no ruralsim "
                              f"{MANIFEST}); it is not replaced")
    remove_leftovers(out.parent)
    tmp = _temporary(out)
    old = _temporary(out, "old")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        tmp.mkdir()
        written = write(tmp)
        if out.exists():
            if replace:
                out.rename(old)
            else:
                out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old.exists() and not out.exists():
            old.rename(out)
        raise
    shutil.rmtree(old, ignore_errors=True)
    return written


def publish_files(directory: Path, write: Callable[[Path], Any]) -> list[Path]:
    """Call ``write(tmp)`` on a temporary directory inside ``directory``, then move every file it
    wrote into ``directory`` (what else ``directory`` holds, such as a store, stays)."""
    directory = Path(directory)
    remove_leftovers(directory)
    tmp = _temporary(directory / "results")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        write(tmp)
        moved = []
        for path in sorted(tmp.iterdir()):
            target = directory / path.name
            os.replace(path, target)
            moved.append(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return moved


def is_ruralsim_output(directory: Path, stores: Sequence[str] = ()) -> bool:
    """Whether ``directory`` holds an earlier ruralsim output: a ``manifest.json`` with a
    ``ruralsim-...`` format (experiments, comparisons, studies) or the record of a run (its seed,
    parameters, packages and scenario); or, in one of its subdirectories ``stores``, the result
    store of a study that has not finished."""
    directory = Path(directory)
    if any(is_ruralsim_output(directory / store) for store in stores):
        return True
    try:
        data = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(data, dict):
        return False
    fmt = data.get("format")
    return (isinstance(fmt, str) and fmt.startswith("ruralsim-")) or {"seed", "params", "packages",
                                                                      "scenario"} <= data.keys()


def remove_leftovers(parent: Path) -> list[Path]:
    """Remove the temporary files and directories (``.NAME.tmp-HOST-PID``) that processes of this
    host which no longer run left in ``parent`` (a hard kill gives them no time to clean up), and
    the lock files of dead owners (:func:`experiments.locks.remove_stale_locks`); an old output a
    killed replacement had moved aside (``.NAME.old-HOST-PID``) is put back when ``NAME`` is
    missing. Returns what was removed or put back."""
    from experiments.locks import remove_stale_locks

    done = remove_stale_locks(parent)
    try:
        entries = list(Path(parent).iterdir())
    except OSError:
        return done
    for path in entries:
        match = _LEFTOVER.match(path.name)
        if match is None or match["host"] != _HOST or _running(int(match["pid"])):
            continue
        original = path.with_name(match["name"])
        try:
            if match["kind"] == "old" and not original.exists():
                path.rename(original)
            elif path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        done.append(path)
    return done


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def check_writable(directory: Path) -> None:
    """Raise ``OSError`` (with the reason) unless files can be created in the parent of the output
    directory ``directory`` (its temporary siblings go there; missing parents are created) and, when
    it exists already, in ``directory`` itself."""
    directory = Path(directory)
    directory.parent.mkdir(parents=True, exist_ok=True)
    for place in (directory.parent, directory) if directory.is_dir() else (directory.parent,):
        probe = _temporary(place / "probe")
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)


def timestamped_dir(kind: str, now: datetime | None = None) -> Path:
    """``runs/<kind>-YYYYmmdd-HHMMSS`` (with a suffix if it exists already): the default output
    directory of the commands that write one."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    base = Path("runs") / f"{kind}-{stamp}"
    path, k = base, 2
    while path.exists():
        path = base.with_name(f"{base.name}-{k}")
        k += 1
    return path


def json_default(obj: Any) -> Any:
    """``json.dumps`` fallback: numpy scalars, paths, sets and tuples."""
    if hasattr(obj, "item"):
        return obj.item()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, set | tuple):
        return list(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def jsonable(value: Any) -> Any:
    """Plain JSON data: mapping keys become strings (schedules' year keys), tuples lists, numpy
    scalars Python ones, objects with ``to_data()`` their data."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if hasattr(value, "to_data"):
        return value.to_data()
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        return value.item()
    return value


def canonical_json(value: Any) -> str:
    """One text for equal data, whatever the order of its keys (what run ids are hashed from)."""
    return json.dumps(jsonable(value), sort_keys=True, separators=(",", ":"), allow_nan=True)
