"""Target files: what the model should reproduce, and the rules that say whether it does.

Shipped target files live in ``experiments/targets/`` (``in_sample.csv``: the 2017-2020 patterns
the calibration fits, derived from the reference calibration targets (data/calibration_targets.csv) with
their source keys;
``out_of_sample.csv``: patterns the calibration does not see — the first transition year and
poverty again after exit).

A target file is a CSV with the columns ``id, indicator, year, value, tolerance, unit, source,
note`` and optionally ``weight`` (used by calibration; default 1):

- ``indicator`` names a column of the ``annual`` table or a key of ``summary``
  (``model.metrics.SUMMARY_KEYS``);
- ``year`` is a year (``2019``), an inclusive range (``2021-2024``: the per-run mean over those
  years, or for ``ratio`` the last year over the first) or empty for ``summary`` keys;
- ``value`` is one of
  - a number (a level): passes when ``|mean − value| ≤ tolerance``; the tolerance is relative
    (a share of ``|value|``) when the ``unit`` cell contains the word ``relative``;
  - an interval ``[lo;hi]``: passes when ``lo − tolerance ≤ mean ≤ hi + tolerance``;
  - ``positive`` / ``negative``: passes when ``mean > −tolerance`` / ``mean < tolerance``;
  - ``true`` / ``false`` (flags): the mean is the share of runs (and years) where the flag holds;
    ``true`` passes when it is at least ``1 − tolerance``, ``false`` when at most ``tolerance``
    (empty tolerance: 0.5, a majority);
  - ``ratio>K`` / ``ratio<K`` over a year range: the indicator's last-year value over its first-year
    value, per run; passes when the mean ratio is above ``K − tolerance`` / below ``K + tolerance``;
- ``tolerance`` is a number ≥ 0 or empty (0).

``mean`` is the mean over replications (seeds) of the per-run statistic; reports add its 90%
interval over replications (5th and 95th percentiles).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scenarios import ProblemsError
from scenarios.inputs import MAX_INPUT_BYTES, quote

REQUIRED_COLUMNS = ("id", "indicator", "year", "value", "tolerance", "unit", "source", "note")
OPTIONAL_COLUMNS = ("weight",)
KINDS = ("level", "interval", "positive", "negative", "true", "false", "ratio>", "ratio<")
VALUE_FORMS = "a number, an interval '[lo;hi]', 'positive', 'negative', 'true', 'false', 'ratio>K' or 'ratio<K'"
#: Default tolerance of flag targets: a majority of runs.
FLAG_TOLERANCE = 0.5
#: Share of replications outside the reported interval on each side (90% interval).
INTERVAL_TAIL = 0.05

_YEAR = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4})\s*)?$")
_INTERVAL = re.compile(r"^\[\s*([^;\]]+?)\s*;\s*([^;\]]+?)\s*\]$")
_RATIO = re.compile(r"^ratio\s*([<>])\s*(.+)$")


class TargetError(ProblemsError):
    """A bad target file or target: every problem found, one per line."""


@dataclass(frozen=True)
class Target:
    """One target row.

    Attributes:
        kind: one of ``KINDS``; ``lo``/``hi`` hold the number (level: both the value), the interval
            or the ratio bound ``K``.
        years: ``(first, last)`` or None for summary keys.
        relative: the tolerance is a share of ``|value|`` (levels only).
    """

    id: str
    indicator: str
    years: tuple[int, int] | None
    kind: str
    lo: float
    hi: float
    tolerance: float | None
    relative: bool
    weight: float
    unit: str
    source: str
    note: str
    file: str = ""
    line: int = 0
    value_text: str = ""

    @property
    def year_text(self) -> str:
        if self.years is None:
            return ""
        a, b = self.years
        return str(a) if a == b else f"{a}-{b}"

    @property
    def absolute_tolerance(self) -> float:
        """The tolerance in the indicator's unit (relative tolerances times ``|value|``)."""
        tol = self.tolerance or 0.0
        return tol * abs(self.lo) if self.relative else tol

    @property
    def fittable(self) -> bool:
        """Levels and intervals with a positive tolerance and weight enter the calibration distance."""
        return self.kind in ("level", "interval") and self.absolute_tolerance > 0 and self.weight > 0


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def parse_value(text: str) -> tuple[str, float, float]:
    """``(kind, lo, hi)`` of a value cell; raises ``ValueError`` naming the allowed forms."""
    t = text.strip()
    low = t.lower()
    if low in ("positive", "negative", "true", "false"):
        return low, math.nan, math.nan
    m = _RATIO.match(low)
    if m:
        k = _number(m.group(2))
        return f"ratio{m.group(1)}", k, k
    m = _INTERVAL.match(t)
    if m:
        lo, hi = _number(m.group(1)), _number(m.group(2))
        if lo > hi:
            raise ValueError(f"interval {quote(t)} has lo > hi")
        return "interval", lo, hi
    try:
        v = _number(t)
    except ValueError:
        raise ValueError(f"{quote(t)} is not {VALUE_FORMS}") from None
    return "level", v, v


