"""The app's bench (``python -m experiments.app.bench``): its summary and its server-side measure.
The figures themselves (targets included) are the bench's to report, not a test's to assert."""

from __future__ import annotations

import pytest

from experiments.app import bench


def test_month_text_exact():
    assert [bench.month_text(k) for k in (1, 12, 13, 36)] == ["2021-01", "2021-12", "2022-01", "2023-12"]
    assert bench.month_text(1, 2017) == "2017-01"


def test_summary_separates_the_first_month_ordinary_months_and_decembers():
    rows = [{"month": bench.month_text(k), "total_s": s} for k, s in
            enumerate([0.9, 0.2, 0.3, 0.25, 0.1, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.45, 0.4], start=1)]
    s = bench.summary(rows)
    assert s["first_s"] == 0.9
    assert s["ordinary_n"] == 11 and s["ordinary_max_s"] == 0.4 and s["ordinary_median_s"] == 0.2
    assert s["december_n"] == 1 and s["december_median_s"] == s["december_max_s"] == 0.45
    assert s["within_target"] is True
    rows[11]["total_s"] = 0.5  # a December at the target misses it
    assert bench.summary(rows)["within_target"] is False
    assert "NO" in bench.format_summary("browser", bench.summary(rows))


@pytest.mark.slow
def test_server_months_time_the_step_and_the_views_of_every_month():
    rows = bench.server_months(households=3000, months=13)
    assert [r["month"] for r in rows] == [bench.month_text(k) for k in range(1, 14)]
    for r in rows:
        assert r["step_s"] > 0 and r["views_s"] > 0
        assert r["total_s"] == pytest.approx(r["step_s"] + r["views_s"])


def test_bad_options_are_refused_with_exit_code_2(capsys):
    with pytest.raises(SystemExit) as exc:
        bench.main(["--months", "1", "--no-browser"])
    assert exc.value.code == 2
    assert "--months must be at least 2" in capsys.readouterr().err
