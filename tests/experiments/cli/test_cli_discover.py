"""``ruralsim discover`` end to end: a tiny province in this process, a report either way, bad options."""

from __future__ import annotations

import textwrap

import pandas as pd
import pytest
from typer.testing import CliRunner

from experiments.cli.main import app


@pytest.mark.slow
def test_cli_discover_end_to_end(tmp_path):
    """12 Latin-hypercube points x 1 seed of a tiny province, in this process; a report either way."""
    path = tmp_path / "small.yaml"
    path.write_text(textwrap.dedent("""
        name: small
        description: Tiny discovery problem.
        base: transition
        households: 1500
        counties: 2
        years: 2
        reps: 1
        uncertainties:
          shocks.illness.p_year: {bounds: [0.06, 0.20]}
        levers:
          policy.monitoring.coverage: {bounds: [0.3, 1.0]}
        outputs: [large_scale_relapse]
    """))
    out = tmp_path / "d"
    result = CliRunner().invoke(app, ["discover", str(path), "--n", "12", "--in-process", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "runs (" in result.output and (out / "report.html").is_file()
    runs = pd.read_csv(out / "runs.csv")
    assert len(runs) == 12 and set(runs["large_scale_relapse"].unique()) <= {True, False}
    # with 12 runs PRIM cannot work (fewer than 10 with or without): the report says why
    assert "No box" in result.output and "too " in (out / "report.html").read_text()
    bad = CliRunner().invoke(app, ["discover", str(path), "--threshold", "1.5", "--out", str(tmp_path / "e")])
    assert bad.exit_code == 2 and bad.stderr.startswith("error:") and "--threshold 1.5" in bad.stderr
    assert "whole percents" in bad.stderr
