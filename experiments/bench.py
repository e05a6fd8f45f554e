"""``ruralsim bench``: speed and memory of the full model, next to the hardware floor.

Each size runs in a fresh process (so its peak resident memory is its own): the model is built and
run for ``years`` with every mechanism on (households, enterprises, governments, monitoring and data
collection), ``reps`` times. Reported per size: household-steps per second (median, min, max over
reps), wall time, peak resident memory, bytes of household state per household, and the share of
time in each phase. The floor beside it: a bare compiled pass that reads and writes the same bytes
per household, and the cost of the random draws the household kernel makes per household-step.
Start-up last: fresh interpreters that import the simulation and build the default-sized province,
and the default run (``ruralsim run transition``) end to end, each once compiled code is cached.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Any

import numba
import numpy as np
from numba import literal_unroll, njit, prange

from experiments.batch.lifeline import Lifeline, watch
from model import rng

#: Phases reported, mapped from the model's timing keys.
PHASES = {
    "households": ("households",),
    "enterprises": ("enterprises", "labour"),
    "governments": ("governments", "markets"),
    "accounting": ("accounting",),
    "data_collection": ("data_collection",),
}
#: Random draws the household kernel makes in an ordinary household-month: illness, disability,
#: accident, the one labour transition the household's employment state allows, and operating
#: noise (a normal draw). Draws are made only where a rule reads them, so rarer ones (costs,
#: dibao take-up, detection, repairs) come on top for the few households concerned.
DRAWS_PER_STEP = 5


@dataclass(frozen=True)
class BenchCase:
    households: int
    years: int
    reps: int
    threads: int
    scenario: str
    counties: int | None = None


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def warm_up(params, households: int) -> None:
    """Compile (or load from the cache) every kernel a run of ``households`` households calls,
    outside the timed region and on the code path (serial or parallel) that size takes."""
    import model
    from model.model import PARALLEL_MIN_HOUSEHOLDS

    parallel = households >= PARALLEL_MIN_HOUSEHOLDS and numba.get_num_threads() > 1
    small = max(min(households, 2000), params.population.n_counties)  # every county needs a household
    warm = model.RuralModel(params.with_overrides({"population.n_households": small, "sim.n_years": 1}), seed=0,
                            parallel=parallel)
    while warm.running:
        warm.step()
    warm.compile_kernels()  # a year of 2,000 households may see no enterprise close


def run_case(case: BenchCase) -> dict[str, Any]:
    """Run one benchmark case in this process and return its measurements."""
    import model
    from scenarios import load_scenario

    numba.set_num_threads(min(case.threads, numba.config.NUMBA_NUM_THREADS))
    over: dict[str, Any] = {"population.n_households": case.households, "sim.n_years": case.years}
    if case.counties:
        over["population.n_counties"] = case.counties
    params = load_scenario(case.scenario, over).params
    warm_up(params, case.households)
    rates, walls, builds = [], [], []
    phases: dict[str, float] = {k: 0.0 for k in PHASES}
    state_bytes = 0
    for rep in range(case.reps):
        t0 = time.perf_counter()
        m = model.RuralModel(params, seed=rep + 1)
        t1 = time.perf_counter()
        while m.running:
            m.step()
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        walls.append(t2 - t1)
        # the steps the run made: a scenario with a history (the baseline's 2017-2020) also simulates it
        rates.append(case.households * m.month / (t2 - t1))
        for phase, keys in PHASES.items():
            phases[phase] += sum(m.timings[k] for k in keys)
        state_bytes = m.households.nbytes()
    total = sum(phases.values()) or 1.0
    return {
        "households": case.households,
        "years": case.years,
        "months_simulated": params.sim.total_years * 12,
        "threads": case.threads,
        "scenario": case.scenario,
        "counties": case.counties or params.population.n_counties,
        "reps": case.reps,
        "hh_steps_per_s_median": statistics.median(rates),
        "hh_steps_per_s_min": min(rates),
        "hh_steps_per_s_max": max(rates),
        "wall_s_median": statistics.median(walls),
        "build_s_median": statistics.median(builds),
        "peak_rss_mb": _peak_rss_mb(),
        "state_bytes_per_household": state_bytes / case.households,
        "phase_share": {k: v / total for k, v in phases.items()},
    }


def floor_case(households: int, threads: int, reps: int = 3) -> dict[str, Any]:
    """The hardware floor: a bare pass reading and writing every household field, and the random
    draws of one household-step, both compiled and parallel like the kernel."""
    from model.households import HouseholdSet

    numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
    hh = HouseholdSet(households)
    tup = hh.as_tuple()
    key = rng.stream_key(1, rng.S_ILLNESS)
    _bare_pass(tup, 0)
    _draws(households, key, 0, DRAWS_PER_STEP, rng.NORMAL_TABLE)
    bare, draws = [], []
    for _rep in range(reps):
        t0 = time.perf_counter()
        for month in range(12):
            _bare_pass(tup, month)
        bare.append(households * 12 / (time.perf_counter() - t0))
        t0 = time.perf_counter()
        for month in range(12):
            _draws(households, key, month, DRAWS_PER_STEP, rng.NORMAL_TABLE)
        draws.append(households * 12 / (time.perf_counter() - t0))
    return {
        "households": households,
        "threads": threads,
        "bytes_per_household": hh.nbytes() / households,
        "bare_pass_hh_steps_per_s": statistics.median(bare),
        "draws_per_step": DRAWS_PER_STEP,
        "draws_hh_steps_per_s": statistics.median(draws),
        "peak_rss_mb": _peak_rss_mb(),
    }


@njit(cache=True)
def _bare_block(h, start, stop):
    for arr in literal_unroll(h):
        for i in range(start, stop):
            arr[i] = arr[i + 1]  # read and write every field (the next row: no store is elided)


@njit(parallel=True, cache=True)
def _bare_pass(h, month):
    n = h.weight.shape[0] - 1
    block = 65536
    n_blocks = (n + block - 1) // block
    for b in prange(n_blocks):
        _bare_block(h, b * block, min((b + 1) * block, n))
    return n


@njit(parallel=True, cache=True)
def _draws(n, key, month, k, table):
    total = 0.0
    for i in prange(n):
        s = 0.0
        for slot in range(k - 1):
            s += rng.uniform(key, i, month, slot)
        s += rng.normal(key, i, month, k, table)
        total += s
    return total


#: Households of the province whose build start-up counts (the default province's size).
STARTUP_HOUSEHOLDS = 100_000

#: What a fresh interpreter does for the start-up measure; it prints its own import and build times
#: and the moment (``time.monotonic``, one clock for all processes) its province was ready.
_STARTUP_CODE = """
import json, time
t0 = time.perf_counter()
from model.model import RuralModel
from scenarios import load_scenario
params = load_scenario({scenario!r}, {{"population.n_households": {households}}}).params
t1 = time.perf_counter()
RuralModel(params, seed=1)
t2 = time.perf_counter()
print(json.dumps({{"import_s": t1 - t0, "build_s": t2 - t1, "ready_monotonic": time.monotonic()}}))
"""

_CLI_CODE = "import sys; from experiments.cli.main import main; sys.argv[0] = 'ruralsim'; main()"


def _child_env() -> dict[str, str]:
    """The environment of start-up's fresh interpreters: this one's, with Python's bytecode cache on
    (as it is by default): start-up is measured once compiled code is cached."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _timed(cmd: list[str], env: dict[str, str], cwd: str) -> tuple[float, float, str]:
    """Run ``cmd``; returns its launch moment (``time.monotonic``), its wall time and its output."""
    launch = time.monotonic()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True, timeout=600)
    wall = time.monotonic() - launch
    if done.returncode != 0:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise RuntimeError(f"start-up measure: {' '.join(cmd[:3])} … exited with {done.returncode}: "
                           + " / ".join(tail))
    return launch, wall, done.stdout


