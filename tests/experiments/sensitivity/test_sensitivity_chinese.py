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


def test_the_warnings_of_wide_intervals_are_in_chinese():
    """The index figure and the report's sentences say in Chinese which indices cannot be told from zero."""
    import pandas as pd

    from experiments.sensitivity.report import indices_figure
    from experiments.sensitivity.study import interval_warnings

    t = pd.DataFrame({"output": "y", "parameter": ["a", "b", "c"], "kind": ["lever", "uncertainty", "lever"],
                      "S1": [-0.12, 1.42, 0.30], "S1_conf": [0.44, 1.30, 0.05], "ST": [0.29, 1.45, 0.40],
                      "ST_conf": [0.10, 0.75, 0.05]})
    words = interval_warnings(t, "sobol", "zh")
    assert words[0].startswith("y：3 个一阶指数（S1）中有 1 个的95%区间比指数本身还宽（最宽 ±1.3）")
    assert "有 2 个估计值落在 [0, 1] 之外" in words[0] and words[0].endswith("再解读。")
    assert interval_warnings(t, "sobol", "en")[0].startswith("y: 1 of 3 first-order indices (S1)")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from experiments.fonts import figure_fonts

    with warnings.catch_warnings(), figure_fonts("zh"):
        warnings.filterwarnings("error", message=r"(?s).*missing from font")
        fig = indices_figure(t, "sobol", ["y"], "zh")
        FigureCanvasAgg(fig).draw()
    assert "警告：3 个 S1 中的 1 个" in fig.axes[0].get_xlabel().replace("\n", "")
    assert "警告：部分区间比指数本身还宽" in fig.get_suptitle()
