"""An HTMLParser that knows where it is as an offset into the text, for the hooks that edit HTML in place.

HTMLParser reports only line and column; these parsers cut and insert at exact places (the English
beside each paragraph, the printed pages' marks), so each needs the offset, counted the same way.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements with no end tag in HTML: an opening tag is the whole element.
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class OffsetParser(HTMLParser):
    """Character references are left to the subclass (``convert_charrefs=False``), so every event's text is the
    source's own and its length is its span."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def position(self) -> int:
        """Where the event being handled starts in ``text``."""
        line, column = self.getpos()
        return self.line_starts[line - 1] + column
