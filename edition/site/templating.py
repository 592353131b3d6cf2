"""The one Jinja environment for every page the edition generates.

Autoescape is on: every ``{{ value }}`` is escaped for HTML text and double-quoted attributes (the rules
of ``edition.escape.html_text``/``html_attribute``). ``| safe`` is kept for HTML the edition made and
cleaned itself (annotation bodies through nh3, references from escaped Markdown). A ``title`` is a
reader's tooltip and takes ``| title_line`` (``edition.escape.title_text``: one line; autoescape escapes it).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from edition.escape import title_text

# Beside the jieba dictionary in the project's build/ folder (never committed): not in a shared temporary
# folder, where another user could leave compiled code for us to run.
CACHE = Path(__file__).resolve().parent.parent.parent / "build" / "jinja"


def bytecode_cache(env: jinja2.Environment) -> jinja2.FileSystemBytecodeCache | None:
    """Compiled templates kept between builds; None where the project folder cannot be written.

    Jinja checks each cached template against its source, but not against the environment's
    settings, which also shape the compiled code; so each set of settings gets its own folder.
    """
    settings = (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.optimized,
        env.autoescape if isinstance(env.autoescape, bool) else "select",
        sorted(env.extensions),
    )
    folder = CACHE / hashlib.sha256(repr(settings).encode()).hexdigest()[:16]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
)
# Compiling the templates anew took some 50 ms of every build.
TEMPLATES.bytecode_cache = bytecode_cache(TEMPLATES)

# A run of Latin-script text: starts with a letter, holds no CJK character or full-width punctuation.
ENGLISH_RUN = re.compile(
    r"[A-Za-z][^\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]*[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[A-Za-z]"
)


def mark_english(text: str) -> Markup:
    """Bilingual prose ("中文。English.") with its English runs marked lang="en", for screen readers and fonts."""
    out, position = [], 0
    for match in ENGLISH_RUN.finditer(text):
        out.append(escape(text[position : match.start()]))
        out.append(Markup('<span lang="en">') + escape(match.group(0)) + Markup("</span>"))
        position = match.end()
    out.append(escape(text[position:]))
    return Markup("").join(out)


def label_pair(english: bool) -> Callable[..., Markup]:
    """The templates' ``pair(zh, en, after="")``: a bilingual label as the site's language leads. The Chinese site
    writes ``中文 <span lang="en">· English</span>``, the English site ``<span lang="en">English</span> · 中文``;
    ``after`` (a colon) follows either."""

    def pair(zh: str, en: str, after: str = "") -> Markup:
        if english:
            return Markup('<span lang="en">{}</span> · {}{}').format(en, zh, after)
        return Markup('{} <span lang="en">· {}</span>{}').format(zh, en, after)

    return pair


TEMPLATES.filters["mark_english"] = mark_english
# For a title attribute: Material decodes it a second time into the tooltip (edition/escape.py).
TEMPLATES.filters["title_line"] = title_text
