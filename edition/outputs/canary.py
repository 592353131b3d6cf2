"""Proof, read from a built site, that every hook of the edition ran: a build that skipped one must not pass.

A build that ignores a hook still builds every page under ``--strict``: the citations stay as
raw text, page markers stay HTML comments, the search keeps Material's worker, and nothing
fails. So each hook has a mark (``MARKS``, keyed by the hook's file, the same keys as
``edition.settings.EDITION_HOOKS``): what it leaves in the built site, and how its absence shows.
A hook whose work leaves nothing visible (the checks, the template cache, the Book loader) puts a
stamp in every page it served, with ``stamp(html, hook)`` from its ``on_post_page``: the smallest
mark that is still true, since the hook can only stamp pages of a build it took part in.

The command also runs the zero-third-party check (edition/site/third_party.py) over the same site.

    python -m edition.outputs.canary [SITE_DIR [PROJECT_DIR]]     (defaults: site, .)
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from edition.dates import reference_date
from edition.escape import html_attribute
from edition.paths import ANNOTATIONS_JSONLD as JSONLD
from edition.paths import ARTICLE_PAGES, GLOSSARY, TRANSLATION, page_stem, site_path
from edition.problems import EditionError, read_text
from edition.reference.article import load_article
from edition.reference.glossary import HAN, load_glossary
from edition.site.search_worker import SEGMENT_LOOP, SNIPPETS_NAME, WORKER_PATTERN
from edition.site.third_party import site_third_party_problems
from edition.sources.citations import NOTE_LABEL_PREFIX, find_citation_blocks
from edition.text.markers import MARKER, NAMES
from edition.text.paragraphs import PARAGRAPH_OPEN

EXPORTS = ("glossary.csv", "glossary.json", "timeline.json", "timeline.ics")  # hooks/data_exports.py
SEARCH_INDEX = "search/search_index.json"
STAMP = '<meta name="edition-hook" content="{hook}">'
SEPARATOR = "\u200b"  # Material's search puts it between the words jieba found

# Linear patterns only: the pages carry contributors' text.
_CANDIDATE = re.compile(r"\[[^\[\]\n]*\]")  # stops at the next '[', so scans never overlap
_CITATION_KEY = re.compile(r"@[\w:-]")
_TAG = re.compile(r"<[^<>]*>")
_DIV = re.compile(r"<div\b[^<>]*>")
# A Chinese paragraph's own number: the first element in it (text another hook left may stand before it).
_NUMBERED_PARAGRAPH = re.compile(r'<p id="p\d+-\d+">[^<]{0,200}<a class="edition-para-number"')
_INPUT = re.compile(r"<input\b[^<>]*>")
_HAN_ONLY = re.compile(r"[\u3400-\u9fff]{2,}")
CORRECTED_LOOP = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<=(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")


@dataclass(frozen=True)
class Built:
    """A built site and the project it was built from (mkdocs.yml, docs/, data/)."""

    site: Path
    project: Path

    def read(self, relative: str) -> str | None:
        path = self.site / relative
        return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None

    def source_pages(self) -> list[str]:
        docs = self.project / "docs"
        return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))

    def source(self, src_uri: str) -> str:
        return read_text(self.project / "docs" / src_uri, f"docs/{src_uri}")

    def html_files(self) -> list[str]:
        return sorted(p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html"))


def built_file(src_uri: str) -> str:
    """The built page of a Markdown file, relative to the site (use_directory_urls)."""
    stem = page_stem(src_uri)
    if stem == "index" or stem.endswith("/index"):
        return f"{stem.removesuffix('index')}index.html"
    return f"{stem}/index.html"


def article_text(page_html: str) -> str:
    """The text of the page's <article>, tags removed (no regex that could backtrack over the page)."""
    start = page_html.find("<article")
    end = page_html.rfind("</article>")
    return _TAG.sub("", page_html[start:end]) if 0 <= start < end else ""


def raw_citation(text: str) -> str | None:
    for match in _CANDIDATE.finditer(text):
        inside = match.group(0)
        if inside.startswith("[^") or _CITATION_KEY.search(inside):
            return inside
    return None


