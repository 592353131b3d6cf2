"""``make check``: the build's consistency checks without rendering a page (edition.book.load_book)."""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    # Imported here, so that run as a command the collector is off before the edition's modules load (below).
    from edition.book import check  # noqa: PLC0415 (as said above)

    root = Path(argv[0] if argv else ".").resolve()
    started = time.perf_counter()
    problems = check(root)
    elapsed = time.perf_counter() - started
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"make check: {len(problems)} problem(s); the build would stop.", file=sys.stderr)
        return 1
    print(f"make check: all checks passed in {elapsed:.2f} s")
    return 0


if __name__ == "__main__":
    # The command keeps everything its imports and its checks make until it exits a moment later, so the cyclic
    # collector, which ran again and again as they grew, had nothing to free: a tenth of the run. Off, the book
    # ×100 peaks at the same memory (44 MB).
    gc.disable()
    status = main(sys.argv[1:])
    # At exit Python still runs a full collection over every object (~28,000 containers, ~8 ms), which the
    # operating system frees a moment later anyway. Frozen, they are left out of it; everything the check says is
    # written by now, and it holds no file or other resource that a collection would close.
    gc.freeze()
    sys.exit(status)