def parse_years(text: str) -> tuple[int, int] | None:
    """``(first, last)`` of a year cell (``2019`` or ``2021-2024``), None when empty."""
    t = text.strip()
    if not t:
        return None
    m = _YEAR.match(t)
    if not m:
        raise ValueError(f"{quote(t)} is not a year (2019) or a range (2021-2024)")
    a = int(m.group(1))
    b = int(m.group(2) or a)
    if b < a:
        raise ValueError(f"range {quote(t)} ends before it starts")
    return a, b


def read_targets(path: str | Path, indicators: tuple[Iterable[str], Iterable[str]] | None = None,
                 years: tuple[int, int] | None = None) -> list[Target]:
    """Read and check a target file; raises :class:`TargetError` listing every problem
    (file, line, column, value and what is allowed).

    Args:
        path: The CSV file.
        indicators: The annual columns and summary keys a run has (then every row's indicator is
            checked with the rest, :func:`indicator_problem`).
        years: The first and last simulated year (then every row's years must lie within them).
    """
    path = Path(path)
    label = str(path)
    if path.exists() and not path.is_file():
        raise TargetError([f"{label}: not a file; give a CSV target file"])
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_INPUT_BYTES + 1)
        if len(raw) > MAX_INPUT_BYTES:
            raise TargetError([f"{label}: larger than {MAX_INPUT_BYTES:,} bytes; a target file is a few kilobytes "
                               "of CSV"])
        text = raw.decode("utf-8-sig")
    except FileNotFoundError:
        raise TargetError([f"{label}: no such target file"]) from None
    except UnicodeDecodeError as exc:
        raise TargetError([f"{label}: not a UTF-8 text file (byte {exc.start + 1} cannot be decoded); save it as "
                           "UTF-8 CSV"]) from None
    except OSError as exc:
        raise TargetError([f"{label}: cannot read ({exc.strerror or exc})"]) from None
    try:
        rows = list(csv.reader(text.splitlines()))
    except csv.Error as exc:
        raise TargetError([f"{label}: not a readable CSV file ({exc})"]) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise TargetError([f"{label}: empty file; expected a header with the columns {', '.join(REQUIRED_COLUMNS)}"])
    header = [h.strip() for h in rows[0]]
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing:
        problems.append(f"{label}: line 1: missing column(s) {', '.join(missing)}; required: "
                        f"{', '.join(REQUIRED_COLUMNS)} (optional: {', '.join(OPTIONAL_COLUMNS)})")
    if unknown:
        problems.append(f"{label}: line 1: unknown column(s) {', '.join(unknown)}; allowed: "
                        f"{', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}")
    if problems:
        raise TargetError(problems)
    targets: list[Target] = []
    seen: dict[str, int] = {}
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(f"{label}: line {line_no}: {len(row)} cells, the header has {len(header)} "
                            "(quote cells that contain commas)")
            continue
        cell = {h: v.strip() for h, v in zip(header, row, strict=True)}
        target, errs = _parse_row(cell, label, line_no)
        problems += errs
        if indicators is not None and cell["indicator"]:
            if any("column 'year'" in e for e in errs):  # whether it needs a year is moot: only the name
                wrong = None if cell["indicator"] in {*indicators[0], *indicators[1]} - {"year"} else \
                    indicator_problem(cell["indicator"], None, *indicators)
            else:
                wrong = indicator_problem(cell["indicator"], parse_years(cell["year"]), *indicators)
            problems += [f"{label}: line {line_no}, column 'indicator': {wrong}"] if wrong else []
        if years is not None and target is not None and target.years is not None:
            first, last = years
            if target.years[0] < first or target.years[1] > last:
                problems.append(f"{label}: line {line_no}, column 'year': {target.year_text} is outside the simulated "
                                f"years {first}-{last}; give years within them (or simulate more years)")
        if cell["id"] in seen:
            problems.append(f"{label}: line {line_no}, column 'id': {quote(cell['id'])} repeats line "
                            f"{seen[cell['id']]}; "
                            "ids must be unique")
        seen.setdefault(cell["id"], line_no)
        if target is not None:
            targets.append(target)
    if not targets and not problems:
        problems.append(f"{label}: no targets (only a header)")
    if problems:
        raise TargetError(problems)
    return targets


