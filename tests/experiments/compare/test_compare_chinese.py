"""``ruralsim compare --lang zh``: a Chinese brief whose figures have every glyph, and English by default.

matplotlib warns "Glyph ... missing from font(s) ..." when a character has no glyph in the fonts of
a figure (it then draws an empty box); here that warning is an error.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from experiments.cli.main import app

cli = CliRunner()
TINY = ("--households", "2000", "--counties", "3", "--years", "2", "--seeds", "2", "--in-process")
CJK = re.compile(r"[\u4e00-\u9fff]")
pytestmark = pytest.mark.usefixtures("one_thread_per_run")


@pytest.fixture(scope="module")
def compared_zh(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("cmpzh") / "out"
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"(?s).*missing from font")
        result = cli.invoke(app, ["compare", "transition", "abrupt_withdrawal", *TINY, "--out", str(out),
                                  "--lang", "zh"])
    assert result.exit_code == 0, (result.output, result.exception)
    return out, result.stdout, result.stderr


def test_chinese_report_and_glossary(compared_zh):
    out, stdout, _ = compared_zh
    report = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in report and "Noto Sans CJK SC" in report
    for text in ("主要结论", "所用定义", "规模性返贫", "急刹车式退出（abrupt_withdrawal）", "过渡期官方路径", "亿元",
                 'href="glossary.html"', "三个高于"):
        assert text in report, text
    assert "The question" not in report and "Main findings" not in report
    glossary = (out / "glossary.html").read_text(encoding="utf-8")
    assert "累计返贫脱贫户占比" in glossary and 'lang="zh-CN"' in glossary
    # the terminal summary is in Chinese too
    assert "累计返贫脱贫户占比" in stdout and "报告：" in stdout


def test_the_warnings_of_too_few_replications_are_in_chinese(compared_zh):
    out, _, stderr = compared_zh
    report = (out / "report.html").read_text(encoding="utf-8")
    box = report.split('<div class="note warning">', 1)[1].split("</div>", 1)[0]
    assert "请谨慎解读" in box and "本次比较的模拟次数不足以支撑部分数值" in box
    for text in ("2 次重复模拟不足以支撑区间估计", "2 次重复模拟不足以支撑概率估计", "请使用 20 次或更多"):
        assert text in box, text
    assert "Read with care" not in report and "too few" not in report
    assert "warning: 2 次重复模拟不足以支撑区间估计" in stderr


def test_chinese_figures_are_written(compared_zh):
    out, _, _ = compared_zh
    for name in ("fan_charts", "county_heatmap", "large_scale_probability", "three_excesses", "cost_vs_averted"):
        assert (out / f"{name}.png").stat().st_size > 10_000, name


def test_english_stays_the_default(tmp_path):
    out = tmp_path / "en"
    result = cli.invoke(app, ["compare", "transition", "abrupt_withdrawal", *TINY, "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = (out / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in report and "Main findings" in report
    assert "Read with care" in report and "2 replications are too few for the intervals" in report
    assert not CJK.search(report.split("<body>", 1)[1].split("glossary.html")[0].replace("急刹车", ""))


def _draw(text: str, lang: str) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from experiments.fonts import figure_fonts

    with figure_fonts(lang):
        fig = Figure(figsize=(3, 1))
        fig.text(0.1, 0.5, text)
        FigureCanvasAgg(fig).draw()


def test_missing_glyphs_are_caught_without_the_chinese_font(monkeypatch):
    """The check can fail: matplotlib's own font alone has no Chinese glyph."""
    import experiments.fonts as fonts

    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=r"(?s).*missing from font")
        _draw("规模性返贫 急刹车", "zh")  # with Noto Sans CJK SC: no warning
        _draw("规模性返贫 急刹车", "en")  # English figures fall back to it
        monkeypatch.setattr(fonts, "families", lambda lang: [fonts.LATIN_FAMILY])
        with pytest.raises(UserWarning, match="missing from font"):
            _draw("规模性返贫", "zh")
