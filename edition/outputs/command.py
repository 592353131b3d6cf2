"""`make pdf` and `make epub` as commands: the strict build in site/ in, the downloads out, problems on stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from edition.problems import EditionError


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
