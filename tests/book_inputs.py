"""What a build of the book reads, and a way to copy it: for planted-error tests, reproducibility and the bench."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK_INPUTS = ("mkdocs.yml", "refs.bib", "pyproject.toml", "docs", "hooks", "source", "overrides", "data",
               "annotations", "edition")


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
