"""Reading input files strictly, and reporting every problem found in them.

Scenario files, experiment files and problem files are YAML; target files are CSV. They share one
way of failing: :class:`ProblemsError` carries every problem found, one per line, each naming the
file (and line) it is about, so that a user can mend a file in one go. The YAML is read by
:class:`StrictLoader`, which refuses duplicate keys instead of silently keeping the last one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

YAML_SUFFIXES = (".yaml", ".yml")


class ProblemsError(ValueError):
    """Every problem found in an input, one per line."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, Any] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, f"unhashable key {key!r}", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark,
                f"duplicate key {key!r}", key_node.start_mark,
            )
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str) -> Any:
    """``text`` parsed by :class:`StrictLoader` (raises ``yaml.YAMLError``)."""
    return yaml.load(text, Loader=StrictLoader)


def read_yaml(path: Path, label: str | None = None) -> tuple[Any, str]:
    """The data and the text of a YAML file.

    Raises:
        ProblemsError: The file cannot be read, or is not valid YAML (with line and column).
    """
    label = file_label(path) if label is None else label
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProblemsError([f"{label}: cannot read file ({getattr(exc, 'strerror', None) or exc})"]) from None
    try:
        return parse_yaml(text), text
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark is not None else label
        raise ProblemsError([f"{where}: YAML syntax error: {yaml_problem(exc)}"]) from None


def find_yaml(ref: str | Path, directory: Path) -> Path | None:
    """Path of a YAML file given as a file path, or as the bare name of a file in ``directory``
    (``smoke`` for ``directory/smoke.yaml``); None when there is no such file."""
    path = Path(ref)
    if path.is_file():
        return path
    if path.suffix in YAML_SUFFIXES or "/" in str(ref):
        return None
    for suffix in YAML_SUFFIXES:
        candidate = directory / f"{ref}{suffix}"
        if candidate.is_file():
            return candidate
    return None



@dataclass(frozen=True)
class YamlFile:
    """A YAML file read: where it is, its name in messages, its data and its text."""

    path: Path
    label: str
    data: Any
    text: str


def read_named_yaml(ref: str | Path, directory: Path, kind: str) -> YamlFile:
    """A YAML file given as a path, or as the bare name of one shipped in ``directory``.

    Raises:
        ProblemsError: No such file (with the names of the shipped ones), or it cannot be read or parsed.
    """
    path = find_yaml(ref, directory)
    if path is None:
        shipped = sorted(p.stem for p in directory.glob("*.yaml"))
        raise ProblemsError([f"{ref}: no such {kind} file (shipped {kind}s: {', '.join(shipped) or 'none'})"])
    label = file_label(path)
    data, text = read_yaml(path, label)
    return YamlFile(path, label, data, text)

def yaml_problem(exc: yaml.YAMLError) -> str:
    """A YAML error in one line: the problem, and where its context started when elsewhere."""
    problem = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if not problem:
        return str(exc).splitlines()[0]
    if not context:
        return problem
    context_mark = getattr(exc, "context_mark", None)
    problem_mark = getattr(exc, "problem_mark", None)
    same_line = problem_mark is not None and context_mark is not None and (
        context_mark.line == problem_mark.line)
    if context_mark is not None and not same_line:
        context = f"{context} started on line {context_mark.line + 1}"
    return f"{problem} ({context})"


def file_label(path: Path) -> str:
    """A path as shown in messages: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def range_text(row: Mapping[str, Any]) -> str:
    """`` (allowed range [lo, hi])`` of a parameter-table row; empty when it has no bounds."""
    lo, hi = row.get("lo"), row.get("hi")
    if lo is None and hi is None:
        return ""
    low = "-inf" if lo is None else f"{lo:g}"
    high = "inf" if hi is None else f"{hi:g}"
    return f" (allowed range [{low}, {high}])"


def is_number(value: Any) -> bool:
    """An int or a float, not a bool (YAML's ``true`` is no number here)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def is_whole_number(value: Any) -> bool:
    """An int, not a bool."""
    return isinstance(value, int) and not isinstance(value, bool)
