"""The glossary and the timeline loaded together with the article's paragraphs they point into."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from edition.bib import Bibliography
from edition.chapters import ARTICLE_PAGES, page_blocks
from edition.citations import CitationIndex, find_citation_blocks
from edition.glossary import Glossary, glossary_problems, load_glossary, usage
from edition.problems import EditionError, Problem
from edition.timeline import Paragraph, Timeline, load_timeline, resolve_mentions

GLOSSARY = Path("data/glossary.yml")
TIMELINE = Path("data/timeline.yml")
CHAPTER_LABELS = ["首页", "第一章", "第二章", "第三章", "第四章"]
FRONT_MATTER_LABELS = {"abstract": "提要", "keywords": "关键词", "author": "作者", "author-note": "作者简介"}


@dataclass
class ReferenceData:
    glossary: Glossary
    timeline: Timeline
    paragraphs: list[Paragraph]
    used_in: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    mentioned_in: dict[str, list[tuple[str, str]]] = field(default_factory=dict)


def article_paragraphs(pages: list[tuple[str, str]], bib: Bibliography, index: CitationIndex) -> list[Paragraph]:
    """The article's paragraphs in reading order, text as the reader reads it, notes rendered."""
    return [Paragraph(b.page, b.id, b.text, tuple(b.notes))
            for name, text in pages if name in ARTICLE_PAGES
            for b in page_blocks(name, text, bib, index) if b.kind == "paragraph" and b.id]


def paragraph_label(page: str, ident: str) -> str:
    """第二章第4段 for p2-4; 首页·提要 for the abstract."""
    number = ident.removeprefix("p").split("-")
    if ident.startswith("p") and len(number) == 2 and all(n.isdigit() for n in number):
        return f"{CHAPTER_LABELS[int(number[0])]}第{number[1]}段"
    return f"首页·{FRONT_MATTER_LABELS.get(ident, ident)}"


def load_reference_data(root: Path, pages: list[tuple[str, str]], bib: Bibliography,
                        index: CitationIndex) -> tuple[ReferenceData | None, list[Problem]]:
    """Both data files checked against the article and refs.bib; None when they cannot be read."""
    problems: list[Problem] = []
    try:
        glossary = load_glossary(root / GLOSSARY, GLOSSARY.as_posix())
    except EditionError as error:
        problems += error.problems
        glossary = None
    try:
        timeline, more = load_timeline(root / TIMELINE, TIMELINE.as_posix())
        problems += more
    except EditionError as error:
        problems += error.problems
        timeline = None
    if glossary is None or timeline is None:
        return None, problems
    if any(ref.key not in bib for name, text in pages if name in ARTICLE_PAGES
           for block in find_citation_blocks(text) for ref in block.refs):
        return None, problems  # an unknown citation key is reported by the citation checks
    paragraphs = article_paragraphs(pages, bib, index)
    texts = [t for p in paragraphs for t in (p.text, *p.notes)]
    problems += glossary_problems(glossary, texts, bib)
    mentioned_in, more = resolve_mentions(timeline, paragraphs, bib)
    problems += more
    used_in = usage(glossary, ((p.page, p.id, [p.text, *p.notes]) for p in paragraphs))
    return ReferenceData(glossary, timeline, paragraphs, used_in, mentioned_in), problems
