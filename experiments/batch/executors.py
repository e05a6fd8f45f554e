"""Executors: where runs run, and the one function every executor calls.

- :class:`InProcessExecutor` — one run after the other in this process (for debugging).
- :class:`LocalExecutor` — a pool of local worker processes (the default; ``--workers N``).
- :class:`DaskExecutor` — a Dask distributed cluster: an existing scheduler (``--scheduler
  tcp://host:port``) or a local cluster started for the experiment (``--local-cluster N``).
  Dask is imported only here, only when used.

Every executor calls the same top-level function, :func:`execute_run`, which rebuilds the run's
parameters from its spec alone and returns the serialised result part (or the error), so the same
spec gives byte-identical outcomes wherever it runs.

Faults: a run that raises comes back as an error. A worker process that dies (killed, out of
memory) has its run retried elsewhere: the local pool is rebuilt and the runs it held are retried
one at a time, so the run that killed its worker is known and counted (given up after
:data:`MAX_WORKER_DEATHS`); Dask's scheduler reschedules the run itself (its ``allowed-failures``
setting is the limit).
"""

from __future__ import annotations

import gc
import json
import logging
import math
import os
import signal
import socket
import sys
import time
import uuid
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from experiments.batch.lifeline import Lifeline, interrupts_blocked, watch
from experiments.batch.spec import RunSpec
from experiments.batch.store import error_record, part_bytes

#: A local run whose worker process died this many times is recorded as failed.
MAX_WORKER_DEATHS = 3
#: Test-only fault injection, read by :func:`execute_run`: JSON such as
#: ``{"raise": [3], "exit": [5], "exit_once": [7], "marker_dir": "/tmp/m", "sleep_s": 0.2,
#: "parent_pid": 1234}`` (run indexes). ``exit`` and ``exit_once`` end the worker process with
#: ``os._exit(1)`` (``exit_once`` only on the first attempt, remembered by a file in
#: ``marker_dir``); they never act in the process ``parent_pid``.
FAULTS_ENV = "RURALSIM_TEST_FAULTS"
#: Threads one run may use inside a worker (numba's parallel loops): set by the executors so that
#: workers x threads does not exceed the CPUs; unset means the libraries' own default.
THREADS_ENV = "RURALSIM_THREADS_PER_RUN"
class ExecutorError(RuntimeError):
    """An executor that cannot be started or was lost (the message says which and why)."""


@dataclass
class RunOutput:
    """What a worker sends back: the serialised part, or the error.

    Attributes:
        run_id: The run.
        data: The Parquet part (None when the run failed).
        error: Type, message and traceback of the failure (None when it finished).
        wall_time_s: Seconds spent in the run.
        worker: ``host:pid`` of the process that ran it.
        attempts: Attempts made (worker deaths included).
    """

    run_id: str
    data: bytes | None
    error: dict[str, str] | None
    wall_time_s: float
    worker: str
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.data is not None


def execute_run(spec: RunSpec) -> RunOutput:
    """Run one spec and serialise its result (top level, so every executor can ship it).

    Never raises for a failing run: the exception comes back as ``RunOutput.error``.
    """
    worker = f"{socket.gethostname()}:{os.getpid()}"
    t0 = time.perf_counter()
    try:
        _limit_threads()
        _inject_faults(spec)
        import model

        result = model.run(spec.params(), seed=spec.seed, collect_monthly=spec.collect_monthly)
        wall = time.perf_counter() - t0
        return RunOutput(spec.run_id, part_bytes(spec, result, wall, worker), None, wall, worker)
    except Exception as exc:
        return RunOutput(spec.run_id, None, error_record(exc), time.perf_counter() - t0, worker)


def _limit_threads() -> None:
    """Apply :data:`THREADS_ENV` to numba's thread pool (the setting is per calling thread)."""
    text = os.environ.get(THREADS_ENV)
    if text and text.strip().isdigit():
        set_run_threads(int(text))


def set_run_threads(threads: int) -> None:
    """Let runs in the calling thread use at most ``threads`` threads in numba's parallel loops."""
    numba = sys.modules.get("numba")
    if numba is None:
        return
    try:
        numba.set_num_threads(max(1, min(threads, numba.config.NUMBA_NUM_THREADS)))
    except (ValueError, AttributeError):
        pass


