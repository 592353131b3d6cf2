"""Annotations in the built book: each passage marked, its note beside it, and all of them as JSON-LD.

The checks (hooks/checks.py, edition.book.check) have refused bad annotations before
any page is rendered; this hook only places what passed.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from edition.annotations import Annotation, annotation_problems, load_annotations, place_annotations, render_body, \
    web_annotations
from edition.bib import Bibliography, load_bibliography
from edition.book import BIBLIOGRAPHY
from edition.chapters import ARTICLE_PAGES
from edition.paragraphs import Paragraph, all_paragraphs
from edition.problems import EditionError
from edition.reader_pages import ANNOTATIONS_PAGE, REFERENCES_PAGE, annotation_note

JSONLD = "annotations.jsonld"
_annotations: list[Annotation] = []
_paragraphs: list[Paragraph] = []
_bib: Bibliography | None = None


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    global _annotations, _paragraphs, _bib
    root = Path(config.config_file_path).parent
    try:
        _bib = load_bibliography(root / BIBLIOGRAPHY, shown=BIBLIOGRAPHY.as_posix())
    except EditionError:
        return files  # hooks/checks.py reports it
    _annotations, problems = load_annotations(root)
    try:
        pages = [(f.src_uri, f.content_string) for f in files.documentation_pages() if f.src_uri in ARTICLE_PAGES]
    except UnicodeDecodeError:
        return files  # hooks/checks.py names the file and the line
    _paragraphs = all_paragraphs(pages)
    if problems or annotation_problems(_annotations, _paragraphs, _bib):
        _annotations = []  # hooks/checks.py stops the build with the problems
        return files
    files.append(File.generated(config, JSONLD, content=json.dumps(_jsonld(config, files), ensure_ascii=False,
                                                                        indent=2) + "\n"))
    return files


def _jsonld(config: MkDocsConfig, files: Files) -> dict:
    """Addresses absolute when mkdocs.yml sets site_url, else relative to the JSON-LD file at the site's root."""
    base = (config.site_url or "").rstrip("/")

    def address(path: str) -> str:
        return f"{base}/{path}" if base else path

    def page_url(src_uri: str) -> str:
        target = files.get_file_from_path(src_uri)
        return address(target.url if target else src_uri)

    list_url = page_url(ANNOTATIONS_PAGE)
    assert _bib is not None
    return web_annotations(
        _annotations, _paragraphs, page_url,
        body_html=lambda a: render_body(a, _bib, page_url(REFERENCES_PAGE))[0],
        collection_id=address(JSONLD), annotation_id=lambda a: f"{list_url}#{a.anchor}")


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    here = [a for a in _annotations if any(p.id == a.target and p.page == page.file.src_uri for p in _paragraphs)]
    if not here:
        return html
    assert _bib is not None

    def url(src_uri: str) -> str:
        target = files.get_file_from_path(src_uri)
        return get_relative_url(target.url, page.url) if target else src_uri

    placed, missing = place_annotations(html, [(a, annotation_note(a, _bib, url)) for a in here])
    if missing:
        raise PluginError(f"docs/{page.file.src_uri}: annotation(s) {', '.join(missing)}: passage not found in the "
                          "built page although the checks passed; please report this as a bug")
    return placed
