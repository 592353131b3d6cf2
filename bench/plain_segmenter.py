"""`make bench`'s like-for-like build: stock Material given the edition's segmenter, and nothing else of the edition.

Copied into the plain project as its only hook. It does what hooks/search_dictionary.py does for the
segmenter (rjieba computing jieba's words, edition/site/segmenter.py), without the glossary's user
dictionary or anything else, so the like-for-like ratio counts what the edition adds, not the segmenter.
"""

from __future__ import annotations

import sys

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

from edition.site.segmenter import RjiebaSegmenter, jieba_dictionary, unavailable


@event_priority(100)  # before the search plugin's on_config, as hooks/search_dictionary.py
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is not None and not unavailable(search.config.jieba_dict):
        vars(sys.modules[type(search).__module__])["jieba"] = RjiebaSegmenter(jieba_dictionary())
    return config
