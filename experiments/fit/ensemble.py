"""Parameter ensembles: weighted parameter sets from an ABC-SMC fit, stored as data.

An ensemble file is a CSV whose first lines are a manifest of ``# key: value`` comment lines (what
was fitted, when, to which targets, on how many households and seeds, the final tolerance), then a
header ``particle, <dotted parameter paths...>, weight[, distance]`` and one row per parameter set.

- every parameter column names a numeric parameter of ``Params`` (``model.params.check_path``) and
  its values lie in the parameter's valid range;
- ``weight`` is a finite number >= 0 (importance weights of the last ABC-SMC population; they need
  not sum to one, they are normalised when read) and at least one is above 0;
- ``distance`` (optional) is the particle's distance in tolerance units, a finite number >= 0;
- ``particle`` is a unique whole number >= 0.

:func:`read_ensemble` reports every problem at once (file, line, column, value, what is allowed).

Draws (:func:`draw_index`): a replication with seed ``s`` uses the parameter set drawn (by weight)
from a random stream keyed by ``s`` alone, so every scenario of that replication gets the same set
(paired comparisons stay paired) whatever the scenarios, the executor or the number of workers.
Seeds come in pairs ``{2k-1, 2k}`` that share their draw (:data:`REPS_PER_SET`): the replications
of one parameter set then differ only by chance, which lets a comparison tell the variance due to
chance from the variance due to the parameters (:mod:`experiments.compare.uncertainty`).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from model.params import ParamsError, bounds, check_path
from scenarios import ProblemsError
from scenarios.inputs import MAX_INPUT_BYTES, file_label, quote

#: The shipped ensemble of the calibrated 2017-2020 history.
SHIPPED_ENSEMBLE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline_ensemble.csv"
FORMAT = "ruralsim-ensemble/1"
#: Replications that share one parameter draw (seeds 2k-1 and 2k).
REPS_PER_SET = 2
#: Domain of the draw stream, so that it is independent of every stream of the model (model.rng).
DRAW_STREAM = 0x454E53  # "ENS"
RESERVED = ("particle", "weight", "distance")


class EnsembleError(ProblemsError):
    """A missing or invalid ensemble file: every problem found, one per line."""


@dataclass(frozen=True)
class Ensemble:
    """Weighted parameter sets.

    Attributes:
        paths: The dotted parameter paths, in the file's column order.
        values: One row per parameter set, one column per path.
        weights: Normalised weights (sum 1).
        particles: The particle numbers.
        distances: Each set's distance (NaN when the file has none).
        manifest: The ``# key: value`` lines of the file.
        source: The file read ('' when built in memory).
    """

    paths: tuple[str, ...]
    values: np.ndarray
    weights: np.ndarray
    particles: tuple[int, ...]
    distances: np.ndarray
    manifest: dict[str, str] = field(default_factory=dict)
    source: str = ""

    def __len__(self) -> int:
        return len(self.weights)

    def overrides(self, index: int) -> dict[str, float]:
        """The dotted-path overrides of parameter set ``index``."""
        return {p: float(v) for p, v in zip(self.paths, self.values[index], strict=True)}

    def mean(self) -> dict[str, float]:
        """Weighted mean of each parameter."""
        return {p: float(np.dot(self.weights, self.values[:, j])) for j, p in enumerate(self.paths)}

    def sd(self) -> dict[str, float]:
        """Weighted standard deviation of each parameter."""
        mean = self.mean()
        return {p: float(math.sqrt(max(np.dot(self.weights, (self.values[:, j] - mean[p]) ** 2), 0.0)))
                for j, p in enumerate(self.paths)}

    def quantile(self, q: float) -> dict[str, float]:
        """Weighted quantile ``q`` of each parameter (the smallest value whose cumulative weight reaches q)."""
        out = {}
        for j, p in enumerate(self.paths):
            order = np.argsort(self.values[:, j], kind="stable")
            cum = np.cumsum(self.weights[order])
            k = int(np.searchsorted(cum, q * cum[-1] - 1e-12))
            out[p] = float(self.values[order[min(k, len(order) - 1)], j])
        return out

    @property
    def effective_size(self) -> float:
        """Kish's effective sample size ``1 / Σ w²``."""
        return float(1.0 / np.sum(self.weights ** 2))