def stamp(page_html: str, hook: str) -> str:
    """The page with ``hook``'s stamp in its head; a hook that leaves nothing else calls it from on_post_page."""
    tag = STAMP.format(hook=html_attribute(hook))
    end = page_html.find("</head>")
    return page_html if tag in page_html or end < 0 else page_html[:end] + tag + page_html[end:]


# -- the marks ----------------------------------------------------------------------------------------------

Finder = Callable[[Built], list[str]]


@dataclass(frozen=True)
class Mark:
    leaves: str  # what the hook leaves in the built site
    missing: Finder  # where that is missing: "page: what is not there"; empty when the mark is found


def stamped(hook: str) -> Finder:
    def missing(built: Built) -> list[str]:
        tag = STAMP.format(hook=html_attribute(hook))
        pages = [built_file(src) for src in built.source_pages()]
        unstamped = [page for page in pages if tag not in (built.read(page) or "")]
        more = f" (and {len(unstamped) - 3} more page(s))" if len(unstamped) > 3 else ""
        return [f"{page}: no stamp {tag}" + (more if index == 2 else "") for index, page in enumerate(unstamped[:3])]

    return missing


def notes_missing(built: Built) -> list[str]:
    found = []
    for src_uri in ARTICLE_PAGES:
        page = built.read(built_file(src_uri))
        if page is None:
            found.append(f"{built_file(src_uri)}: not built")
            continue
        cited = len(find_citation_blocks(built.source(src_uri)))
        # A citation inside an explanatory note is rendered into that note, so only "some" can be required.
        if cited and f'<li id="fn:{NOTE_LABEL_PREFIX}' not in page:
            found.append(f"{built_file(src_uri)}: docs/{src_uri} cites {cited} time(s) but no note was rendered")
    for page in built.html_files():
        raw = raw_citation(article_text(built.read(page) or ""))
        if raw:
            found.append(f"{page}: citation syntax {raw!r} left as text")
    return found


def markers_left(built: Built) -> list[str]:
    found = []
    for src_uri in built.source_pages():
        page = built.read(built_file(src_uri)) or ""
        left = [m.group(0) for m in MARKER.finditer(page) if m.group("name") in NAMES]
        if left:
            found.append(f"{built_file(src_uri)}: page marker {left[0]} left unexpanded")
    return found


def numbers_missing(built: Built) -> list[str]:
    found = []
    for src_uri in ARTICLE_PAGES:
        page = built.read(built_file(src_uri)) or ""
        paragraphs = len(PARAGRAPH_OPEN.findall(page))
        # The Chinese paragraphs' own numbers, each the first thing in its paragraph (the English have theirs).
        numbered = len(_NUMBERED_PARAGRAPH.findall(page))
        if paragraphs > numbered:
            found.append(
                f"{built_file(src_uri)}: {paragraphs - numbered} of {paragraphs} article paragraph(s) "
                "without their number (¶)"
            )
    return found


def annotations_missing(built: Built) -> list[str]:
    text = built.read(JSONLD)
    if text is None:
        return [f"{JSONLD}: not written"]
    try:
        items = json.loads(text)["first"]["items"]
        anchors = [str(item["id"]).rsplit("#", 1)[-1] for item in items]
    except (ValueError, KeyError, TypeError):
        return [f"{JSONLD}: not the annotations' JSON-LD collection"]
    pages = "".join(built.read(built_file(src)) or "" for src in ARTICLE_PAGES)
    placed = [a for a in anchors if f'data-annotation="{html_attribute(a)}"' in pages]
    return [f"{JSONLD}: annotation {a} is not marked in its paragraph" for a in anchors if a not in placed][:3]


def theme_markup_missing(built: Built) -> list[str]:
    found = []
    for page in built.html_files():
        html = built.read(page) or ""
        if 'data-md-component="search"' in html and not any(
            'role="dialog"' in tag and "aria-label=" in tag for tag in _DIV.findall(html)
        ):
            found.append(f"{page}: the search dialog has no name")
        if any('type="checkbox"' in tag and "autocomplete=" in tag for tag in _INPUT.findall(html)):
            found.append(f"{page}: a checkbox keeps the theme's autocomplete attribute")
    return found[:3]


