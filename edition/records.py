"""Data files of records (YAML lists of mappings), validated by a JSON Schema, every error at its file:line.

PyYAML's composer keeps each node's position; the schema's errors name a path
(``[3, "related", 1]``), which is walked back through the composed nodes to the
line a contributor has to edit.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from edition.problems import EditionError, Problem, display_path, read_text

SCHEMAS = Path(__file__).parent / "schemas"
# libyaml's parser, when PyYAML was built with it, is some ten times faster and keeps the same marks.
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Record:
    """One mapping of a data file, with the line of the record and of each of its fields."""

    data: dict[str, Any]
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    item_lines: dict[str, list[int]] = field(default_factory=dict)

    def line_of(self, name: str, index: int | None = None) -> int:
        if index is not None and index < len(self.item_lines.get(name, [])):
            return self.item_lines[name][index]
        return self.field_lines.get(name, self.line)


@functools.lru_cache(maxsize=None)
def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _node_at(root: yaml.Node, path: list[Any]) -> yaml.Node:
    """The deepest composed node along a JSON Schema error path."""
    node = root
    for step in path:
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        elif isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == step), None)
            if found is None:
                break
            node = found
        else:
            break
    return node


def _duplicate_keys(node: yaml.Node, shown: str) -> list[Problem]:
    problems = []
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if key.value in seen:
                problems.append(Problem(shown, _line(key), str(key.value),
                                        f"field given twice (first on line {seen[key.value]}); keep one"))
            seen.setdefault(key.value, _line(key))
            problems += _duplicate_keys(value, shown)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            problems += _duplicate_keys(item, shown)
    return problems


def _record_id(data: Any, index: int) -> str | None:
    if isinstance(data, list) and index < len(data) and isinstance(data[index], dict):
        ident = data[index].get("id")
        return str(ident) if ident is not None else None
    return None


def _describe(error: jsonschema.ValidationError) -> str:
    where = ".".join(str(p) for p in list(error.absolute_path)[1:])
    message = error.message
    if error.validator == "pattern":
        hint = error.schema.get("description")
        message = f"{error.instance!r} does not have the expected form" + (f" ({hint})" if hint else "")
    elif error.validator == "type" and not isinstance(error.instance, (str, list, dict)) and "string" in str(
            error.validator_value):
        message = f"{error.instance} is not text; put the value in double quotes"
    elif error.validator == "enum":
        message = f"{error.instance!r} is not one of: {', '.join(map(str, error.validator_value))}"
    return f"{where}: {message}" if where else message


def load_records(path: Path, schema_name: str, shown: str | None = None) -> list[Record]:
    """The file's records, or EditionError listing every YAML and schema problem with its line.

    Parsed and validated once per version of the file, however many checks and hooks ask.
    """
    shown = shown or display_path(path)
    try:
        stat = Path(path).stat()
    except FileNotFoundError:
        raise EditionError([Problem(shown, None, None, "file not found")]) from None
    return list(_load_records(Path(path).resolve(), schema_name, shown, stat.st_mtime_ns, stat.st_size))


@functools.lru_cache(maxsize=16)
def _load_records(path: Path, schema_name: str, shown: str, mtime_ns: int, size: int) -> tuple[Record, ...]:
    text = read_text(path, shown)
    try:
        root = yaml.compose(text, Loader=LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise EditionError([Problem(shown, mark.line + 1 if mark else None, None,
                                    f"not valid YAML: {problem}; check indentation and quotes")]) from None
    if root is None:
        raise EditionError([Problem(shown, 1, None, "the file is empty; it must hold a list of records")])
    problems = _duplicate_keys(root, shown)
    data = yaml.load(text, Loader=LOADER)  # noqa: S506 (a safe loader)
    validator = jsonschema.Draft202012Validator(schema(schema_name))
    for error in validator.iter_errors(data):
        path_ = list(error.absolute_path)
        node = _node_at(root, path_)
        key = _record_id(data, path_[0]) if path_ and isinstance(path_[0], int) else None
        problems.append(Problem(shown, _line(node), key, _describe(error)))
    if problems:
        raise EditionError(problems)
    records = []
    for item, values in zip(root.value, data):
        field_lines = {k.value: _line(v) for k, v in item.value}
        item_lines = {k.value: [_line(n) for n in v.value] for k, v in item.value if isinstance(v, yaml.SequenceNode)}
        records.append(Record(values, _line(item), field_lines, item_lines))
    return tuple(records)
