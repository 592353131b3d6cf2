"""Annotations in the built book: each passage marked, its note beside it, and all of them as JSON-LD.

The book (hooks/book.py) has refused bad annotations before any page is rendered;
this hook only places what passed.
"""

from __future__ import annotations

import json
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from edition.book import Book
from edition.build import EditionBuild
from edition.paths import ANNOTATIONS_JSONLD as JSONLD
from edition.paths import ANNOTATIONS_PAGE, REFERENCES_PAGE
from edition.reference.annotations import place_annotations, render_body, web_annotations
from edition.site.reader_tools import annotation_endnotes, annotation_note, in_passage_order


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    book = EditionBuild.of(config).book
    files.append(
        File.generated(
            config, JSONLD, content=json.dumps(_jsonld(book, config, files), ensure_ascii=False, indent=2) + "\n"
        )
    )
    return files


def _jsonld(book: Book, config: MkDocsConfig, files: Files) -> dict[str, Any]:
    """Addresses absolute when mkdocs.yml sets site_url, else relative to the JSON-LD file at the site's root."""
    base = (config.site_url or "").rstrip("/")

    def address(path: str) -> str:
        return f"{base}/{path}" if base else path

    def page_url(src_uri: str) -> str:
        target = files.get_file_from_path(src_uri)
        return address(target.url if target else src_uri)

    list_url = page_url(ANNOTATIONS_PAGE)
    return web_annotations(
        list(book.annotations),
        list(book.paragraphs),
        page_url,
        body_html=lambda a: render_body(a, book.bib, page_url(REFERENCES_PAGE))[0],
        collection_id=address(JSONLD),
        annotation_id=lambda a: f"{list_url}#{a.anchor}",
    )


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = EditionBuild.of(config)
    book = build.book
    on_page = {p.id for p in book.paragraphs if p.page == page.file.src_uri}
    here = [a for a in book.annotations if a.target in on_page]
    if not here:
        return html

    def url(src_uri: str) -> str:
        target = files.get_file_from_path(src_uri)
        return get_relative_url(target.url, page.url) if target else src_uri

    placed, missing = place_annotations(
        html, [(a, annotation_note(a, book.bib, url, english=build.language == "en")) for a in here]
    )
    if missing:
        raise PluginError(
            f"docs/{page.file.src_uri}: annotation(s) {', '.join(missing)}: passage not found in the "
            "built page although the checks passed; please report this as a bug"
        )
    # Printed, the notes follow the chapter's text as endnotes, in the order of their passages.
    return placed + annotation_endnotes(in_passage_order(placed, here), book.bib, url)
