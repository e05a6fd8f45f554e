"""Writing results (experiments/files.py): what a killed process left behind is cleaned up by the
next writer into the same directory, and a replacement touches only an earlier ruralsim output."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from experiments.files import check_writable, is_ruralsim_output, remove_leftovers, write_directory

HOST = socket.gethostname()


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_writers_temporary_directory_is_removed_by_the_next_writer(tmp_path: Path):
    """kill -9 of compare left '.<out>.tmp-HOST-PID' (a whole run store) beside its --out."""
    dead = dead_pid()
    left = tmp_path / f".compare-1.tmp-{HOST}-{dead}"
    (left / "store").mkdir(parents=True)
    (left / "store" / "part.parquet").write_bytes(b"x" * 100)
    single = tmp_path / f".rows.json.tmp-{HOST}-{dead}"
    single.write_text("half")
    live = tmp_path / f".other.tmp-{HOST}-{os.getpid()}"
    live.mkdir()
    elsewhere = tmp_path / f".other.tmp-another-host-{dead}"
    elsewhere.mkdir()
    write_directory(tmp_path / "compare-2", lambda d: (d / "result.txt").write_text("done"))
    assert not left.exists() and not single.exists()
    assert live.exists() and elsewhere.exists()  # a running writer's; another host's (its pid means nothing here)
    assert (tmp_path / "compare-2" / "result.txt").read_text() == "done"


def test_an_output_a_killed_replacement_had_moved_aside_is_put_back(tmp_path: Path):
    moved = tmp_path / f".out.old-{HOST}-{dead_pid()}"
    moved.mkdir()
    (moved / "manifest.json").write_text('{"format": "ruralsim-run/1"}')
    assert remove_leftovers(tmp_path) == [moved]
    assert (tmp_path / "out" / "manifest.json").is_file() and not moved.exists()


def test_stale_lock_files_go_with_the_leftovers(tmp_path: Path):
    from experiments.locks import lock_path

    path = lock_path(tmp_path / "old")
    boot = Path("/proc/sys/kernel/random/boot_id")
    boot_id = boot.read_text().strip() if boot.exists() else None
    path.write_text(json.dumps({"pid": dead_pid(), "host": HOST, "boot_id": boot_id, "command": "ruralsim run"}))
    assert remove_leftovers(tmp_path) == [path]
    assert not path.exists()


@pytest.mark.parametrize(("manifest", "ours"), [
    ('{"format": "ruralsim-experiment/1"}', True),
    ('{"format": "ruralsim-run/1", "seed": 1}', True),
    ('{"seed": 1, "params": {}, "packages": {}, "scenario": "transition"}', True),  # a run before formats
    ('{"format": "something-else/1"}', False),
    ('{"name": "not ours"}', False),
    ("not json", False),
    (None, False),
])
def test_only_an_earlier_ruralsim_output_may_be_replaced(tmp_path: Path, manifest, ours):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    if manifest is not None:
        (out / "manifest.json").write_text(manifest)
    assert is_ruralsim_output(out) is ours
    if ours:
        write_directory(out, lambda d: (d / "new.txt").write_text("new"), replace=True)
        assert sorted(p.name for p in out.iterdir()) == ["new.txt"]
    else:
        with pytest.raises(FileExistsError, match="not an earlier ruralsim output"):
            write_directory(out, lambda d: (d / "new.txt").write_text("new"), replace=True)
        assert (out / "keep.txt").read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_check_writable_creates_missing_parents_only(tmp_path: Path):
    check_writable(tmp_path / "a" / "b" / "out")
    assert (tmp_path / "a" / "b").is_dir() and not (tmp_path / "a" / "b" / "out").exists()
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == []
    with pytest.raises(OSError):
        check_writable(Path("/proc/1/ruralsim-test/out"))
