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

import jsonschema_rs
import yaml

from edition.problems import EditionError, Problem, display_path, read_text

SCHEMAS = Path(__file__).parent / "schemas"


class LOADER(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (libyaml's parser when PyYAML has it: ten times faster, same marks), except that
    2026-03-01 stays the text written: the schemas check dates as text, and our date checks, not
    the YAML library, say what is wrong with a bad one."""


LOADER.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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


def parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The composed document (each node knows its line) and its values, from one parse; raises yaml.YAMLError."""
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        return node, (loader.construct_document(node) if node is not None else None)
    finally:
        loader.dispose()


@functools.lru_cache(maxsize=None)
def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class SchemaError:
    """One way a value breaks its schema, in the terms our messages need, whatever the validator library."""

    path: tuple[Any, ...]  # where in the data, e.g. (3, "related", 1)
    keyword: str  # the schema keyword that failed: "pattern", "enum", "required", …
    message: str  # the validator's own words
    instance: Any  # the value that failed
    rule: dict[str, Any]  # the (sub)schema holding the keyword; its "description" is a hint for contributors
    missing: str | None = None  # for "required": the missing field

    @property
    def expected(self) -> Any:
        return self.rule.get(self.keyword)


@functools.lru_cache(maxsize=None)
def _validator(name: str) -> Any:
    # jsonschema-rs (Draft 2020-12, as the schemas declare): compiled once, and it imports and
    # validates in a few milliseconds, where the pure-Python validator took a tenth of a build.
    return jsonschema_rs.validator_for(schema(name))


def _subschema(root: dict[str, Any], path: list[Any]) -> dict[str, Any]:
    node: Any = root
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return {}
    return node if isinstance(node, dict) else {}


def _foreign_values(value: Any, path: tuple[Any, ...]):
    """Values YAML can make but JSON cannot hold (a !!set, !!binary, a mapping with a number as key)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                yield path, value
                return
            yield from _foreign_values(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _foreign_values(item, (*path, index))
    elif value is not None and not isinstance(value, (str, int, float, bool)):
        yield path, value


def schema_errors(schema_name: str, data: Any) -> list[SchemaError]:
    """Every way ``data`` breaks the named schema (edition/schemas/NAME.schema.json), in document order."""
    foreign = list(_foreign_values(data, ()))
    if foreign:  # the validator takes JSON's types only: name these first, as a type error each
        return [SchemaError(path, "type", f"{value!r} is not of a JSON type", value, {"type": "string"})
                for path, value in foreign]
    errors = []
    for error in _validator(schema_name).iter_errors(data):
        schema_path = list(error.schema_path)
        keyword = str(schema_path[-1]) if schema_path else ""
        errors.append(SchemaError(tuple(error.instance_path), keyword, error.message, error.instance,
                                  _subschema(schema(schema_name), schema_path[:-1]),
                                  getattr(error.kind, "property", None)))
    return errors


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


def _describe(error: SchemaError) -> str:
    where = ".".join(str(p) for p in error.path[1:])
    message = error.message
    if error.keyword == "pattern":
        hint = error.rule.get("description")
        message = f"{error.instance!r} does not have the expected form" + (f" ({hint})" if hint else "")
    elif error.keyword == "type" and not isinstance(error.instance, (str, list, dict)) and "string" in str(
            error.expected):
        message = f"{error.instance} is not text; put the value in double quotes"
    elif error.keyword == "enum":
        message = f"{error.instance!r} is not one of: {', '.join(map(str, error.expected))}"
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
        root, data = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise EditionError([Problem(shown, mark.line + 1 if mark else None, None,
                                    f"not valid YAML: {problem}; check indentation and quotes")]) from None
    if root is None:
        raise EditionError([Problem(shown, 1, None, "the file is empty; it must hold a list of records")])
    problems = _duplicate_keys(root, shown)
    for error in schema_errors(schema_name, data):
        path_ = list(error.path)
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
