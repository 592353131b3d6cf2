"""Proof that a built page loads nothing from another host: its HTML and CSS read with real tokenizers.

The edition promises readers (many in mainland China, where Google Fonts and most CDNs do not
load) that the site needs no third-party server. A page breaks that promise by anything the browser
fetches on its own: ``<script src>``, ``<img src|srcset>``, stylesheets, icons and preloads,
``<object data>``, ``<embed>``, ``<iframe>``, media and posters, SVG ``<use href>``, a ``<base>``,
``ping``, a form that posts elsewhere, a refresh to another address, and in CSS ``@import`` and
``url()``. Ordinary links (``<a href>``, ``<area href>``) to cited sources are not loads and are
allowed. HTML is read with the standard library's tokenizer (quoted or unquoted attributes, any case,
entities decoded as a browser does), CSS with tinycss2 (escapes decoded); the few constructs on which
that tokenizer and a browser disagree are refused rather than guessed at.

    python -m edition.site.third_party [SITE_DIR]     (default: site)
"""

from __future__ import annotations

import html
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from edition.problems import Problem

if TYPE_CHECKING:
    from edition.cache import ResultCache

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
SVG_SUFFIXES = (".svg",)
CSS_SUFFIXES = (".css",)
WHAT_TO_DO = (
    "serve the file from the site itself (put it under docs/ and refer to it by a relative path); the "
    "edition loads nothing from third-party hosts"
)

# Browsers drop these anywhere in a URL (tab, CR, LF) or at its ends (C0 controls, space) and read a
# backslash as a slash; removing all of them before looking can only find more, never less.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
LOCAL_SCHEMES = ("data:", "about:blank", "about:srcdoc")

# Attributes whose value the browser fetches by itself, on any element.
LOAD_ATTRIBUTES = frozenset(
    {"src", "poster", "background", "lowsrc", "dynsrc", "manifest", "codebase", "archive", "icon"}
)
SEND_ATTRIBUTES = frozenset({"action", "formaction"})  # a form sends what readers type to this address
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
LINK_ELEMENTS = frozenset({"a", "area"})  # their href is followed only when the reader chooses to
# <link rel=…> values that fetch nothing by themselves; any other rel (stylesheet, icon, preload…) does.
NAVIGATION_RELS = frozenset(
    {
        "alternate",
        "author",
        "bookmark",
        "canonical",
        "external",
        "help",
        "license",
        "me",
        "next",
        "nofollow",
        "noopener",
        "noreferrer",
        "opener",
        "prev",
        "search",
        "tag",
        "privacy-policy",
        "terms-of-service",
        "up",
        "first",
        "last",
        "index",
        "contents",
        "start",
        "edit",
        "archives",
    }
)
# Where the stdlib tokenizer and a browser read the rest of the page differently ("<!-->" closes a
# comment for a browser; "<![CDATA[" outside SVG is a short bogus comment to it): refused, not guessed.
PARSER_DISAGREEMENTS = ("<!-->", "<!--->", "--!>", "<![")
# CSS functions whose string arguments are images to fetch (url() and src() take one address each).
STRING_IMAGE_FUNCTIONS = frozenset({"image-set", "-webkit-image-set", "image", "cross-fade", "-webkit-cross-fade"})
_REFRESH_URL = re.compile(r"[;,]\s*url\s*=\s*['\"]?(?P<url>[^'\"]*)", re.IGNORECASE)
_SRCSET_PIECE = re.compile(r"[^\s,]+")
MAX_SRCDOC_DEPTH = 3


def outside_site(url: str, own_origins: Iterable[str] = ()) -> bool:
    """Whether a browser fetching ``url`` (entities already decoded) from a page of the site would leave it.

    Relative paths stay; ``data:`` and ``about:blank`` fetch nothing; ``//host``, ``\\\\host``, any other
    scheme (``https:``, ``https:host`` without slashes, ``javascript:``…) leave, unless the address is
    under one of ``own_origins`` (the site's own ``https://host``).
    """
    seen = _URL_IGNORED.sub("", url).replace("\\", "/")
    if seen.startswith("//"):
        return not _own(seen, own_origins)
    if _SCHEME.match(seen):
        return not seen.lower().startswith(LOCAL_SCHEMES) and not _own(seen, own_origins)
    return False


def _own(url: str, own_origins: Iterable[str]) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    origin = f"{parts.scheme}://{parts.netloc}".lower()
    return bool(parts.netloc) and any(origin == own.rstrip("/").lower() for own in own_origins)