def glossary_forms(built: Built) -> list[str] | None:
    try:
        glossary = load_glossary(built.project / GLOSSARY, GLOSSARY.as_posix())
    except EditionError:
        return None
    return sorted({form for entry in glossary.entries for form in entry.forms if HAN.search(form)})


def dictionary_missing(built: Built) -> list[str]:
    forms = glossary_forms(built)
    if forms is None:
        return [f"{GLOSSARY}: cannot be read, so the search dictionary cannot be checked"]
    text = built.read(SEARCH_INDEX)
    if text is None:
        return [f"{SEARCH_INDEX}: not written (is the search plugin on?)"]
    try:
        docs = json.loads(text)["docs"]
        indexed = "\n".join(f"{doc['title']}\n{doc['text']}" for doc in docs)
    except (ValueError, KeyError, TypeError):
        return [f"{SEARCH_INDEX}: not Material's search index"]
    # A term is whole when jieba gave it as one word: between separators, or at a field's start or end (a
    # glossary entry's result begins with its term, and the plugin strips the separators around a field).
    words = set(re.split(f"[{SEPARATOR}\n]", indexed))
    joined = indexed.replace(SEPARATOR, "")
    # Terms made only of Han characters are what jieba would otherwise cut; each that occurs must occur whole
    # at least once (a word of jieba's own dictionary is whole either way).
    split = [form for form in forms if _HAN_ONLY.fullmatch(form) and form in joined and form not in words]
    return (
        [
            (
                f"{SEARCH_INDEX}: glossary term(s) never indexed as one word, so searching for them fails: "
                f"{', '.join(split[:5])}"
            )
        ]
        if split
        else []
    )


def worker_missing(built: Built) -> list[str]:
    workers = [
        p for p in sorted(built.site.rglob("*.js")) if WORKER_PATTERN.fullmatch(p.relative_to(built.site).as_posix())
    ]
    if len(workers) != 1:
        return [f"assets/javascripts/workers/: {len(workers)} search worker(s) instead of one"]
    worker = workers[0].read_text(encoding="utf-8", errors="replace")
    if SEGMENT_LOOP.search(worker) or not CORRECTED_LOOP.search(worker):
        return [f"{workers[0].relative_to(built.site).as_posix()}: Material's uncorrected query segmentation"]
    if SNIPPETS_NAME not in worker:
        return [f"{workers[0].relative_to(built.site).as_posix()}: whole paragraphs as results, no snippets"]
    return []


def sections_missing(built: Built) -> list[str]:
    text = built.read(SEARCH_INDEX)
    if text is None:
        return [f"{SEARCH_INDEX}: not written (is the search plugin on?)"]
    try:
        locations = {str(doc["location"]) for doc in json.loads(text)["docs"]}
    except (ValueError, KeyError, TypeError):
        return [f"{SEARCH_INDEX}: not Material's search index"]
    found = []
    for src_uri in ARTICLE_PAGES:
        idents = PARAGRAPH_OPEN.findall(built.read(built_file(src_uri)) or "")
        unanchored = [i for i in idents if f"{site_path(src_uri)}#{i}" not in locations]
        if unanchored:
            found.append(
                f"{SEARCH_INDEX}: {len(unanchored)} of {len(idents)} paragraph(s) of {src_uri} without a search "
                f"result of their own (first: {unanchored[0]})"
            )
    return found


def terms_missing(built: Built) -> list[str]:
    try:
        glossary = load_glossary(built.project / GLOSSARY, GLOSSARY.as_posix())
    except EditionError:
        return [f"{GLOSSARY}: cannot be read, so the term links cannot be checked"]
    if not any(not entry.external for entry in glossary.entries):
        return []  # no term of the glossary occurs in the text: nothing to link
    pages = [built.read(built_file(src)) or "" for src in ARTICLE_PAGES]
    return (
        []
        if any('class="edition-term"' in page for page in pages)
        else ["article pages: no glossary term is linked to its entry"]
    )


def translation_missing(built: Built) -> list[str]:
    """Each article page with an English translation shows it and the switch between the views."""
    found = []
    for src_uri in ARTICLE_PAGES:
        if not (built.project / TRANSLATION / src_uri).is_file():
            continue
        page = built.read(built_file(src_uri)) or ""
        if 'name="edition-view"' not in page or 'class="edition-en"' not in page:
            found.append(f"{built_file(src_uri)}: {TRANSLATION.as_posix()}/{src_uri} is not shown beside the Chinese")
    return found


