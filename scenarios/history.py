"""History and policy: the rule that keeps 2017-2020 the same under every policy scenario.

Every policy scenario starts from one baseline: the scenario ``baseline`` (the calibrated province,
simulated from its end-2016 state through the "tackling key problems" years 2017-2020). The files of
an ``extends`` chain up to and including ``baseline`` write *history* and may date a lever at any
time. A scenario whose chain passes through ``baseline`` below it is a *policy scenario*: its own
files, its overlays and its overrides (``--set``, experiment parameters, samples) describe policy
from January of :data:`POLICY_START_YEAR` on:

- a dated value (a schedule, or a constant, of any lever or dated macro path) takes effect in
  January 2021; before it the lever keeps the baseline's schedule, so ``abrupt_withdrawal``'s
  ``assistance.industrial.intensity: {2021: 1.0, 2022: 0.0}`` does not rewrite 2017-2020;
- a schedule of a policy scenario may not name a month before January 2021 (:func:`early_dates`);
- static parameters (numbers that are not dated) describe the province, not policy, and hold for the
  whole run, history included (a sensitivity study that varies one re-runs the history with it).

With the same seed every policy scenario therefore lives through the same 2017-2020 (common random
numbers), and scenarios differ from 2021 on only.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from model.params import TRANSITION_START_YEAR, Params, parameter_table
from model.policy import Schedule, month_index

#: The scenario that ends history; the scenarios that extend it are policy scenarios.
BASELINE = "baseline"
#: First year of policy: a policy scenario's dated values take effect in January of this year.
POLICY_START_YEAR = TRANSITION_START_YEAR
#: Earliest schedule key (``model.policy``): a spliced schedule's first point is dated no earlier.
_EARLIEST = month_index(1900)


def is_dated(path: str) -> bool:
    """Whether ``path`` names a dated value (a policy lever, a macro path, the disaster stress)."""
    return path in _dated_paths()


def early_dates(value: Any, year: int = POLICY_START_YEAR) -> list[str]:
    """The keys of a schedule ``value`` that name a month before January of ``year`` (empty for a
    number, and for a value that is not a valid schedule: its own check reports that)."""
    if not isinstance(value, Mapping):
        return []
    start = month_index(year)
    early = []
    for key, item in value.items():
        try:
            month = Schedule.parse({key: item}).points[0][0]
        except (ValueError, TypeError):
            continue
        if month < start:
            early.append(str(key))
    return early


def from_year(before: Any, after: Any, year: int = POLICY_START_YEAR) -> float | dict[str, float]:
    """The schedule ``before`` up to the end of ``year - 1``, then ``after`` from January of ``year``.

    Before its first key a schedule holds its first value, so ``after``'s value at January of
    ``year`` starts the policy, and ``before``'s first value still holds before its first key.
    Change points that change nothing are dropped; a schedule with one value is a number.

    Args:
        before: The history's value (a number, a ``{year: value}`` mapping or a Schedule).
        after: The policy's value, of the same forms.
        year: The first policy year.

    Returns:
        Plain data (a number, or ``{'YYYY' or 'YYYY-MM': value}``), as a scenario file writes it.
    """
    old, new = Schedule.parse(before), Schedule.parse(after)
    start = month_index(year)
    points = [(max(m, _EARLIEST), v) for m, v in old.points if m < start] or [(_EARLIEST, old.at(start - 1))]
    points.append((start, new.at(start)))
    points += [(m, v) for m, v in new.points if m > start]
    kept: list[tuple[int, float]] = []
    for month, value in points:
        if not kept or kept[-1][1] != value:
            kept.append((month, value))
    if len(kept) == 1:
        return kept[0][1]
    return Schedule(tuple(kept)).to_data()


def apply_overrides(merged: Mapping[str, Any], overrides: Mapping[str, Any],
                    policy_year: int | None) -> dict[str, Any]:
    """``merged`` with ``overrides`` applied on top: plainly for a history scenario
    (``policy_year`` None), with dated values spliced in from January of ``policy_year`` for a
    policy scenario (:func:`from_year`; a path not in ``merged`` keeps the model's default before).

    Values are expected to be valid (checked by the loader); an invalid dated value is passed on
    unchanged so that building ``Params`` reports it.
    """
    out = dict(merged)
    for path, value in overrides.items():
        if policy_year is None or not is_dated(path):
            out[path] = value
            continue
        before = out[path] if path in out else _default(path)
        try:
            out[path] = from_year(before, value, policy_year)
        except (ValueError, TypeError):
            out[path] = value
    return out


@functools.cache
def _dated_paths() -> frozenset[str]:
    return frozenset(row["path"] for row in parameter_table() if row["lever"])


@functools.cache
def _defaults() -> Params:
    return Params()


def _default(path: str) -> Any:
    node: Any = _defaults()
    for part in path.split("."):
        node = getattr(node, part)
    return node
