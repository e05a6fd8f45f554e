"""``ruralsim sensitivity --lang zh``: a Chinese report, findings and figures (no missing glyph)."""

from __future__ import annotations

import textwrap
import warnings

import pytest
from typer.testing import CliRunner

from experiments.cli.main import app

SMALL = """
name: small
description: Does monitoring reach or illness drive relapse in a tiny province?
base: transition
households: 1200
counties: 2
years: 2
reps: 2
uncertainties:
  shocks.illness.p_year: {bounds: [0.06, 0.20]}
levers:
  policy.monitoring.coverage: {bounds: [0.3, 1.0]}
  withdrawal_year: {bounds: [2022, 2023]}
withdrawal:
  levers: [policy.assistance.industrial.intensity]
outputs: [relapse_rate_peak, relapse_cum_share]
"""


@pytest.mark.slow
def test_sensitivity_report_in_chinese(tmp_path):
    problem = tmp_path / "small.yaml"
    problem.write_text(textwrap.dedent(SMALL))
    out = tmp_path / "sa"
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"(?s).*missing from font")
        result = CliRunner().invoke(app, ["sensitivity", str(problem), "--method", "morris", "--n", "2",
                                          "--in-process", "--out", str(out), "--lang", "zh"])
    assert result.exit_code == 0, (result.output, result.exception)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "哪些政策杠杆对规模性返贫风险最重要" in html
    assert "监测排查覆盖率" in html and "开始撤出精准帮扶的年份" in html and 'href="glossary.html"' in html
    assert "在政策杠杆中" in html or "没有变化" in html
    assert (out / "glossary.html").is_file()
    assert "在政策杠杆中" in result.stdout or "没有变化" in result.stdout