def startup_case(scenario: str = "transition", households: int = STARTUP_HOUSEHOLDS, reps: int = 3,
                 default_run_reps: int = 2) -> dict[str, Any]:
    """Start-up in fresh interpreters, after one untimed process of each kind has filled the caches:
    the time from launching the interpreter to its ``households``-household province being built
    (median and max over ``reps``; beside it the import and build seconds the process measured
    itself, and its whole wall time, which adds the interpreter's exit), and
    the wall time of the default run, ``ruralsim run <scenario>`` with its tables and figures
    (median over ``default_run_reps``; 0 skips it)."""
    import json

    env = _child_env()
    code = [sys.executable, "-c", _STARTUP_CODE.format(scenario=scenario, households=households)]
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    readies, walls, imports, builds = [], [], [], []
    for rep in range(reps + 1):
        launch, wall, out = _timed(code, env, root)
        if rep:  # the first process writes the bytecode cache
            own = json.loads(out.strip().splitlines()[-1])
            readies.append(own["ready_monotonic"] - launch)
            walls.append(wall)
            imports.append(own["import_s"])
            builds.append(own["build_s"])
    result: dict[str, Any] = {
        "households": households,
        "reps": reps,
        "startup_s_median": statistics.median(readies),
        "startup_s_max": max(readies),
        "process_s_median": statistics.median(walls),
        "process_s_max": max(walls),
        "import_s_median": statistics.median(imports),
        "build_s_median": statistics.median(builds),
        "bytecode_cache": True,
    }
    if default_run_reps:
        runs = []
        with tempfile.TemporaryDirectory(prefix="ruralsim-bench-") as tmp:
            for rep in range(default_run_reps + 1):
                cmd = [sys.executable, "-c", _CLI_CODE, "run", scenario, "--out", os.path.join(tmp, f"run{rep}")]
                _, wall, _ = _timed(cmd, env, tmp)
                if rep:  # the first run may compile kernels this bench has not yet cached
                    runs.append(wall)
        result.update({"default_run": f"ruralsim run {scenario}", "default_run_reps": default_run_reps,
                       "default_run_s_median": statistics.median(runs), "default_run_s_max": max(runs)})
    return result