def _inject_faults(spec: RunSpec) -> None:
    text = os.environ.get(FAULTS_ENV)
    if not text:
        return
    faults = json.loads(text)
    if faults.get("sleep_s"):
        time.sleep(float(faults["sleep_s"]))
    in_worker = os.getpid() != faults.get("parent_pid")
    if in_worker and spec.run_index in faults.get("exit", []):
        os._exit(1)
    if in_worker and spec.run_index in faults.get("exit_once", []):
        marker = Path(faults["marker_dir"]) / f"crashed-{spec.run_index}"
        if not marker.exists():
            marker.touch()
            os._exit(1)
    if spec.run_index in faults.get("raise", []):
        raise RuntimeError(f"injected failure in run {spec.run_index}")


def _failure(spec: RunSpec, kind: str, message: str, attempts: int) -> RunOutput:
    return RunOutput(spec.run_id, None, {"type": kind, "message": message, "traceback": ""}, 0.0, "", attempts)


# --------------------------------------------------------------------------------------------
# Executors
# --------------------------------------------------------------------------------------------


class InProcessExecutor:
    """Runs one after the other in this process (tracebacks and debuggers work as usual)."""

    name = "inprocess"
    parallelism = 1

    def __enter__(self) -> InProcessExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def results(self, specs: Iterable[RunSpec]) -> Iterator[tuple[RunSpec, RunOutput]]:
        for spec in specs:
            yield spec, execute_run(spec)


def _worker_init(threads: int, env: dict[str, str | None], lifeline: Any = None) -> None:
    import multiprocessing

    # Ctrl-C reaches the whole process group; only the parent decides what happens.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if lifeline is not None:  # exit with the parent, however it ends
        watch(lifeline)
    # A worker starts no processes. Under "forkserver" numba guards its thread start-up with a
    # named semaphore ('fork' in the start method's name) that the resource tracker reports as
    # leaked whenever a worker dies; under "spawn" it needs none.
    multiprocessing.set_start_method("spawn", force=True)
    # A forkserver's children inherit the server's environment, not the parent's current one.
    for key, value in env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    os.environ.setdefault(THREADS_ENV, str(threads))
    _limit_threads()


def threads_per_worker(workers: int) -> int:
    """CPU threads each of ``workers`` processes may use without oversubscribing the machine."""
    return max(1, default_workers() // max(workers, 1))


def _mp_context() -> Any:
    """Fresh worker processes that do not inherit the parent's threads or state.

    ``forkserver`` where the platform has it: one server process imports the model once and forks
    workers from it, so a pool rebuilt after a worker died starts at once; ``spawn`` elsewhere.
    Either way the worker function must be importable (it is: :func:`execute_run`).
    """
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["experiments.batch.executors"])
        return context
    return multiprocessing.get_context("spawn")


