"""Results kept between builds (edition/cache.py): never trusted beyond the exact bytes and code that made them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from book_inputs import ROOT
from edition import cache
from edition.cache import CACHE_DIR_VARIABLE, ResultCache, cache_root, result_cache
from edition.site import third_party
from edition.site.third_party import checked_problems, checker_version

CLEAN = "<!doctype html><html><head><title>x</title></head><body><p>text</p></body></html>"
PLANTED = CLEAN.replace("</head>", "<script src=https://cdn.example/lib.js></script></head>")


def remembered(path: Path, text: str, version: str | None = None) -> ResultCache:
    """A cache file in which ``text`` was found clean, as a build leaves it."""
    known = ResultCache(path, version or checker_version())
    assert checked_problems("site/x.html", text, "html", known=known) == []
    known.save()
    return ResultCache(path, version or checker_version())


def test_a_page_found_clean_is_not_parsed_at_the_next_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    known = remembered(tmp_path / "c.json", CLEAN)
    monkeypatch.setattr(third_party, "third_party_problems", lambda *_a, **_k: pytest.fail("parsed again"))
    assert checked_problems("site/x.html", CLEAN, "html", known=known) == []


def test_a_page_with_a_load_is_reported_at_every_build_and_never_remembered(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    for _ in range(2):
        known = ResultCache(path, checker_version())
        assert [p.key for p in checked_problems("site/x.html", PLANTED, "html", known=known)] == ["<script src>"]
        known.save()
    assert not path.exists() or json.loads(path.read_text(encoding="utf-8"))["entries"] == {}


def test_a_result_counts_only_for_the_same_kind_and_origins(tmp_path: Path) -> None:
    """A page checked with the site's own origin allowed is checked again where that origin is someone else's."""
    own = CLEAN.replace("</head>", "<script src=https://edition.example/x.js></script></head>")
    known = ResultCache(tmp_path / "c.json", checker_version())
    assert checked_problems("site/x.html", own, "html", own_origins=["https://edition.example"], known=known) == []
    assert [p.key for p in checked_problems("site/x.html", own, "html", known=known)] == ["<script src>"]
    css = "a{background:url(https://cdn.example/x.png)}"
    assert checked_problems("site/x.html", css, "html", known=known) == []  # as HTML it is only text
    assert [p.key for p in checked_problems("site/x.css", css, "css", known=known)] == ["url()"]


def test_results_of_another_version_of_the_check_are_not_read(tmp_path: Path) -> None:
    """A file that declares a hostile page clean under any version but this code's is ignored."""
    path = tmp_path / "c.json"
    known = ResultCache(path, "another version")
    known.put(cache.digest("third-party", "html", "", PLANTED), True)
    known.save()
    fresh = ResultCache(path, checker_version())
    assert [p.key for p in checked_problems("site/x.html", PLANTED, "html", known=fresh)] == ["<script src>"]


def test_the_version_follows_the_checks_code(tmp_path: Path) -> None:
    """Changed code finds no results: the version is the digest of the checking modules' source."""
    source = tmp_path / "check_module.py"
    source.write_text("RULE = 1\n", encoding="utf-8")
    module = ModuleType("check_module")
    module.__file__ = str(source)
    first = cache.code_version([module])
    assert cache.code_version([module]) == first
    source.write_text("RULE = 2\n", encoding="utf-8")
    assert cache.code_version([module]) != first
    assert cache.code_version([module], ["tinycss2"]) != cache.code_version([module])


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"[]", b'{"format": 1}', b'{"format": 1, "version": "V", "entries": []}', b"\xff\xfe"],
)
def test_an_unreadable_cache_file_is_ignored(tmp_path: Path, content: bytes) -> None:
    """A cache only saves time: a damaged file is read as empty, the check runs, the build goes on."""
    path = tmp_path / "c.json"
    path.write_bytes(content)
    known = ResultCache(path, "V")
    assert known.get("anything") is None
    assert [p.key for p in checked_problems("site/x.html", PLANTED, "html", known=known)] == ["<script src>"]
    known.put("k", True)
    known.save()
    assert ResultCache(path, "V").get("k") is True


def test_a_file_keeps_only_the_last_builds_entries(tmp_path: Path) -> None:
    path = tmp_path / "c.json"
    first = ResultCache(path, "V")
    first.put("old", True)
    first.save()
    second = ResultCache(path, "V")
    second.put("new", True)
    second.save()
    assert json.loads(path.read_text(encoding="utf-8"))["entries"] == {"new": True}


