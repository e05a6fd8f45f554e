"""Values quoted in error messages, cut to a readable size whatever the input.

An input file can hold a value of any size (a long string, a list of a million numbers, an alias
bomb that expands to billions of nodes); an error message quotes it with :func:`quote`, whose work
and result stay small, and no problem line grows past :data:`MAX_PROBLEM_CHARS` (:func:`shorten`).
"""

from __future__ import annotations

import reprlib
from typing import Any

#: Longest problem line; longer ones keep their start and end.
MAX_PROBLEM_CHARS = 2_000

_QUOTE = reprlib.Repr(maxlevel=3, maxdict=8, maxlist=8, maxtuple=8, maxset=8, maxfrozenset=8, maxdeque=8,
                      maxstring=60, maxlong=40, maxother=60)


def quote(value: Any) -> str:
    """``repr(value)`` cut to a few dozen characters (nested containers to a few items each)."""
    return _QUOTE.repr(value)


def shorten(text: str, limit: int = MAX_PROBLEM_CHARS) -> str:
    """``text`` when short enough, else its start and end around ``… (N characters left out) …``."""
    if len(text) <= limit:
        return text
    keep = (limit - 40) // 2
    return f"{text[:keep]} … ({len(text) - 2 * keep:,} characters left out) … {text[-keep:]}"
