"""Each page links only the edition's stylesheets that can style something in it.

mkdocs.yml lists the stylesheets once for every page (extra_css). reader.css styles the article's pages (paragraph
numbers, annotations, the cite box, the reading views), reference-data.css the glossary (and the filter it shares
with the timeline) and timeline.css the timeline, yet every page fetched them all: 2.4 KiB gzip of reader.css on
the glossary, which used four of its rules, when a first visit may weigh 100 KiB (issue 16).

A stylesheet of SCOPED is left out of a page only when none of its rules can apply there: each selector requires
classes, ids and elements (``fieldset.edition-filter label``), and for none of them are all in the page, or in the
text of a script the page loads that marks elements (the range panel, a term's gloss). A selector that requires no
class or id of the edition's (``.md-typeset p:target``) may apply on any page: it belongs in edition.css, which
every page links, and a test holds the scoped stylesheets to that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import tinycss2
from tinycss2.ast import AtRule, FunctionBlock, HashToken, IdentToken, LiteralToken, Node, QualifiedRule

from edition.site.page_scripts import SCRIPT_ELEMENT

# The stylesheets linked only where they can apply; edition.css (site-wide rules) and print.css stay on every page.
SCOPED = ("reader.css", "reference-data.css", "timeline.css")
# A stylesheet's link with its line, as it is taken out (the theme writes one to a line; one that is not stays).
_STYLESHEET = re.compile(r'\n[ \t]*<link rel="stylesheet" href="(?:\.\./)*stylesheets/(?P<name>[a-z-]+\.css)">')
# Without a leading \b, which made each search slow (page_scripts.py): data-class="x" or data-id="x" count as well,
# which can only keep a stylesheet on a page, never leave one out that a rule of it needs.
_CLASSES = re.compile(r'class="([^"]*)"')
_ID = re.compile(r'id="([^"]*)"')
_ELEMENT = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)")
# Words a script may use as a class or an id; one ending in "-" is a prefix the script completes ("edition-x--" + kind).
_WORD = re.compile(r"[A-Za-z_][\w-]*")
# How a script gives an element a class or an id. A script that does none of these (it only finds, shows or hides
# what the page holds, as the glossary's and the timeline's filters do) adds nothing a stylesheet could style that
# the page lacks.
_MARKS = re.compile(
    r"\b(?:className|classList|id\s*=|setAttribute|innerHTML|outerHTML|insertAdjacentHTML|DOMParser"
    r"|createContextualFragment|document\.write)\b"
)


@dataclass(frozen=True)
class Stylesheet:
    """Each selector of a scoped stylesheet as the classes, ids and elements (``<x``) the page must hold for it to
    match, the theme's md-* classes aside (every page has them)."""

    selectors: tuple[frozenset[str], ...]


def _rules(nodes: Iterable[Node]) -> Iterator[QualifiedRule]:
    for node in nodes:
        if isinstance(node, QualifiedRule):
            yield node
        elif isinstance(node, AtRule) and node.content is not None:  # @media, @supports: rules inside
            yield from _rules(tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True))


def _required(tokens: list[Node], names: set[str]) -> None:
    """The classes (``.x``), ids (``#x``) and elements (``<x``) that ``tokens`` require of the page: those of the
    selector itself and of a :has(…) of one selector, not those of :not(…), :is(…) or :where(…), which an element
    may lack and match."""
    for previous, token in zip([None, *tokens], tokens, strict=False):
        after = previous.value if isinstance(previous, LiteralToken) else None
        if isinstance(token, IdentToken) and after == ".":
            names.add(token.value)
        elif isinstance(token, IdentToken) and after not in {":", "::", "|"}:  # a type selector: fieldset.x
            names.add("<" + token.lower_value)
        elif isinstance(token, HashToken) and token.is_identifier:
            names.add(token.value)
        elif isinstance(token, FunctionBlock) and token.lower_name == "has" and not _listed(token.arguments):
            _required(token.arguments, names)


def _listed(tokens: list[Node]) -> bool:
    """Whether ``tokens`` are a list of selectors, any of which may match."""
    return any(isinstance(token, LiteralToken) and token.value == "," for token in tokens)


def _selectors(prelude: list[Node]) -> Iterator[tuple[str, frozenset[str]]]:
    """Each selector of a comma-separated list, with the classes and ids it requires, the theme's aside."""
    selector: list[Node] = []
    for token in [*prelude, LiteralToken(0, 0, ",")]:
        if isinstance(token, LiteralToken) and token.value == ",":
            names: set[str] = set()
            _required(selector, names)
            yield tinycss2.serialize(selector).strip(), frozenset(n for n in names if not n.startswith("md-"))
            selector = []
        else:
            selector.append(token)


def _all_selectors(css: str) -> Iterator[tuple[str, frozenset[str]]]:
    """Every selector of a stylesheet, in the rules at its top and in its @media and @supports blocks."""
    for rule in _rules(tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)):
        yield from _selectors(rule.prelude)


def stylesheet(css: str) -> Stylesheet:
    return Stylesheet(tuple(names for _, names in _all_selectors(css)))


def anywhere(css: str) -> list[str]:
    """The selectors of ``css`` that may match on any page: no class or id of the edition's required."""
    return [selector for selector, names in _all_selectors(css) if all(name.startswith("<") for name in names)]


@dataclass(frozen=True)
class OwnAssets:
    """The scoped stylesheets' names and the words of each of the edition's scripts, read once per build."""

    stylesheets: Mapping[str, Stylesheet]
    script_words: Mapping[str, frozenset[str]]

    @classmethod
    def read(cls, docs_dir: Path) -> OwnAssets:
        sheets = {
            name: stylesheet((docs_dir / "stylesheets" / name).read_text(encoding="utf-8"))
            for name in SCOPED
            if (docs_dir / "stylesheets" / name).is_file()
        }
        words = {}
        for path in sorted((docs_dir / "javascripts").glob("*.js")):
            text = path.read_text(encoding="utf-8")
            words[path.name] = frozenset(_WORD.findall(text)) if _MARKS.search(text) else frozenset()
        return cls(sheets, words)


def _page_names(page_html: str, assets: OwnAssets) -> tuple[set[str], tuple[str, ...]]:
    names = {name for found in _CLASSES.finditer(page_html) for name in found[1].split()}
    names |= {found[1] for found in _ID.finditer(page_html)}
    names |= {"<" + found[1].lower() for found in _ELEMENT.finditer(page_html)}
    words: set[str] = set()
    for found in SCRIPT_ELEMENT.finditer(page_html):
        words |= assets.script_words.get(found["name"], frozenset())
    names |= words | {"<" + word.lower() for word in words}
    return names, tuple(word for word in words if word.endswith("-"))


def without_idle_stylesheets(page_html: str, assets: OwnAssets) -> str:
    """The page without the links to scoped stylesheets none of whose rules can apply in it."""
    names, prefixes = _page_names(page_html, assets)

    def present(name: str) -> bool:
        return name in names or (bool(prefixes) and name.startswith(prefixes))

    def kept(found: re.Match[str]) -> str:
        sheet = assets.stylesheets.get(found["name"])
        if sheet is None or any(all(map(present, selector)) for selector in sheet.selectors):
            return found.group(0)
        return ""

    return _STYLESHEET.sub(kept, page_html)
