"""The parameter table of the ODD description (``docs/ODD.md``), generated from ``Params``.

The table between the markers ``<!-- params:start -->`` and ``<!-- params:end -->`` in
``docs/ODD.md`` is built from :func:`model.params.parameter_table`, so the description cannot drift
from the code: ``ruralsim odd`` rewrites it, ``ruralsim odd --check`` (and ``tests/experiments/cli/test_odd.py``)
fail when it is out of date.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

START_MARKER = "<!-- params:start -->"
END_MARKER = "<!-- params:end -->"
DEFAULT_PATH = "docs/ODD.md"
#: The project root (``docs/ODD.md`` is looked up here when it is not found from the working directory).
ROOT = Path(__file__).resolve().parent.parent

COLUMNS = ("parameter", "unit", "default", "range", "meaning", "source")


def _number(value: Any) -> str:
    """A number as Python writes it (``0.081``, ``6000.0``, ``100000``), booleans as ``true``/``false``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return repr(value)
    return str(value)


def format_default(value: Any) -> str:
    """A default compactly: numbers as written, tuples as ``(a, b)``, schedules as ``{2021: 1.0, 2022: 0.0}``."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key}: {_number(v)}" for key, v in value.items()) + "}"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_number(v) for v in value) + ")"
    return _number(value)


def format_range(lo: Any, hi: Any) -> str:
    """``[lo, hi]``, or ``—`` for parameters without a numeric range (flags)."""
    if lo is None and hi is None:
        return "—"
    return f"[{'-inf' if lo is None else _number(lo)}, {'inf' if hi is None else _number(hi)}]"


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(text).split()).replace("|", "\\|")


def parameter_table_markdown() -> str:
    """The Markdown table of every leaf parameter of ``Params``, in the order of the tree.

    Columns: parameter (dotted path), unit, default (dated levers as compact schedules), range
    ``[lo, hi]`` (the validation bounds, which are also the SALib bounds), meaning and source (a
    key into ``data/SOURCES.md`` as ``src:KEY``, or a stated reason). Dated policy and
    macro levers are marked "(dated)" in the meaning column.
    """
    from model.params import parameter_table

    lines = [
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    for row in parameter_table():
        meaning = ("(dated) " if row["lever"] else "") + row["doc"]
        cells = (
            f"`{row['path']}`",
            _cell(row["unit"]),
            f"`{format_default(row['default'])}`",
            format_range(row["lo"], row["hi"]),
            _cell(meaning),
            _cell(row["source"]),
        )
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def resolve_path(path: str | Path = DEFAULT_PATH) -> Path:
    """``path`` as given when it exists (or is absolute), else relative to the project root."""
    p = Path(path)
    if p.is_absolute() or p.exists():
        return p
    return ROOT / p


def replace_table(text: str, table: str) -> str:
    """``text`` with the block between the parameter markers replaced by ``table``."""
    start = text.find(START_MARKER)
    end = text.find(END_MARKER)
    if start < 0 or end < 0 or end < start:
        raise ValueError(f"the ODD file must contain {START_MARKER} followed by {END_MARKER}")
    return text[: start + len(START_MARKER)] + "\n\n" + table + "\n" + text[end:]


def documented_table(text: str) -> str:
    """The text between the parameter markers, as written in the document."""
    start = text.find(START_MARKER)
    end = text.find(END_MARKER)
    if start < 0 or end < 0 or end < start:
        raise ValueError(f"the ODD file must contain {START_MARKER} followed by {END_MARKER}")
    return text[start + len(START_MARKER): end]


def update_odd(path: str | Path = DEFAULT_PATH, check: bool = False) -> bool:
    """Regenerate the parameter table in the ODD file.

    Args:
        path: the ODD Markdown file (relative paths not found from the working directory are taken
            from the project root).
        check: only compare; never write.

    Returns:
        True when the file's table differs from the generated one (and, unless ``check``, was
        rewritten); False when it was already up to date.

    Raises:
        OSError: the file cannot be read or written.
        ValueError: the file lacks the ``<!-- params:start -->`` / ``<!-- params:end -->`` markers.
    """
    file = resolve_path(path)
    text = file.read_text(encoding="utf-8")
    new = replace_table(text, parameter_table_markdown())
    changed = new != text
    if changed and not check:
        file.write_text(new, encoding="utf-8")
    return changed
