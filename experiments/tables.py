"""The tables a command writes, in the format the user chose (``--format csv`` or ``parquet``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

#: Table formats every command offers, and the file suffix of each.
FORMATS = {"csv": ".csv", "parquet": ".parquet"}


def format_problems(fmt: str) -> list[str]:
    """Problems with a ``--format`` value (none when it is one of :data:`FORMATS`)."""
    if fmt.strip().lower() in FORMATS:
        return []
    return [f"--format {fmt!r} is not a table format; allowed: {', '.join(FORMATS)}"]


def write_table(frame: Any, directory: Path, stem: str, fmt: str = "csv") -> Path:
    """``frame`` as ``directory/stem.csv`` or ``.parquet``; returns the path written."""
    fmt = fmt.strip().lower()
    path = Path(directory) / f"{stem}{FORMATS[fmt]}"
    if fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False)
    return path