def format_startup(s: dict[str, Any]) -> str:
    """Two lines: start-up and the default run, with their targets (or why they were not measured)."""
    if "error" in s:
        return f"Start-up not measured: {s['error']}"
    lines = [f"Start-up (fresh process, compiled code cached; median of {s['reps']}): from launch to "
             f"{s['households']:,} households built {s['startup_s_median']:.2f} s (max {s['startup_s_max']:.2f}; "
             f"import {s['import_s_median']:.2f} s, build {s['build_s_median']:.2f} s; with the interpreter's "
             f"exit {s['process_s_median']:.2f} s); target ≤ 2 s"]
    if "default_run_s_median" in s:
        lines.append(f"Default run (`{s['default_run']}`, tables and figures; median of {s['default_run_reps']}): "
                     f"{s['default_run_s_median']:.2f} s wall (max {s['default_run_s_max']:.2f}); target ≤ 5 s")
    return "\n".join(lines)


def _in_child(fn, *args):
    ctx = mp.get_context("spawn")
    lifeline = Lifeline(ctx)  # the child ends with this process, however it ends
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=ctx, initializer=watch,
                                 initargs=(lifeline.reader,)) as ex:
            return ex.submit(fn, *args).result()
    finally:
        lifeline.close()


def run_bench(sizes: list[int], years: int, reps: int, threads: int, scenario: str,
              counties: int | None = None, progress=None, startup: bool = True) -> dict[str, Any]:
    """Run every size (each in its own process), the floor and (unless ``startup`` is false) the
    start-up measure; returns rows, floors, start-up and machine facts."""
    rows = []
    floors = []
    for n in sizes:
        if progress:
            progress(f"{n:,} households × {years} years × {reps} reps, {threads} thread(s)")
        rows.append(_in_child(run_case, BenchCase(n, years, reps, threads, scenario, counties)))
        floors.append(_in_child(floor_case, n, threads))
    result: dict[str, Any] = {"rows": rows, "floor": floors, "machine": machine_facts()}
    if startup:
        if progress:
            progress(f"start-up: import and build {STARTUP_HOUSEHOLDS:,} households, the default run")
        try:
            result["startup"] = startup_case(scenario)
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:  # the rows above are kept
            result["startup"] = {"error": str(exc)}
    return result


def machine_facts() -> dict[str, Any]:
    from model.results import git_state, package_versions

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "date": time.strftime("%Y-%m-%d"),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "packages": package_versions(("ruralsim", "numpy", "numba", "mesa", "pandas")),
        "git": git_state(),
    }


