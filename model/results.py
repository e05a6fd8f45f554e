"""``RunResult``: the tables, scalar outcomes and metadata of one run."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

TABLES = ("annual", "monthly", "counties")
FORMATS = ("parquet", "csv")


@dataclass
class RunResult:
    """Outputs of one run.

    Attributes:
        annual: one row per simulated year (DESIGN §3 columns and more).
        monthly: one row per month (monitoring flows, employment, enterprises, prices).
        counties: one row per (year, county).
        summary: scalar outcomes (``model.metrics.SUMMARY_KEYS`` and ``large_scale_threshold``).
        meta: resolved parameters, seed, versions, git commit, timings.
    """

    annual: pd.DataFrame
    monthly: pd.DataFrame
    counties: pd.DataFrame
    summary: dict[str, Any]
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dir(self, path: str | Path, fmt: str = "parquet") -> Path:
        """Write ``manifest.json``, ``summary.json`` and the three tables into ``path``.

        The directory is written under a temporary name and renamed at the end, so it never exists
        half-written. ``path`` must not exist yet (or be an empty directory).
        """
        if fmt not in FORMATS:
            raise ValueError(f"format {fmt!r} is not one of {', '.join(FORMATS)}")
        path = Path(path)
        if path.exists() and any(path.iterdir()):
            raise FileExistsError(f"{path} exists and is not empty")
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        if tmp.exists():
            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        try:
            self.write_into(tmp, fmt)
            if path.exists():
                path.rmdir()
            tmp.rename(path)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return path

    def write_into(self, directory: Path, fmt: str = "parquet") -> None:
        """Write the files into an existing directory (no atomicity of its own)."""
        directory = Path(directory)
        for name in TABLES:
            df: pd.DataFrame = getattr(self, name)
            if fmt == "parquet":
                df.to_parquet(directory / f"{name}.parquet", index=False)
            else:
                df.to_csv(directory / f"{name}.csv", index=False)
        (directory / "summary.json").write_text(json.dumps(self.summary, indent=2, default=_json_default))
        (directory / "manifest.json").write_text(json.dumps(self.meta, indent=2, default=_json_default))


def _json_default(obj: Any) -> Any:
    if hasattr(obj, "item"):
        return obj.item()
    if isinstance(obj, Path):
        return str(obj)
    raise TypeError(f"{type(obj).__name__} is not JSON serialisable")


def package_versions(names: tuple[str, ...] = ("ruralsim", "mesa", "numpy", "pandas", "pydantic",
                                                 "scipy", "pyarrow")) -> dict[str, str]:
    out = {}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def git_state() -> dict[str, Any]:
    """Commit and dirtiness of the source tree, when it is a git checkout."""
    here = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True,
                                timeout=5).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=5).stdout.strip() != ""
    except (OSError, subprocess.SubprocessError):
        return {"commit": None, "dirty": None}
    return {"commit": commit or None, "dirty": dirty if commit else None}


def environment() -> dict[str, Any]:
    return {"python": sys.version.split()[0], "platform": platform.platform(),
            "packages": package_versions(), "git": git_state()}
