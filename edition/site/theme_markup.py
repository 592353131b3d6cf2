"""Repairs to markup that the theme (Material for MkDocs) writes outside any template block.

The Nu Html Checker rejects ``autocomplete`` on the theme's hidden checkbox toggles
(the attribute is not allowed on checkboxes), and axe requires the search dialog to
have an accessible name. Both sit in the theme's base template, outside any block an
override could replace, so the built page is repaired instead of copying the theme's
template. The validators in the tests notice if a theme upgrade changes this markup.
"""

from __future__ import annotations

import html
import re

_CHECKBOX = re.compile(r"<input\b[^>]*\btype=\"checkbox\"[^>]*>")
_AUTOCOMPLETE = re.compile(r"\s+autocomplete=\"[^\"]*\"")
_SEARCH_DIALOG = re.compile(
    r"(<div\b(?=[^>]*\bdata-md-component=\"search\")(?=[^>]*\brole=\"dialog\")"
    r"(?![^>]*\baria-label)[^>]*)>"
)


def repair_theme_markup(page_html: str, *, search_label: str) -> str:
    page_html = _CHECKBOX.sub(lambda m: _AUTOCOMPLETE.sub("", m.group(0)), page_html)
    return _SEARCH_DIALOG.sub(lambda m: f'{m.group(1)} aria-label="{html.escape(search_label)}">', page_html, count=1)
