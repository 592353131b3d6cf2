"""Output by context, in one place: every value that comes from the book's inputs leaves through one of these.

Contributors write the data (refs.bib, data/*.yml, annotations/); the pages, downloads and
reports are made from it. Each output context has its own rules, and one function each:
HTML text, HTML attribute, a tooltip title (which the theme decodes a second time),
URL (scheme allowlist), Markdown text, iCalendar text, CSV cell.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote, urlsplit

SAFE_SCHEMES = frozenset({"http", "https"})
# Browsers drop these anywhere in a URL (tab, CR, LF) or at its ends (C0 controls and space) before
# reading its scheme, so `java\tscript:` is `javascript:` to them; we remove them before looking.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f]")
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):")
_WHITESPACE = re.compile(r"\s+")
# Python-Markdown's backslash escapes (markdown.Markdown.ESCAPED_CHARS): emphasis, code, links and
# images, footnotes and citations (they start with '['), attribute lists, headings, lists, quotes.
_MARKDOWN_ESCAPED = re.compile(r"([\\`*_{}\[\]()>#+\-.!])")
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def html_text(value: object) -> str:
    """Text between tags."""
    return html.escape(str(value), quote=False)


def html_attribute(value: object) -> str:
    """A double-quoted attribute value."""
    return html.escape(str(value), quote=True)


def tooltip_text(value: object) -> str:
    """A ``title`` that Material shows as a tooltip (``content.tooltips``), as the attribute's value.

    The browser decodes the attribute once; Material then puts the result into the tooltip
    with ``innerHTML``, decoding it a second time. So ``&`` and ``<`` are escaped twice: what
    reaches ``innerHTML`` is ``&lt;``, which shows as ``<`` and never becomes a tag. One line,
    because a blank line in a title spliced into Markdown would end the paragraph.
    """
    one_line = _WHITESPACE.sub(" ", str(value)).strip()
    return html_attribute(html.escape(one_line, quote=False))


def url_scheme(url: str) -> str | None:
    """The scheme a browser would see in ``url`` (entities and percent-escapes decoded, ignored characters
    dropped), lower-cased; '' for a relative address; None for one that starts with ``//`` or a backslash."""
    seen = url
    for _ in range(3):  # &amp;#58; decodes twice; more rounds only for a hostile value
        decoded = unquote(html.unescape(seen))
        if decoded == seen:
            break
        seen = decoded
    seen = _URL_IGNORED.sub("", seen)
    if seen.startswith(("//", "\\\\", "/\\", "\\/")):
        return None
    match = _SCHEME.match(seen)
    return match.group("scheme").lower() if match else ""


def safe_url(url: str) -> str | None:
    """``url`` when it is an absolute http(s) address a link may carry, else None.

    A scheme-relative ``//host`` is refused: it takes the page's scheme and leaves the site.
    """
    if url_scheme(url) not in SAFE_SCHEMES or _URL_IGNORED.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.hostname else None


def markdown_text(value: object) -> str:
    """Text spliced into Markdown that stays text: every character Markdown could read as syntax is
    backslash-escaped, and line breaks become spaces (a blank line would end the paragraph)."""
    one_line = _WHITESPACE.sub(" ", str(value))
    # '&' and '<' have no backslash escape in Python-Markdown: entities keep them text.
    return _MARKDOWN_ESCAPED.sub(r"\\\1", one_line).replace("&", "&amp;").replace("<", "&lt;")


def ics_text(value: object) -> str:
    """An iCalendar TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped; every line break,
    CR, LF or CRLF, written as ``\\n``, so no value can start a property line of its own."""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    return "".join(c for c in text if c >= " " or c == "\t")


def csv_cell(value: object) -> str:
    """A spreadsheet cell that stays data: a value starting with ``=``, ``+``, ``-``, ``@``, tab or CR would
    be run as a formula by Excel or LibreOffice, so it gets a leading apostrophe (OWASP's advice)."""
    text = str(value)
    return "'" + text if text.startswith(_CSV_FORMULA_START) else text


# -- GitHub-flavoured Markdown: the linkcheck report that CI files as an issue -----------------------------------

# Shown as escapes (\n, \x1b, \u202e) so a value stays on one line and hides nothing (bidi overrides included).
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
                        r"\ufff9-\ufffb]")
_BACKTICKS = re.compile(r"`+")
# Characters an autolink may carry unencoded: RFC 3986's unreserved and reserved ones, and '%' of escapes
# already there. Everything else ('|', '`', '\', '<', '>', '"', space, non-ASCII) is percent-encoded.
_AUTOLINK_SAFE = "-._~:/?#[]@!$&'()*+,;=%"


def visible_text(value: object) -> str:
    """``value`` on one line with its control and invisible formatting characters written as escapes."""
    return _INVISIBLE.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), str(value))


def github_code_cell(value: object, limit: int = 300) -> str:
    """Untrusted text quoted in a cell of a GitHub Markdown table (an issue or a comment): a code span.

    Backslash escapes do not protect text on GitHub: @mentions, #123 references and bare URLs are
    linked after Markdown has run, so ``\\@someone`` still notifies someone (github/markup#1168).
    Inside a code span none of that happens and no Markdown or HTML is read. The fence is longer
    than any run of backticks in the text; a '|' would end the table cell even inside the span,
    so it is written ``\\|`` (with one more backslash after an odd run of them, which would
    otherwise pair with ours). ``limit`` characters at most, '…' marking a cut.
    """
    text = " ".join(visible_text(value).split())
    if len(text) > limit:
        text = text[:limit] + "…"
    if not text:
        return ""
    cell: list[str] = []
    backslashes = 0
    for char in text:  # one pass, no pattern: the text is untrusted
        if char == "|":
            cell.append("\\\\|" if backslashes % 2 else "\\|")
        else:
            cell.append(char)
        backslashes = backslashes + 1 if char == "\\" else 0
    body = "".join(cell)
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(body)), default=0) + 1)
    pad = " " if body.startswith("`") or body.endswith("`") else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def github_autolink(url: str) -> str | None:
    """``<url>``, a link in GitHub Markdown (a table cell included), for an absolute http(s) ``url``; None for
    any other. Characters that could end the link, the cell or hide in it are percent-encoded."""
    if safe_url(url) is None:
        return None
    return f"<{quote(url, safe=_AUTOLINK_SAFE)}>"
