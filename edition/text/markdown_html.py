"""Markdown written in data (annotation bodies, formatted references) as HTML, outside a page's rendering."""

from __future__ import annotations

import re

import markdown

# A citation block ([@key], [参见 @key, 第3页]) or a note call ([^label]) that nothing around it makes part of a link
# or an image: no ! or ] before it, no (, [ or : after it. Markdown (without extensions, as here) prints it as text.
# Nothing inside that Markdown reads first: a backslash escape or a code span can hide the ] that seems to close
# it (so it runs on into a link, [@a\]](javascript:…)), and a < can start an autolink or a tag within it.
_PLAIN_BRACKETS = re.compile(r"(?<![\]!])\[(?:\^[^\[\]\s\\`<]+|[^\[\]@\\`<]*@[^\[\]\\`<]*)\](?![(\[:])")
# One converter, reset between texts: building a new one for each text cost a millisecond apiece.
_CONVERTER = markdown.Markdown()


def markdown_html(text: str) -> str:
    _CONVERTER.reset()
    return _CONVERTER.convert(text)


def inline_html(text: str) -> str:
    """A one-paragraph text as inline HTML, without the <p> around it."""
    return markdown_html(text).removeprefix("<p>").removesuffix("</p>")


def may_hold_address(text: str) -> bool:
    """Whether ``markdown_html`` could render ``text`` with an image or an address (href, src), so that a check must
    render it to see. Markdown makes them only from [ (links, images, link definitions) and < (autolinks, raw HTML),
    and it leaves the words href and src as it finds them; a text with none of the four, once its plain citation
    blocks and note calls are set aside, renders with neither. Rendering every text cost more than the rest of the
    checks that read it."""
    bare = _PLAIN_BRACKETS.sub(" ", text)
    return any(mark in bare for mark in ("[", "<", "href", "src"))
