"""The result store: one directory per experiment.

Layout::

    DIR/manifest.json       spec and its hash, code version, packages, Python, platform, seeds,
                            start/end times, counts, one entry per session (start, resume, retry)
    DIR/plan.parquet        every planned run: run_index, run_id, scenario, seed, parameter columns
    DIR/runs/<run_id>.parquet   one part per finished run (written to a temporary file, then renamed)
    DIR/failures.jsonl      one line per failed attempt: the run spec, the error and its traceback

A part is a one-row Parquet file: the run's identity (``run_id``, ``run_index``, ``scenario``,
``seed``), its parameter columns (dotted paths), every summary outcome, ``wall_time_s`` and
``worker``, and each kept table (``annual``, ``counties``, ``monthly``) as a list-of-struct column.
Reading the runs table therefore touches only the scalar column chunks, and reading one table only
that table's chunks. Parts carry page checksums and their run id in the file metadata; a part whose
footer, metadata or pages cannot be read is *corrupt*: its run counts as unfinished and is redone
on ``--resume``.

A run is finished when its part exists and is readable; failed when failures.jsonl records it and
it has no part (a later success wins); missing otherwise.
"""

from __future__ import annotations

import io
import json
import os
import socket
import traceback
import warnings
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from experiments.files import atomic_write, json_default, write_json

FORMAT = "ruralsim-experiment/1"
MANIFEST = "manifest.json"
PLAN = "plan.parquet"
RUNS_DIR = "runs"
FAILURES = "failures.jsonl"
TABLES = ("annual", "counties", "monthly")
_META_RUN_ID = b"ruralsim.run_id"


class StoreError(RuntimeError):
    """An experiment directory that cannot be used as asked (message names the directory)."""


# --------------------------------------------------------------------------------------------
# Parts (built in the worker, written by the parent)
# --------------------------------------------------------------------------------------------


def part_bytes(spec: Any, result: Any, wall_time_s: float, worker: str | None = None) -> bytes:
    """Serialise one finished run as a one-row Parquet file (see the module docstring).

    Args:
        spec: The run's :class:`~experiments.batch.spec.RunSpec`.
        result: Its :class:`~model.results.RunResult` (``summary`` and the kept tables are used).
        wall_time_s: Seconds the run took.
        worker: Where it ran (host:pid); defaults to this process.
    """
    columns: dict[str, pa.Array] = {
        "run_id": pa.array([spec.run_id], pa.string()),
        "run_index": pa.array([spec.run_index], pa.int64()),
        "scenario": pa.array([spec.scenario], pa.string()),
        "seed": pa.array([spec.seed], pa.int64()),
    }
    for path, value in spec.columns.items():
        columns[path] = pa.array([value], _scalar_type(value))
    for key, value in (result.summary or {}).items():
        if key in columns:
            continue
        value = _plain(value)
        columns[str(key)] = pa.array([value], _scalar_type(value))
    columns["wall_time_s"] = pa.array([float(wall_time_s)], pa.float64())
    columns["worker"] = pa.array([worker or f"{socket.gethostname()}:{os.getpid()}"], pa.string())
    for name in TABLES:
        if name in spec.keep:
            columns[name] = _nested(getattr(result, name))
    table = pa.table(columns).replace_schema_metadata({_META_RUN_ID: spec.run_id.encode()})
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd", write_page_checksum=True)
    return buffer.getvalue()


def _nested(df: Any) -> pa.Array:
    """A DataFrame as a one-element list<struct> array."""
    table = pa.Table.from_pandas(df, preserve_index=False)
    if table.num_columns == 0:
        struct = pa.array([], pa.struct([]))
    else:
        struct = pa.StructArray.from_arrays([c.combine_chunks() for c in table.columns], names=table.column_names)
    return pa.ListArray.from_arrays(pa.array([0, len(struct)], pa.int32()), struct)


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return json.dumps(value, default=str)


def _scalar_type(value: Any) -> pa.DataType:
    if isinstance(value, bool):
        return pa.bool_()
    if isinstance(value, int):
        return pa.int64()
    if isinstance(value, float):
        return pa.float64()
    if value is None:
        return pa.float64()
    return pa.string()


def error_record(exc: BaseException) -> dict[str, str]:
    """Type, message and traceback of an exception, for failures.jsonl."""
    return {"type": type(exc).__name__, "message": str(exc),
            "traceback": "".join(traceback.format_exception(exc))}


# --------------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------------


