"""What a build of the book reads, and a way to copy it: for planted-error tests, reproducibility and the bench."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

# The book the tests read and build: this checkout, or the copy that EDITION_BOOK names (the contributor's
# pull-request test runs the page tests on a copy with new annotations, terms, events and sources).
ROOT = Path(os.environ.get("EDITION_BOOK") or Path(__file__).resolve().parent.parent).resolve()
BOOK_INPUTS = (
    "mkdocs.yml",
    "mkdocs.en.yml",
    "refs.bib",
    "pyproject.toml",
    "docs",
    "hooks",
    "source",
    "overrides",
    "data",
    "annotations",
    "edition",
    "translation",
)


# Debian's chromium as the tests and the bench drive it: no sandbox as root, and no calls home (the closed
# network refuses them, many at a time).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

# What `make` installs or builds: at the top of the checkout (edition/site/ is code, site/ is a build).
NOT_COPIED_AT_TOP = {".git", ".venv", "node_modules", "site", "build", ".pytest_cache", ".hypothesis"}


def _not_copied_from(origin: Path, folder: str, names: list[str]) -> set[str]:
    top = Path(folder).resolve() == origin.resolve()
    return {name for name in names if name == "__pycache__" or (top and name in NOT_COPIED_AT_TOP)}


def copy_checkout(destination: Path, origin: Path = ROOT) -> Path:
    """A copy of the whole checkout as a contributor's fork would hold it (tests, workflows, templates), without
    what `make` installs or builds; node_modules is linked, not copied, for the quality gates' tools."""
    shutil.copytree(origin, destination, ignore=lambda folder, names: _not_copied_from(origin, folder, names))
    if (origin / "node_modules").is_dir():
        (destination / "node_modules").symlink_to(origin / "node_modules")
    return destination


def copy_book_inputs(destination: Path, origin: Path = ROOT) -> Path:
    """A copy of everything the build reads, at ``destination`` (created)."""
    destination.mkdir(parents=True)
    for name in BOOK_INPUTS:
        source = origin / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, destination / name)
    return destination


def build_in_own_process(*, strict: bool, before: str = "") -> str:
    """Python source for ``python -c SOURCE PROJECT SITE``: a build of PROJECT into SITE in a fresh process, as
    `mkdocs build` runs it; ``before`` runs first (to block an import, say)."""
    return (
        "import logging, os, sys\n"
        f"{before}\n"
        "from mkdocs.commands.build import build\n"
        "from mkdocs.config import load_config\n"
        "project, site = sys.argv[1], sys.argv[2]\n"
        "os.chdir(project)\n"
        f'config = load_config(os.path.join(project, "mkdocs.yml"), site_dir=site, strict={strict})\n'
        'config.plugins.on_startup(command="build", dirty=False)\n'
        "try:\n"
        "    build(config)\n"
        "finally:\n"
        "    config.plugins.on_shutdown()\n"
    )
