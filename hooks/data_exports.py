"""The glossary and timeline as downloads (CSV, JSON, iCalendar), added to the site as generated files."""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from edition.build import EditionBuild
from edition.reference.glossary_timeline import exports


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    book = EditionBuild.of(config).book

    def page_url(src_uri: str) -> str:
        page = files.get_file_from_path(src_uri)
        return page.url if page else src_uri

    for name, content in exports(book.reference, page_url, book.built).items():
        files.append(File.generated(config, name, content=content))
    return files
