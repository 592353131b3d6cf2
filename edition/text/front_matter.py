"""The article's abstract and keywords, as the journal prints them at its head, labelled 提要 and 关键词.

Read from the emended source, so the pages' metadata (citation_abstract, citation_keywords, schema.org)
repeat the article's own words and cannot drift from them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from edition.text.conversion import NOTE_PLACEHOLDER, Block

# A paragraph that starts with a label in tortoise-shell brackets (U+3014, U+3015), as the journal sets them.
LABELLED = re.compile(r"^\u3014(?P<label>[^\u3015]{1,8})\u3015\s*(?P<text>.+)\Z", re.DOTALL)
KEYWORD_SEPARATOR = re.compile(r"\s*[、；;]\s*")


@dataclass(frozen=True)
class FrontMatter:
    abstract: str = ""
    keywords: tuple[str, ...] = ()


def front_matter(blocks: Sequence[Block]) -> FrontMatter:
    """The abstract and the keywords among the article's labelled paragraphs; empty where the article has none."""
    found: dict[str, str] = {}
    for block in blocks:
        if block.kind != "paragraph":
            continue
        labelled = LABELLED.match(block.text.replace(NOTE_PLACEHOLDER, "").strip())
        if labelled:
            found.setdefault("".join(labelled.group("label").split()), " ".join(labelled.group("text").split()))
    keywords = tuple(word for word in KEYWORD_SEPARATOR.split(found.get("关键词", "")) if word)
    return FrontMatter(found.get("提要", ""), keywords)