class LocalExecutor:
    """A pool of local worker processes (started fresh: see :func:`_mp_context`).

    Args:
        workers: Number of processes.
        max_worker_deaths: Deaths of its worker after which a run is recorded as failed.
    """

    name = "local"

    def __init__(self, workers: int, max_worker_deaths: int = MAX_WORKER_DEATHS):
        if workers < 1:
            raise ValueError("workers must be >= 1")
        self.workers = workers
        self.parallelism = workers
        self.max_worker_deaths = max_worker_deaths
        self._pool: ProcessPoolExecutor | None = None
        self._lifeline: Lifeline | None = None
        self.worker_deaths = 0
        self._deaths_in_a_row = 0

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, exc_type: Any, *exc: object) -> None:
        self._close(abort=exc_type is not None)
        if self._lifeline is not None:
            self._lifeline.close()
            self._lifeline = None

    def _new_pool(self) -> ProcessPoolExecutor:
        context = _mp_context()
        if self._lifeline is None:
            self._lifeline = Lifeline(context)
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                   initializer=_worker_init,
                                   initargs=(threads_per_worker(self.workers),
                                             {k: os.environ.get(k) for k in (THREADS_ENV, FAULTS_ENV)},
                                             self._lifeline.reader))

    def _close(self, abort: bool) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        if not abort:
            pool.shutdown(wait=True)
            return
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # the pool's own workers, started by this process
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=10)
        # With its workers gone the pool's manager thread winds down and releases its queues.
        manager = getattr(pool, "_executor_manager_thread", None)
        if manager is not None:
            manager.join(timeout=10)
        # The broken pool's queues sit in reference cycles: collect them now, so that their
        # semaphores are released (else the resource tracker reports them "leaked" at exit).
        del pool, processes, manager
        gc.collect()

    def results(self, specs: Iterable[RunSpec]) -> Iterator[tuple[RunSpec, RunOutput]]:
        queue: deque[RunSpec] = deque(specs)
        suspects: deque[RunSpec] = deque()  # in flight when a worker died: retried one at a time
        deaths: dict[str, int] = {}
        inflight: dict[Future, RunSpec] = {}
        try:
            while queue or suspects or inflight:
                if self._pool is None:
                    self._pool = self._new_pool()
                # Suspects run alone; otherwise one run per worker is in flight.
                source = suspects if suspects else queue
                limit = 1 if suspects else self.workers
                broken = False
                while source and len(inflight) < limit:
                    spec = source.popleft()
                    try:
                        with interrupts_blocked():  # workers start here, and must not see Ctrl-C
                            inflight[self._pool.submit(execute_run, spec)] = spec
                    except BrokenProcessPool:  # a worker died since the last wait: spec never ran
                        source.appendleft(spec)
                        broken = True
                        break
                done = set() if broken else wait(inflight, return_when=FIRST_COMPLETED)[0]
                for future in done:
                    spec = inflight.pop(future)
                    try:
                        output = future.result()
                    except BrokenProcessPool:
                        broken = True
                        inflight[future] = spec
                        continue
                    except Exception as exc:  # e.g. the result could not be sent back
                        output = RunOutput(spec.run_id, None, error_record(exc), 0.0, "")
                    output.attempts += deaths.get(spec.run_id, 0)
                    self._deaths_in_a_row = 0
                    yield spec, output
                if broken:
                    self._deaths_in_a_row += 1
                    if self._deaths_in_a_row > self.max_worker_deaths * self.workers + 1:
                        raise ExecutorError(f"local worker processes died {self._deaths_in_a_row} times in a row "
                                            "without finishing a run; their error output (above) says why")
                    yield from self._after_death(list(inflight.values()), suspects, deaths)
                    inflight.clear()
        except BaseException:
            self._close(abort=True)
            raise
        self._close(abort=False)

    def _after_death(self, lost: list[RunSpec], suspects: deque[RunSpec],
                     deaths: dict[str, int]) -> Iterator[tuple[RunSpec, RunOutput]]:
        """A worker died: rebuild the pool; blame the run only when it was alone in flight."""
        self.worker_deaths += 1
        self._close(abort=True)
        if len(lost) != 1:
            suspects.extend(lost)
            return
        spec = lost[0]
        deaths[spec.run_id] = deaths.get(spec.run_id, 0) + 1
        if deaths[spec.run_id] >= self.max_worker_deaths:
            yield spec, _failure(spec, "WorkerDied", f"the worker process running this run died "
                                 f"{deaths[spec.run_id]} times (killed, out of memory or crashed)",
                                 deaths[spec.run_id])
        else:
            suspects.appendleft(spec)


