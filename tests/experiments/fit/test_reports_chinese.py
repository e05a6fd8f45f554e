"""``validate`` and ``discover`` with ``--lang zh``: Chinese reports and figures without missing glyphs."""

from __future__ import annotations

import textwrap
import warnings

import pytest
from typer.testing import CliRunner

from experiments.cli.main import app

GLYPHS = r"(?s).*missing from font"


def _invoke(*args: str):
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=GLYPHS)
        return CliRunner().invoke(app, list(args))


@pytest.mark.slow
def test_validation_report_in_chinese(tmp_path):
    out = tmp_path / "v"
    result = _invoke("validate", "--seeds", "2", "--households", "800", "--counties", "3", "--out", str(out),
                     "--lang", "zh")
    assert result.exit_code == 0, (result.output, result.exception)
    assert "个目标中" in result.stdout
    html = (out / "validation.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "的验证：得分" in html and "模拟平均值" in html
    assert "<td>贫困发生率</td>" in html  # indicators by their glossary names
    assert "请谨慎解读" in html and "2 次重复模拟不足以支撑" in html and "请使用 20 次或更多" in html  # the warning
    assert "warning: 2 次重复模拟不足以支撑" in result.stderr
    assert (out / "glossary.html").is_file()
    assert "总得分" in (out / "validation.md").read_text(encoding="utf-8")
    assert (out / "figures" / "targets.png").is_file()


@pytest.mark.slow
def test_discovery_report_in_chinese(tmp_path):
    path = tmp_path / "small.yaml"
    path.write_text(textwrap.dedent("""
        name: small
        description: Tiny discovery problem.
        base: transition
        households: 1200
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
    result = _invoke("discover", str(path), "--n", "12", "--in-process", "--out", str(out), "--lang", "zh")
    assert result.exit_code == 0, (result.output, result.exception)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "在什么条件下会发生规模性返贫" in html
    assert "没有盒子" in html and "无法运行 PRIM" in html  # 12 runs: too few for PRIM, said in Chinese
    assert (out / "glossary.html").is_file()