def origins_of(site_url: str | None) -> tuple[str, ...]:
    """The site's own origin from mkdocs.yml's site_url ('https://host/book/' → 'https://host'), if any."""
    if not site_url:
        return ()
    parts = urlsplit(site_url)
    return (f"{parts.scheme}://{parts.netloc}",) if parts.scheme in {"http", "https"} and parts.netloc else ()


def _host(url: str) -> str:
    """The host a browser would ask: 'http:evil' (no slashes) leaves for evil when the page is not on http."""
    seen = _URL_IGNORED.sub("", url).replace("\\", "/")
    scheme = _SCHEME.match(seen)
    rest = seen[scheme.end() :] if scheme else seen
    try:
        return urlsplit("https://" + rest.lstrip("/")).hostname or "?"
    except ValueError:
        return "?"


_NETWORK = re.compile(r"(?:https?|ftp|wss?):|//", re.IGNORECASE)
# What each kind of address does, and what to do instead.
LOADS = ("loads", "from", WHAT_TO_DO)
SENDS_INPUT = ("sends readers' input", "to", "remove it: the edition's pages send nothing to third-party hosts")
REPORTS_CLICKS = ("reports readers' clicks", "to", "remove it: the edition's pages send nothing to third-party hosts")
REPOSITORY_FACTS = (
    "asks for the repository's stars and forks (Material's source component)",
    "at",
    'override partials/source.html without data-md-component="source" (overrides/partials/source.html does)',
)
REDIRECTS = ("sends readers away", "to", "remove it: link the address instead, so that readers choose to follow it")


def _load_problem(name: str, line: int | None, key: str, url: str, does: tuple[str, str, str] = LOADS) -> Problem:
    verb, preposition, what_to_do = does
    shown = url if len(url) <= 120 else url[:117] + "…"
    if _NETWORK.match(_URL_IGNORED.sub("", url).replace("\\", "/")):
        return Problem(name, line, key, f"{verb} {preposition} another host ({_host(url)}): {shown!r}; {what_to_do}")
    return Problem(name, line, key, f"{verb} {preposition} {shown!r}, which is not a file of the site; {what_to_do}")


# -- CSS --------------------------------------------------------------------------------------------------


def _css_urls(values: list[Any]) -> Iterator[tuple[int, str, str]]:
    """(line, what, url) of every address a stylesheet fetches, nested blocks included (walked without recursion).

    Read as a flat list of tokens and blocks, not as rules: a rule the CSS parser would drop as invalid (say,
    wrapped in an SVG's <![CDATA[ … ]]>, which the browser removes first) still has its addresses looked at.
    """
    stack: list[list[Any]] = [values]
    while stack:
        importing = naming = False  # after @import (its addresses are fetched), after @namespace (they are not)
        for token in stack.pop():
            importing, naming = _import_state(token, importing=importing, naming=naming)
            if naming:
                continue
            kind = token.type
            if kind == "url":
                yield token.source_line, "@import" if importing else "url()", token.value
            elif kind == "string" and importing:
                yield token.source_line, "@import", token.value
            elif kind == "function":
                yield from _function_urls(token, importing=importing)
                stack.append(token.arguments)
            elif kind in {"() block", "[] block", "{} block"}:
                stack.append(token.content)


def _import_state(token: Any, *, importing: bool, naming: bool) -> tuple[bool, bool]:
    """(importing, naming) after a token: @import and @namespace set them, a ';' or a block ends them."""
    kind = token.type
    if kind == "at-keyword":
        return token.lower_value == "import", token.lower_value == "namespace"
    if (kind == "literal" and token.value == ";") or kind == "{} block":
        return False, False
    return importing, naming


def _function_urls(token: Any, *, importing: bool) -> Iterator[tuple[int, str, str]]:
    """The addresses a function token names as strings: url("…") and src("…"), image-set("…") and the like."""
    name = token.lower_name
    strings = [t for t in token.arguments if t.type == "string"]
    if name in {"url", "src"}:
        yield from ((t.source_line, "@import" if importing else f"{name}()", t.value) for t in strings[:1])
    elif name in STRING_IMAGE_FUNCTIONS:
        yield from ((t.source_line, f"{name}()", t.value) for t in strings)


def css_problems(name: str, text: str, *, first_line: int = 1, own_origins: Iterable[str] = ()) -> list[Problem]:
    """Every ``@import``, ``url()`` and ``image-set()`` of a stylesheet (or of a ``style`` attribute) that leaves."""
    import tinycss2  # noqa: PLC0415 (here, so that edition.settings, which needs outside_site, runs with PyYAML alone)

    values = tinycss2.parse_component_value_list(text, skip_comments=True)
    own = tuple(own_origins)
    found = sorted((line, what, url) for line, what, url in _css_urls(values) if outside_site(url, own))
    return [_load_problem(name, first_line + line - 1, what, url) for line, what, url in found]


