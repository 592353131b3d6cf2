"""One build of the edition: the checked book and what the hooks derive from it, made afresh for each build.

MkDocs imports each hook module once per process (``mkdocs serve`` keeps them between
rebuilds), so nothing is kept on the modules. hooks/book.py makes an ``EditionBuild`` in
``on_config`` and puts it on that build's own config; every other hook asks for it with
``EditionBuild.of(config)``. This is also the one place where the book's problems become
MkDocs' ``PluginError``.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import cast

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from edition.book import Book, concordance, load_book
from edition.cache import ResultCache, result_cache
from edition.problems import EditionError, Problem
from edition.reference.glossary import TermMatcher
from edition.settings import EDITION_HOOKS, Settings, missing_hooks, nav_pages
from edition.site.generated_pages import EditionData
from edition.site.page_styles import OwnAssets
from edition.site.segmenter import segmenter_version
from edition.site.third_party import checker_version
from edition.site.translation_views import EnglishTerms, english_converter, english_title

CONFIG_KEY = "edition_build"
SETTINGS_FILE = "mkdocs.yml"
# Warnings go where MkDocs counts them, so `--strict` stops on them.
log = logging.getLogger("mkdocs.edition")
_TRUE = {"true", "1", "yes", "on"}
# The site's language: the Chinese site (mkdocs.yml) or the English one (mkdocs.en.yml), built into en/.
LANGUAGES = ("zh", "en")
_FALSE = {"false", "0", "no", "off", ""}


def plugin_error(problems: Iterable[Problem]) -> PluginError:
    """The book's problems as the error that stops MkDocs, one ``file:line: key: message`` per line."""
    problems = list(problems)
    lines = "\n".join(f"  {p}" for p in problems)
    return PluginError(f"{len(problems)} problem(s) in the book; fix them and build again:\n{lines}")


def settings_problems(config: MkDocsConfig) -> list[Problem]:
    """The settings as MkDocs has read them, where they can differ from the file that edition.settings checks
    (a build configured through the Python API, or an environment variable's value)."""
    problems = [
        Problem(
            SETTINGS_FILE,
            None,
            "hooks",
            f"'{hook}' is missing; the edition needs every one of its hooks: {', '.join(EDITION_HOOKS)}",
        )
        # MkDocs declares hooks a list of modules; the value is a mapping from each hook's path to its module.
        for hook in missing_hooks(cast("Mapping[str, ModuleType]", config.hooks))
    ]
    if config.extra.get("edition_language", "zh") not in LANGUAGES:
        problems.append(
            Problem(SETTINGS_FILE, None, "extra.edition_language", f"must be one of {', '.join(LANGUAGES)}")
        )
    pdf = config.extra.get("pdf", False)
    if not isinstance(pdf, bool) and str(pdf).strip().lower() not in _TRUE | _FALSE:
        problems.append(Problem(SETTINGS_FILE, None, "extra.pdf", f"{str(pdf)[:40]!r} is not true or false"))
    return problems


def settings_of(config: MkDocsConfig) -> Settings:
    pdf = config.extra.get("pdf", False)
    with_pdf = pdf if isinstance(pdf, bool) else str(pdf).strip().lower() in _TRUE
    return Settings(
        site_url=config.site_url or "",
        repo_url=config.repo_url or "",
        edit_uri=config.edit_uri or "",
        with_pdf=with_pdf,
        nav=tuple(nav_pages(config.nav)),
    )


@dataclass
class EditionBuild:
    """The checked book, and what the hooks work out from it once for the whole build."""

    book: Book
    matcher: TermMatcher  # the glossary's terms, for tooltips in the chapters
    language: str = "zh"  # extra.edition_language: "en" for the English site
    titles: dict[str, str] = field(default_factory=dict)  # src_uri → the page's title in the nav (on_nav)
    # src_uri → the page's title in the English site's nav (on_nav; empty on the Chinese site, where ``titles``
    # holds mkdocs.yml's Chinese titles for the citations)
    english_titles: dict[str, str] = field(default_factory=dict)
    settings_file: Path = Path(SETTINGS_FILE)  # this site's mkdocs.yml or mkdocs.en.yml: its caches are its own

    @functools.cached_property
    def clean_files(self) -> ResultCache:
        """The built files found free of third-party loads: at this build (each page as it was written, so the
        site-wide check at the end does not parse it again) and at the last one (edition/cache.py)."""
        return result_cache("third-party", self.settings_file, checker_version())

    @functools.cached_property
    def segmenter_words(self) -> ResultCache:
        """The search segmenter's user dictionaries as loaded before, with the frequencies worked out then."""
        return result_cache("segmenter", self.settings_file, segmenter_version())

    docs_dir: Path = Path("docs")

    @functools.cached_property
    def own_assets(self) -> OwnAssets:
        """What the edition's stylesheets and scripts name, for the stylesheets each page links (page_styles)."""
        return OwnAssets.read(self.docs_dir)

    @functools.cached_property
    def page_data(self) -> EditionData:
        """What the generated pages draw on: worked out from the book once, when a page first asks."""
        book = self.book
        return EditionData(
            bib=book.bib,
            emendations=book.source.emendations,
            cited_in=book.index.cited_in,
            concordance=concordance(book.source.blocks),
            reference=book.reference,
            annotations=list(book.annotations),
            paragraphs=list(book.paragraphs),
            article=dict(book.article),
            site_url=book.settings.site_url,
            with_pdf=book.settings.with_pdf,
            paragraph_pages=book.paragraph_pages,
            downloads_up="../" if self.language == "en" else "",  # the Chinese build writes pdf/ and epub/
            translations={
                page: (english.front.get("translator", ""), english_title(english))
                for page, english in book.translation.items()
            },
            language=self.language,
        )

    @functools.cached_property
    def english_converter(self) -> markdown.Markdown:
        """One converter for the translation's pages, reset between them."""
        return english_converter()

    @functools.cached_property
    def english_terms(self) -> EnglishTerms:
        """The glossary's English forms, compiled once for the translation's pages (hooks/translation_views.py)."""
        return EnglishTerms.of(self.book.reference.glossary.entries)

    @classmethod
    def start(cls, config: MkDocsConfig) -> EditionBuild:
        """Check the settings, load the book, and keep the build on ``config``; PluginError on any problem."""
        problems = settings_problems(config)
        if problems:
            raise plugin_error(problems)
        try:
            book = load_book(Path(config.config_file_path).parent, settings_of(config))
        except EditionError as error:
            raise plugin_error(error.problems) from None
        build = cls(
            book=book,
            matcher=TermMatcher(book.reference.glossary.entries),
            language=str(config.extra.get("edition_language", "zh")),
            settings_file=Path(config.config_file_path),
            docs_dir=Path(config.docs_dir),
        )
        config[CONFIG_KEY] = build
        return build

    @staticmethod
    def of(config: MkDocsConfig) -> EditionBuild:
        build = config.get(CONFIG_KEY)
        if not isinstance(build, EditionBuild):
            raise PluginError(
                f"{SETTINGS_FILE}: hooks: 'hooks/book.py' must be listed; it loads and checks the "
                "book for the edition's other hooks"
            )
        return build
