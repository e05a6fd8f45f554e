"""The month's inputs reach the parallel kernel as one structured record, unchanged."""

from __future__ import annotations

import numba
import numpy as np

import model
from model import kernel
from scenarios import load_scenario


def _month_inputs() -> kernel.MonthInputs:
    params = load_scenario("transition", {"population.n_households": 500, "population.n_counties": 2}).params
    m = model.RuralModel(params, seed=3, parallel=False)
    return m._month_inputs(m.central.levers(m.year, 9), 9)


def _distinct(q: kernel.MonthInputs) -> kernel.MonthInputs:
    """A ``MonthInputs`` of the same field types as ``q`` with a different value in every field
    (so a field read from the wrong place shows)."""
    values = []
    for k, v in enumerate(q):
        if isinstance(v, bool):
            values.append(k % 2 == 0)
        elif isinstance(v, np.uint64):
            values.append(np.uint64(0xF000_0000_0000_0000 + k))  # above 2**63: no float or int64 path
        elif isinstance(v, int):
            values.append(1000 + k)
        else:
            values.append(0.1 + k * 1.000000001)
    return kernel.MonthInputs(*values)


def test_record_round_trip_keeps_every_value_and_type():
    for q in (_month_inputs(), _distinct(_month_inputs())):
        rec = kernel.month_record(q)
        assert rec.shape == (1,) and rec.dtype.names == kernel.MonthInputs._fields
        back = kernel.month_inputs_from_record(rec[0])
        assert type(back) is kernel.MonthInputs
        for name, a, b in zip(kernel.MonthInputs._fields, q, back, strict=True):
            assert a == b, name
        # the compiled kernel sees exactly the type of the tuple the serial path passes, so the
        # county loop is compiled once for both paths
        sig = kernel.month_inputs_from_record.overloads[numba.typeof(rec[0]),].signature
        assert sig.return_type == numba.typeof(q)


def test_record_dtype_is_built_once_per_field_types():
    q = _month_inputs()
    assert kernel.month_record(q).dtype is kernel.month_record(q._replace(cpi=2.0)).dtype
