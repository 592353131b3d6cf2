"""`make pdf` and `make epub`: what both take out of the built pages, and the command that runs each (the strict
build in site/ in, the downloads out, problems on stderr)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from edition.problems import EditionError
from edition.site.translation_views import ENGLISH_VIEW

# What the site puts around the article that neither download prints: permalinks, the source-file line, the cite
# box (its addresses are the site's), the download links beside the title, contributors' annotations, the edit
# button, and the English view's parts (both downloads are of the Chinese text; the English PDF asks for its English
# first).
SITE_FRAME = (
    "a.headerlink",
    ".md-source-file",
    "details.edition-cite",
    ".edition-title-downloads",
    "div.edition-cite",
    "aside.edition-annotation",
    "sup.edition-annotation-ref",
    ".md-content__button",
    *ENGLISH_VIEW,
)


def make_downloads(target: str, what: str, argv: list[str], build: Callable[[Path], list[Path]]) -> int:
    """Run ``build`` on the site named in ``argv`` (default site/); 0 when it wrote its files, else 1 with every
    problem on its own line. ``target`` is the make target (pdf, epub), ``what`` the kind of file (PDF, EPUB)."""
    site = Path(argv[0] if argv else "site")
    if not (site / "index.html").exists():
        print(f"make {target}: {site}/index.html not found; run `make build` first", file=sys.stderr)
        return 1
    try:
        written = build(site)
    except EditionError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"make {target}: {len(error.problems)} problem(s); no {what} written.", file=sys.stderr)
        return 1
    for path in written:
        print(f"make {target}: wrote {path} ({path.stat().st_size // 1024} KiB)")
    return 0
