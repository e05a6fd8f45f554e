"""The glossary and the languages: every output and lever named in English and Chinese, the
language chosen by --lang, RURALSIM_LANG or the locale, and ``ruralsim outputs``."""

from __future__ import annotations

import re
import string

import pytest
from typer.testing import CliRunner

from experiments import catalogue, glossary, i18n
from experiments.cli.main import app
from model.indicators import INDICATORS, TERMS, UNITS

CJK = re.compile(r"[\u4e00-\u9fff]")
runner = CliRunner()


@pytest.fixture(scope="module")
def tiny_run():
    from model import Params, run

    return run(Params().with_overrides({"population.n_households": 400, "population.n_counties": 3,
                                        "sim.n_years": 2}), seed=3)


def test_every_output_of_a_run_has_a_glossary_entry(tiny_run):
    """Fails when the model gains a summary key or a table column without a name in model/indicators.py."""
    from model.metrics import SUMMARY_KEYS

    names = {*SUMMARY_KEYS, *tiny_run.summary, *tiny_run.annual.columns, *tiny_run.monthly.columns,
             *tiny_run.counties.columns}
    missing = sorted(n for n in names if n not in INDICATORS)
    assert not missing, f"outputs without a glossary entry in model/indicators.py: {missing}"


def test_every_app_indicator_has_a_glossary_entry():
    from experiments.app.lockstep import INDICATORS as APP_INDICATORS

    assert not [n for n in APP_INDICATORS if n not in INDICATORS]


def test_entries_are_complete_in_both_languages():
    for ind in INDICATORS.values():
        assert ind.kind in UNITS, ind.name
        assert ind.en and ind.definition_en, ind.name
        assert CJK.search(ind.zh) and CJK.search(ind.definition_zh), ind.name
    for term in TERMS.values():
        assert CJK.search(term.zh) and CJK.search(term.definition_zh), term.name


def test_every_lever_has_a_chinese_name():
    levers = glossary.lever_paths()
    assert len(levers) >= 20
    missing = [p for p in levers if p not in catalogue.PARAMETER_NAMES]
    assert not missing, f"levers without a name in experiments/catalogue.py: {missing}"
    assert all(CJK.search(zh) for _, zh in catalogue.PARAMETER_NAMES.values())


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_messages_have_both_languages_with_the_same_fields():
    for key, (en, zh) in catalogue.MESSAGES.items():
        assert en.strip() and zh.strip(), key
        assert _fields(en) == _fields(zh), key


def test_language_from_option_environment_and_locale():
    assert i18n.check_lang("zh-CN") == "zh" and i18n.check_lang("EN") == "en"
    with pytest.raises(i18n.LangError, match="allowed: en or zh"):
        i18n.check_lang("fr")
    assert i18n.locale_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.locale_lang({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.locale_lang({"LANG": "C.UTF-8"}) == "en"
    assert i18n.locale_lang({}) == "en"
    assert i18n.default_lang({"RURALSIM_LANG": "zh", "LANG": "en_GB.UTF-8"}) == "zh"
    assert i18n.default_lang({"LANG": "zh_TW.UTF-8"}) == "zh"
    with pytest.raises(i18n.LangError, match="RURALSIM_LANG"):
        i18n.default_lang({"RURALSIM_LANG": "klingon"})


def test_tr_fills_fields_in_the_language_asked():
    assert i18n.tr("num.of", "en", k=3, n=20) == "3 of 20"
    assert i18n.tr("num.of", "zh", k=3, n=20) == "20次中3次"
    assert i18n.scenario_label("abrupt_withdrawal", "zh") == "急刹车式退出（abrupt_withdrawal）"
    assert i18n.scenario_label("transition+stress_disaster", "en") == "transition+stress_disaster"
    assert i18n.scenario_label("my_file", "zh") == "my_file"


def test_outputs_lists_everything_and_explains_one():
    result = runner.invoke(app, ["outputs"])
    assert result.exit_code == 0, result.output
    for name in ("relapse_cum_share", "policy.monitoring.coverage", "dibao", "county_codes"):
        assert name in result.stdout
    result = runner.invoke(app, ["outputs", "large_scale_relapse", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert "规模性返贫" in result.stdout and "比例" in result.stdout  # a probability (share), no longer a yes/no flag
    result = runner.invoke(app, ["outputs", "policy.monitoring.coverage"])
    assert "0–1" in result.stdout and "监测排查覆盖率" in result.stdout


def test_outputs_unknown_name_is_bad_input_with_suggestions():
    result = runner.invoke(app, ["outputs", "relapse_rte"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and "did you mean relapse_rate" in result.stderr


def test_bad_language_is_bad_input(monkeypatch):
    result = runner.invoke(app, ["outputs", "--lang", "fr"])
    assert result.exit_code == 2 and "--lang is 'fr'; allowed: en or zh" in result.stderr
    monkeypatch.setenv("RURALSIM_LANG", "fr")
    result = runner.invoke(app, ["scenarios"])
    assert result.exit_code == 2 and "RURALSIM_LANG is 'fr'" in result.stderr


def test_glossary_page_carries_its_language(tmp_path):
    path = glossary.write_glossary(tmp_path, "zh")
    text = path.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text and "Noto Sans CJK SC" in text
    assert 'id="relapse_cum_share"' in text and "累计返贫脱贫户占比" in text
    assert "监测排查覆盖率" in text


def test_every_outcome_the_commands_report_is_named_in_both_languages():
    """One source of names: the glossary (model.indicators) for the model's outputs and the catalogue for
    the outcomes the commands derive; experiments/outcomes.py holds each outcome's range and how its
    value is shown, and a name for every one of them."""
    from experiments import outcomes

    assert set(outcomes.SHOWN) == set(outcomes.RANGES)
    for name in outcomes.RANGES:
        en, zh = i18n.outcome_label(name, "en"), i18n.outcome_label(name, "zh")
        assert en != name.replace("_", " ").capitalize() and not CJK.search(en), (name, en)
        assert CJK.search(zh), (name, zh)
    assert i18n.outcome_label("relapse_events_total", "zh") == "模拟期返贫户次合计"
    assert i18n.outcome_label("relapse_rate_peak", "en") == INDICATORS["relapse_rate_peak"].en
