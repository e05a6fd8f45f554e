"""``ruralsim compare`` end to end (tiny province, this process), its bad input and its faults.

End-to-end runs use a tiny province (3,000 households, 4 counties, 3 years, 3 replications) in this
process, one thread per run.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from experiments.cli.main import app
from experiments.compare import comparison, formats
from model.metrics import SUMMARY_KEYS
from scenarios import load_scenario

cli = CliRunner()
TINY = ("--households", "3000", "--counties", "4", "--years", "3")
E2E_SCENARIOS = ("transition", "abrupt_withdrawal", "transition+stress_price_collapse")
pytestmark = pytest.mark.usefixtures("one_thread_per_run")


# --------------------------------------------------------------------------------------------
# End to end through the command line (tiny province, this process)
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compared(tmp_path_factory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("cmp") / "out"
    result = cli.invoke(app, ["compare", *E2E_SCENARIOS, *TINY, "--seeds", "3", "--in-process", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out, result


def test_compare_writes_every_output_atomically(compared):
    out, result = compared
    for name in ("comparison.csv", "runs.csv", "annual_bands.csv", "county_relapse.csv", "exceedance.csv",
                 "three_excesses.csv",
                 "manifest.json", "report.html", "fan_charts.png", "county_heatmap.png",
                 "large_scale_probability.png", "exceedance_curve.png", "three_excesses.png", "cost_vs_averted.png"):
        assert (out / name).is_file(), name
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # no temporary directory left
    assert "Formerly poor households that relapsed at least once" in result.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds_paired"] == [1, 2, 3] and manifest["reference"] == "transition"
    assert manifest["size"]["population.n_households"] == 3000


def test_comparison_table_is_tidy_and_complete(compared):
    out, _ = compared
    table = pd.read_csv(out / "comparison.csv")
    assert list(table.columns) == ["scenario", "outcome", "statistic", "value"]
    assert not table.duplicated(["scenario", "outcome", "statistic"]).any()
    for name in E2E_SCENARIOS:
        rows = table[table["scenario"] == name]
        assert set(SUMMARY_KEYS) <= set(rows["outcome"])
        stats = set(rows[rows["outcome"] == "relapse_cum_share"]["statistic"])
        assert {"n", "mean", "ci_low", "ci_high"} <= stats
        assert ("diff_mean" in stats) == (name != "transition")
        assert ("pairing_ratio" in stats) == (name != "transition")
        ls = rows[rows["outcome"] == "large_scale_relapse"].set_index("statistic")["value"]
        assert 0 <= ls["ci_low"] <= ls["mean"] <= ls["ci_high"] <= 1
        exc = rows[rows["outcome"].str.startswith("large_scale_p_") & (rows["statistic"] == "mean")]
        assert len(exc) == 10 and exc["value"].between(0, 1).all()


def test_differences_are_paired_by_seed(compared):
    out, _ = compared
    runs = pd.read_csv(out / "runs.csv")
    assert sorted(runs["seed"].unique()) == [1, 2, 3] and len(runs) == 9
    table = pd.read_csv(out / "comparison.csv")
    wide = runs.pivot(index="seed", columns="scenario", values="relapse_cum_share")
    diffs = wide["abrupt_withdrawal"] - wide["transition"]
    got = table.set_index(["scenario", "outcome", "statistic"])["value"]
    assert got["abrupt_withdrawal", "relapse_cum_share", "diff_mean"] == pytest.approx(diffs.mean(), rel=1e-9)
    assert got["abrupt_withdrawal", "relapse_cum_share", "diff_sd"] == pytest.approx(diffs.std(), rel=1e-9)
    assert got["abrupt_withdrawal", "relapse_cum_share", "mean"] == pytest.approx(wide["abrupt_withdrawal"].mean())


def test_same_seed_means_same_shocks_across_scenarios(compared):
    """Common random numbers: in 2021 (before any policy differs) transition and abrupt withdrawal
    are identical seed by seed; the price collapse leaves 2021-2022 untouched; seeds differ."""
    from experiments import load

    out, _ = compared
    annual = pd.concat([load(d).annual for d in sorted((out / "store").iterdir())], ignore_index=True)
    annual = annual.drop(columns=["run_id"]).set_index(["scenario", "seed", "year"]).sort_index()
    for seed in (1, 2, 3):
        pd.testing.assert_series_equal(annual.loc[("transition", seed, 2021)],
                                       annual.loc[("abrupt_withdrawal", seed, 2021)], check_names=False)
        for year in (2021, 2022):
            pd.testing.assert_series_equal(annual.loc[("transition", seed, year)],
                                           annual.loc[("transition+stress_price_collapse", seed, year)],
                                           check_names=False)
        assert not annual.loc[("transition", seed, 2022)].equals(annual.loc[("abrupt_withdrawal", seed, 2022)])
    assert not annual.loc[("transition", 1, 2021)].equals(annual.loc[("transition", 2, 2021)])


def test_report_has_every_scenario_and_the_headline_numbers(compared):
    out, _ = compared
    report = (out / "report.html").read_text(encoding="utf-8")
    table = pd.read_csv(out / "comparison.csv").set_index(["scenario", "outcome", "statistic"])["value"]
    for name in E2E_SCENARIOS:
        assert f"<th>{name}</th>" in report or f"<th>{name} (reference)</th>" in report
        for outcome in comparison.HEADLINE:
            stat = "mean"
            assert formats.format_value(outcome, table[name, outcome, stat]) in report, (name, outcome)
            if name != "transition":
                diff = formats.format_value(outcome, table[name, outcome, "diff_mean"], diff=True)
                assert diff in report, (name, outcome)
    # the formats carry units: a share in percent, money in billions of yuan
    assert re.fullmatch(r"\d+\.\d\d%", formats.format_value("relapse_cum_share", 0.0642))
    assert formats.format_value("fiscal_cost_total_yuan", 64.19e9) == "64.19 bn yuan"
    assert formats.format_value("relapse_cum_share", 0.0388, diff=True) == "+3.88 pp"


def test_report_is_self_contained_and_states_its_definitions(compared):
    out, _ = compared
    report = (out / "report.html").read_text(encoding="utf-8")
    assert report.count('src="data:image/png;base64,') == 6  # five figures and the exceedance curve
    assert "http://" not in report and "https://" not in report
    for text in ("The question", "Definitions used", "What differs between the paths", "reaches 5% of its formerly",
                 "4,000 yuan", "6,000 yuan from 2021", "Price of the main characteristic industry",
                 "commit", "Newcombe", "Wilson"):
        assert text in report, text
    for story in (load_scenario(n).description.split("\n\n")[-1][:60] for n in E2E_SCENARIOS):
        assert story.replace('"', "&quot;").replace("'", "&#x27;") in report


def test_comparison_is_reproducible(compared, tmp_path):
    """The same seeds give the same comparison (here through the Python API)."""
    out, _ = compared
    settings = comparison.CompareSettings(scenarios=list(E2E_SCENARIOS), reps=3, households=3000, counties=4, years=3,
                                   inprocess=True)
    again = comparison.run_comparison(settings, comparison.prepare(settings), tmp_path)
    before = pd.read_csv(out / "comparison.csv")
    pd.testing.assert_frame_equal(again.table.reset_index(drop=True),
                                  before.astype({"value": float}), check_exact=False, rtol=1e-9)


def test_precision_option_reports_how_many_replications_it_took(tmp_path):
    out = tmp_path / "p"
    result = cli.invoke(app, ["compare", "transition", "abrupt_withdrawal", *TINY, "--precision", "0.02",
                              "--in-process", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Precision reached after 10 replications" in result.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["precision"]["reached"] and manifest["replications"] == 10
    assert manifest["precision"]["half_widths"]["abrupt_withdrawal"] < 0.02
    assert "Precision reached after 10 replications" in (out / "report.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------
# Bad input: exit 2, one paragraph starting with 'error:', nothing written
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "fragments"), [
    (["transitoin", "abrupt_withdrawal"], ["unknown scenario", "did you mean 'transition'", "continuation"]),
    (["transition", "transition+stress_disastre"], ["stress_disastre", "did you mean 'stress_disaster'"]),
    (["transition", "abrupt_withdrawal", "--seeds", "5", "--precision", "0.01"], ["--seeds 5", "--precision 0.01",
                                                                                  "cannot be combined"]),
    (["continuation", "abrupt_withdrawal"], ["--reference 'transition' is not among", "continuation"]),
    (["transition", "abrupt_withdrawal", "--reference", "nosuch"], ["--reference 'nosuch'", "unknown scenario"]),
    (["transition"], ["at least one other"]),
    (["transition", "abrupt_withdrawal", "transition"], ["'transition' is named twice"]),
    (["transition", "abrupt_withdrawal", "--precision", "0"], ["--precision 0", "between 0 and 1"]),
    (["transition", "abrupt_withdrawal", "--precision", "-0.1"], ["--precision -0.1"]),
    (["transition", "abrupt_withdrawal", "--precision", "5"], ["--precision 5", "e.g. 0.005"]),
    (["transition", "abrupt_withdrawal", "--seeds", "1"], ["--seeds 1", "allowed 2"]),
    (["transition", "abrupt_withdrawal", "--max-seeds", "50"], ["--max-seeds 50", "only with --precision"]),
    (["transition", "abrupt_withdrawal", "--first-seed", "-1"], ["--first-seed", "-1"]),
    (["transition", "abrupt_withdrawal", "--format", "xlsx"], ["--format 'xlsx'", "csv, parquet"]),
    (["transition", "abrupt_withdrawal", "--bogus"], ["No such option: --bogus", "ruralsim compare --help"]),
    (["transition", "abrupt_withdrawal", "--workers", "0"], ["--workers 0"]),
    (["transition", "abrupt_withdrawal", "--households", "10"], ["population.n_households", "allowed range"]),
    (["transition", "abrupt_withdrawal", "--set", "shocks.ilness.p_year=0.2"], ["unknown parameter",
                                                                               "shocks.illness.p_year"]),
])
def test_bad_input_exits_2_before_anything_runs(args, fragments, tmp_path):
    out = tmp_path / "out"
    result = cli.invoke(app, ["compare", *args, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error:"), result.stderr
    assert "Traceback" not in result.output
    assert "\n\n" not in result.stderr.strip()
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_existing_output_directory_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("precious")
    result = cli.invoke(app, ["compare", "transition", "abrupt_withdrawal", *TINY, "--out", str(out)])
    assert result.exit_code == 2 and result.stderr.startswith("error:") and "--out" in result.stderr
    assert (out / "keep.txt").read_text() == "precious"


def test_default_scenarios_load_with_the_default_reference():
    settings = comparison.CompareSettings(scenarios=list(comparison.DEFAULT_SCENARIOS))
    loaded = comparison.prepare(settings)
    assert list(loaded) == ["transition", "continuation", "gradual_phaseout", "abrupt_withdrawal"]
    assert settings.reference in loaded
    assert loaded["transition"].params.population.n_households == 100_000


# --------------------------------------------------------------------------------------------
# Faults and executors
# --------------------------------------------------------------------------------------------


def test_a_failed_run_drops_its_seed_from_every_scenario(tmp_path, monkeypatch):
    """Run 1 of the batch (seed 1 of abrupt_withdrawal) raises: the comparison uses seeds 2-4 only,
    still writes everything, says so, and exits 1."""
    from experiments.batch.executors import FAULTS_ENV

    monkeypatch.setenv(FAULTS_ENV, json.dumps({"raise": [1]}))
    out = tmp_path / "out"
    result = cli.invoke(app, ["compare", "transition", "abrupt_withdrawal", *TINY, "--seeds", "4", "--in-process",
                              "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stderr.strip().splitlines()[-1].startswith("error: 1 run(s) failed")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seeds_paired"] == [2, 3, 4] and manifest["failed_runs"] == 1
    runs = pd.read_csv(out / "runs.csv")
    assert set(runs.loc[~runs["paired"], "seed"]) == {1}
    table = pd.read_csv(out / "comparison.csv").set_index(["scenario", "outcome", "statistic"])["value"]
    assert table["transition", "relapse_cum_share", "n"] == 3
    assert "1 simulation(s) failed" in (out / "report.html").read_text(encoding="utf-8")


def test_worker_processes_give_the_same_comparison_as_this_process(compared, tmp_path):
    out, _ = compared
    other = tmp_path / "workers"
    result = cli.invoke(app, ["compare", *E2E_SCENARIOS, *TINY, "--seeds", "3", "--workers", "2",
                              "--out", str(other)])
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(pd.read_csv(other / "comparison.csv"), pd.read_csv(out / "comparison.csv"),
                                  check_exact=True)


def test_two_replications_warn_and_keep_every_interval_in_range(tmp_path):
    """The issue's case: `compare --reps 2` (the old name of --seeds) warns that two replications are too
    few, in the terminal and the brief, and no interval leaves its outcome's range."""
    from experiments.outcomes import outcome_range

    out = tmp_path / "out"
    result = cli.invoke(app, ["compare", "transition", "abrupt_withdrawal", *TINY, "--reps", "2", "--in-process",
                              "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "warning: --reps is now called --seeds" in result.stderr
    assert "warning: 2 replications are too few for the intervals" in result.stderr
    assert "warning: 2 replications are too few for a probability" in result.stderr
    assert "Read with care" in (out / "report.html").read_text(encoding="utf-8")
    table = pd.read_csv(out / "comparison.csv").pivot_table(index=["scenario", "outcome"], columns="statistic",
                                                            values="value")
    for (_, outcome), row in table.iterrows():
        declared = outcome_range(outcome, years=3, counties=4)
        assert declared.lo <= row["ci_low"] <= row["mean"] <= row["ci_high"] <= float(declared.hi), (outcome, row)
        if declared.hi == 1.0 and math.isfinite(row["diff_ci_low"]):
            assert -1.0 <= row["diff_ci_low"] <= row["diff_ci_high"] <= 1.0, (outcome, row)