class ExperimentStore:
    """An experiment directory: manifest, plan, parts and failures."""

    def __init__(self, directory: str | Path):
        self.directory = Path(directory)
        self.runs_dir = self.directory / RUNS_DIR

    # -- creation and manifest -----------------------------------------------------------------

    @property
    def exists(self) -> bool:
        return (self.directory / MANIFEST).is_file()

    def create(self, manifest: Mapping[str, Any], plan: pa.Table) -> None:
        """Create the directory with its manifest and plan (the directory may exist empty)."""
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.write_plan(plan)
        self.write_manifest(manifest)

    def read_manifest(self) -> dict[str, Any]:
        path = self.directory / MANIFEST
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise StoreError(f"{self.directory} is not an experiment directory (no {MANIFEST})") from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path} cannot be read: {exc}") from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise StoreError(f"{path} is not a ruralsim experiment manifest (format {FORMAT!r} expected)")
        return data

    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        write_json(self.directory / MANIFEST, manifest)

    # -- parts and failures --------------------------------------------------------------------

    def part_path(self, run_id: str) -> Path:
        return self.runs_dir / f"{run_id}.parquet"

    def write_part(self, run_id: str, data: bytes) -> Path:
        """Write one run's part atomically: a reader sees the whole file or none."""
        path = self.part_path(run_id)
        atomic_write(path, data)
        return path

    def record_failure(self, spec_record: Mapping[str, Any], error: Mapping[str, Any], attempts: int = 1) -> None:
        """Append one failed run (its spec, error and traceback) to failures.jsonl."""
        line = json.dumps({**spec_record, "error": dict(error), "attempts": attempts,
                           "time": datetime.now(UTC).isoformat(timespec="seconds")}, default=json_default)
        with open(self.directory / FAILURES, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def failures(self) -> dict[str, dict[str, Any]]:
        """The last failure record of each run id (a torn last line from a hard kill is skipped)."""
        out: dict[str, dict[str, Any]] = {}
        try:
            lines = (self.directory / FAILURES).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return out
        for line in lines:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("run_id"), str):
                out[record["run_id"]] = record
        return out

    def part_files(self) -> list[Path]:
        """Part files present (temporary files of unfinished writes excluded)."""
        if not self.runs_dir.is_dir():
            return []
        return sorted(p for p in self.runs_dir.iterdir() if p.suffix == ".parquet" and not p.name.startswith("."))

    def scan(self, verify: bool = False) -> tuple[dict[str, Path], list[tuple[Path, str]]]:
        """Readable parts by run id, and unreadable (truncated or corrupt) parts with the reason.

        Args:
            verify: Also read every page (checksums verified), not only the footer and metadata.
        """
        good: dict[str, Path] = {}
        bad: list[tuple[Path, str]] = []
        paths = self.part_files()
        # Arrow reads without the GIL: a few threads check many small files faster.
        with ThreadPoolExecutor(max_workers=min(8, (os.cpu_count() or 1) + 1)) as pool:
            reasons = list(pool.map(lambda p: check_part(p, verify=verify), paths))
        for path, reason in zip(paths, reasons, strict=True):
            if reason is None:
                good[path.stem] = path
            else:
                bad.append((path, reason))
        return good, bad

    def remove_temporary(self) -> int:
        """Delete temporary files left by writes that a hard kill interrupted."""
        n = 0
        for folder in (self.directory, self.runs_dir):
            if folder.is_dir():
                for p in folder.iterdir():
                    if p.name.startswith(".") and ".tmp-" in p.name:
                        p.unlink(missing_ok=True)
                        n += 1
        return n

    def plan(self) -> pa.Table | None:
        """The planned runs (None when the store has no plan).

        Raises:
            StoreError: The plan cannot be read (truncated or corrupt).
        """
        try:
            return pq.read_table(self.directory / PLAN, page_checksum_verification=True)
        except FileNotFoundError:
            return None
        except (OSError, pa.ArrowException, ValueError) as exc:
            raise StoreError(f"{self.directory / PLAN} cannot be read ({_first_line(exc)}); run the experiment "
                             "again with --resume to rebuild it") from None

    def plan_problem(self, run_ids: list[str]) -> str | None:
        """Why the plan is not the list ``run_ids`` (missing, unreadable or another list); None when it is."""
        try:
            plan = self.plan()
        except StoreError as exc:
            return str(exc).split(";")[0].removeprefix(f"{self.directory / PLAN} ")
        if plan is None:
            return "is missing"
        if "run_id" not in plan.column_names or plan.column("run_id").to_pylist() != list(run_ids):
            return "does not list this experiment's runs"
        return None

    def write_plan(self, plan: pa.Table) -> None:
        """Write the plan atomically."""
        atomic_write(self.directory / PLAN, _table_bytes(plan))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