def _parse_row(cell: Mapping[str, str], label: str, line: int) -> tuple[Target | None, list[str]]:
    errs = []

    def bad(column: str, message: str) -> None:
        errs.append(f"{label}: line {line}, column '{column}': {message}")

    if not cell["id"]:
        bad("id", "empty; give each target a unique id")
    if not cell["indicator"]:
        bad("indicator", "empty; name an annual column or a summary key")
    years = None
    try:
        years = parse_years(cell["year"])
    except ValueError as exc:
        bad("year", str(exc))
    kind, lo, hi = "level", math.nan, math.nan
    try:
        kind, lo, hi = parse_value(cell["value"])
    except ValueError as exc:
        bad("value", str(exc) if cell["value"] else f"empty; expected {VALUE_FORMS}")
    tolerance = None
    if cell["tolerance"]:
        try:
            tolerance = _number(cell["tolerance"])
            if tolerance < 0:
                raise ValueError
        except ValueError:
            bad("tolerance", f"{quote(cell['tolerance'])} is not a number >= 0 (or empty)")
            tolerance = None
    weight = 1.0
    if cell.get("weight"):
        try:
            weight = _number(cell["weight"])
            if weight < 0:
                raise ValueError
        except ValueError:
            bad("weight", f"{quote(cell['weight'])} is not a number >= 0 (or empty: 1)")
    relative = "relative" in cell["unit"].lower()
    if relative and kind != "level":
        bad("unit", f"a relative tolerance needs a level value (a number), not {quote(cell['value'])}")
    if relative and kind == "level" and lo == 0:
        bad("unit", "a relative tolerance of a zero level is zero; give an absolute tolerance")
    if kind.startswith("ratio") and (years is None or years[0] == years[1]):
        bad("year", f"{quote(cell['value'])} compares the last year with the first; give a range like 2017-2020")
    if errs:
        return None, errs
    return Target(id=cell["id"], indicator=cell["indicator"], years=years, kind=kind, lo=lo, hi=hi,
                  tolerance=tolerance, relative=relative, weight=weight, unit=cell["unit"], source=cell["source"],
                  note=cell["note"], file=label, line=line, value_text=cell["value"]), []


def read_all(paths: Iterable[str | Path], indicators: tuple[Iterable[str], Iterable[str]] | None = None,
             years: tuple[int, int] | None = None) -> list[Target]:
    """All targets of several files (ids unique across them); every problem of every file at once
    (``indicators`` and ``years`` as for :func:`read_targets`)."""
    problems: list[str] = []
    out: list[Target] = []
    indicators = None if indicators is None else (list(indicators[0]), list(indicators[1]))
    for p in paths:
        try:
            out += read_targets(p, indicators, years)
        except TargetError as exc:
            problems += exc.problems
    seen: dict[str, Target] = {}
    for t in out:
        if t.id in seen and seen[t.id].file != t.file:
            problems.append(f"{t.file}: line {t.line}, column 'id': {quote(t.id)} is also in {seen[t.id].file} "
                            f"(line {seen[t.id].line}); ids must be unique across target files")
        seen.setdefault(t.id, t)
    if problems:
        raise TargetError(problems)
    return out


def indicator_problem(indicator: str, years: tuple[int, int] | None, annual_columns: Iterable[str],
                      summary_keys: Iterable[str]) -> str | None:
    """Why ``indicator`` (with ``years``) names no annual column (with a year) or summary key
    (without one); None when it does."""
    annual = set(annual_columns) - {"year"}
    summary = set(summary_keys)
    if indicator in annual:
        return None if years is not None else f"{quote(indicator)} is an annual column and needs a year or a range"
    if indicator in summary:
        return None if years is None else (f"{quote(indicator)} is a summary key (one value per run); leave the "
                                           "year empty")
    return (f"unknown indicator {quote(indicator)}; known annual columns: {', '.join(sorted(annual))}; known summary "
            f"keys: {', '.join(sorted(summary))}")


