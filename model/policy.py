"""Dated policy schedules.

A policy lever's value is a step function of time (OpenFisca style): ``{2021: 1.0, 2026: 0.5,
2028: 0.0}`` means 1.0 from January 2021, 0.5 from January 2026 and 0.0 from January 2028. Keys
may also be months (``"2022-07"``). Before the first key the first value holds. A bare number is a
constant schedule. Withdrawal at year *t*, tapering and re-entry are therefore data, not code.

Time inside the model is counted in *absolute months*: ``year * 12 + (month - 1)``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import core_schema

from .messages import quote

_MONTH_KEY = re.compile(r"^(\d{4})(?:-(\d{1,2}))?$")


def month_index(year: int, month: int = 1) -> int:
    """Absolute month index of ``month`` (1-12) in ``year``."""
    return int(year) * 12 + int(month) - 1


def _parse_key(key: Any) -> int:
    if isinstance(key, bool):
        raise ValueError(f"schedule key {quote(key)} is not a year or 'YYYY-MM'")
    if isinstance(key, int):
        if not 1900 <= key <= 2200:
            raise ValueError(f"schedule year {key} is outside 1900-2200")
        return month_index(key, 1)
    match = _MONTH_KEY.match(str(key).strip())
    if not match:
        raise ValueError(f"schedule key {quote(key)} is not a year (2024) or a month ('2024-07')")
    year, month = int(match.group(1)), int(match.group(2) or 1)
    if not 1900 <= year <= 2200:
        raise ValueError(f"schedule year {year} in key {quote(key)} is outside 1900-2200")
    if not 1 <= month <= 12:
        raise ValueError(f"schedule key {quote(key)} has month {month}, allowed 1-12")
    return month_index(year, month)


@dataclass(frozen=True)
class Schedule:
    """A step function of time: sorted ``(absolute_month, value)`` change points."""

    points: tuple[tuple[int, float], ...]

    @classmethod
    def parse(cls, obj: Any) -> Schedule:
        """Build a schedule from a number, a ``{year|'YYYY-MM': value}`` mapping or a Schedule."""
        if isinstance(obj, Schedule):
            return obj
        if isinstance(obj, bool):
            return cls(((0, float(obj)),))
        if isinstance(obj, int | float):
            if not math.isfinite(obj):
                raise ValueError(f"schedule value {quote(obj)} is not a finite number")
            return cls(((0, float(obj)),))
        if isinstance(obj, Mapping):
            if not obj:
                raise ValueError("schedule mapping is empty; give at least one {year: value}")
            pts: dict[int, float] = {}
            keys: dict[int, Any] = {}
            for key, value in obj.items():
                m = _parse_key(key)
                if m in keys:  # 2021, "2021" and "2021-01" all name January 2021: one would be lost
                    year, month = divmod(m, 12)
                    raise ValueError(f"schedule keys {quote(keys[m])} and {quote(key)} both name "
                                     f"{year}-{month + 1:02d}; give each month once")
                keys[m] = key
                if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
                    raise ValueError(f"schedule value at {quote(key)} is {quote(value)}, expected a number (finite)")
                pts[m] = float(value)
            return cls(tuple(sorted(pts.items())))
        raise ValueError(
            f"{quote(obj)} is not a schedule; give a number or a mapping like {{2021: 1.0, 2026: 0.5}}"
        )

    def at(self, month_abs: int) -> float:
        """Value in force at absolute month ``month_abs``."""
        value = self.points[0][1]
        for start, v in self.points:
            if start <= month_abs:
                value = v
            else:
                break
        return value

    def at_year(self, year: int, month: int = 1) -> float:
        """Value in force in ``month`` of ``year``."""
        return self.at(month_index(year, month))

    def values(self) -> list[float]:
        """All values the schedule takes (for range validation)."""
        return [v for _, v in self.points]

    def with_value_from(self, month_abs: int, value: float) -> Schedule:
        """The same schedule up to ``month_abs``, then ``value`` from ``month_abs`` on: change
        points before it are kept, later ones are dropped (a mid-run policy change). A constant
        start (a bare number) is dated from January 1900, the earliest key allowed, which changes
        no value and lets the result round-trip through plain data (``to_data``/``parse``)."""
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise ValueError(f"schedule value {quote(value)} is not a finite number")
        earliest = month_index(1900)
        if month_abs <= earliest:
            raise ValueError(f"month {month_abs} is before January 1900")
        kept = tuple((max(m, earliest), v) for m, v in self.points if m < month_abs)
        return Schedule((*kept, (int(month_abs), float(value))))

    def from_year(self, year: int) -> Schedule:
        """The schedule as it stands from January of ``year`` on: its value then, and its later change
        points (earlier ones dropped; a change point that changes nothing is dropped too)."""
        start = month_index(year)
        points = [(start, self.at(start)), *((m, v) for m, v in self.points if m > start)]
        kept = [points[0]]
        for m, v in points[1:]:
            if v != kept[-1][1]:
                kept.append((m, v))
        return Schedule(tuple(kept))

    def scaled(self, factor: float) -> Schedule:
        """The same schedule with every value multiplied by ``factor``."""
        return Schedule(tuple((m, v * factor) for m, v in self.points))

    def to_data(self) -> float | dict[str, float]:
        """Plain data (YAML/JSON) form: a number when constant, else ``{'YYYY' or 'YYYY-MM': v}``."""
        if len(self.points) == 1 and self.points[0][0] == 0:
            return self.points[0][1]
        out: dict[str, float] = {}
        for m, v in self.points:
            year, month = divmod(m, 12)
            out[str(year) if month == 0 else f"{year}-{month + 1:02d}"] = v
        return out

    def __repr__(self) -> str:
        return f"Schedule({self.to_data()!r})"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler):
        return core_schema.no_info_plain_validator_function(
            cls.parse,
            serialization=core_schema.plain_serializer_function_ser_schema(lambda s: s.to_data()),
            json_schema_input_schema=core_schema.any_schema(),
        )
