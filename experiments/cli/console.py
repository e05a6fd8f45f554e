"""What every command says on the console, and the checks of the options they share.

Exit codes of every command: 0 success; 2 bad input, reported by :func:`fail` as one paragraph
starting with ``error:`` on stderr and no traceback; 1 when the model or the writing of results
fails (:func:`crash`; set ``RURALSIM_DEBUG=1`` to see the traceback); 130 when interrupted.

:class:`Progress` is the one progress reporter: a tqdm bar on a terminal; off a terminal (a log
file, a batch job) a plain line every :data:`LINE_EVERY_S` seconds. Its estimate of the time left
leaves out the first item finished, which pays for compiling the model's kernel.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

import typer

DEBUG_ENV = "RURALSIM_DEBUG"
#: Seconds between two progress lines off a terminal.
LINE_EVERY_S = 15.0
_ADDRESS = re.compile(r"^(tcp|tls|ucx|inproc)://[^\s/]+$")


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on stderr and exit with ``code`` (2: bad input)."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


def fail_problems(what: str, problems: Sequence[str], code: int = 2) -> NoReturn:
    """``error: what:`` and then every problem on its own indented line."""
    fail(f"{what}:\n" + "\n".join(f"  {p}" for p in problems), code)


def crash(what: str, exc: BaseException) -> NoReturn:
    """A failure of the model or of the writing of results: one line, exit 1 (the traceback with
    ``RURALSIM_DEBUG=1``)."""
    if os.environ.get(DEBUG_ENV):
        raise exc
    detail = str(exc).strip().splitlines()
    text = f"{type(exc).__name__}: {detail[0]}" if detail else type(exc).__name__
    fail(f"{what}: {text}. Set {DEBUG_ENV}=1 to see the traceback.", code=1)


def note(text: str) -> None:
    """A line for the user on stderr (stdout carries the results)."""
    typer.echo(text, err=True)


def warn(text: str) -> None:
    """``warning: text`` on stderr: the command goes on, but the user should know."""
    typer.echo(f"warning: {text}", err=True)


def count(n: int, noun: str) -> str:
    """``'1 scenario'``, ``'3 scenarios'``."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def duration(seconds: float) -> str:
    """Seconds, minutes or hours, whichever reads best."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


# --------------------------------------------------------------------------------------------
# Checks of the options that several commands share
# --------------------------------------------------------------------------------------------


def check_out(out: Path, replace: bool = False, remedy: str = "choose another --out",
              stores: Sequence[str] = ()) -> None:
    """Fail unless ``--out`` can receive results: a new or empty directory (with ``replace`` also
    an earlier ruralsim output, never other files; ``stores``: subdirectories whose result store
    also marks one, such as an interrupted study's), whose parent is a directory."""
    from experiments.files import MANIFEST, is_ruralsim_output

    if not out.resolve().name:
        fail(f"--out {out} is the root of the filesystem; give a new or empty directory such as runs/my_run.")
    if out.exists():
        if not out.is_dir():
            fail(f"--out {out} exists and is not a directory; choose another --out.")
        if any(out.iterdir()):
            if not replace:
                fail(f"--out {out} already exists and is not an empty directory; {remedy}.")
            if not is_ruralsim_output(out, stores):
                fail(f"--out {out} holds files that are not an earlier ruralsim output (it has no ruralsim "
                     f"{MANIFEST}); --force replaces only those. Choose another --out or empty it.")
    else:
        for parent in out.parents:  # the nearest existing directory above must be a directory
            if parent.exists():
                if not parent.is_dir():
                    fail(f"--out {out}: {parent} is not a directory.")
                break


def clear_previous_results(out: Path, stores: Sequence[str] = ()) -> None:
    """``--force`` for a command that fills ``--out`` as it goes (a result store), once it holds
    ``--out`` (:func:`hold_out`): remove the earlier results first. The rule is :func:`check_out`'s
    with ``replace``: only an earlier ruralsim output is removed (an empty directory stays), anything
    else fails, so that ``--force`` cannot delete a directory of the user's."""
    import shutil

    check_out(out, replace=True, stores=stores)
    if out.is_dir() and any(out.iterdir()):
        shutil.rmtree(out)


def check_file_out(path: Path, option: str) -> None:
    """Fail unless a result file can be written at ``path`` (checked before minutes of work, by
    creating and removing a file beside it)."""
    from experiments.files import check_writable

    parent = path.parent
    if path.is_dir():
        fail(f"{option} {path} is a directory; give a file name.")
    if parent.exists() and not parent.is_dir():
        fail(f"cannot write {path}: {parent} is not a directory.")
    if parent.is_dir() and not os.access(parent, os.W_OK):
        fail(f"cannot write {path}: the directory {parent} is not writable.")
    try:
        check_writable(path)
    except OSError as exc:
        fail(f"cannot write {path}: {exc.strerror or exc}.")


# --------------------------------------------------------------------------------------------
# The output directory of a running command: locked, and released when the command ends
# --------------------------------------------------------------------------------------------

_HELD: list[Any] = []
_SIGTERM_BEFORE: list[Any] = []


def hold_out(out: Path, command: str, check: Callable[[], None] | None = None) -> None:
    """Lock ``--out`` for the rest of the command (:mod:`experiments.locks`; released by
    :func:`release_outputs` when the command ends, however it ends) and check that it can be
    written, before any work: a second ruralsim process on the same directory fails (exit 2)
    naming the first. ``check`` (such as :func:`check_out`) runs before the lock is taken, so that
    a bad ``--out`` creates nothing, and again once it is held, when what it checks can no longer
    change under the command. While the lock is held, SIGTERM (a batch system's stop) ends the
    command as Ctrl-C does, so that it cleans up and releases the lock."""
    from experiments.files import check_writable
    from experiments.locks import LockError, LockHeld, OutputLock

    if check is not None:
        check()
    try:
        lock = OutputLock(out, f"ruralsim {command}", on_recover=note)
        lock.acquire()
    except LockHeld as exc:
        fail(f"{exc}.")
    except LockError as exc:
        fail(f"--out {out}: {exc}.")
    _HELD.append(lock)
    if not _SIGTERM_BEFORE:
        with contextlib.suppress(ValueError):  # not the main thread: leave signals alone
            _SIGTERM_BEFORE.append(signal.signal(signal.SIGTERM, _interrupt))
    if check is not None:
        check()
    try:
        check_writable(out)
    except OSError as exc:
        fail(f"cannot write into --out {out}: {exc.strerror or exc}; choose another --out.")


def release_outputs() -> None:
    """Release every output directory the command holds (the command line calls it at the end)."""
    while _HELD:
        _HELD.pop().release()
    while _SIGTERM_BEFORE:
        with contextlib.suppress(ValueError, TypeError):
            signal.signal(signal.SIGTERM, _SIGTERM_BEFORE.pop())


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def check_environment() -> None:
    """Fail (exit 2) on settings of the environment that would stop the model's libraries later."""
    text = os.environ.get("NUMBA_NUM_THREADS")
    if text is not None and not (text.strip().isdigit() and int(text) >= 1):
        fail(f"the environment variable NUMBA_NUM_THREADS={text!r} must be a whole number >= 1 (the compiled "
             "threads per process); unset it to use every CPU.")


def executor_problems(workers: int | None = None, scheduler: str | None = None, inprocess: bool = False,
                      local_cluster: int | None = None) -> list[str]:
    """Problems with the choice of executor: at most one of the options, each with a sound value."""
    problems = []
    given = [name for name, on in (("--workers", workers is not None), ("--scheduler", scheduler is not None),
                                   ("--local-cluster", local_cluster is not None), ("--in-process", inprocess)) if on]
    if len(given) > 1:
        problems.append(f"{' and '.join(given)} cannot be combined: choose one executor (--workers N for local "
                        "processes, --scheduler tcp://HOST:PORT for a Dask cluster"
                        + (", --local-cluster N for a local Dask cluster" if local_cluster is not None else "")
                        + ", --in-process for debugging)")
    for name, value in (("--workers", workers), ("--local-cluster", local_cluster)):
        if value is not None and value < 1:
            problems.append(f"{name} {value} must be a whole number >= 1")
    if scheduler is not None and not _ADDRESS.match(scheduler.strip()):
        problems.append(f"--scheduler {scheduler!r} is not a scheduler address; expected tcp://HOST:PORT "
                        "(as printed by 'dask scheduler')")
    return problems


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def warn_workers(workers: int | None, option: str = "--workers") -> None:
    """Warn when more worker processes are asked for than there are cores."""
    n = cores()
    if workers is not None and workers > n:
        warn(f"{option} {workers} is more than the {count(n, 'core')} of this machine: the workers will take turns "
             f"on them, which makes the runs slower, not faster (leave out {option} for one per core).")


# --------------------------------------------------------------------------------------------
# Usage errors in the same style as every other error
# --------------------------------------------------------------------------------------------


def _click_class(name: str) -> type:
    """Click's exception class ``name`` (``UsageError``, ``ClickException``), found through Typer's public
    ``BadParameter`` whether Typer carries its own copy of Click or uses the installed one."""
    return next(c for c in typer.BadParameter.__mro__ if c.__name__ == name)


def usage_error_text(exc: Exception, command: str = "ruralsim") -> str:
    """The paragraph of a usage error (a bad option, a missing argument): what is wrong and where to look
    (``command``'s help when the error does not say which command it came from)."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    ctx = getattr(exc, "ctx", None)
    path = ctx.command_path if ctx is not None else command
    return f"error: {message.rstrip('.')}. See '{path} --help'."


def error_style_group() -> type:
    """The Typer group class of ``ruralsim``: usage errors print as ``error:`` paragraphs (exit 2), as every
    other bad input does, instead of Typer's framed box."""
    from typer.core import TyperGroup

    usage_error, click_exception = _click_class("UsageError"), _click_class("ClickException")

    class ErrorStyleGroup(TyperGroup):
        def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
                 complete_var: str | None = None, standalone_mode: bool = True, **extra: object) -> object:
            try:
                rv = super().main(args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False,
                                  **extra)
            except usage_error as exc:
                if type(exc).__name__ == "NoArgsIsHelpError":  # 'ruralsim' or a command alone: its help
                    ctx = getattr(exc, "ctx", None)
                    typer.echo(ctx.get_help() if ctx is not None else exc.format_message())
                    rv = 0
                else:
                    given = list(sys.argv[1:] if args is None else args)
                    name = next((a for a in given if a in self.commands), None)
                    typer.echo(usage_error_text(exc, f"ruralsim {name}" if name else "ruralsim"), err=True)
                    rv = 2
            except click_exception as exc:
                typer.echo(f"error: {exc.format_message()}", err=True)
                rv = exc.exit_code
            except typer.Abort:  # a question with no answer (end of input)
                typer.echo("error: aborted; nothing was started.", err=True)
                rv = 1
            if not standalone_mode:
                return rv
            sys.exit(rv if isinstance(rv, int) else 0)

    return ErrorStyleGroup


