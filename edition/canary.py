"""Proof, read from a built site, that the edition's hooks ran: a build that skipped them must not pass.

A build tool that ignores ``hooks:`` still builds every page under ``--strict``: the
citations stay as raw ``[^key]`` text, page markers stay HTML comments, and nothing
fails. This reads the built HTML and says what is missing.

    python -m edition.canary [SITE_DIR]     (default: site)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from edition.chapters import ARTICLE_PAGES
from edition.citations import NOTE_LABEL_PREFIX, find_citation_blocks
from edition.markers import MARKER
from edition.problems import read_text

_ARTICLE = re.compile(r"<article\b[^>]*>(?P<body>.*?)</article>", re.S)
_RAW_CITATION = re.compile(r"\[(?:\^[\w:-]+|[^\]\n]*@[\w:-]+[^\]\n]*)\]")
_TAG = re.compile(r"<[^>]+>")
_SEARCH_DIALOG_NAMED = re.compile(r"<div\b[^>]*\brole=\"dialog\"[^>]*\baria-label=")


def built_file(site: Path, src_uri: str) -> Path:
    stem = src_uri.removesuffix(".md")
    return site / ("index.html" if stem == "index" else f"{stem}/index.html")


def canary_problems(site: Path, docs: Path) -> list[str]:
    """What shows that a hook did not run, page by page; empty when every hook left its mark."""
    problems = []
    for src_uri in ARTICLE_PAGES:
        page = built_file(site, src_uri)
        if not page.is_file():
            problems.append(f"{page}: not built")
            continue
        html = page.read_text(encoding="utf-8")
        cited = len(find_citation_blocks(read_text(docs / src_uri, f"docs/{src_uri}")))
        rendered = len(re.findall(rf'<li id="fn:{NOTE_LABEL_PREFIX}\d+"', html))
        # A citation inside an explanatory note is rendered into that note, so only "some" can be required.
        if cited and not rendered:
            problems.append(f"{page}: docs/{src_uri} cites {cited} time(s) but no note was rendered by "
                            "hooks/citations.py; were the hooks skipped?")
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        article = _ARTICLE.search(html)
        text = _TAG.sub("", article.group("body")) if article else ""
        raw = _RAW_CITATION.search(text)
        if raw:
            problems.append(f"{page}: citation syntax {raw.group(0)!r} left as text; hooks/citations.py did not run")
        if article and MARKER.search(article.group("body")):
            problems.append(f"{page}: page marker left unexpanded; hooks/generated_pages.py did not run")
        if "data-md-component=\"search\"" in html and not _SEARCH_DIALOG_NAMED.search(html):
            problems.append(f"{page}: search dialog has no name; hooks/theme_markup.py did not run")
    return problems


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    problems = canary_problems(site, Path("docs"))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} sign(s) that the edition's hooks did not run; do not publish this build.",
              file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
