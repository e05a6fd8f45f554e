"""The repository reads nothing outside itself: a fresh clone with nothing beside it runs and
passes its tests. Reference data live in ``data/``."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Folders of the project's own text (code, tests, documents, scenarios, notebooks).
FOLDERS = ("model", "scenarios", "experiments", "tests", "docs", "notebooks", "data", "benchmarks")
SUFFIXES = {".py", ".md", ".yaml", ".yml", ".toml", ".ipynb", ".csv", ".json"}
#: A path that leaves the repository: ``../shared``, ``parents[3] / "shared"`` and the like.
OUTSIDE = re.compile(r"\.\./shared\b|/\s*[\"']shared[\"']|[\"']\.\.[\"']\s*/")


def project_files() -> list[Path]:
    files = [ROOT / "pyproject.toml"]
    for folder in FOLDERS:
        files += [f for f in (ROOT / folder).rglob("*") if f.suffix in SUFFIXES and f.is_file()]
    return files


def test_no_file_reaches_outside_the_repository():
    offenders = []
    for f in project_files():
        if f == Path(__file__).resolve():
            continue
        for n, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            if OUTSIDE.search(line):
                offenders.append(f"{f.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "paths outside the repository:\n" + "\n".join(offenders)


def test_reference_data_are_in_the_repository():
    data = ROOT / "data"
    for name in ("SOURCES.md", "calibration_targets.csv", "macro_drivers.csv", "parameter_evidence.csv"):
        assert (data / name).is_file(), f"data/{name} is missing"
