"""The emendation list: every repair of a conversion artifact, with before, after, place and reason."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from edition.records import parse_yaml
from edition.problems import EditionError, Problem, display_path, read_text

KINDS = {
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


def load_emendations(path: Path, shown: str | None = None) -> EmendationList:
    shown = shown or display_path(path)
    text = read_text(path, shown)
    try:
        data, values = parse_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise EditionError([Problem(shown, mark.line + 1 if mark else None, None, f"not valid YAML: {exc}")]) from None
    problems: list[Problem] = []
    emendations: list[Emendation] = []
    joins: list[PageJoin] = []
    if data is None or not isinstance(data, yaml.MappingNode):
        raise EditionError([Problem(shown, 1, None, "expected a mapping with 'emendations' and 'page_joins'")])
    sections = {k.value: v for k, v in data.value}
    for node, item in zip(getattr(sections.get("emendations"), "value", []), values.get("emendations") or []):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            problems.append(Problem(shown, line, None, "each emendation is a mapping of kind, where, before, after, reason"))
            continue
        missing = [k for k in ("kind", "where", "before", "after", "reason") if k not in item]
        if missing:
            problems.append(Problem(shown, line, None, f"emendation lacks {', '.join(missing)}"))
            continue
        if item["kind"] not in KINDS:
            problems.append(Problem(shown, line, None, f"unknown kind '{item['kind']}'; use one of {', '.join(KINDS)}"))
            continue
        emendations.append(Emendation(item["kind"], str(item["where"]), str(item["before"]), str(item["after"]),
                                      str(item["reason"]), int(item.get("count", 1)), line))
    for node, item in zip(getattr(sections.get("page_joins"), "value", []), values.get("page_joins") or []):
        line = node.start_mark.line + 1
        if not isinstance(item, dict) or not all(k in item for k in ("where", "end", "start")):
            problems.append(Problem(shown, line, None, "page join needs where, end and start"))
            continue
        joins.append(PageJoin(str(item["where"]), str(item["end"]), str(item["start"]), line))
    if problems:
        raise EditionError(problems)
    return EmendationList(shown, emendations, joins)


def apply_emendations(text: str, emendations: EmendationList) -> tuple[str, list[Problem]]:
    """The source with every emendation applied; each must match exactly ``count`` times."""
    problems = []
    for e in emendations.emendations:
        found = text.count(e.before)
        if found != e.count:
            problems.append(Problem(emendations.path, e.line, None,
                                    f"'{e.before}' occurs {found} times in the source, expected {e.count}"))
            continue
        text = text.replace(e.before, e.after)
    return text, problems