def draw_group(seed: int) -> int:
    """The draw group of a replication seed: seeds ``2k-1`` and ``2k`` share group ``k``."""
    return (int(seed) + 1) // REPS_PER_SET


def draw_index(ensemble: Ensemble, seed: int) -> int:
    """The parameter set of the replication with ``seed``: drawn by weight from a stream keyed by
    the seed's draw group only (:func:`draw_group`)."""
    rng = np.random.default_rng(np.random.SeedSequence([DRAW_STREAM, draw_group(seed)]))
    u = rng.random()
    cum = np.cumsum(ensemble.weights)
    return int(min(np.searchsorted(cum, u * cum[-1], side="right"), len(cum) - 1))


def draws(ensemble: Ensemble, seeds: Sequence[int]) -> dict[int, int]:
    """Seed → parameter-set index for every seed."""
    return {int(s): draw_index(ensemble, s) for s in seeds}


# --------------------------------------------------------------------------------------------
# Writing and reading
# --------------------------------------------------------------------------------------------


def ensemble_text(paths: Sequence[str], values: np.ndarray, weights: Sequence[float],
                  distances: Sequence[float] | None, manifest: Mapping[str, str]) -> str:
    """The file text of an ensemble (weights written as given, values to 6 significant digits)."""
    buf = io.StringIO()
    buf.write(f"# format: {FORMAT}\n")
    for key, value in manifest.items():
        text = " ".join(str(value).split())
        buf.write(f"# {key}: {text}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["particle", *paths, "weight", *(["distance"] if distances is not None else [])])
    for i, row in enumerate(np.asarray(values, dtype=float)):
        cells = [i, *(f"{v:.6g}" for v in row), f"{float(weights[i]):.6g}"]
        if distances is not None:
            cells.append(f"{float(distances[i]):.6g}")
        w.writerow(cells)
    return buf.getvalue()


def _read_text(path: Path) -> str:
    label = file_label(path)
    if path.exists() and not path.is_file():
        raise EnsembleError([f"{label}: not a file; give a CSV ensemble file (as written by 'ruralsim calibrate "
                             "--method abc')"])
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise EnsembleError([f"{label}: no such ensemble file; build one with 'ruralsim calibrate --method abc' "
                             "or give an existing file"]) from None
    except OSError as exc:
        raise EnsembleError([f"{label}: cannot read ({exc.strerror or exc})"]) from None
    if len(raw) > MAX_INPUT_BYTES:
        raise EnsembleError([f"{label}: larger than {MAX_INPUT_BYTES:,} bytes; an ensemble is a few hundred rows"])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EnsembleError([f"{label}: not a UTF-8 text file (byte {exc.start + 1} cannot be decoded)"]) from None


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _non_negative(text: str) -> float:
    """A finite number >= 0 from a cell; NaN when it is not one."""
    try:
        v = _number(text)
    except ValueError:
        return math.nan
    return v if v >= 0 else math.nan


def read_ensemble(path: str | Path) -> Ensemble:
    """Read and check an ensemble file; raises :class:`EnsembleError` listing every problem."""
    path = Path(path)
    label = file_label(path)
    lines = _read_text(path).splitlines()
    manifest: dict[str, str] = {}
    first = 0
    while first < len(lines) and (lines[first].startswith("#") or not lines[first].strip()):
        body = lines[first].lstrip("#").strip()
        if ":" in body:
            key, value = body.split(":", 1)
            manifest[key.strip()] = value.strip()
        first += 1
    problems: list[str] = []
    if manifest.get("format", FORMAT) != FORMAT:
        problems.append(f"{label}: line 1: format {quote(manifest['format'])} is not {FORMAT}")
    try:
        rows = list(csv.reader(lines[first:]))
    except csv.Error as exc:
        raise EnsembleError([f"{label}: not a readable CSV file ({exc})"]) from None
    if not rows:
        raise EnsembleError([f"{label}: no header; expected 'particle', parameter paths, 'weight' (and optionally "
                             "'distance')"])
    header = [h.strip() for h in rows[0]]
    header_line = first + 1
    for column in ("particle", "weight"):
        if column not in header:
            problems.append(f"{label}: line {header_line}: missing column {quote(column)}; the columns are "
                            "'particle', the parameter paths, 'weight' and optionally 'distance'")
    paths: list[str] = []
    ranges: dict[str, tuple[float, float]] = {}
    seen: set[str] = set()
    for h in header:
        if h in seen:
            problems.append(f"{label}: line {header_line}: column {quote(h)} appears twice")
        seen.add(h)
        if h in RESERVED:
            continue
        err = check_path(h)
        if err:
            problems.append(f"{label}: line {header_line}, column {quote(h)}: {err}")
            continue
        try:
            ranges[h] = bounds(h)
        except ParamsError as exc:
            problems.append(f"{label}: line {header_line}, column {quote(h)}: {'; '.join(exc.problems)}")
            continue
        paths.append(h)
    if not paths and not problems:
        problems.append(f"{label}: line {header_line}: no parameter columns; name numeric parameters by their "
                        "dotted paths")
    if problems:
        raise EnsembleError(problems)
    values, weights, particles, distances = [], [], [], []
    seen_particles: dict[int, int] = {}
    for offset, row in enumerate(rows[1:], start=1):
        line = header_line + offset
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            problems.append(f"{label}: line {line}: {len(row)} cells, the header has {len(header)}")
            continue
        cell = {h: c.strip() for h, c in zip(header, row, strict=True)}
        bad = False

        def wrong(column: str, allowed: str, line=line, cell=cell) -> None:
            nonlocal bad
            bad = True
            problems.append(f"{label}: line {line}, column {quote(column)}: {quote(cell[column])} is not {allowed}")

        try:
            particle = int(cell["particle"])
            if particle < 0:
                raise ValueError
            if particle in seen_particles:
                problems.append(f"{label}: line {line}, column 'particle': {particle} repeats line "
                                f"{seen_particles[particle]}; particle numbers must be unique")
                bad = True
            seen_particles.setdefault(particle, line)
        except ValueError:
            wrong("particle", "a whole number >= 0")
            particle = -1
        row_values = []
        for p in paths:
            lo, hi = ranges[p]
            try:
                v = _number(cell[p])
                if not lo <= v <= hi:
                    raise ValueError
                row_values.append(v)
            except ValueError:
                wrong(p, f"a number in the parameter's valid range [{lo:g}, {hi:g}]")
        w = _non_negative(cell["weight"])
        if math.isnan(w):
            wrong("weight", "a finite number >= 0")
        d = math.nan
        if "distance" in cell and cell["distance"]:
            d = _non_negative(cell["distance"])
            if math.isnan(d):
                wrong("distance", "a finite number >= 0 (or empty)")
        if not bad:
            values.append(row_values)
            weights.append(w)
            particles.append(particle)
            distances.append(d)
    if not problems and not weights:
        problems.append(f"{label}: no parameter sets (only a header)")
    if not problems and sum(weights) <= 0:
        problems.append(f"{label}: column 'weight': every weight is 0; at least one must be above 0")
    if problems:
        raise EnsembleError(problems)
    w = np.asarray(weights, dtype=float)
    return Ensemble(tuple(paths), np.asarray(values, dtype=float), w / w.sum(), tuple(particles),
                    np.asarray(distances, dtype=float), manifest, label)
