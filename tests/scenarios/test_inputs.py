"""Strict reading of input files (scenarios/inputs.py): hostile files fail fast, with short messages."""

from __future__ import annotations

import time

import pytest

from model.messages import MAX_PROBLEM_CHARS, quote, shorten
from scenarios import ScenarioError, inputs, load_scenario
from scenarios.inputs import ProblemsError, parse_yaml, read_yaml


def alias_bomb(depth: int, fan: int = 9) -> str:
    """A 'billion laughs': ``fan ** (depth + 1)`` leaves from a few hundred bytes."""
    lines = [f"a0: &a0 [{', '.join(['lol'] * fan)}]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * fan)}]" for i in range(1, depth + 1)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("depth", [5, 8, 12])
def test_alias_bomb_is_refused_at_once(tmp_path, depth):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(depth))
    assert path.stat().st_size < 1000
    t0 = time.perf_counter()
    with pytest.raises(ProblemsError) as info:
        read_yaml(path)
    assert time.perf_counter() - t0 < 2.0
    (problem,) = info.value.problems
    assert f"aliases expand to more than {inputs.MAX_ALIAS_NODES:,} nodes" in problem
    assert problem.startswith(f"{path}:")


def test_aliases_within_the_limit_are_read():
    data = parse_yaml("base: &b {x: 1}\ncopies: [*b, *b, *b]\n")
    assert data["copies"] == [{"x": 1}] * 3


@pytest.mark.parametrize("text", ["[" * 20_000 + "]" * 20_000, "{a: " * 5_000 + "1" + "}" * 5_000,
                                  "".join(f"{'  ' * i}k{i}:\n" for i in range(200)) + "  " * 200 + "v"])
def test_deep_nesting_is_an_error_not_a_recursion_error(text):
    with pytest.raises(Exception) as info:
        parse_yaml("x: " + text if text.startswith(("[", "{")) else text)
    assert f"nested deeper than {inputs.MAX_YAML_DEPTH} levels" in str(info.value)


def test_nesting_up_to_the_limit_is_read():
    depth = inputs.MAX_YAML_DEPTH - 1
    assert parse_yaml("[" * depth + "1" + "]" * depth) is not None


def test_non_utf8_file_names_the_file_and_byte(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(ProblemsError) as info:
        read_yaml(path)
    assert info.value.problems == [f"{path}: not a UTF-8 text file (byte 10 cannot be decoded); save it as UTF-8 YAML"]


def test_file_above_the_size_limit_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 1000)
    path = tmp_path / "big.yaml"
    path.write_text("x: " + "a" * 5000)
    with pytest.raises(ProblemsError, match="larger than 1,000 bytes"):
        read_yaml(path)


def test_quote_is_short_whatever_the_value():
    big = {"k": [list(range(1_000_000))] * 3, "s": "x" * 10_000_000}
    t0 = time.perf_counter()
    text = quote(big)
    assert time.perf_counter() - t0 < 0.1
    assert len(text) < 200
    assert quote({2021: 1.0, 2026: 0.5}) == "{2021: 1.0, 2026: 0.5}"
    assert quote("transition") == "'transition'"


def test_long_problem_lines_keep_their_start_and_end():
    line = "file.yaml: key = " + "[1, " * 100_000 + "]: expected a number in [0, 1]"
    (kept,) = ProblemsError([line]).problems
    assert len(kept) <= MAX_PROBLEM_CHARS
    assert kept.startswith("file.yaml: key = [1, ") and kept.endswith("expected a number in [0, 1]")
    assert "characters left out" in kept
    assert shorten("short") == "short"


def test_a_huge_value_in_a_scenario_gives_a_short_message(tmp_path):
    path = tmp_path / "huge.yaml"
    path.write_text("name: huge\ndescription: x\nparameters:\n  shocks.illness.p_year: [" + "0.1, " * 20_000 + "]\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    (problem,) = info.value.problems
    assert len(problem) < 300 and "shocks.illness.p_year" in problem


@pytest.mark.parametrize("name", ["transition+", "+stress_disaster", "transition++stress_disaster", "", " "])
def test_overlay_with_an_empty_part_says_so(name):
    with pytest.raises(ScenarioError) as info:
        load_scenario(name)
    (problem,) = info.value.problems
    assert problem.startswith(repr(name))
    assert "empty part" in problem or "no scenario name given" in problem
    assert "unknown scenario" not in problem
