"""Notes from refs.bib in the article's style: mkdocs-bibtex's syntax and bibliography, our rendering.

mkdocs-bibtex (configured as the ``bibtex`` plugin) defines the citation syntax and
loads refs.bib. Its note styles drop prefixes (参见) and locators (p.9), merge every
citation of a key into one footnote, and only warn on unknown keys; so this hook
runs before it, renders each citation block as one note in the article's style and
stops the build on an unknown or unused key.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from edition.bib import Bibliography, load_bibliography
from edition.citations import CitationIndex, find_citation_blocks, render_citations, unknown_key_problems
from edition.book import reading_order
from edition.problems import EditionError, display_path

_bib: Bibliography | None = None
_index: CitationIndex | None = None


def _fail(error: EditionError) -> PluginError:
    return PluginError("the book has problems:\n" + "\n".join(f"  {p}" for p in error.problems))


@event_priority(100)  # before mkdocs-bibtex reads refs.bib, so a bad file gets a clear message
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _bib
    bibtex = config.plugins.get("bibtex")
    if bibtex is None:
        raise PluginError("mkdocs.yml: the 'bibtex' plugin (mkdocs-bibtex) must be enabled")
    for option, wanted in (("bib_by_default", False), ("enable_inline_citations", False)):
        if bibtex.config[option] != wanted:
            raise PluginError(f"mkdocs.yml: set bibtex.{option}: {str(wanted).lower()} (this hook renders the notes)")
    path = Path(config.config_file_path).parent / bibtex.config.bib_file
    try:
        _bib = load_bibliography(path, shown=display_path(path, Path(config.config_file_path).parent))
    except EditionError as error:
        raise _fail(error) from None
    return config


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
    """Index citations in reading order, so a later citation of a source takes the short form."""
    global _index
    _index = CitationIndex.build(reading_order([page.file for page in nav.pages], files.documentation_pages()))
    return nav


@event_priority(100)  # before mkdocs-bibtex, which would otherwise render the blocks its own way
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _bib is not None and _index is not None
    # Keys in the pages' sources were checked with the book (hooks/checks.py); this also
    # covers citations that generated pages inserted.
    problems = unknown_key_problems(find_citation_blocks(markdown), _bib, f"docs/{page.file.src_uri}")
    if problems:
        raise _fail(EditionError(problems))
    return render_citations(markdown, page=page.file.src_uri, bib=_bib, index=_index)

