"""The English translation beside the Chinese on each article page, with the 原文 · 译文 · 对照 switch
(edition/site/translation_views.py). The book checked the translation against the Chinese when it loaded.
In the English site (mkdocs.en.yml) the pages open in the English view, and their content keeps lang="zh-Hans";
the other pages lead with their English there (edition/site/english_first.py), their tables of contents too."""

from __future__ import annotations

from html import escape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from edition.build import EditionBuild, plugin_error
from edition.paths import GLOSSARY_PAGE
from edition.problems import EditionError
from edition.site.english_first import english_first, english_first_title, english_titles, without_english_titles
from edition.site.translation_views import (
    content_in_chinese,
    english_term_marker,
    english_title,
    render_english,
    theme_labels_in_chinese,
    with_translation,
)
from edition.sources.citations import render_citations


@event_priority(-50)  # after the paragraph numbers and the annotations: the pair wraps the finished paragraph
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    build = EditionBuild.of(config)
    book = build.book
    english = book.translation.get(page.file.src_uri)
    if english is None:
        if build.language != "en":
            return without_english_titles(html)
        _english_first_toc(page.toc.items, english_titles(html))
        if isinstance(page.meta.get("title"), str):  # the tab's and the header's title: "Annotations · 注释"
            page.meta["title"] = english_first_title(page.meta["title"], marked=False)
        return content_in_chinese(english_first(html))
    if build.language == "en" and "title" in page.meta:
        page.meta["title"] = english_title(english)  # the front page's, in the tab and the header
    page_name = page.file.src_uri
    glossary = files.get_file_from_path(GLOSSARY_PAGE)
    mark = (
        english_term_marker(build.english_terms, get_relative_url(glossary.url, page.url))
        if glossary is not None
        else None
    )

    def page_url(src_uri: str) -> str | None:
        target = files.get_file_from_path(src_uri)
        return get_relative_url(target.url, page.url) if target else None

    try:
        rendered = render_english(
            english,
            build.english_converter,
            lambda text: render_citations(text, page=page_name, bib=book.bib, index=book.index, english=True),
            mark,
            page_url,
        )
    except EditionError as error:
        raise plugin_error(error.problems) from None
    if build.language == "en":
        return content_in_chinese(with_translation(html, rendered, default="en", english_site=True))
    return with_translation(html, rendered)


def _english_first_toc(items: list[AnchorLink], titles: dict[str, str]) -> None:
    """The table of contents as the English site's page shows its headings: English first."""
    for item in items:
        english = titles.get(item.id)
        item.title = f"{escape(english)} · {item.title}" if english else english_first_title(item.title, marked=False)
        _english_first_toc(item.children, titles)


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return theme_labels_in_chinese(output) if EditionBuild.of(config).language == "en" else output


def on_post_build(*, config: MkDocsConfig) -> None:
    """The English site's 404 page is never served (a host serves the site root's, which is bilingual), and its
    links would be to the Chinese site's root: it is left out."""
    if EditionBuild.of(config).language == "en":
        (Path(config.site_dir) / "404.html").unlink(missing_ok=True)
