"""Writing results so that a reader never sees them half-written, and the JSON they are written as.

Every command that writes results goes through here: one file (:func:`atomic_write`), a whole
output directory (:func:`write_directory`), or a set of result files beside something that stays,
such as a resumable store (:func:`publish_files`). Each writes into a temporary place first and
renames it into place only when it is complete; the temporary place is removed on any failure.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it to disk, then rename it."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
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

    ``out`` must not exist or be empty, unless ``replace``: then its old content is swapped out
    and removed once the new one is in place (and put back if the rename fails). Returns what
    ``write`` returned.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    old = out.with_name(f".{out.name}.old-{os.getpid()}")
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
    tmp = directory / f".results.tmp-{os.getpid()}"
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