class DaskExecutor:
    """A Dask distributed cluster: an existing scheduler, or a local cluster of ``n_workers``.

    Each Dask worker should have one thread (``dask worker --nthreads 1``): runs hold the GIL
    for much of their time, and processes rather than threads give parallelism.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, n_workers: int | None = None,
                 connect_timeout_s: float | None = None, worker_timeout_s: float = 60.0):
        if (scheduler is None) == (n_workers is None):
            raise ValueError("give either scheduler or n_workers")
        self.scheduler = scheduler
        self.n_workers = n_workers
        self.connect_timeout_s = connect_timeout_s
        self.worker_timeout_s = worker_timeout_s
        self.client: Any = None
        self.cluster: Any = None
        self._threads = 1
        self._threads_checked = -math.inf

    @property
    def parallelism(self) -> int:
        """Worker threads in the cluster now (asked of the scheduler at most every few seconds)."""
        if self.client is None:
            return self.n_workers or 1
        now = time.monotonic()
        if now - self._threads_checked > 5.0:
            self._threads = max(sum(self.client.nthreads().values()), 1)
            self._threads_checked = now
        return self._threads

    def __enter__(self) -> DaskExecutor:
        try:
            import distributed
        except ImportError:
            raise ExecutorError("the Dask executor needs the optional dependency: install ruralsim[distributed] "
                                "(or 'uv sync --extra distributed')") from None
        for name in ("distributed", "distributed.client", "distributed.scheduler", "distributed.worker",
                     "distributed.nanny", "distributed.core", "distributed.batched", "distributed.comm"):
            logging.getLogger(name).setLevel(logging.CRITICAL)
        try:
            if self.scheduler is not None:
                # The timeout defaults to Dask's distributed.comm.timeouts.connect setting.
                timeout = self.connect_timeout_s or dask_config_seconds("distributed.comm.timeouts.connect", 30)
                self.client = distributed.Client(self.scheduler, timeout=timeout, set_as_default=False)
            else:
                threads = str(threads_per_worker(self.n_workers))
                self.cluster = distributed.LocalCluster(n_workers=self.n_workers, threads_per_worker=1,
                                                        processes=True, dashboard_address=None,
                                                        silence_logs=logging.CRITICAL,
                                                        env={THREADS_ENV: threads, "NUMBA_NUM_THREADS": threads})
                self.client = distributed.Client(self.cluster, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            self.__exit__(None)
            where = f"the Dask scheduler at {self.scheduler}" if self.scheduler else "a local Dask cluster"
            raise ExecutorError(f"cannot reach {where}: {exc}") from None
        try:
            self.client.wait_for_workers(1, timeout=self.worker_timeout_s)
        except (OSError, TimeoutError):
            self.__exit__(None)
            raise ExecutorError(f"the Dask scheduler at {self.scheduler} has no workers after "
                                f"{self.worker_timeout_s:.0f} s; start some with "
                                f"'dask worker {self.scheduler}'") from None
        return self

    def __exit__(self, *exc: object) -> None:
        client, cluster, self.client, self.cluster = self.client, self.cluster, None, None
        for thing in (client, cluster):
            if thing is not None:
                try:
                    thing.close()
                except Exception:  # closing a lost connection must not hide the real error
                    pass

    def results(self, specs: Iterable[RunSpec]) -> Iterator[tuple[RunSpec, RunOutput]]:
        from distributed import KilledWorker, as_completed
        from distributed.utils import CancelledError

        queue: deque[RunSpec] = deque(specs)
        pending: dict[str, tuple[RunSpec, Any]] = {}
        futures = as_completed(loop=self.client.loop)

        def fill() -> None:
            # A few runs queued per worker thread keeps workers busy without flooding the scheduler.
            window = max(2 * self.parallelism, 4)
            while queue and len(pending) < window:
                spec = queue.popleft()
                key = f"ruralsim-run-{spec.run_id}-{uuid.uuid4().hex[:8]}"
                future = self.client.submit(execute_run, spec, key=key, pure=False)
                futures.add(future)
                pending[key] = (spec, future)

        fill()
        try:
            for future in futures:
                spec, _ = pending.pop(future.key)
                try:
                    output = future.result()
                except KilledWorker as exc:
                    output = _failure(spec, "WorkerDied", f"Dask workers died while running this run: {exc}", 0)
                except CancelledError as exc:  # only the loss of the scheduler cancels our runs
                    raise ExecutorError(f"lost the Dask cluster ({type(exc).__name__}: {exc})") from None
                except Exception as exc:  # e.g. the run could not be sent to or from a worker
                    if self.client is None or self.client.status not in ("running", "connecting"):
                        raise ExecutorError(f"lost the Dask cluster: {exc}") from None
                    output = RunOutput(spec.run_id, None, error_record(exc), 0.0, "")
                future.release()
                yield spec, output
                fill()
        except BaseException:
            if self.client is not None and pending:
                try:
                    self.client.cancel([f for _, f in pending.values()], force=True)
                except Exception:  # the cluster may be gone; stopping is what matters
                    pass
            raise


def dask_config_seconds(key: str, default: float) -> float:
    import dask
    from dask.utils import parse_timedelta

    return float(parse_timedelta(dask.config.get(key, default), default="seconds"))


def make_executor(workers: int | None = None, scheduler: str | None = None, local_cluster: int | None = None,
                  inprocess: bool = False) -> InProcessExecutor | LocalExecutor | DaskExecutor:
    """The executor for the command-line options (at most one of them given)."""
    if inprocess:
        return InProcessExecutor()
    if scheduler is not None:
        return DaskExecutor(scheduler=scheduler)
    if local_cluster is not None:
        return DaskExecutor(n_workers=local_cluster)
    return LocalExecutor(workers or default_workers())


def default_workers() -> int:
    """Usable CPUs of this process."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return max(os.cpu_count() or 1, 1)
