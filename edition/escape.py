"""Output by context, in one place: every value that comes from the book's inputs leaves through one of these.

Contributors write the data (refs.bib, data/*.yml, annotations/); the pages, downloads and
reports are made from it. Each output context has its own rules, and one function each:

- HTML text and attribute: ``html_text``, ``html_attribute``. The Jinja templates
  (edition/site/templating.py) escape every value with autoescape, which applies the same rules
  (``& < > " '``); their filter ``title_line`` puts a title on one line. The templates link only to
  the site's own pages; addresses from the data reach pages through Markdown (``markdown_url``).
- a ``title`` attribute (a glossary term's gloss, a note's label): ``title_text`` (its one line of text),
  ``title_attribute`` (the attribute value, escaped once);
- an attribute value inside raw HTML that is spliced into Markdown: ``markdown_attribute``;
- a URL: ``url_scheme``, ``safe_url`` (http and https only), ``markdown_url`` (as a Markdown autolink);
- Markdown text: ``markdown_text``; in a GitHub table cell, ``github_table_text`` (the edition's words) and
  ``github_code_cell`` (a value from the inputs, as code);
- iCalendar text: ``ics_text``; a CSV cell: ``csv_cell``;
- a CSS string in a ``<style>`` element (the printed pages' running heads): ``css_string``; JSON in a
  ``<script type="application/json">`` element (data for the readers' scripts): ``json_script``.

Every pattern here is linear: no nested or overlapping quantifiers.
"""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, unquote, urlsplit

SAFE_SCHEMES = frozenset({"http", "https"})
# Browsers drop these anywhere in a URL (tab, CR, LF) or at its ends (C0 controls and space) before
# reading its scheme, so `java\tscript:` is `javascript:` to them; we remove them before looking.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f]")
_SCHEME = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):")
_WHITESPACE = re.compile(r"\s+")
# What str.splitlines() splits at: a run of white space holding one of these is a line break.
_LINE_BREAK = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# C0 controls and DEL (tab and line breaks are white space, handled first). Python-Markdown marks its
# placeholders with \x02 and \x03: text holding them could stand in for another part of the page.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Inline Markdown that can start anywhere in a line: code, escapes, emphasis, links, images, footnotes and
# citations (all start with '['), attribute lists ('{'). Backslash-escaped: Python-Markdown shows the character.
_MARKDOWN_INLINE = re.compile(r"[\\`*_{}\[\]]")
# '&' that would be read as an entity (&lt;, &#58;): written &amp; so it stays the text it is.
_ENTITY_START = re.compile(r"&(?=#?\w+;)")
# What starts a block when it comes first on a line (a note's first words do): heading, quote, list,
# admonition (!!!), details (???), fenced code (~~~, ``` is escaped above), ordered list ('1.').
_BLOCK_START = re.compile(r"^(?:[#>+\-!]|[?~]|\d+(?=\.))")
_BLOCK_ESCAPE = {"?": "&#63;", "~": "&#126;"}
# Inside a raw HTML tag in Markdown, the inline patterns that run before Python-Markdown sets the tag
# aside (code, escapes, links, footnotes) still see the attribute's text; as entities they see nothing.
_MARKDOWN_ATTRIBUTE = {"`": "&#96;", "\\": "&#92;", "[": "&#91;", "]": "&#93;", "\n": "&#10;", "\r": "&#13;"}
# What an autolink <…> cannot hold, percent-encoded: '<' and '>' would end it, '`' would start code.
_AUTOLINK_UNSAFE = re.compile(r"[<>`\"]")
_CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def html_text(value: object) -> str:
    """Text between tags."""
    return html.escape(str(value), quote=False)


def html_attribute(value: object) -> str:
    """A double-quoted attribute value."""
    return html.escape(str(value), quote=True)


def one_line(value: object) -> str:
    """``value`` on one line: each run of white space that breaks the line becomes one space; other white
    space is kept as it is; control characters are dropped."""
    text = _WHITESPACE.sub(lambda m: " " if _LINE_BREAK.intersection(m.group(0)) else m.group(0), str(value))
    return _CONTROL.sub("", text)


def title_text(value: object) -> str:
    """A ``title``'s text, on one line, as a reader sees it: the browser's tooltip, or glossary-tap.js's box, which
    sets it as text. Jinja templates use it as the filter ``title_line``; autoescape escapes it for the attribute."""
    return _WHITESPACE.sub(" ", one_line(value)).strip()


