"""The ODD description (docs/ODD.md) agrees with the code.

- Its parameter table is the one generated from ``Params`` (``uv run ruralsim odd`` regenerates it).
- Every parameter path is described in the text, not only listed in the table.
- The numbered step list of its section 3 is the one in the docstring of ``model/model.py``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from experiments.cli.main import app
from experiments.odd import (
    END_MARKER,
    START_MARKER,
    documented_table,
    parameter_table_markdown,
    replace_table,
    update_odd,
)
from model.params import leaf_paths

ROOT = Path(__file__).resolve().parents[3]
ODD = ROOT / "docs" / "ODD.md"
MODEL_PY = ROOT / "model" / "model.py"

#: A top-level numbered step: "1. **Calendar and policy** — ...".
STEP = re.compile(r"^(\d+)\.\s+\*\*(.+?)\*\*", re.MULTILINE)


def odd_text() -> str:
    return ODD.read_text(encoding="utf-8")


def section(text: str, number: int) -> str:
    """The body of the top-level section ``## <number>. ...`` up to the next top-level heading."""
    match = re.search(rf"^## {number}\.[^\n]*\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert match, f"docs/ODD.md has no section '## {number}.'"
    return match.group(1)


def steps(text: str) -> list[tuple[int, str]]:
    return [(int(n), " ".join(title.split())) for n, title in STEP.findall(text)]


def test_parameter_table_is_up_to_date():
    assert not update_odd(ODD, check=True), (
        "the parameter table in docs/ODD.md differs from Params; run `uv run ruralsim odd` to regenerate it")


def test_documented_table_equals_generated_table():
    assert documented_table(odd_text()).strip() == parameter_table_markdown().strip(), (
        "the parameter table in docs/ODD.md differs from Params; run `uv run ruralsim odd` to regenerate it")


def test_every_parameter_row_is_in_the_table():
    table = documented_table(odd_text())
    missing = [p for p in leaf_paths() if f"| `{p}` |" not in table]
    assert not missing, f"parameters missing from the ODD table: {missing}; run `uv run ruralsim odd`"


def test_every_parameter_is_described_in_the_text():
    text = odd_text()
    start, end = text.index(START_MARKER), text.index(END_MARKER)
    prose = text[:start] + text[end:]
    missing = [p for p in leaf_paths() if not re.search(rf"(?<![\w.]){re.escape(p)}(?!\w)", prose)]
    assert not missing, (
        f"parameters not described in the text of docs/ODD.md (outside the generated table): {missing}; "
        "say where each is used (section 5 or 7)")


def test_step_numbering_matches_model_docstring():
    doc = ast.get_docstring(ast.parse(MODEL_PY.read_text(encoding="utf-8")))
    assert doc, "model/model.py has no module docstring"
    model_steps = steps(doc)
    assert [n for n, _ in model_steps] == list(range(1, len(model_steps) + 1)), (
        f"model/model.py's docstring steps are not numbered 1..n: {model_steps}")
    assert model_steps, "no numbered steps ('1. **Title** ...') found in model/model.py's docstring"
    odd_steps = steps(section(odd_text(), 3))
    assert odd_steps == model_steps, (
        "the numbered steps of docs/ODD.md section 3 differ from model/model.py's docstring:\n"
        f"  ODD:   {odd_steps}\n  model: {model_steps}")


def test_odd_has_all_sections():
    text = odd_text()
    for number in range(1, 8):
        assert section(text, number).strip()


def test_update_odd_rewrites_a_stale_table(tmp_path: Path):
    stale = tmp_path / "ODD.md"
    stale.write_text(f"# ODD\n\n{START_MARKER}\n| old |\n{END_MARKER}\n\nafter\n", encoding="utf-8")
    assert update_odd(stale, check=True)
    assert "| old |" in stale.read_text(encoding="utf-8")  # check mode never writes
    assert update_odd(stale)
    text = stale.read_text(encoding="utf-8")
    assert "| old |" not in text
    assert text.endswith(f"{END_MARKER}\n\nafter\n")
    assert documented_table(text).strip() == parameter_table_markdown().strip()
    assert not update_odd(stale)


def test_replace_table_requires_markers():
    with pytest.raises(ValueError, match="params:start"):
        replace_table("no markers here", "| t |\n")


def test_cli_odd_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    runner = CliRunner()
    stale = tmp_path / "docs" / "ODD.md"
    stale.parent.mkdir()
    stale.write_text(f"{START_MARKER}\n{END_MARKER}\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["odd", "--check"])
    assert result.exit_code == 1, result.output
    assert "ruralsim odd" in result.stderr
    result = runner.invoke(app, ["odd"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["odd", "--check"])
    assert result.exit_code == 0, result.output
