"""Material's search worker, corrected so that a Chinese query can end on a word of the index, and giving
short results (``with_snippets``).

The worker splits each run of Han characters in a reader's query into words it finds in the
search index (``segment`` in Material's ``integrations/search/query/segment``). Its inner loop
stops one character short of the run (``j < query.length``), so no word that ends the query
is ever tried: 对等关税, a single word in the index, is searched as 对* 等* and the results
highlight 等. Letting the loop reach the end of the run (``j <= query.length``) is the whole
correction; every other step of the worker is untouched.
"""

from __future__ import annotations

import re
from pathlib import Path

from edition.problems import EditionError, Problem

# Material's bundled worker, as mkdocs.yml's theme ships it (a hashed name, one per Material release).
WORKER_PATTERN = re.compile(r"assets/javascripts/workers/search\.[0-9a-f]+\.min\.js")

# The minified loop `for(let j=i+1;j<query.length;j++)query.slice(i,j)in index`, whatever the
# minifier named its variables.
SEGMENT_LOOP = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")
# How the minified worker answers a query: `{type:3,data:index.search(query)}`, 3 being SearchMessageType.RESULT,
# the message search_snippets.js shortens.
RESULT_MESSAGE = re.compile(r"\{type:3,data:")
SNIPPETS = Path(__file__).with_name("search_snippets.js")
SNIPPETS_NAME = "editionSearchSnippets"  # the one global search_snippets.js defines
SOURCE_MAP = "\n//# sourceMappingURL="


def correct_query_segmentation(worker: str, *, shown: str) -> str:
    """The worker's text with the segmentation loop reaching the end of the query.

    Raises EditionError if the loop is not found exactly once: a new Material release
    has changed the worker, and whether it still needs the correction must be checked by hand.
    """
    loops = list(SEGMENT_LOOP.finditer(worker))
    if len(loops) != 1:
        found = "not found" if not loops else f"found {len(loops)} times"
        raise EditionError(
            [
                Problem(
                    shown,
                    None,
                    None,
                    (
                        f"the query-segmentation loop this edition corrects was {found}; Material's search worker "
                        "has changed. Search the new worker for the loop in query/segment (its .map file has the "
                        "source): if it now tries words that end the query, remove hooks/search_query.py; otherwise "
                        "update SEGMENT_LOOP in edition/site/search_worker.py"
                    ),
                )
            ]
        )
    loop = loops[0]
    end, start, query = loop.groups()
    corrected = f"for(let {end}={start}+1;{end}<={query}.length;{end}++){query}.slice({start},{end})in "
    return worker[: loop.start()] + corrected + worker[loop.end() :]


def with_snippets(worker: str, *, shown: str) -> str:
    """The worker with edition/site/search_snippets.js run after it: each result's text cut to a short piece
    around its first match. The script goes before the source-map comment, leaving the worker's lines and
    columns as its map gives them.

    Raises EditionError if the worker no longer answers a query with a RESULT message of type 3.
    """
    if not RESULT_MESSAGE.search(worker):
        raise EditionError(
            [
                Problem(
                    shown,
                    None,
                    None,
                    (
                        "the search worker no longer answers a query with {type:3,data:…}, the message whose "
                        "results edition/site/search_snippets.js shortens; read the new worker's worker/message "
                        "(its .map file has the source) and update RESULT in search_snippets.js and RESULT_MESSAGE "
                        "in edition/site/search_worker.py"
                    ),
                )
            ]
        )
    script = "\n" + SNIPPETS.read_text(encoding="utf-8")
    at = worker.rfind(SOURCE_MAP)
    return worker + script if at < 0 else worker[:at] + script + worker[at:]
