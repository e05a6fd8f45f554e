"""Parameter ensembles: reading and checking the file, the draws of replications."""

from __future__ import annotations

import math

import numpy as np
import pytest

from experiments.fit.calibrate import FREE_PARAMETERS
from experiments.fit.ensemble import (
    REPS_PER_SET,
    SHIPPED_ENSEMBLE,
    EnsembleError,
    draw_group,
    draw_index,
    draws,
    ensemble_text,
    read_ensemble,
)

GOOD = """# format: ruralsim-ensemble/1
# fit: test
# households: 500
particle,income.productivity_growth_year,labour.migrant_propensity,weight,distance
0,0.02,0.5,1,0.5
1,0.04,0.6,3,0.25
2,0.06,0.7,0,1.5
"""


def write(tmp_path, text, name="ens.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_values_weights_and_manifest_exactly(tmp_path):
    ens = read_ensemble(write(tmp_path, GOOD))
    assert ens.paths == ("income.productivity_growth_year", "labour.migrant_propensity")
    assert ens.particles == (0, 1, 2)
    assert ens.weights.tolist() == [0.25, 0.75, 0.0]
    assert ens.distances.tolist() == [0.5, 0.25, 1.5]
    assert ens.manifest == {"format": "ruralsim-ensemble/1", "fit": "test", "households": "500"}
    assert ens.overrides(1) == {"income.productivity_growth_year": 0.04, "labour.migrant_propensity": 0.6}
    mean = ens.mean()
    assert mean["income.productivity_growth_year"] == pytest.approx(0.035, abs=1e-15)
    # weighted sd: sqrt(0.25 * 0.015^2 + 0.75 * 0.005^2)
    assert ens.sd()["income.productivity_growth_year"] == pytest.approx(math.sqrt(0.25 * 0.015**2 + 0.75 * 0.005**2))
    assert ens.quantile(0.2)["labour.migrant_propensity"] == 0.5
    assert ens.quantile(0.5)["labour.migrant_propensity"] == 0.6
    assert ens.effective_size == pytest.approx(1 / (0.25**2 + 0.75**2))


def test_written_ensembles_read_back(tmp_path):
    values = np.array([[0.01, 0.3], [0.09, 0.8]])
    text = ensemble_text(["income.productivity_growth_year", "labour.migrant_propensity"], values, [2.0, 6.0],
                         [0.1, 0.2], {"fit": "a fit\nover two lines", "seeds": "1 2"})
    ens = read_ensemble(write(tmp_path, text))
    assert ens.values.tolist() == values.tolist()
    assert ens.weights.tolist() == [0.25, 0.75]
    assert ens.manifest["fit"] == "a fit over two lines" and ens.manifest["seeds"] == "1 2"


def test_missing_file_is_named(tmp_path):
    with pytest.raises(EnsembleError) as err:
        read_ensemble(tmp_path / "nowhere.csv")
    assert err.value.problems == [f"{tmp_path / 'nowhere.csv'}: no such ensemble file; build one with 'ruralsim "
                                  "calibrate --method abc' or give an existing file"]


def test_every_bad_cell_is_named_with_its_line_column_value_and_range(tmp_path):
    text = GOOD.replace("1,0.04,0.6,3,0.25", "1,0.4,abc,-1,0.25").replace("2,0.06,0.7,0,1.5", "1,0.06,0.7,0,x")
    path = write(tmp_path, text)
    with pytest.raises(EnsembleError) as err:
        read_ensemble(path)
    assert err.value.problems == [
        f"{path}: line 6, column 'income.productivity_growth_year': '0.4' is not a number in the parameter's valid "
        "range [-0.05, 0.15]",
        f"{path}: line 6, column 'labour.migrant_propensity': 'abc' is not a number in the parameter's valid range "
        "[0, 1]",
        f"{path}: line 6, column 'weight': '-1' is not a finite number >= 0",
        f"{path}: line 7, column 'particle': 1 repeats line 6; particle numbers must be unique",
        f"{path}: line 7, column 'distance': 'x' is not a finite number >= 0 (or empty)",
    ]


def test_unknown_columns_missing_weight_and_zero_weights_are_refused(tmp_path):
    path = write(tmp_path, "particle,income.productivity_grwth_year\n0,0.1\n")
    with pytest.raises(EnsembleError) as err:
        read_ensemble(path)
    text = "\n".join(err.value.problems)
    assert "line 1: missing column 'weight'" in text
    assert "line 1, column 'income.productivity_grwth_year': unknown parameter" in text
    assert "did you mean 'income.productivity_growth_year'" in text
    zero = write(tmp_path, "particle,labour.migrant_propensity,weight\n0,0.5,0\n1,0.6,0\n", "zero.csv")
    with pytest.raises(EnsembleError, match="every weight is 0; at least one must be above 0"):
        read_ensemble(zero)
    short = write(tmp_path, "particle,labour.migrant_propensity,weight\n0,0.5\n", "short.csv")
    with pytest.raises(EnsembleError, match=r"short.csv: line 2: 2 cells, the header has 3"):
        read_ensemble(short)
    empty = write(tmp_path, "# format: ruralsim-ensemble/1\n", "empty.csv")
    with pytest.raises(EnsembleError, match="no header"):
        read_ensemble(empty)
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00particle")
    with pytest.raises(EnsembleError, match="not a UTF-8 text file"):
        read_ensemble(binary)


def test_draws_depend_on_the_seed_pair_only_and_follow_the_weights(tmp_path):
    ens = read_ensemble(write(tmp_path, GOOD))
    assert REPS_PER_SET == 2
    assert [draw_group(s) for s in range(6)] == [0, 1, 1, 2, 2, 3]
    picks = draws(ens, range(1, 41))
    for k in range(1, 21):
        assert picks[2 * k - 1] == picks[2 * k]  # seeds 2k-1 and 2k share their draw
    assert picks == draws(ens, range(1, 41))  # deterministic
    assert 2 not in picks.values()  # weight 0 is never drawn
    # 4,000 draw groups: the share of set 1 is 0.75 within 4 standard errors (sqrt(0.75 * 0.25 / 4000) = 0.0068)
    share = np.mean([draw_index(ens, 2 * k) == 1 for k in range(4000)])
    assert abs(share - 0.75) < 4 * 0.0069


def test_the_shipped_ensemble_is_valid_and_fits_the_free_parameters():
    ens = read_ensemble(SHIPPED_ENSEMBLE)
    assert set(ens.paths) == {p.path for p in FREE_PARAMETERS}
    # ABC-SMC's importance weights are uneven (the shipped fit's effective size is 11 of 100, its
    # README entry says so); what --parameter-uncertainty needs is that the default comparison's
    # ten draws (seeds 1-20 in pairs) meet several distinct parameter sets
    assert len(ens) >= 50 and ens.effective_size >= 10
    assert len(set(draws(ens, range(1, 21)).values())) >= 5
    for p in FREE_PARAMETERS:
        j = ens.paths.index(p.path)
        assert p.lo <= ens.values[:, j].min() and ens.values[:, j].max() <= p.hi
    assert ens.manifest["format"] == "ruralsim-ensemble/1" and "historical" in ens.manifest["fit"]
