"""What a comparison leaves on disk: the tables, the figures, ``manifest.json`` and ``report.html``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from experiments.compare.comparison import (
    LEVEL,
    PRECISION_OUTCOME,
    Comparison,
    annual_bands,
    county_relapse,
    exceedance_curve,
    outcome_columns,
    three_excesses_table,
)
from experiments.compare.figures import write_figures
from experiments.compare.report import write_report
from experiments.files import jsonable, timestamped_dir, write_json
from experiments.glossary import write_glossary
from experiments.i18n import resolve
from experiments.tables import write_table

RUN_COLUMNS = ("scenario", "seed", "run_id")


def write_outputs(comparison: Comparison, directory: Path, fmt: str = "csv", lang: str | None = None) -> list[Path]:
    """Write the tables (``fmt``: csv or parquet), figures, manifest, report and glossary of ``comparison``
    into ``directory``; the figures and the words in ``lang`` (None: the language in force)."""
    directory = Path(directory)
    lang = resolve(lang)
    written = [write_table(comparison.table, directory, "comparison", fmt)]
    runs = comparison.runs
    columns = [*RUN_COLUMNS, "parameter_set", *outcome_columns(runs), "wall_time_s", "worker"]
    runs_out = runs[[c for c in columns if c in runs.columns]].sort_values(["seed", "scenario"], kind="stable")
    runs_out = runs_out.assign(paired=runs_out["seed"].isin(comparison.seeds))
    written.append(write_table(runs_out, directory, "runs", fmt))
    for name, frame in (("annual_bands", annual_bands(comparison.annual, comparison.seeds)),
                        ("county_relapse", county_relapse(comparison.counties, comparison.seeds)),
                        ("exceedance", exceedance_curve(comparison.table, comparison.settings.scenarios)),
                        ("three_excesses", three_excesses_table(comparison.annual, comparison.seeds))):
        written.append(write_table(frame, directory, name, fmt))
    if comparison.uncertainty is not None:
        written.append(write_table(comparison.uncertainty, directory, "parameter_uncertainty", fmt))
    figures = write_figures(comparison, directory, lang)
    written += list(figures.values())
    manifest = directory / "manifest.json"
    write_json(manifest, manifest_data(comparison))
    written.append(manifest)
    written.append(write_report(comparison, figures, directory / "report.html", lang))
    written.append(write_glossary(directory, lang))
    return written


def manifest_data(comparison: Comparison) -> dict[str, Any]:
    """What was compared, how, and with which code."""
    from model.results import environment

    s = comparison.settings
    env = environment()
    precision = comparison.precision
    return {
        "format": "ruralsim-comparison/1",
        "created": datetime.now().astimezone().isoformat(timespec="seconds"),
        "scenarios": list(s.scenarios), "reference": s.reference,
        "scenario_overrides": {n: jsonable(sc.overrides) for n, sc in comparison.scenarios.items()},
        "size": jsonable(s.size_overrides), "seed_base": s.seed_base,
        "seeds_run": comparison.all_seeds, "seeds_paired": comparison.seeds,
        "replications": comparison.n_reps, "level": LEVEL,
        "precision": None if precision is None else {
            "target_half_width": s.precision, "outcome": PRECISION_OUTCOME, "cap": s.max_reps,
            "reached": precision.reached, "half_widths": precision.half_widths, "batches": precision.history},
        "failed_runs": int(len(comparison.failures)),
        "parameter_uncertainty": None if s.ensemble is None else {
            "ensemble": s.ensemble.source, "manifest": s.ensemble.manifest, "parameter_sets": len(s.ensemble),
            "paths": list(s.ensemble.paths), "replications_per_draw": _reps_per_set(),
            "draws": {str(k): int(v) for k, v in _draws(comparison).items()}},
        "executor": comparison.workers_text, "wall_time_s": round(comparison.wall_time_s, 2),
        "code": env["git"], "packages": env["packages"], "python": env["python"], "platform": env["platform"],
    }


def default_out_dir(now: datetime | None = None) -> Path:
    """``runs/compare-YYYYmmdd-HHMMSS`` (with a suffix if it exists already)."""
    return timestamped_dir("compare", now)


def _reps_per_set() -> int:
    from experiments.fit.ensemble import REPS_PER_SET

    return REPS_PER_SET


def _draws(comparison: Comparison) -> dict[int, int]:
    """Seed → particle number of the parameter set it ran."""
    runs = comparison.runs
    if "parameter_set" not in runs.columns or runs.empty:
        return {}
    return dict(runs.drop_duplicates("seed").set_index("seed")["parameter_set"].sort_index().items())
