"""Figures of one run, drawn from a hand-made result (no model needed)."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from experiments.run_figures import run_figures

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def fake_result(with_optional: bool = True) -> SimpleNamespace:
    years = np.arange(2021, 2031)
    annual = pd.DataFrame({
        "year": years,
        "poverty_rate": np.linspace(0.02, 0.03, 10),
        "relapse_rate": np.linspace(0.001, 0.01, 10),
        "new_poverty_rate": np.linspace(0.0005, 0.002, 10),
        "monitored_share": np.linspace(0.05, 0.08, 10),
        "risk_eliminated_share": np.linspace(0.2, 0.7, 10),
        "income_pc_mean_yuan": np.linspace(17_000, 26_000, 10),
        "income_pc_fpc_yuan": np.linspace(13_500, 22_000, 10),
    })
    months = pd.DataFrame({"year": np.repeat(years, 12), "month": np.tile(np.arange(1, 13), 10)})
    months["n_monitored"] = np.arange(120) * 3
    if with_optional:
        annual["income_pc_registered_yuan"] = np.linspace(11_000, 19_000, 10)
        months["n_newly_identified"] = 7
    return SimpleNamespace(annual=annual, monthly=months, meta={"scenario": "x", "seed": 1})


def test_three_png_figures_are_written(tmp_path):
    written = run_figures(fake_result(), tmp_path)
    assert sorted(p.name for p in written) == ["income.png", "monitoring.png",
                                               "poverty_relapse.png"]
    for path in written:
        assert path.read_bytes()[:8] == PNG_MAGIC


def test_optional_columns_may_be_missing(tmp_path):
    assert len(run_figures(fake_result(with_optional=False), tmp_path)) == 3


def test_figures_without_data_are_skipped(tmp_path):
    result = SimpleNamespace(annual=pd.DataFrame({"year": [2021]}), monthly=pd.DataFrame())
    assert run_figures(result, tmp_path) == []
