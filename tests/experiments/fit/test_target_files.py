"""Target files: parsing of every value form, pass/fail rules, the calibration distance, errors."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from experiments.fit import targets
from experiments.fit.replications import IN_SAMPLE

HEADER = "id,indicator,year,value,tolerance,unit,source,note"


def write(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    p = tmp_path / "t.csv"
    p.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return p


def target(value: str, tolerance: str = "", unit: str = "share", year: str = "2019",
           weight: str = "") -> targets.Target:
    kind, lo, hi = targets.parse_value(value)
    return targets.Target(id="x", indicator="poverty_rate", years=targets.parse_years(year), kind=kind, lo=lo, hi=hi,
                     tolerance=float(tolerance) if tolerance else None, relative="relative" in unit,
                     weight=float(weight) if weight else 1.0, unit=unit, source="", note="", value_text=value)


@pytest.mark.parametrize(("text", "expected"), [
    ("0.031", ("level", 0.031, 0.031)),
    (" 12588 ", ("level", 12588.0, 12588.0)),
    ("-0.5", ("level", -0.5, -0.5)),
    ("[0;0.01]", ("interval", 0.0, 0.01)),
    ("[ -1 ; 2.5 ]", ("interval", -1.0, 2.5)),
    ("positive", ("positive", math.nan, math.nan)),
    ("Negative", ("negative", math.nan, math.nan)),
    ("true", ("true", math.nan, math.nan)),
    ("FALSE", ("false", math.nan, math.nan)),
    ("ratio>1", ("ratio>", 1.0, 1.0)),
    ("ratio < 0.8", ("ratio<", 0.8, 0.8)),
])
def test_every_value_form(text, expected):
    kind, lo, hi = targets.parse_value(text)
    assert kind == expected[0]
    for got, want in ((lo, expected[1]), (hi, expected[2])):
        assert (math.isnan(got) and math.isnan(want)) or got == want


@pytest.mark.parametrize("text", ["abc", "[1;0]", "[1,2]", "ratio>x", "nan", "inf", ""])
def test_bad_values(text):
    with pytest.raises(ValueError):
        targets.parse_value(text)


def test_years():
    assert targets.parse_years("2019") == (2019, 2019)
    assert targets.parse_years("2021-2024") == (2021, 2024)
    assert targets.parse_years(" 2021 - 2024 ") == (2021, 2024)
    assert targets.parse_years("") is None
    for bad in ("2024-2021", "19", "2021/2024", "2021-"):
        with pytest.raises(ValueError):
            targets.parse_years(bad)


def test_file_round_trip_and_relative_tolerance(tmp_path):
    p = write(tmp_path,
              "inc,income_pc_fpc_yuan,2017,9377,0.05,yuan/person/year; relative tolerance,C6,n",
              "hc,poverty_rate,2021-2024,[0;0.01],0.002,share,A10,",
              'flag,large_scale_relapse,,false,,flag,"trap 5, no figure","note with, comma"',
              header=HEADER)
    inc, hc, flag = targets.read_targets(p)
    assert (inc.kind, inc.years, inc.relative) == ("level", (2017, 2017), True)
    assert inc.absolute_tolerance == pytest.approx(0.05 * 9377, abs=1e-9)
    assert (hc.kind, hc.years, hc.lo, hc.hi, hc.absolute_tolerance) == ("interval", (2021, 2024), 0.0, 0.01, 0.002)
    assert (flag.kind, flag.years, flag.tolerance, flag.source) == ("false", None, None, "trap 5, no figure")
    assert inc.line == 2 and flag.line == 4 and inc.weight == 1.0


def test_shipped_in_sample_targets_parse_and_cite_sources():
    ts = targets.read_all([IN_SAMPLE, IN_SAMPLE.with_name("out_of_sample.csv")])
    # out of sample: the first transition year (one target reaches back to 2020 for the rise) and 2023
    assert [t.years for t in ts if t.file.endswith("out_of_sample.csv")] == [(2021, 2021), (2021, 2021),
                                                                             (2021, 2021), (2020, 2021),
                                                                             (2023, 2023)]
    ts = targets.read_targets(IN_SAMPLE)
    assert len(ts) >= 20
    assert all(t.source for t in ts)
    assert sum(t.fittable for t in ts) >= 15
    assert {t.indicator for t in ts} >= {"poverty_rate", "income_pc_fpc_yuan", "income_growth_fpc_real",
                                         "wage_share_fpc", "transfer_share_fpc", "migrant_share_fp_labour"}


def test_bad_csv_errors_name_file_line_column_and_value(tmp_path):
    p = write(tmp_path,
              "a,poverty_rate,2019,lots,0.01,share,A9,",
              "b,poverty_rate,20x9,0.006,0.01,share,A9,",
              "c,poverty_rate,2019,0.006,-1,share,A9,",
              "d,poverty_rate,2019,[0;1],0.1,share relative,A9,",
              "e,poverty_rate,2019,ratio>1,0,ratio,A9,",
              "a,poverty_rate,2019,0.006,0.01,share,A9,",
              "f,poverty_rate,2019,0.006",
              )
    with pytest.raises(targets.TargetError) as exc:
        targets.read_targets(p)
    msgs = exc.value.problems
    text = "\n".join(msgs)
    assert f"{p}: line 2, column 'value': 'lots' is not a number, an interval" in text
    assert f"{p}: line 3, column 'year': '20x9' is not a year" in text
    assert f"{p}: line 4, column 'tolerance': '-1' is not a number >= 0" in text
    assert f"{p}: line 5, column 'unit': a relative tolerance needs a level value" in text
    assert f"{p}: line 6, column 'year': 'ratio>1' compares the last year with the first" in text
    assert f"{p}: line 7, column 'id': 'a' repeats line 2" in text
    assert f"{p}: line 8: 4 cells, the header has 8" in text
    assert len(msgs) == 7


def test_header_errors(tmp_path):
    p = write(tmp_path, "a,poverty_rate,2019,0.1,0.01", header="id,indicator,year,value,tol")
    with pytest.raises(targets.TargetError) as exc:
        targets.read_targets(p)
    text = str(exc.value)
    assert "line 1: missing column(s) tolerance, unit, source, note" in text
    assert "line 1: unknown column(s) tol" in text
    with pytest.raises(targets.TargetError, match="no such target file"):
        targets.read_targets(tmp_path / "absent.csv")
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    with pytest.raises(targets.TargetError, match="empty file"):
        targets.read_targets(empty)


def test_pass_fail_rules():
    assert targets.passes(target("0.03", "0.01"), 0.039)
    assert not targets.passes(target("0.03", "0.01"), 0.0401)
    assert targets.passes(target("1000", "0.05", unit="yuan; relative"), 1049.0)
    assert not targets.passes(target("1000", "0.05", unit="yuan; relative"), 949.0)
    assert targets.passes(target("[0;0.01]", "0.002"), 0.0119)
    assert not targets.passes(target("[0;0.01]", "0.002"), 0.0121)
    assert not targets.passes(target("[0;0.01]"), -0.0001)
    assert targets.passes(target("positive"), 1e-9) and not targets.passes(target("positive"), 0.0)
    assert targets.passes(target("positive", "0.01"), -0.005)
    assert targets.passes(target("negative"), -0.1) and not targets.passes(target("negative"), 0.1)
    assert targets.passes(target("true"), 0.5) and not targets.passes(target("true"), 0.49)
    assert targets.passes(target("true", "0.1"), 0.9) and not targets.passes(target("true", "0.1"), 0.89)
    assert targets.passes(target("false"), 0.5) and not targets.passes(target("false", "0"), 0.05)
    assert targets.passes(target("ratio>1", year="2017-2020"), 1.01)
    assert not targets.passes(target("ratio>1", year="2017-2020"), 1.0)
    assert targets.passes(target("ratio<0.8", "0.05", year="2017-2020"), 0.84)
    assert not targets.passes(target("0.03", "0.01"), math.nan)


def test_distance_is_the_weighted_mean_of_squared_gaps_in_tolerance_units():
    ts = [target("10", "2", weight="1"), target("[0;1]", "0.5", weight="3"), target("positive", weight="5"),
          target("1000", "0.1", unit="yuan relative", weight="4")]
    # gaps: (13-10)/2 = 1.5; (2-1)/0.5 = 2; not fittable; (950-1000)/100 = -0.5
    d, contrib = targets.distance(ts, [13.0, 2.0, 7.0, 950.0])
    total_w = 1 + 3 + 4
    assert contrib == pytest.approx([2.25 / total_w, 12.0 / total_w, 0.0, 1.0 / total_w], abs=1e-15)
    assert d == pytest.approx(15.25 / 8, abs=1e-15)
    assert targets.distance(ts, [10.0, 0.5, -1.0, 1000.0])[0] == 0.0
    # a target the runs did not reach counts as ten tolerances away
    assert targets.distance([target("10", "2")], [math.nan])[0] == 100.0
    with pytest.raises(targets.TargetError, match="no fittable targets"):
        targets.distance([target("positive")], [1.0])


def test_run_statistics_and_indicator_check():
    annual = pd.DataFrame({"year": [2017, 2018, 2019, 2020], "poverty_rate": [0.04, 0.03, 0.02, 0.01],
                           "three_excesses": [True, False, True, True]})
    assert targets.run_statistic(target("0.02", "0.01", year="2018-2020"), annual, {}) == pytest.approx(0.02)
    assert targets.run_statistic(target("ratio<1", year="2017-2020"), annual, {}) == pytest.approx(0.25)
    assert math.isnan(targets.run_statistic(target("0.02", "0.01", year="2020-2021"), annual, {}))
    flag = targets.Target(id="f", indicator="three_excesses", years=(2017, 2020), kind="true", lo=math.nan, hi=math.nan,
                     tolerance=None, relative=False, weight=1.0, unit="", source="", note="")
    assert targets.run_statistic(flag, annual, {}) == 0.75
    summ = targets.Target(id="s", indicator="gini_final", years=None, kind="level", lo=0.3, hi=0.3, tolerance=0.1,
                     relative=False, weight=1.0, unit="", source="", note="")
    assert targets.run_statistic(summ, annual, {"gini_final": 0.33}) == 0.33
    targets.check_indicators([flag, summ], annual.columns, ["gini_final"])
    unknown = targets.Target(id="u", indicator="povety_rate", years=(2019, 2019), kind="level", lo=0.0, hi=0.0,
                        tolerance=0.1, relative=False, weight=1.0, unit="", source="", note="", file="f.csv", line=3)
    with pytest.raises(targets.TargetError) as exc:
        targets.check_indicators([unknown, summ], annual.columns, ["gini_final"])
    text = str(exc.value)
    assert "f.csv: line 3, column 'indicator': unknown indicator 'povety_rate'" in text
    assert "known annual columns: poverty_rate, three_excesses" in text and "known summary keys: gini_final" in text


def test_summary_of_runs():
    t = target("5", "1")
    row = targets.summarise_runs(t, [float(v) for v in range(1, 10)])
    assert row["simulated_mean"] == 5.0 and row["pass"] is True and row["n_runs"] == 9
    assert row["simulated_p05"] == pytest.approx(1.4) and row["simulated_p95"] == pytest.approx(8.6)
    assert math.isnan(targets.summarise_runs(t, [1.0, math.nan])["simulated_mean"])
