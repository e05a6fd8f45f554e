"""The JSON Schema of one row of a target file, generated from what :mod:`experiments.fit.targets` reads.

A target file is a CSV, so the schema describes a row as an object of text cells: the columns
(:data:`~experiments.fit.targets.REQUIRED_COLUMNS` and the optional ones), the forms of ``year``
and ``value`` (:data:`~experiments.fit.targets.VALUE_FORMS`) and the indicators (the annual table's
columns and the summary keys). CSV tools that validate rows against a JSON Schema, and the
documentation, use it; ``ruralsim validate`` stays the authority.
"""

from __future__ import annotations

from typing import Any

from experiments.fit.targets import OPTIONAL_COLUMNS, REQUIRED_COLUMNS, VALUE_FORMS
from model.metrics import SUMMARY_KEYS
from scenarios.schema import DRAFT

NUMBER = r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?"
#: ``2019`` or ``2021-2024`` (the targets' year cell; empty for summary keys).
YEAR = r"^\s*(\d{4}\s*(-\s*\d{4}\s*)?)?$"
#: A number, ``[lo;hi]``, ``positive``, ``negative``, ``true``, ``false``, ``ratio>K``, ``ratio<K``.
VALUE = rf"^\s*({NUMBER}|\[\s*{NUMBER}\s*;\s*{NUMBER}\s*\]|positive|negative|true|false|ratio\s*[<>]\s*{NUMBER})\s*$"
TOLERANCE = rf"^\s*({NUMBER})?\s*$"

COLUMN_DOCS = {
    "id": "Unique name of the target.",
    "indicator": "A column of the annual table or a summary key.",
    "year": "A year (2019), a range (2021-2024), or empty for summary keys.",
    "value": f"The pattern: {VALUE_FORMS}.",
    "tolerance": "How far the mean may miss (>= 0; relative when the unit says 'relative'); empty: 0.",
    "unit": "Unit of the value; the word 'relative' makes the tolerance a share of the value.",
    "source": "Where the value comes from (a key of data/SOURCES.md).",
    "note": "What the target means.",
    "weight": "Weight in the calibration's distance (default 1).",
}
PATTERNS = {"year": YEAR, "value": VALUE, "tolerance": TOLERANCE, "weight": TOLERANCE}


def target_schema(annual_columns: list[str] | None = None) -> dict[str, Any]:
    """The JSON Schema of one target row (cells as text); ``annual_columns`` are listed as indicators."""
    indicators = sorted(set(annual_columns or []) | set(SUMMARY_KEYS))
    cells: dict[str, Any] = {}
    for column in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS):
        cell: dict[str, Any] = {"type": "string", "description": COLUMN_DOCS[column]}
        if column in PATTERNS:
            cell["pattern"] = PATTERNS[column]
        cells[column] = cell
    cells["id"]["minLength"] = 1
    cells["indicator"]["examples"] = indicators
    return {
        "$schema": DRAFT,
        "$id": "ruralsim/target.schema.json",
        "title": "ruralsim target (one row of a target CSV file)",
        "description": "A pattern the model should reproduce. A target file is a CSV whose header names these "
                       "columns; check one with 'ruralsim validate --targets FILE'.",
        "type": "object",
        "required": list(REQUIRED_COLUMNS),
        "additionalProperties": False,
        "properties": cells,
    }
