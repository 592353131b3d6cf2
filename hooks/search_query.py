"""A reader's Chinese query segmented into the index's words, up to its last character, and results shortened to
a piece around the match (edition/site/search_worker.py).

The site gets a corrected copy of Material's search worker under the theme's own file name,
so Material's templates load it unchanged.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from edition.problems import EditionError
from edition.site.search_worker import WORKER_PATTERN, correct_query_segmentation, with_snippets


def on_files(files: Files, *, config: MkDocsConfig) -> Files:
    # Material ships the worker whether or not search is on; correcting an unused copy does no harm.
    workers = [f for f in files if WORKER_PATTERN.fullmatch(f.src_uri)]
    if len(workers) != 1:
        raise PluginError(
            f"hooks/search_query.py: expected one Material search worker matching "
            f"{WORKER_PATTERN.pattern}, found {len(workers)}; has the theme changed?"
        )
    worker = workers[0]
    source = worker.abs_src_path
    if source is None:
        raise PluginError("hooks/search_query.py: Material's search worker has no source file; has the theme changed?")
    try:
        corrected = correct_query_segmentation(Path(source).read_text(encoding="utf-8"), shown=source)
        corrected = with_snippets(corrected, shown=source)
    except EditionError as error:
        raise PluginError(str(error)) from None
    files.remove(worker)
    files.append(File.generated(config, worker.src_uri, content=corrected))
    return files
