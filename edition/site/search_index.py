"""The search index written as UTF-8 text instead of ASCII with ``\\uXXXX`` escapes.

Material's search plugin writes its index with Python's default ``json.dumps``, which spells every
Chinese character as a six-byte escape: 311 KiB for the book, 189 KiB as UTF-8 (gzip 63 → 57 KiB).
The reader's browser parses both to the same value, so what search finds does not change; only the
bytes a reader downloads when opening search do. Keys, their order, numbers and separators stay as
the plugin wrote them.
"""

from __future__ import annotations

import json


def as_utf8(index: bytes) -> bytes:
    """``index`` (the plugin's JSON) with its non-ASCII text written as UTF-8; the same JSON value.

    Text that UTF-8 cannot hold (a lone surrogate, which only an escape can write) leaves the index
    as it was.
    """
    value = json.loads(index)
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return index