def check_indicators(targets: Sequence[Target], annual_columns: Iterable[str], summary_keys: Iterable[str]) -> None:
    """Every indicator must name an annual column (with a year) or a summary key (without one);
    raises :class:`TargetError` listing the known names."""
    annual, summary = list(annual_columns), list(summary_keys)
    problems = []
    for t in targets:
        wrong = indicator_problem(t.indicator, t.years, annual, summary)
        if wrong:
            problems.append(f"{t.file}: line {t.line}, column 'indicator': {wrong}")
    if problems:
        raise TargetError(problems)


def run_statistic(target: Target, annual, summary: Mapping) -> float:
    """The per-run statistic of a target from one run's ``annual`` table and ``summary``: the
    summary value, the mean over the year range, or the last-over-first ratio. Flags count as 0/1.
    NaN when the run does not cover the years."""
    if target.years is None:
        return float(summary[target.indicator])
    a, b = target.years
    rows = annual[(annual["year"] >= a) & (annual["year"] <= b)]
    if len(rows) != b - a + 1:
        return math.nan
    values = rows.sort_values("year")[target.indicator].astype(float).to_numpy()
    if target.kind.startswith("ratio"):
        return float(values[-1] / values[0]) if values[0] != 0 else math.nan
    return float(values.mean())


def passes(target: Target, mean: float) -> bool:
    """Whether the mean over replications meets the target (module docstring)."""
    if not math.isfinite(mean):
        return False
    tol = target.absolute_tolerance
    k = target.kind
    if k == "level":
        return abs(mean - target.lo) <= tol * (1 + 1e-12)
    if k == "interval":
        return target.lo - tol <= mean <= target.hi + tol
    if k == "positive":
        return mean > -tol
    if k == "negative":
        return mean < tol
    flag_tol = FLAG_TOLERANCE if target.tolerance is None else target.tolerance
    if k == "true":
        return mean >= 1.0 - flag_tol
    if k == "false":
        return mean <= flag_tol
    if k == "ratio>":
        return mean > target.lo - tol
    if k == "ratio<":
        return mean < target.hi + tol
    raise ValueError(f"unknown target kind {quote(k)}")


def gap(target: Target, mean: float) -> float:
    """Distance of the mean from the target in tolerance units (0 inside an interval): the term
    whose square enters the calibration distance. Only for :attr:`Target.fittable` targets."""
    scale = target.absolute_tolerance
    if target.kind == "level":
        return (mean - target.lo) / scale
    if target.kind == "interval":
        return max(target.lo - mean, 0.0, mean - target.hi) / scale
    raise ValueError(f"target {quote(target.id)} ({target.kind}) has no distance")


def distance(targets: Sequence[Target], means: Sequence[float]) -> tuple[float, list[float]]:
    """Weighted distance ``Σ w_i g_i² / Σ w_i`` over fittable targets (``g`` = :func:`gap`), and each
    target's contribution ``w_i g_i² / Σ w_i`` (0 for targets that are not fittable). A mean that is
    not finite (the run did not reach the year) counts as a gap of 10 tolerances."""
    fit = [t.fittable for t in targets]
    total_w = sum(t.weight for t, f in zip(targets, fit, strict=True) if f)
    if total_w <= 0:
        raise TargetError(["no fittable targets: give levels or intervals with a tolerance > 0 and weight > 0"])
    contrib = []
    for t, m, f in zip(targets, means, fit, strict=True):
        if not f:
            contrib.append(0.0)
            continue
        g = gap(t, m) if math.isfinite(m) else 10.0
        contrib.append(t.weight * g * g / total_w)
    return float(sum(contrib)), contrib


def summarise_runs(target: Target, statistics: Sequence[float]) -> dict:
    """Mean, 90% interval over replications and pass/fail of one target."""
    x = np.asarray(statistics, dtype=float)
    ok = x[np.isfinite(x)]
    mean = float(ok.mean()) if len(ok) == len(x) and len(x) else math.nan
    lo = float(np.quantile(ok, INTERVAL_TAIL)) if len(ok) else math.nan
    hi = float(np.quantile(ok, 1 - INTERVAL_TAIL)) if len(ok) else math.nan
    return {
        "id": target.id, "indicator": target.indicator, "year": target.year_text, "value": target.value_text,
        "tolerance": target.tolerance, "relative_tolerance": target.relative, "unit": target.unit,
        "simulated_mean": mean, "simulated_p05": lo, "simulated_p95": hi, "n_runs": int(len(x)),
        "pass": bool(passes(target, mean)), "source": target.source, "note": target.note,
    }
