"""Glossary terms in the Chinese search segmenter's user dictionary, so 不可靠实体清单 is indexed as one word.

Material's search plugin segments Chinese with jieba and loads a user dictionary
named by its ``jieba_dict_user`` option in its own ``on_config``; this hook writes
that dictionary from the book's glossary into build/ (never committed, so it cannot
fall out of step) and sets the option first.
"""

from __future__ import annotations

import logging

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

from edition.build import EditionBuild
from edition.reference.glossary import jieba_user_dictionary

DICTIONARY = "build/jieba-user-dictionary.txt"


@event_priority(100)  # after hooks/book.py (110), before the search plugin reads the option
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None:
        return config
    book = EditionBuild.of(config).book
    path = book.root / DICTIONARY
    path.parent.mkdir(parents=True, exist_ok=True)
    text = jieba_user_dictionary(book.reference.glossary)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    search.config.jieba_dict_user = str(path)
    # jieba prints "Building prefix dict…" at debug level to stderr on every build; its warnings still show.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    return config
