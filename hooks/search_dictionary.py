"""Glossary terms in the Chinese search segmenter's user dictionary, so 不可靠实体清单 is indexed as one word;
and the segmenter itself: jieba's words, computed by rjieba (edition/site/segmenter.py).

Material's search plugin segments Chinese with the ``jieba`` module it imported, and loads a
user dictionary named by its ``jieba_dict_user`` option in its own ``on_config``; this hook
writes that dictionary from the book's glossary into build/ (never committed, so it cannot
fall out of step), sets the option first, and gives the plugin's module, for this build, a
segmenter with jieba's API and jieba's results that does not spend seconds loading jieba.
After the plugin has written the index, it is rewritten as UTF-8 (edition/site/search_index.py):
the same index, a tenth smaller gzipped.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

from edition.build import EditionBuild
from edition.reference.glossary import jieba_user_dictionary
from edition.site.search_index import as_utf8
from edition.site.segmenter import RjiebaSegmenter, jieba_dictionary, unavailable

DICTIONARY = "build/jieba-user-dictionary.txt"
# INFO, not WARNING: `--strict` stops on any warning of the mkdocs loggers, and jieba gives the same index
# (only slower), so a missing speed-up is news for the log, not a fault in the site.
log = logging.getLogger("mkdocs.edition")


@event_priority(100)  # after hooks/book.py (110), before the search plugin reads the option
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None:
        return config
    build = EditionBuild.of(config)
    book = build.book
    path = book.root / DICTIONARY
    path.parent.mkdir(parents=True, exist_ok=True)
    text = jieba_user_dictionary(book.reference.glossary)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    search.config.jieba_dict_user = str(path)
    # jieba prints "Building prefix dict…" at debug level to stderr on every build; its warnings still show.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    plugin_module = sys.modules[type(search).__module__]
    if hasattr(plugin_module, "jieba"):  # Material's plugin; MkDocs' own does not segment Chinese
        # Set on every build, either way: a segmenter holds one build's user dictionary.
        reason = unavailable(search.config.jieba_dict)
        if reason:
            log.info("Search: %s; segmenting with jieba itself (the same index, only slower)", reason)
        segmenter = (
            sys.modules.get("jieba") if reason else RjiebaSegmenter(jieba_dictionary(), known=build.segmenter_words)
        )
        vars(plugin_module)["jieba"] = segmenter  # the global its parser calls; Material's files stay as released
    return config


@event_priority(-100)  # after the search plugin has written the index, and after any hook that changes it
def on_post_build(config: MkDocsConfig) -> None:
    EditionBuild.of(config).segmenter_words.save()
    index = Path(config.site_dir) / "search" / "search_index.json"
    if index.is_file():
        index.write_bytes(as_utf8(index.read_bytes()))