def check_part(path: Path, verify: bool = False) -> str | None:
    """None when ``path`` is a readable part whose metadata names its run, else the reason."""
    try:
        meta = pq.read_metadata(path)
        run_id = (meta.metadata or {}).get(_META_RUN_ID, b"").decode()
        if run_id != path.stem:
            return f"metadata names run {run_id or 'none'!r}"
        if meta.num_rows != 1:
            return f"{meta.num_rows} rows instead of 1"
        if verify:
            pq.read_table(path, page_checksum_verification=True)
    except (OSError, pa.ArrowException, ValueError) as exc:
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".rstrip(": ")
    return None


# --------------------------------------------------------------------------------------------
# Loading results
# --------------------------------------------------------------------------------------------


class ExperimentResults:
    """Tidy views of an experiment directory; each table is read on first use, and only its columns.

    Attributes:
        directory: The experiment directory.
        manifest: The manifest (spec, versions, counts, sessions).
        runs: One row per finished run: ``run_id``, ``run_index``, ``scenario``, ``seed``, the
            parameter columns (dotted paths), every summary outcome, ``wall_time_s``, ``worker``;
            sorted by ``run_index``.
        annual: One row per (run, year): ``run_id``, ``scenario``, ``seed`` and the annual table
            (if the experiment kept it).
        counties: One row per (run, year, county), likewise.
        monthly: One row per (run, month), likewise.
        failures: Runs that failed and have not succeeded since: spec, error type and message,
            traceback, attempts.
        missing: Planned runs neither finished nor failed (an interrupted experiment).
        corrupt: Part files that could not be read (their runs count as missing).
    """

    def __init__(self, directory: str | Path, run_ids: Iterable[str] | None = None,
                 scenarios: Iterable[str] | None = None):
        self.directory = Path(directory)
        self._store = ExperimentStore(self.directory)
        self.manifest = self._store.read_manifest()
        parts, corrupt = self._store.scan()
        self._plan = self._store.plan()
        if self._plan is not None:  # a readable part of some other experiment is not this one's result
            planned = set(self._plan.column("run_id").to_pylist())
            parts = {k: v for k, v in parts.items() if k in planned}
        self._finished = set(parts)
        if run_ids is not None:
            wanted = set(run_ids)
            parts = {k: v for k, v in parts.items() if k in wanted}
        if scenarios is not None:
            wanted_s = set(scenarios)
            ids = self._plan_ids(lambda row: row["scenario"] in wanted_s)
            parts = {k: v for k, v in parts.items() if k in ids}
        self._parts = parts
        self.corrupt: list[tuple[Path, str]] = list(corrupt)

    def _plan_ids(self, keep) -> set[str]:
        if self._plan is None:
            return set()
        rows = self._plan.select(["run_id", "scenario"]).to_pylist()
        return {r["run_id"] for r in rows if keep(r)}

    # -- tables ---------------------------------------------------------------------------------

    @cached_property
    def runs(self) -> Any:
        table = self._read(scalar=True)
        return _sorted_frame(table, ["run_index"])

    @cached_property
    def annual(self) -> Any:
        return self._nested("annual", ["run_index", "year"])

    @cached_property
    def counties(self) -> Any:
        return self._nested("counties", ["run_index", "year", "county"])

    @cached_property
    def monthly(self) -> Any:
        return self._nested("monthly", ["run_index", "year", "month"])

    @cached_property
    def failures(self) -> Any:
        import pandas as pd

        rows = []
        for run_id, rec in self._store.failures().items():
            if run_id in self._finished:
                continue
            error = rec.get("error") or {}
            rows.append({"run_id": run_id, "run_index": rec.get("run_index"), "scenario": rec.get("scenario"),
                         "seed": rec.get("seed"), "overrides": json.dumps(rec.get("overrides", {})),
                         "error_type": error.get("type"), "error": error.get("message"),
                         "traceback": error.get("traceback"), "attempts": rec.get("attempts"),
                         "time": rec.get("time")})
        columns = ["run_id", "run_index", "scenario", "seed", "overrides", "error_type", "error", "traceback",
                   "attempts", "time"]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.sort_values("run_index", kind="stable").reset_index(drop=True)

    @cached_property
    def missing(self) -> Any:
        import pandas as pd

        if self._plan is None:
            return pd.DataFrame()
        plan = self._plan.to_pandas()
        done = self._finished | set(self._store.failures())
        return plan[~plan["run_id"].isin(done)].reset_index(drop=True)

    # -- reading --------------------------------------------------------------------------------

    def _paths(self) -> list[str]:
        return [str(p) for p in self._parts.values()]

    def _schema(self) -> pa.Schema | None:
        paths = self._paths()
        return pq.read_schema(paths[0]) if paths else None

    def _read(self, scalar: bool = False, columns: list[str] | None = None) -> pa.Table:
        """The parts' rows with the given columns (all scalar columns when ``scalar``)."""
        schema = self._schema()
        if schema is None:
            return pa.table({"run_id": pa.array([], pa.string()), "run_index": pa.array([], pa.int64()),
                             "scenario": pa.array([], pa.string()), "seed": pa.array([], pa.int64())})
        if scalar:
            columns = [f.name for f in schema if not pa.types.is_list(f.type)]
        try:
            import pyarrow.dataset as ds

            options = ds.ParquetFragmentScanOptions(page_checksum_verification=True)
            dataset = ds.dataset(self._paths(), format=ds.ParquetFileFormat(default_fragment_scan_options=options),
                                 schema=schema)
            return dataset.to_table(columns=columns)
        except (pa.ArrowException, OSError, ValueError):
            # Parts written by different code versions may differ in columns or types (or one
            # became unreadable since the scan): read them one by one and merge permissively.
            return self._read_one_by_one(scalar, columns)

    def _read_one_by_one(self, scalar: bool, columns: list[str] | None) -> pa.Table:
        tables = []
        for path in self._paths():
            try:
                schema = pq.read_schema(path)
                names = [f.name for f in schema if not pa.types.is_list(f.type)] if scalar else \
                    [c for c in (columns or []) if c in schema.names]
                tables.append(pq.read_table(path, columns=names, page_checksum_verification=True))
            except (pa.ArrowException, OSError, ValueError) as exc:
                self.corrupt.append((Path(path), f"{type(exc).__name__}: {exc}"))
                warnings.warn(f"{path}: unreadable part skipped ({exc}); its run will be redone on --resume",
                              stacklevel=3)
        if not tables:
            return pa.table({"run_id": pa.array([], pa.string())})
        return pa.concat_tables(tables, promote_options="permissive")

    def _nested(self, name: str, order: list[str]) -> Any:
        import pandas as pd

        schema = self._schema()
        kept = self.manifest.get("spec", {}).get("keep", [])
        if schema is None or name not in schema.names:
            if name not in kept and self._parts:
                raise KeyError(f"the experiment in {self.directory} did not keep the {name!r} table "
                               f"(keep: {', '.join(kept)}); add it to 'keep:' and run the experiment again")
            return pd.DataFrame(columns=["run_id", "scenario", "seed"])
        table = self._read(columns=["run_id", "run_index", "scenario", "seed", name])
        if name not in table.column_names:
            return pd.DataFrame(columns=["run_id", "scenario", "seed"])
        pieces = []
        for batch in table.combine_chunks().to_batches():
            lists = batch.column(name)
            if len(lists) == 0:
                continue
            parents = pc.list_parent_indices(lists)
            rows = lists.flatten()
            ident = {c: pc.take(batch.column(c), parents) for c in ("run_id", "run_index", "scenario", "seed")}
            fields = {rows.type.field(i).name: rows.field(i) for i in range(rows.type.num_fields)}
            pieces.append(pa.table({**ident, **{k: v for k, v in fields.items() if k not in ident}}))
        if not pieces:
            return pd.DataFrame(columns=["run_id", "scenario", "seed"])
        merged = pa.concat_tables(pieces, promote_options="permissive")
        frame = _sorted_frame(merged, [c for c in order if c in merged.column_names])
        return frame.drop(columns=["run_index"])


def load(directory: str | Path, run_ids: Iterable[str] | None = None,
         scenarios: Iterable[str] | None = None) -> ExperimentResults:
    """Open an experiment directory for analysis.

    Tables are read lazily: ``load(d).runs`` reads only the scalar columns of every part,
    ``load(d).annual`` only the annual column; ``run_ids``/``scenarios`` restrict which parts are
    read at all.

    Args:
        directory: The experiment directory (``--out`` of ``ruralsim experiment``).
        run_ids: Only these runs.
        scenarios: Only runs of these scenarios.

    Returns:
        An :class:`ExperimentResults` with ``runs``, ``annual``, ``counties``, ``monthly``,
        ``failures``, ``missing`` and ``manifest``.

    Raises:
        StoreError: When ``directory`` is not an experiment directory.
    """
    return ExperimentResults(directory, run_ids=run_ids, scenarios=scenarios)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def _sorted_frame(table: pa.Table, order: list[str]) -> Any:
    if order and table.num_rows:
        table = table.sort_by([(c, "ascending") for c in order])
    return table.to_pandas().reset_index(drop=True)


def _table_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd", write_page_checksum=True)
    return buffer.getvalue()