PAGE_MARKER = re.compile(r'<span class="edition-page" data-page="(?P<number>\d+)"')


def page_markers_missing(built: Built) -> list[str]:
    """The printed article's pages marked where they begin, in order, one after another."""
    numbers = [
        int(match.group("number"))
        for src_uri in ARTICLE_PAGES
        for match in PAGE_MARKER.finditer(built.read(built_file(src_uri)) or "")
    ]
    if not numbers:
        return ["article pages: no printed page is marked where it begins"]
    # Every page after the first, as data/article.yml gives them: a page skipped at either end is no gap.
    article = load_article(built.project, today=reference_date())
    first, last = int(article["first_page"]), int(article["last_page"])
    if numbers != list(range(first + 1, last + 1)):
        return [f"article pages: the printed pages marked are {numbers}, not pp. {first + 1}–{last} one after another"]
    return []


def exports_missing(built: Built) -> list[str]:
    return [f"{name}: not written" for name in EXPORTS if built.read(name) is None]


MARKS: Mapping[str, Mark] = MappingProxyType(
    {
        "hooks/book.py": Mark(
            "its stamp in every page built from docs/ (the book was checked, the pages passed the third-party check)",
            stamped("hooks/book.py"),
        ),
        "hooks/generated_pages.py": Mark("no <!-- edition:NAME --> marker left in a page", markers_left),
        "hooks/citations.py": Mark("notes rendered from refs.bib; no citation syntax left as text", notes_missing),
        "hooks/paragraph_numbers.py": Mark("a ¶ number beside every article paragraph", numbers_missing),
        "hooks/annotations.py": Mark(
            "annotations.jsonld, and each annotation marked in its paragraph", annotations_missing
        ),
        "hooks/theme_markup.py": Mark(
            "a named search dialog and checkboxes without autocomplete", theme_markup_missing
        ),
        "hooks/theme_cache.py": Mark("its stamp in every page built from docs/", stamped("hooks/theme_cache.py")),
        "hooks/search_dictionary.py": Mark("glossary terms indexed whole by the search", dictionary_missing),
        "hooks/search_query.py": Mark("the corrected search worker, with short results", worker_missing),
        "hooks/search_sections.py": Mark(
            "each article paragraph a search result of its own, at its anchor", sections_missing
        ),
        "hooks/glossary_terms.py": Mark("glossary terms in the article linked to their entries", terms_missing),
        "hooks/data_exports.py": Mark("glossary.csv, glossary.json, timeline.json and timeline.ics", exports_missing),
        "hooks/translation_views.py": Mark(
            "the English beside the Chinese, with the 原文 · 译文 · 对照 switch", translation_missing
        ),
        "hooks/print_pages.py": Mark(
            "the printed article's pages marked where they begin, in order", page_markers_missing
        ),
    }
)


def canary_problems(site: Path, docs: Path) -> list[str]:
    """Each hook whose mark is missing from the built site, where; empty when every hook left its mark."""
    built = Built(site, docs.parent)
    problems = []
    for hook, mark in MARKS.items():
        try:
            missing = mark.missing(built)
        except EditionError as error:  # a page's source cannot be read: say so, never pass in silence
            missing = [str(p) for p in error.problems]
        problems += [
            f"{site.name}/{where}; {hook} did not leave its mark ({mark.leaves}): was it skipped?" for where in missing
        ]
    return problems


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    project = Path(argv[1] if len(argv) > 1 else ".")
    if not site.is_dir():
        print(f"{site}: no built site here; run `make build` first", file=sys.stderr)
        return 1
    problems = canary_problems(site, project / "docs")
    third_party = site_third_party_problems(site)
    for problem in [*problems, *map(str, third_party)]:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} sign(s) that the edition's hooks did not run; do not publish this build.", file=sys.stderr
        )
    if third_party:
        print(f"{len(third_party)} fetch(es) from other hosts; do not publish this build.", file=sys.stderr)
    return 1 if problems or third_party else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