def title_attribute(value: object) -> str:
    """A ``title`` as the attribute's value: escaped once, since the browser decodes it once and shows text.

    (The theme's ``content.tooltips`` decoded a title a second time, with ``innerHTML``, and needed it escaped
    twice; edition.settings refuses that feature.) One line, because a blank line in a title spliced into
    Markdown would end the paragraph.
    """
    return html_attribute(title_text(value))


def markdown_attribute(value: str) -> str:
    """An attribute value, already escaped for HTML, inside a raw HTML tag that is spliced into Markdown.

    Python-Markdown sets a raw tag aside only after its code, escape and link patterns have run over
    the whole line, the tag's attributes included: ``title="[x](javascript:…)"`` would become a link
    inside the attribute. Those characters (and line breaks) are written as entities, which the browser
    decodes as it reads the attribute, so the value is unchanged.
    """
    return "".join(_MARKDOWN_ATTRIBUTE.get(c, c) for c in value)


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

    A scheme-relative ``//host`` is refused: it takes the page's scheme and leaves the site. So is
    any backslash (browsers read it as '/', ``https:\\\\host``) and any white space or control character.
    """
    if url_scheme(url) not in SAFE_SCHEMES or _URL_IGNORED.search(url) or "\\" in url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in SAFE_SCHEMES and parts.hostname else None


def markdown_url(url: str) -> str | None:
    """An http(s) address as a Markdown autolink ``<…>`` that stays one link; None when ``safe_url`` refuses it."""
    if safe_url(url) is None:
        return None
    return "<" + _AUTOLINK_UNSAFE.sub(lambda m: f"%{ord(m.group(0)):02X}", url) + ">"


def markdown_text(value: object) -> str:
    """Text spliced into Markdown that stays text, inline or first on a line.

    On one line (a blank line would end the paragraph), the characters that start inline Markdown
    backslash-escaped, ``<`` and entity-like ``&`` written as entities, and a block marker at the start
    (``#``, ``>``, ``-``, ``1.``, ``!!!``…) neutralised. Everything else is left as it is, so ordinary
    text (``U.S.-China (2025)``) reads the same in the Markdown as on the page.
    """
    text = one_line(value).strip()
    text = _MARKDOWN_INLINE.sub(r"\\\g<0>", text)
    text = _ENTITY_START.sub("&amp;", text).replace("<", "&lt;")
    return _BLOCK_START.sub(_block_escape, text, count=1)


def _block_escape(match: re.Match[str]) -> str:
    found = match.group(0)
    if found.isdigit():
        return found + "\\"  # 1. → 1\.
    return _BLOCK_ESCAPE.get(found, "\\" + found)


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
_INVISIBLE = re.compile(
    r"[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff"
    r"\ufff9-\ufffb]"
)
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


def github_table_text(value: object) -> str:
    """The edition's own text in a cell of a GitHub Markdown table: ``markdown_text``, and each '|' written
    ``\\|``, since a '|' ends the cell wherever it stands. For text from the inputs, use ``github_code_cell``:
    GitHub links @mentions and #123 in plain text, escaped or not."""
    return markdown_text(value).replace("|", "\\|")


def github_autolink(url: str) -> str | None:
    """``<url>``, a link in GitHub Markdown (a table cell included), for an absolute http(s) ``url``; None for
    any other. Characters that could end the link, the cell or hide in it are percent-encoded."""
    if safe_url(url) is None:
        return None
    return f"<{quote(url, safe=_AUTOLINK_SAFE)}>"


# In a CSS string inside a <style> element: what would end the string ('"', "'", a line break), start an escape
# ('\'), or end the element ('<', '>' of </style>), or be read as an entity by a tool that reads it as HTML ('&').
_CSS_STRING_UNSAFE = re.compile(r"[\"'\\<>&\x00-\x1f\x7f-\x9f\u2028\u2029]")


def css_string(value: object) -> str:
    """``value`` as a double-quoted CSS string (for ``content:``), on one line, safe inside a ``<style>`` element:
    each unsafe character is a CSS escape ``\\HEX `` (the space ends the escape and is not shown)."""
    body = _CSS_STRING_UNSAFE.sub(lambda m: f"\\{ord(m.group(0)):x} ", one_line(value))
    return f'"{body}"'


# In a <script type="application/json"> element: '<' (of </script> or <!--), '>' and '&' written as JSON escapes,
# and the line and paragraph separators that older JavaScript would not take in a string.
_JSON_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_script(value: object) -> str:
    """``value`` as JSON to place inside ``<script type="application/json">``: the element cannot be ended or
    commented out from inside, whatever the strings hold; ``JSON.parse`` reads back the same values."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return "".join(_JSON_SCRIPT_UNSAFE.get(char, char) for char in text)