def test_caches_live_outside_the_project(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nothing a pull request commits can be read as a result: the files are in the user's cache directory."""
    monkeypatch.delenv(CACHE_DIR_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_root() == tmp_path / "xdg" / "edition"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == tmp_path / "home" / ".cache" / "edition"
    made = result_cache("third-party", ROOT / "mkdocs.yml", "V")
    assert ROOT.resolve() not in made.path.resolve().parents
    # Each site of a project has its own file, so building one does not evict the other's results.
    assert made.path != result_cache("third-party", ROOT / "mkdocs.en.yml", "V").path


def test_the_version_follows_the_helpers_the_check_calls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The active-content check reads a URL's scheme with edition/escape.py's url_scheme: a change there (say, to
    what counts as javascript:) must find no result kept by the old rule, or a warm build passes what a cold fails."""
    from edition import escape

    before = checker_version()
    changed = tmp_path / "escape.py"
    changed.write_bytes(Path(escape.__file__).read_bytes() + b"\n# a changed rule\n")
    monkeypatch.setattr(escape, "__file__", str(changed))
    assert checker_version() != before


def test_the_version_follows_a_helper_module_of_the_same_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "checkpkg"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "helper.py").write_text("def rule(x):\n    return x == 1\n", encoding="utf-8")
    (package / "check.py").write_text("from checkpkg.helper import rule\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import importlib

    check = importlib.import_module("checkpkg.check")
    first = cache.code_version([check])
    (package / "helper.py").write_text("def rule(x):\n    return x == 2\n", encoding="utf-8")
    assert cache.code_version([check]) != first
    for name in ("checkpkg.check", "checkpkg.helper", "checkpkg"):
        monkeypatch.delitem(sys.modules, name)


def test_a_cache_file_that_cannot_be_written_leaves_nothing_behind(tmp_path: Path) -> None:
    """The file is written aside and renamed; when the rename fails (here a directory stands in its place) the
    half-made file goes too, or every build would leave one more in the cache directory."""
    path = tmp_path / "c.json"
    path.mkdir()
    known = ResultCache(path, "V")
    known.put("k", True)
    known.save()
    assert list(tmp_path.iterdir()) == [path]


def test_a_cache_directory_inside_the_project_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pull request can commit files in the project; one placed where a cache directory set inside it would be
    read (a ``.cache`` set relative to the checkout, say) must not declare a hostile page checked."""
    project = tmp_path / "project"
    project.mkdir()
    settings = project / "mkdocs.yml"
    settings.write_text("site_name: x\n", encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_VARIABLE, str(project / ".cache"))
    committed = project / ".cache" / cache.digest(str(settings.resolve()))[:16] / "third-party.json"
    committed.parent.mkdir(parents=True)
    committed.write_text(
        json.dumps(
            {
                "format": cache.FORMAT,
                "version": checker_version(),
                "entries": {cache.digest("third-party", "html", "", PLANTED): True},
            }
        ),
        encoding="utf-8",
    )
    known = result_cache("third-party", settings, checker_version())
    assert [p.key for p in checked_problems("site/x.html", PLANTED, "html", known=known)] == ["<script src>"]
    known.put("k", True)
    known.save()  # and nothing is written into the project either
    assert sorted(p.name for p in project.rglob("*") if p.is_file()) == sorted([committed.name, "mkdocs.yml"])


def test_a_relative_xdg_cache_home_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The XDG base directory rules: a relative XDG_CACHE_HOME is invalid and ignored (it would name a folder of
    whatever directory the build runs in, the project's own)."""
    monkeypatch.delenv(CACHE_DIR_VARIABLE, raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", ".cache")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_root() == tmp_path / "home" / ".cache" / "edition"


def test_without_a_home_directory_the_build_keeps_no_results(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A container user with no HOME and no passwd entry: no traceback, the checks simply run."""
    monkeypatch.delenv(CACHE_DIR_VARIABLE, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    known = result_cache("third-party", tmp_path / "mkdocs.yml", checker_version())
    assert [p.key for p in checked_problems("site/x.html", PLANTED, "html", known=known)] == ["<script src>"]
    assert checked_problems("site/x.html", CLEAN, "html", known=known) == []
    known.save()


def test_a_cache_file_others_can_write_is_not_read(tmp_path: Path) -> None:
    """In a cache directory shared with other users (EDITION_CACHE_DIR under /tmp, say), a file they could have
    written, or a link to one of theirs, is not taken as this user's results."""
    path = tmp_path / "c.json"
    remembered(path, PLANTED.replace("https://cdn.example/lib.js", "lib.js"))
    entries = json.loads(path.read_text(encoding="utf-8"))
    entries["entries"][cache.digest("third-party", "html", "", PLANTED)] = True
    path.write_text(json.dumps(entries), encoding="utf-8")
    path.chmod(0o666)
    known = ResultCache(path, checker_version())
    assert [p.key for p in checked_problems("site/x.html", PLANTED, "html", known=known)] == ["<script src>"]
