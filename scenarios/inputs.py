"""Reading input files strictly, and reporting every problem found in them.

Scenario files, experiment files and problem files are YAML; target files are CSV. They share one
way of failing: :class:`ProblemsError` carries every problem found, one per line, each naming the
file (and line) it is about, so that a user can mend a file in one go. The YAML is read by
:class:`StrictLoader`, which refuses duplicate keys instead of silently keeping the last one, and
refuses documents that could exhaust memory or the stack however small the file: more than
:data:`MAX_INPUT_BYTES`, nesting deeper than :data:`MAX_YAML_DEPTH` levels, or aliases that expand
to more than :data:`MAX_ALIAS_NODES` nodes (a "billion laughs"). Values quoted in messages are
cut to a few dozen characters (:func:`quote`), and so is any problem line that still grows past
:data:`model.messages.MAX_PROBLEM_CHARS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from model.messages import quote, shorten

YAML_SUFFIXES = (".yaml", ".yml")
#: Largest input file (bytes): experiment files with long ``samples:`` lists fit well inside.
MAX_INPUT_BYTES = 16_000_000
#: Deepest nesting of sequences and mappings in an input YAML document.
MAX_YAML_DEPTH = 64
#: Nodes that aliases (``*name``) may add to a document when expanded.
MAX_ALIAS_NODES = 100_000


class ProblemsError(ValueError):
    """Every problem found in an input, one per line (each at most :data:`model.messages.MAX_PROBLEM_CHARS`)."""

    def __init__(self, problems: list[str]):
        self.problems = [shorten(str(p)) for p in problems]
        super().__init__("\n".join(self.problems))


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys instead of silently keeping the last one, and
    documents nested deeper than :data:`MAX_YAML_DEPTH` or whose aliases expand to more than
    :data:`MAX_ALIAS_NODES` nodes."""

    def __init__(self, stream: Any):
        super().__init__(stream)
        self._depth = 0
        self._alias_nodes = 0
        self._sizes: dict[int, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            target = self.anchors.get(event.anchor)
            if target is not None:
                self._alias_nodes += self._size(target)
                if self._alias_nodes > MAX_ALIAS_NODES:
                    raise yaml.composer.ComposerError(
                        None, None, f"aliases expand to more than {MAX_ALIAS_NODES:,} nodes; write the values "
                        "out or use fewer aliases", event.start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_YAML_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_YAML_DEPTH} levels", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _size(self, node: yaml.Node) -> int:
        """Nodes of ``node`` with every alias in it expanded (each distinct node counted once here)."""
        key = id(node)
        if key not in self._sizes:
            if isinstance(node, yaml.SequenceNode):
                children = node.value
            elif isinstance(node, yaml.MappingNode):
                children = [n for pair in node.value for n in pair]
            else:
                children = []
            self._sizes[key] = 1 + sum(self._size(child) for child in children)
        return self._sizes[key]


def _construct_mapping(loader: StrictLoader, node: yaml.MappingNode, deep: bool = False):
    seen: dict[Any, Any] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, f"unhashable key {quote(key)}", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                "while reading a mapping", node.start_mark,
                f"duplicate key {quote(key)}", key_node.start_mark,
            )
        seen[key] = True
    return loader.construct_mapping(node, deep=deep)


StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def parse_yaml(text: str) -> Any:
    """``text`` parsed by :class:`StrictLoader` (raises ``yaml.YAMLError``, also when the text is
    longer than :data:`MAX_INPUT_BYTES`, nested too deep or expands too far)."""
    if len(text) > MAX_INPUT_BYTES:
        raise yaml.YAMLError(f"longer than {MAX_INPUT_BYTES:,} characters")
    return yaml.load(text, Loader=StrictLoader)


def read_yaml(path: Path, label: str | None = None) -> tuple[Any, str]:
    """The data and the text of a YAML file (UTF-8).

    Raises:
        ProblemsError: The file cannot be read, is not UTF-8 text, is larger than
            :data:`MAX_INPUT_BYTES`, or is not valid YAML (with line and column).
    """
    label = file_label(path) if label is None else label
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise ProblemsError([f"{label}: cannot read file ({exc.strerror or exc})"]) from None
    if len(raw) > MAX_INPUT_BYTES:
        raise ProblemsError([f"{label}: larger than {MAX_INPUT_BYTES:,} bytes; an input file is a few kilobytes of "
                             "YAML"])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProblemsError([f"{label}: not a UTF-8 text file (byte {exc.start + 1} cannot be decoded); save it as "
                             "UTF-8 YAML"]) from None
    try:
        return parse_yaml(text), text
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark is not None else label
        raise ProblemsError([f"{where}: YAML syntax error: {yaml_problem(exc)}"]) from None
    except RecursionError:  # a guard for any recursion the depth limit does not cover
        raise ProblemsError([f"{label}: YAML nested too deeply (at most {MAX_YAML_DEPTH} levels)"]) from None


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