def format_table(result: dict[str, Any]) -> str:
    """Plain-text table of a bench result."""
    lines = []
    head = (f"{'households':>12} {'years':>5} {'thr':>3} {'Mhh-steps/s (med [min-max])':>28} {'wall s':>7} "
            f"{'peak MB':>8} {'B/hh':>5}  phases (hh/ent/gov/acct/data %)")
    lines.append(head)
    lines.append("-" * len(head))
    for r in result["rows"]:
        ph = r["phase_share"]
        rate = (f"{r['hh_steps_per_s_median'] / 1e6:.2f} [{r['hh_steps_per_s_min'] / 1e6:.2f}-"
                f"{r['hh_steps_per_s_max'] / 1e6:.2f}]")
        lines.append(
            f"{r['households']:>12,} {r['years']:>5} {r['threads']:>3} {rate:>28} {r['wall_s_median']:>7.2f} "
            f"{r['peak_rss_mb']:>8.0f} {r['state_bytes_per_household']:>5.0f}  "
            + "/".join(f"{100 * ph[k]:.0f}" for k in PHASES)
        )
    lines.append("")
    lines.append("Floor (same bytes per household, compiled, same threads):")
    for r, f in zip(result["rows"], result["floor"], strict=True):
        lines.append(
            f"  {f['households']:>12,} households: bare read+write pass "
            f"{f['bare_pass_hh_steps_per_s'] / 1e6:.1f} M hh-steps/s; {f['draws_per_step']} random draws per step "
            f"{f['draws_hh_steps_per_s'] / 1e6:.1f} M hh-steps/s; the model runs at "
            f"{share_of_floor(r, f):.1%} of the draws alone"
        )
    lines.append("(the machine's speed varies from minute to minute: compare runs by their share of the floor)")
    if "startup" in result:
        lines.append("")
        lines.append(format_startup(result["startup"]))
    m = result["machine"]
    lines.append("")
    lines.append(f"{m['date']} · {m['cpu']} · {m['cores']} cores · Python {m['python']} · "
                 + ", ".join(f"{k} {v}" for k, v in m["packages"].items()))
    return "\n".join(lines)


def share_of_floor(row: dict[str, Any], floor: dict[str, Any]) -> float:
    """The model's median household-steps per second ÷ those of its random draws alone (same
    households and threads): a speed measure that the machine's own speed largely cancels out of."""
    return row["hh_steps_per_s_median"] / floor["draws_hh_steps_per_s"]


def parse_sizes(text: str) -> list[int]:
    """``"10000,100000"`` → ``[10000, 100000]`` (underscores and ``k``/``M`` suffixes allowed)."""
    out = []
    for part in text.split(","):
        part = part.strip().replace("_", "")
        if not part:
            continue
        mult = 1
        if part[-1] in "kK":
            mult, part = 1_000, part[:-1]
        elif part[-1] in "mM":
            mult, part = 1_000_000, part[:-1]
        try:
            number = float(part) * mult
            value = int(number)
        except (ValueError, OverflowError):
            raise ValueError(f"--sizes: {part!r} is not a number of households") from None
        if value != number:
            raise ValueError(f"--sizes: {part}{'' if mult == 1 else ' x ' + format(mult, ',')} is not a whole "
                             "number of households")
        if value < 100:
            raise ValueError(f"--sizes: {value} households is below the minimum of 100")
        out.append(value)
    if not out:
        raise ValueError("--sizes: give at least one size, e.g. 10000,100000")
    return out


__all__ = ["BenchCase", "floor_case", "format_startup", "format_table", "np", "parse_sizes", "run_bench", "run_case",
           "share_of_floor", "startup_case"]


def format_markdown(rows: list[dict[str, Any]]) -> str:
    """Markdown table of ``--json`` rows (for ``benchmarks/`` and the README)."""
    out = ["| households | years | threads | M household-steps/s (median [min–max]) | wall s | peak RSS MB "
           "| state B/household | floor: bare pass / draws (M hh-steps/s) |",
           "|---:|---:|---:|---|---:|---:|---:|---|"]
    for r in rows:
        f = r.get("floor", {})
        floor = (f"{f['bare_pass_hh_steps_per_s'] / 1e6:.0f} / {f['draws_hh_steps_per_s'] / 1e6:.0f}"
                 if f else "")
        out.append(
            f"| {r['households']:,} | {r['years']} | {r['threads']} | {r['hh_steps_per_s_median'] / 1e6:.1f} "
            f"[{r['hh_steps_per_s_min'] / 1e6:.1f}–{r['hh_steps_per_s_max'] / 1e6:.1f}] | {r['wall_s_median']:.2f} "
            f"| {r['peak_rss_mb']:.0f} | {r['state_bytes_per_household']:.0f} | {floor} |")
    return "\n".join(out)
