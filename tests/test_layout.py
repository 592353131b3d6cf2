"""The library's layout: folders name the pipeline's stages, and a stage imports only from itself and below."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from conftest import ROOT

EDITION = ROOT / "edition"
# Bottom to top. The top-level modules: the reading door, escaping, dates and the results cache beneath
# everything; the book and the settings rules assemble the stages; the outputs and the MkDocs adapter (build) sit
# on the book.
LAYERS = [
    {"edition.problems", "edition.escape", "edition.dates", "edition.records", "edition.paths", "edition.cache"},
    {"edition.sources"},
    {"edition.text"},
    {"edition.reference"},
    {"edition.translation"},
    {"edition.site"},
    {"edition.settings", "edition.book"},
    {"edition.outputs", "edition.build"},
]


def layer_of(module: str) -> int:
    for rank, names in enumerate(LAYERS):
        if any(module == name or module.startswith(name + ".") for name in names):
            return rank
    raise AssertionError(f"{module} belongs to no layer: add it to LAYERS in tests/test_layout.py")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("edition"):
            found |= {
                f"{node.module}.{alias.name}" if node.module == "edition" else node.module for alias in node.names
            }
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("edition")}
    return {name for name in found if name != "edition"}


def test_every_module_is_in_a_stage_and_imports_only_downward() -> None:
    upward = []
    for path in sorted(EDITION.rglob("*.py")):
        module = module_name(path)
        if module == "edition" or path.name == "__init__.py":
            continue
        rank = layer_of(module)
        names = sorted(imported(ast.parse(path.read_text(encoding="utf-8"))))
        upward += [f"{module} imports {name}" for name in names if layer_of(name) > rank]
    assert upward == []


def test_no_two_modules_share_a_name() -> None:
    """Names that say what things are: no two modules of the library with one name in different folders."""
    stems: dict[str, list[str]] = {}
    for path in EDITION.rglob("*.py"):
        if path.name != "__init__.py":
            stems.setdefault(path.stem, []).append(path.relative_to(ROOT).as_posix())
    assert {stem: paths for stem, paths in stems.items() if len(paths) > 1} == {}


SUPPRESSION = re.compile(r"#\s*(?:noqa\b(?::\s*[A-Z0-9, ]+)?|type:\s*ignore(?:\[[^\]]*\])?)(?P<after>.*)$")


def test_every_suppressed_finding_says_why() -> None:
    """A `# noqa` or `# type: ignore` hides a finding of the gates: each says why, after it on its line or in the
    comment line just above."""
    unexplained = []
    for folder in ("edition", "hooks", "tests", "bench", "scripts"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            lines = path.read_text(encoding="utf-8").splitlines()
            for number, line in enumerate(lines, 1):
                found = SUPPRESSION.search(line)
                if not found or '"' in line[found.start() :]:
                    continue  # not a suppression, or the pattern written inside a string (as here)
                reason = re.sub(r"^[\s#(]*", "", found.group("after")).strip()
                above = lines[number - 2].strip() if number > 1 else ""
                if len(reason) < 8 and not above.startswith("#"):
                    unexplained.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert unexplained == []
