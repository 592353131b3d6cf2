"""The one Jinja environment for every page the edition generates."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    # Compiled templates kept in the user's temporary folder between builds (Jinja checks each against its
    # source), as jieba keeps its dictionary: compiling them anew took some 50 ms of every build.
    bytecode_cache=jinja2.FileSystemBytecodeCache(),
)

# A run of Latin-script text: starts with a letter, holds no CJK character or full-width punctuation.
ENGLISH_RUN = re.compile(r"[A-Za-z][^\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]*[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[A-Za-z]")


def mark_english(text: str) -> Markup:
    """Bilingual prose ("中文。English.") with its English runs marked lang="en", for screen readers and fonts."""
    out, position = [], 0
    for match in ENGLISH_RUN.finditer(text):
        out.append(escape(text[position:match.start()]))
        out.append(Markup('<span lang="en">') + escape(match.group(0)) + Markup("</span>"))
        position = match.end()
    out.append(escape(text[position:]))
    return Markup("").join(out)


TEMPLATES.filters["mark_english"] = mark_english
