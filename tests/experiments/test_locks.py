"""Advisory locks on output directories (experiments/locks.py): one holder, named to the others;
the locks of dead processes taken over with a message; concurrent takers never both win."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from experiments import locks
from experiments.locks import LockError, LockHeld, OutputLock, lock_path

HOST = socket.gethostname()
_BOOT = Path("/proc/sys/kernel/random/boot_id")
BOOT_ID = _BOOT.read_text().strip() if _BOOT.exists() else None


def test_the_lock_file_sits_beside_the_directory_and_names_its_owner(tmp_path):
    out = tmp_path / "runs" / "smoke"
    with OutputLock(out, "ruralsim experiment") as lock:
        assert lock.path == tmp_path / "runs" / ".smoke.lock"
        owner = json.loads(lock.path.read_text())
        assert owner["pid"] == os.getpid() and owner["command"] == "ruralsim experiment"
        assert owner["directory"] == str(out) and owner["host"]
        assert not out.exists()  # the directory itself is left to the command
    assert not lock.path.exists()
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == []


def test_a_second_taker_is_refused_with_the_holder_named(tmp_path):
    with OutputLock(tmp_path / "out", "ruralsim run"):
        with pytest.raises(LockHeld) as info:
            OutputLock(tmp_path / "out", "ruralsim compare").acquire()
    message = str(info.value)
    assert message.startswith(f"{tmp_path / 'out'} is in use by another ruralsim process: ruralsim run (pid "
                              f"{os.getpid()} on host ")
    assert "Wait until it finishes or choose another output directory" in message
    assert info.value.owner["pid"] == os.getpid()
    OutputLock(tmp_path / "out", "ruralsim compare").acquire()  # free again once released


def test_the_same_directory_by_another_path_is_the_same_lock(tmp_path):
    (tmp_path / "a").mkdir()
    os.symlink(tmp_path / "a", tmp_path / "link")
    with OutputLock(tmp_path / "a", "one"), pytest.raises(LockHeld):
        OutputLock(tmp_path / "link", "two").acquire()


def test_the_root_cannot_be_an_output_directory():
    with pytest.raises(LockError, match="root of the filesystem"):
        lock_path("/")


def test_a_directory_that_cannot_be_created_is_a_lock_error(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(LockError, match=f"{tmp_path / 'file'} is not a directory"):
        OutputLock(tmp_path / "file" / "deeper" / "out", "x").acquire()


def _write_owner(path: Path, **owner) -> None:
    base = {"pid": 1, "host": HOST, "boot_id": BOOT_ID, "command": "ruralsim experiment",
            "started": "2026-12-01T10:00:00+00:00"}
    path.write_text(json.dumps({**base, **owner}))


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_the_lock_of_a_dead_process_of_this_host_is_taken_over_with_a_message(tmp_path):
    out = tmp_path / "out"
    dead = _dead_pid()
    _write_owner(lock_path(out), pid=dead)
    said = []
    with OutputLock(out, "ruralsim experiment", on_recover=said.append) as lock:
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()
    assert said == [f"Took over the lock of {out} from ruralsim experiment (pid {dead} on host {HOST}, "
                    "started 2026-12-01 10:00:00 UTC), which ended without releasing it."]
    assert lock.recovered[0]["pid"] == dead


def test_a_lock_from_before_this_machine_restarted_is_stale(tmp_path):
    _write_owner(lock_path(tmp_path / "out"), pid=os.getppid(), boot_id="another-boot")
    with OutputLock(tmp_path / "out", "x") as lock:
        assert lock.recovered


def test_another_hosts_lock_is_held_while_its_heartbeat_is_fresh(tmp_path):
    path = lock_path(tmp_path / "out")
    _write_owner(path, host="node-17", pid=4242)
    with pytest.raises(LockHeld) as info:
        OutputLock(tmp_path / "out", "x").acquire()
    assert "ruralsim experiment (pid 4242 on host node-17" in str(info.value)
    assert f"taken over {locks.STALE_AFTER_S / 60:.0f} min after its last sign of life" in str(info.value)
    old = time.time() - locks.STALE_AFTER_S - 60
    os.utime(path, (old, old))
    with OutputLock(tmp_path / "out", "x") as lock:
        assert lock.recovered[0]["host"] == "node-17"


def test_an_empty_lock_file_is_a_taker_writing_until_it_is_old(tmp_path):
    path = lock_path(tmp_path / "out")
    path.write_text("")
    with pytest.raises(LockHeld, match="a process that has not recorded itself"):
        OutputLock(tmp_path / "out", "x").acquire()
    old = time.time() - locks.EMPTY_GRACE_S - 1
    os.utime(path, (old, old))
    with OutputLock(tmp_path / "out", "x") as lock:
        assert lock.recovered == [None]


def test_release_leaves_a_lock_file_that_is_no_longer_its_own(tmp_path):
    lock = OutputLock(tmp_path / "out", "x")
    lock.acquire()
    lock.path.unlink()
    lock.path.write_text("someone else's")
    lock.release()
    assert lock.path.read_text() == "someone else's"


def test_the_heartbeat_refreshes_the_lock_file(tmp_path, monkeypatch):
    monkeypatch.setattr(locks, "HEARTBEAT_S", 0.05)
    with OutputLock(tmp_path / "out", "x") as lock:
        old = time.time() - 3600
        os.utime(lock.path, (old, old))
        time.sleep(0.5)
        assert time.time() - lock.path.stat().st_mtime < 60


HOLDER = textwrap.dedent("""
    import sys, time
    from experiments.locks import OutputLock, LockHeld
    out, start, hold = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    while time.time() < start:
        time.sleep(0.001)
    try:
        lock = OutputLock(out, "taker")
        lock.acquire()
    except LockHeld:
        print("refused", flush=True)
        sys.exit(0)
    print("won", flush=True)
    time.sleep(hold)
    lock.release()
""")


def _race(out: Path, n: int, hold: float) -> list[str]:
    start = time.time() + 2.0
    procs = [subprocess.Popen([sys.executable, "-c", HOLDER, str(out), str(start), str(hold)],
                              stdout=subprocess.PIPE, text=True) for _ in range(n)]
    return sorted(p.communicate(timeout=60)[0].strip() for p in procs)


def test_of_many_processes_taking_one_lock_at_once_exactly_one_wins(tmp_path):
    assert _race(tmp_path / "out", 6, hold=1.5) == ["refused"] * 5 + ["won"]
    assert not lock_path(tmp_path / "out").exists()


def test_of_many_processes_taking_over_one_stale_lock_at_once_exactly_one_wins(tmp_path):
    _write_owner(lock_path(tmp_path / "out"), pid=_dead_pid())
    assert _race(tmp_path / "out", 6, hold=1.5) == ["refused"] * 5 + ["won"]


def test_a_holder_killed_hard_leaves_a_lock_the_next_taker_recovers(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(out), "0", "600"], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "won"
    with pytest.raises(LockHeld):
        OutputLock(out, "x").acquire()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert lock_path(out).exists()  # no chance to clean up
    said = []
    with OutputLock(out, "x", on_recover=said.append):
        assert f"pid {proc.pid}" in said[0] and "ended without releasing it" in said[0]
