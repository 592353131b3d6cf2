"""The emendation list: every repair of a conversion artifact, with before, after, place and reason."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from edition.problems import EditionError, Problem, display_path
from edition.records import DATA_FILE_LIMIT, read_yaml, schema_problems

KINDS = {  # keep in sync with the enum of schemas/emendations.schema.json
    "escape": "转义残留 / escape residue",
    "spacing": "多余空格 / stray spacing",
    "stray-word": "误入外文词 / stray non-Chinese word",
    "layout": "版式符号 / print layout mark",
    "heading": "标题层级 / heading level",
}


@dataclass(frozen=True)
class Emendation:
    kind: str
    where: str
    before: str
    after: str
    reason: str
    count: int
    line: int


@dataclass(frozen=True)
class PageJoin:
    where: str
    end: str
    start: str
    line: int


@dataclass(frozen=True)
class EmendationList:
    path: str
    emendations: list[Emendation]
    joins: list[PageJoin]


def _field(path: tuple[Any, ...]) -> str | None:
    """The field an error path names, as a contributor reads it: ``count`` for ("emendations", 3, "count")."""
    inside = path[2:] if len(path) >= 2 and isinstance(path[1], int) else path
    return ".".join(str(step) for step in inside) or None


def load_emendations(path: Path, shown: str | None = None) -> EmendationList:
    """The list, checked by ``schemas/emendations.schema.json``: every YAML or type error at its line."""
    shown = shown or display_path(path)
    root, values = read_yaml(Path(path), shown, limit=DATA_FILE_LIMIT)
    problems = schema_problems(shown, root, values, "emendations", key=_field, where=lambda _: ())
    if problems:
        raise EditionError(problems)
    assert isinstance(root, yaml.MappingNode)  # the schema says: a mapping with the two lists
    sections = {key.value: node for key, node in root.value}
    emendations = [
        Emendation(
            item["kind"],
            item["where"],
            item["before"],
            item["after"],
            item["reason"],
            int(item.get("count", 1)),
            node.start_mark.line + 1,
        )
        for node, item in zip(sections["emendations"].value, values["emendations"], strict=True)
    ]
    joins = [
        PageJoin(item["where"], item["end"], item["start"], node.start_mark.line + 1)
        for node, item in zip(sections["page_joins"].value, values["page_joins"], strict=True)
    ]
    return EmendationList(shown, emendations, joins)


def apply_emendations(text: str, emendations: EmendationList) -> tuple[str, list[Problem]]:
    """The source with every emendation applied; each must match exactly ``count`` times."""
    problems = []
    for e in emendations.emendations:
        found = text.count(e.before)
        if found != e.count:
            problems.append(
                Problem(
                    emendations.path,
                    e.line,
                    None,
                    f"'{e.before}' occurs {found} times in the source, expected {e.count}",
                )
            )
            continue
        text = text.replace(e.before, e.after)
    return text, problems
