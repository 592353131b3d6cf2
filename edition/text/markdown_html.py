"""Markdown written in data (annotation bodies, formatted references) as HTML, outside a page's rendering."""

from __future__ import annotations

import markdown

# One converter, reset between texts: building a new one for each text cost a millisecond apiece.
_CONVERTER = markdown.Markdown()


def markdown_html(text: str) -> str:
    _CONVERTER.reset()
    return _CONVERTER.convert(text)


def inline_html(text: str) -> str:
    """A one-paragraph text as inline HTML, without the <p> around it."""
    return markdown_html(text).removeprefix("<p>").removesuffix("</p>")