# --------------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------------


class Progress:
    """Items done of items planned, on stderr.

    On a terminal a tqdm bar (shown only after ``delay`` seconds, so short jobs stay quiet); off a
    terminal a line every :data:`LINE_EVERY_S` seconds, and a last one at the end when any was
    printed. The estimate of the time left uses the pace after the first item finished in this
    session: the first pays for compiling the model's kernel.

    Feed it with :meth:`update` (or call it, for callers that take a ``progress(done, total)``).
    """

    def __init__(self, label: str, unit: str = "run", total: int | None = None, initial: int = 0,
                 delay: float = 0.0):
        from tqdm import tqdm

        self.label = label
        self.unit = unit
        self.tty = sys.stderr.isatty()
        self.bar = tqdm(total=total, initial=initial, desc=label, unit=unit, file=sys.stderr, dynamic_ncols=True,
                        disable=not self.tty, delay=delay, leave=False,
                        bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} {unit}s [{elapsed}{postfix}]")
        self.count = initial
        self.total = total
        self.started = time.monotonic()
        self.last_line = self.started
        self.lines = 0
        self.first: tuple[float, int] | None = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __call__(self, done: int, total: int | None = None) -> None:
        self.update(done, total)

    def update(self, done: int, total: int | None = None, failed: int = 0, detail: str = "") -> None:
        """``done`` items finished so far (failed ones included), ``failed`` of them failed; ``detail``
        is shown beside them (the best distance of a calibration, say)."""
        now = time.monotonic()
        if total is not None and total != self.total:
            self.total = total
            self.bar.total = total
            self.bar.refresh()
        if self.first is None and done > self.count:
            self.first = (now, done)
        self.count = done
        eta = self.eta(now)
        postfix = [detail] if detail else []
        postfix += [f"{failed:,} failed"] if failed else []
        postfix += [f"ETA {duration(eta)}"] if eta is not None else []
        self.bar.set_postfix_str(", ".join(postfix), refresh=False)
        self.bar.update(done - self.bar.n)
        finished = self.total is not None and done >= self.total
        if not self.tty and (now - self.last_line >= LINE_EVERY_S or (finished and self.lines)):
            self.last_line = now
            self.lines += 1
            of = f" of {self.total:,}" if self.total else ""
            print(f"{self.label}: {done:,}{of} {self.unit}s" + (f" ({', '.join(postfix)})" if postfix else ""),
                  file=sys.stderr, flush=True)

    def eta(self, now: float | None = None) -> float | None:
        """Seconds left at the pace since the first item finished (None before a second one)."""
        if self.first is None or not self.total:
            return None
        now = time.monotonic() if now is None else now
        t_first, n_first = self.first
        if self.count <= n_first or now <= t_first:
            return None
        rate = (self.count - n_first) / (now - t_first)
        return max(self.total - self.count, 0) / rate

    def write(self, text: str) -> None:
        """A line on stderr that does not break the bar."""
        if self.tty:
            self.bar.write(text, file=sys.stderr)
        else:
            print(text, file=sys.stderr, flush=True)

    def close(self) -> None:
        self.bar.close()
