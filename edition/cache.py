"""Results of deterministic checks kept between builds, under a digest of everything they were computed from.

A build checks every page it writes for loads from other hosts, and works out the frequencies
the search segmenter gives the glossary's words: the same work on the same bytes at every build,
and in `mkdocs serve` at every keystroke saved. A ``ResultCache`` remembers such a result under
the SHA-256 of its inputs, in a file stamped with the version of the code that computed it (the
digest of its source files, the libraries' versions and Python's): a changed input, or changed
code, finds nothing and computes afresh. Only a result that passed is remembered; a problem is
found again at every build, so it is always reported.

The files live in the user's cache directory (``$EDITION_CACHE_DIR``, else ``$XDG_CACHE_HOME/edition``,
else ``~/.cache/edition``), never in the project: a pull request could otherwise commit a file that
declares its own hostile page already checked (a cache directory set inside the project is not used, nor
a file another user could have written). CI and deploy start with none. A file that cannot be read
is ignored, since a miss only costs time; each build writes back just the entries it used, so a file
holds one build's worth and does not grow.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import stat
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

CACHE_DIR_VARIABLE = "EDITION_CACHE_DIR"
FORMAT = 1  # the layout of a cache file; a file of another layout is ignored


def cache_root() -> Path | None:
    """Where cache files go: outside every project, so nothing a contributor commits is read as a result; None
    without a home directory (a container's user may have none), when no result is kept."""
    chosen = os.environ.get(CACHE_DIR_VARIABLE)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(base):  # a relative one is invalid (XDG base directories): it would name a project folder
        return Path(base) / "edition"
    try:
        return Path.home() / ".cache" / "edition"
    except RuntimeError:
        return None


def digest(*parts: str | bytes) -> str:
    """SHA-256 over the parts, each length-prefixed, so that no two different lists of parts share a digest."""
    hashed = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", errors="surrogatepass")
        hashed.update(len(data).to_bytes(8, "big"))
        hashed.update(data)
    return hashed.hexdigest()


def used_modules(modules: Iterable[ModuleType]) -> list[ModuleType]:
    """``modules`` and every module of their own packages that they use, directly or through one another, by
    name: a rule a check takes from a helper (active_content's url_scheme, from edition/escape.py) is its code too."""
    found: dict[str, ModuleType] = {}
    waiting = list(modules)
    while waiting:
        module = waiting.pop()
        if module.__name__ in found:
            continue
        found[module.__name__] = module
        package = module.__name__.partition(".")[0]
        for value in list(vars(module).values()):
            name = value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
            if isinstance(name, str) and name.partition(".")[0] == package and name in sys.modules:
                waiting.append(sys.modules[name])
    return [found[name] for name in sorted(found)]


def code_version(modules: Iterable[ModuleType], libraries: Iterable[str] = ()) -> str:
    """The version of the code behind a result: its modules' source and that of the modules of their packages they
    use (``used_modules``), the named libraries' versions, Python's."""
    parts: list[str | bytes] = [sys.version]
    for module in used_modules(modules):
        source = getattr(module, "__file__", None)
        parts += [module.__name__, Path(source).read_bytes() if source else b""]
    for library in libraries:
        try:
            parts += [library, importlib.metadata.version(library)]
        except importlib.metadata.PackageNotFoundError:
            parts += [library, ""]
    return digest(*parts)


class ResultCache:
    """One kind of result, for one project's settings file: ``get`` and ``put`` by key, ``save`` at the end."""

    def __init__(self, path: Path | None, version: str) -> None:
        self.path = path
        self.version = version
        self._stored = self._read()
        self._used: dict[str, Any] = {}

    def _read(self) -> dict[str, Any]:
        if self.path is None:
            return {}
        try:
            with self.path.open("rb") as file:
                if not _own_file(os.fstat(file.fileno())):
                    return {}
                data = json.loads(file.read())
        except (OSError, ValueError):
            return {}  # none yet, or unreadable: computing afresh is always right
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != self.version:
            return {}
        entries = data.get("entries")
        return entries if isinstance(entries, dict) else {}

    def get(self, key: str) -> Any:
        """The result stored under ``key`` by this version of the code, or None."""
        if key in self._used:
            return self._used[key]
        value = self._stored.get(key)
        if value is not None:
            self._used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._used[key] = value

    def save(self) -> None:
        """Write this build's entries; a cache that cannot be written costs the next build time, nothing else."""
        if self.path is None or self._used == self._stored:
            return
        data = json.dumps({"format": FORMAT, "version": self.version, "entries": self._used}, sort_keys=True)
        aside: Path | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Written aside and renamed, so a build running beside this one never reads half a file.
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.path.parent, delete=False) as file:
                aside = Path(file.name)
                file.write(data)
            os.replace(aside, self.path)
        except OSError:
            if aside is not None:
                aside.unlink(missing_ok=True)  # else each build that cannot write leaves one more file
            return
        self._stored = dict(self._used)


def _own_file(status: os.stat_result) -> bool:
    """Whether a cache file is this user's and only theirs to write: in a directory shared with other users
    (EDITION_CACHE_DIR under /tmp), a file of theirs, or a link to one, could declare any page checked."""
    if status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return False
    return not hasattr(os, "geteuid") or status.st_uid == os.geteuid()


def result_cache(kind: str, settings_file: Path, version: str) -> ResultCache:
    """The cache of results of ``kind`` for the project whose settings file is ``settings_file`` (each site of a
    project has its own, so building one does not evict the other's)."""
    root, project = cache_root(), settings_file.resolve().parent
    if root is None or root.resolve().is_relative_to(project):
        # Inside the project a pull request could commit the very file read here: no result is kept.
        return ResultCache(None, version)
    return ResultCache(root / digest(str(settings_file.resolve()))[:16] / f"{kind}.json", version)
