"""What the glossary and timeline pages show, as plain data for their templates (edition/site/templates)."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

from edition.paths import REFERENCES_PAGE
from edition.reference.glossary import CATEGORIES as TERM_CATEGORIES
from edition.reference.glossary import EN_BASIS
from edition.reference.glossary_timeline import ReferenceData, paragraph_label, paragraph_label_en
from edition.reference.timeline import CATEGORIES as EVENT_CATEGORIES
from edition.reference.timeline import PHASES, date_label, span_label, span_label_en
from edition.sources.bib import Bibliography
from edition.sources.notes import MONTHS, date_en

Url = Callable[[str], str]


def _paragraph_links(places: list[tuple[str, str]], url: Url, english: bool = False) -> list[tuple[str, str]]:
    label = paragraph_label_en if english else paragraph_label
    return [(f"{url(page)}#{ident}", label(page, ident)) for page, ident in places]


def _source_links(keys: list[str], bib: Bibliography, url: Url) -> list[tuple[str, str, str]]:
    links = []
    for key in keys:
        entry = bib[key]
        title = entry.get("title")
        label = f"《{title}》" if entry.lang == "zh" else f"“{title}”"
        links.append((f"{url(REFERENCES_PAGE)}#{key}", f"{label}，{entry.get('date')}", entry.lang))
    return links


def glossary_context(data: ReferenceData, bib: Bibliography, url: Url, english: bool = False) -> dict[str, object]:
    """The glossary page's data; ``english``: the English site's, whose labels lead with English."""
    glossary = data.glossary
    categories = []
    for category, entries in glossary.ordered():
        zh, en = TERM_CATEGORIES[category]
        categories.append(
            {
                "id": f"category-{category}",
                "zh": zh,
                "en": en,
                "entries": [
                    {
                        "id": e.id,
                        "zh": e.zh,
                        "aliases": e.aliases,
                        "en": e.en,
                        "pinyin": e.pinyin,
                        "basis": e.en_basis,
                        "basis_zh": EN_BASIS[e.en_basis][0],
                        "basis_en": EN_BASIS[e.en_basis][1],
                        "definition_zh": e.definition_zh,
                        "definition_en": e.definition_en,
                        "editorial": e.editorial,
                        "external": e.external,
                        "related": [(r, glossary.by_id[r].zh, glossary.by_id[r].en) for r in e.related],
                        "sources": _source_links(e.sources, bib, url),
                        "used": _paragraph_links(data.used_in.get(e.id, []), url, english),
                        # The filter's words are the entry's own, read from its markup (glossary-filter.js):
                        # only the aliases, not in one element of their own, are written out for it.
                        "search_aliases": " ".join(e.aliases),
                        "search_pinyin": e.search_pinyin,
                    }
                    for e in entries
                ],
            }
        )
    return {"categories": categories, "count": len(glossary.entries), "english": english}


def timeline_context(data: ReferenceData, bib: Bibliography, url: Url, english: bool = False) -> dict[str, object]:
    """The timeline page's data; ``english``: the English site's, whose labels lead with English."""
    years = []
    events = data.timeline.ordered()
    for year, in_year in groupby(events, key=lambda e: e.span.start.year):
        months = []
        for month, in_month in groupby(in_year, key=lambda e: e.span.start.month):
            months.append(
                {
                    "id": f"y{year}" + (f"-{month:02d}" if month else "-undated"),
                    "datetime": f"{year}-{month:02d}" if month else str(year),
                    "label": f"{month}月" if month else "月份未详",
                    "label_en": "" if month else "month not given",
                    "name_en": MONTHS[month - 1] if month else "Month not given",
                    "events": [
                        {
                            "id": e.id,
                            "start": str(e.span.start),
                            "end": str(e.span.end) if e.span.end != e.span.start else "",
                            "label": span_label(e.span),
                            "label_en": span_label_en(e.span),
                            "precision": e.span.start.precision,
                            "start_label": date_label(e.span.start),
                            "start_label_en": date_en(str(e.span.start)),
                            "end_label_en": date_en(str(e.span.end)),
                            "end_label": (
                                f"{e.span.end.month}月"
                                if e.span.end.year == e.span.start.year and e.span.end.month
                                else date_label(e.span.end)
                            ),
                            "title_zh": e.title_zh,
                            "title_en": e.title_en,
                            "category": e.category,
                            "category_zh": EVENT_CATEGORIES[e.category][0],
                            "category_en": EVENT_CATEGORIES[e.category][1],
                            "phase": e.phase,
                            "phase_zh": PHASES[e.phase][0],
                            "phase_name": PHASES[e.phase][2],
                            "phase_en": PHASES[e.phase][1],
                            "phase_name_en": PHASES[e.phase][3],
                            "note_zh": e.note_zh,
                            "note_en": e.note_en,
                            "date_note": e.date_note,
                            "paragraphs": _paragraph_links(data.mentioned_in.get(e.id, []), url, english),
                            "sources": _source_links(e.sources, bib, url),
                        }
                        for e in in_month
                    ],
                }
            )
        years.append({"year": year, "id": f"y{year}", "months": months})
    used = {e.category for e in events}
    return {
        "years": years,
        "count": len(events),
        "categories": [(c, zh, en) for c, (zh, en) in EVENT_CATEGORIES.items() if c in used],
        "phases": [(p, *names) for p, names in PHASES.items()],
        "english": english,
    }
