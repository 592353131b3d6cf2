"""The glossary and timeline as downloads (CSV, JSON, iCalendar), added to the site as generated files."""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from edition.bib import load_bibliography
from edition.book import BIBLIOGRAPHY, article_pages
from edition.problems import EditionError
from edition.reference_data import build_time, exports, load_reference_data

log = logging.getLogger("mkdocs.hooks.data_exports")


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    root = Path(config.config_file_path).parent
    try:
        bib = load_bibliography(root / BIBLIOGRAPHY, shown=BIBLIOGRAPHY.as_posix())
        pages = article_pages(root)
    except EditionError:
        return files  # hooks/checks.py stops the build with these problems
    data, problems = load_reference_data(root, pages, bib)
    if data is None:
        return files  # likewise
    if problems:
        log.debug("exports written from data with problems; hooks/checks.py will stop the build")

    def page_url(src_uri: str) -> str:
        page = files.get_file_from_path(src_uri)
        return page.url if page else src_uri

    for name, content in exports(data, page_url, build_time()).items():
        files.append(File.generated(config, name, content=content))
    return files