# -- HTML -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Found:
    line: int
    key: str
    url: str
    does: tuple[str, str, str] = LOADS


GITHUB_API = "https://api.github.com/"


class _LoadFinder(HTMLParser):
    """Collects, tag by tag, every address the browser would fetch (and CSS inside the page)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[_Found] = []
        self.styles: list[tuple[int, str]] = []  # (line, css) of <style> elements and style attributes
        self.srcdocs: list[tuple[int, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = [(name, value) for name, value in attrs if value is not None]
        self._in_style = tag == "style"
        rels = {rel.lower() for name, value in values if name == "rel" for rel in value.split()}
        refresh = tag == "meta" and any(n == "http-equiv" and v.lower() == "refresh" for n, v in values)
        for name, value in values:
            self._attribute(line, tag, name, value, rels, refresh)
        if ("data-md-component", "source") in values:
            # The theme's script fetches facts about the repo_url from GitHub's API in every reader's browser.
            self.found.append(_Found(line, f"<{tag} data-md-component=source>", GITHUB_API, REPOSITORY_FACTS))

    def _attribute(self, line: int, tag: str, name: str, value: str, rels: set[str], refresh: bool) -> None:
        where = f"<{tag} {name}>"
        if name in LOAD_ATTRIBUTES or (name == "data" and tag == "object"):
            self.found.append(_Found(line, where, value))
        elif name in SEND_ATTRIBUTES:
            self.found.append(_Found(line, where, value, SENDS_INPUT))
        elif name in SRCSET_ATTRIBUTES:
            # Candidates are "url descriptor, url descriptor"; every piece between spaces and commas is
            # tried as an address, which finds each candidate's URL whatever the spacing.
            self.found += [_Found(line, where, piece) for piece in _SRCSET_PIECE.findall(value)]
        elif name == "ping":
            self.found += [_Found(line, where, piece, REPORTS_CLICKS) for piece in value.split()]
        elif name in {"href", "xlink:href"}:
            self._href(line, tag, where, value, rels)
        elif name == "srcdoc":
            self.srcdocs.append((line, value))
        elif name == "content" and refresh:
            self._refresh(line, value)
        elif name == "style" or "url(" in value.lower():
            # SVG presentation attributes (fill, filter, mask, clip-path…) take url() references too.
            self.styles.append((line, value))

    def _href(self, line: int, tag: str, where: str, value: str, rels: set[str]) -> None:
        if tag in LINK_ELEMENTS or (tag == "link" and rels and rels <= NAVIGATION_RELS):
            return  # a link: followed only when the reader chooses to
        key = f"<link rel={' '.join(sorted(rels))} href>" if tag == "link" else where
        self.found.append(_Found(line, key, value))

    def _refresh(self, line: int, value: str) -> None:
        match = _REFRESH_URL.search(value)
        if match:
            self.found.append(_Found(line, "<meta http-equiv=refresh>", match.group("url"), REDIRECTS))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append((self.getpos()[0], data))


def unreadable_problems(name: str, text: str, *, xml: bool = False) -> list[Problem]:
    """What the tokenizer cannot be trusted with: markup browsers read otherwise, and constructs left open.

    A tag or comment left open makes the standard library's tokenizer rescan the rest of the page from
    each later '<' (quadratic work); a page the edition builds never has one, so it is refused unread.
    """

    def line(offset: int) -> int:
        return text.count("\n", 0, offset) + 1

    problems = [
        Problem(
            name,
            line(text.index(seq)),
            seq,
            (
                f"markup that browsers and the checker's tokenizer read differently ({seq!r}), so what follows "
                "cannot be vouched for; the edition's pages never need it: remove it"
            ),
        )
        for seq in PARSER_DISAGREEMENTS
        if seq in text and not (xml and seq == "<![")
    ]  # in an SVG file CDATA is text, as the tokenizer reads it
    last_open = text.rfind("<")
    if last_open > text.rfind(">"):
        problems.append(
            Problem(
                name,
                line(last_open),
                "<",
                "a tag is left open at the end of the file (no '>' "
                "after this '<'); the page is cut short: build it again",
            )
        )
    position = 0
    while (start := text.find("<!--", position)) >= 0:
        end = text.find("-->", start + 4)
        if end < 0:
            problems.append(
                Problem(
                    name, line(start), "<!--", "a comment is never closed (no '-->' after it); close it or remove it"
                )
            )
            break
        position = end + 3
    return problems


def html_problems(
    name: str, text: str, *, own_origins: Iterable[str] = (), depth: int = 0, xml: bool = False
) -> list[Problem]:
    """Every fetch from another host that the page ``text`` (HTML, or SVG when ``xml``) makes by itself, at its line."""
    own = tuple(own_origins)
    problems = unreadable_problems(name, text, xml=xml)
    if problems:
        return problems
    finder = _LoadFinder()
    finder.feed(text)
    finder.close()
    problems += [
        _load_problem(name, found.line, found.key, found.url, found.does)
        for found in finder.found
        if outside_site(found.url, own)
    ]
    for line, css in finder.styles:
        # Inside SVG a <style> is decoded like an attribute: read it both ways.
        for variant in dict.fromkeys([css, html.unescape(css)]):
            problems += css_problems(name, variant, first_line=line, own_origins=own)
    for line, inner in finder.srcdocs:
        if depth >= MAX_SRCDOC_DEPTH:
            problems.append(
                Problem(
                    name,
                    line,
                    "<iframe srcdoc>",
                    f"srcdoc nested more than {MAX_SRCDOC_DEPTH} deep; the edition never needs it: remove it",
                )
            )
            continue
        problems += [
            Problem(p.file, line, f"<iframe srcdoc> {p.key}", p.message)
            for p in html_problems(name, inner, own_origins=own, depth=depth + 1)
        ]
    return list(dict.fromkeys(problems))


def third_party_problems(name: str, text: str, kind: str, *, own_origins: Iterable[str] = ()) -> list[Problem]:
    """What in one built file (``kind`` 'html' — SVG too — or 'css') a browser would fetch from another host."""
    if kind == "css":
        return list(dict.fromkeys(css_problems(name, text, own_origins=own_origins)))
    if kind in {"html", "svg"}:
        # The same pass refuses what would run script (edition/site/active_content.py).
        from edition.site.active_content import active_content_problems  # noqa: PLC0415 (see checker_version)

        return html_problems(name, text, own_origins=own_origins, xml=kind == "svg") + active_content_problems(
            name, text
        )
    raise ValueError(f"kind must be 'html', 'svg' or 'css', not {kind!r}")


def kind_of(path: Path | str) -> str | None:
    suffix = Path(path).suffix.lower()
    if suffix in CSS_SUFFIXES:
        return "css"
    return "html" if suffix in HTML_SUFFIXES else "svg" if suffix in SVG_SUFFIXES else None


def checker_version() -> str:
    """The version of this check (edition/cache.py): its code, tinycss2's and Python's (html.parser is theirs)."""
    # The cache, hashlib and the active-content rule are imported where they are used: edition.settings needs
    # only outside_site from this module, and `make check` loads the settings but checks no built page.
    from edition import cache  # noqa: PLC0415 (as said above)
    from edition.site import active_content  # noqa: PLC0415 (as said above)

    return cache.code_version([sys.modules[__name__], active_content], ["tinycss2"])


def checked_problems(
    name: str, text: str, kind: str, *, own_origins: Iterable[str] = (), known: ResultCache | None = None
) -> list[Problem]:
    """``third_party_problems``, skipped for a text that this version of the check found clean before (``known``,
    kept by the text's digest with the kind and the site's origins) and remembered there when it is clean.

    Parsing every page and stylesheet was a third of a build's time, though they are mostly the same bytes as
    at the last build: the theme's stylesheets always, every page but the one edited in `mkdocs serve`.
    """
    from edition.cache import digest  # noqa: PLC0415 (see checker_version)

    own = tuple(own_origins)
    key = digest("third-party", kind, "\n".join(own), text)
    if known is not None and known.get(key) is True:
        return []
    problems = third_party_problems(name, text, kind, own_origins=own)
    if not problems and known is not None:
        known.put(key, True)
    return problems


def site_third_party_problems(
    site: Path, *, own_origins: Iterable[str] = (), known: ResultCache | None = None
) -> list[Problem]:
    """third_party_problems for every HTML, SVG and CSS file of a built site.

    With ``known`` (the build's cache, which already holds every page checked as it was written), a file whose
    text was found clean is not parsed again; a file changed since, or never checked, is.
    """
    own = tuple(own_origins)
    problems: list[Problem] = []
    for path in sorted(site.rglob("*")):
        kind = kind_of(path)
        if kind is None or not path.is_file():
            continue
        text = path.read_bytes().decode("utf-8", errors="replace")
        problems += checked_problems(path.as_posix(), text, kind, own_origins=own, known=known)
    return problems


def main(argv: list[str]) -> int:
    site = Path(argv[0] if argv else "site")
    if not site.is_dir():
        print(f"{site}: no built site here; run `make build` first", file=sys.stderr)
        return 1
    problems = site_third_party_problems(site)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} fetch(es) from other hosts; do not publish this build.", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
