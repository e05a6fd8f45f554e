"""Replications of one scenario for validation and calibration, and their target table.

Replication ``i`` uses seed ``seed_base + i``, so every candidate of a calibration and every
scenario of a validation sees the same random histories (common random numbers). Runs are
in-process and sequential: results do not depend on how many cores are free.
"""

from __future__ import annotations

import math
import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

import model
from experiments.fit import targets as tf
from model.metrics import SUMMARY_KEYS
from scenarios import load_scenario

#: Directory of the shipped target files.
TARGET_DIR = Path(__file__).resolve().parents[1] / "targets"
IN_SAMPLE = TARGET_DIR / "in_sample.csv"


@dataclass
class Replications:
    """Annual tables and summaries of the replications of one parameter set."""

    seeds: list[int]
    annual: list[pd.DataFrame]
    summary: list[dict[str, Any]]

    def statistics(self, target: tf.Target) -> list[float]:
        """The target's per-run statistic for every replication."""
        return [tf.run_statistic(target, a, s) for a, s in zip(self.annual, self.summary, strict=True)]

    def annual_long(self) -> pd.DataFrame:
        """All annual rows with a ``seed`` column."""
        return pd.concat([a.assign(seed=s) for a, s in zip(self.annual, self.seeds, strict=True)], ignore_index=True)


def size_overrides(households: int | None, counties: int | None, years: int | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if households is not None:
        out["population.n_households"] = int(households)
    if counties is not None:
        out["population.n_counties"] = int(counties)
    if years is not None:
        out["sim.n_years"] = int(years)
    return out


def replicate(params: model.Params, seeds: Sequence[int], targets: Sequence[tf.Target] | None = None,
              progress: Callable[[int, int], None] | None = None) -> Replications:
    """Run ``params`` once per seed. With ``targets``, their indicators are checked against the
    first run's tables before the others run (an unknown indicator fails fast)."""
    annual, summary = [], []
    for k, seed in enumerate(seeds):
        r = model.run(params, seed=int(seed), collect_monthly=False)
        if k == 0 and targets is not None:
            tf.check_indicators(targets, r.annual.columns, set(r.summary) | set(SUMMARY_KEYS))
        annual.append(r.annual)
        summary.append(r.summary)
        if progress is not None:
            progress(k + 1, len(seeds))
    return Replications(list(map(int, seeds)), annual, summary)


def target_rows(targets: Sequence[tf.Target], reps: Replications) -> list[dict[str, Any]]:
    """One row per target: mean, 90% interval over replications, tolerance, pass/fail."""
    return [tf.summarise_runs(t, reps.statistics(t)) for t in targets]


def load_params(scenario: str, overrides: Mapping[str, Any]) -> model.Params:
    return load_scenario(scenario, dict(overrides)).params




def check_out_dir(out: Path) -> str | None:
    """A message when ``out`` cannot receive results (exists and is not an empty directory)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        return f"--out {out} already exists and is not an empty directory; choose another --out"
    return None


def write_atomically(out: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp)`` on a temporary sibling directory, then rename it to ``out``: a result
    directory never exists half-written."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        write(tmp)
        if out.exists():
            out.rmdir()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def fmt(value: Any, unit: str = "") -> str:
    """A number for a report table: yuan with separators, shares with 3-4 significant digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        v = float(value)
        if not math.isfinite(v):
            return "n/a"
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        return f"{v:.4g}"
    return str(value)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in r) + " |")
    return "\n".join(lines)


def html_table(header: Sequence[str], rows: Sequence[Sequence[Any]], classes: Sequence[str] | None = None) -> str:
    from html import escape

    out = ["<table>", "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>"]
    for i, r in enumerate(rows):
        cls = f' class="{classes[i]}"' if classes else ""
        out.append(f"<tr{cls}>" + "".join(f"<td>{escape(str(c))}</td>" for c in r) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


HTML_STYLE = """<style>
body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}
th{background:#f0f0f0}tr.fail td{background:#fde8e8}tr.pass td{background:#eaf6ea}img{max-width:100%}
</style>"""
