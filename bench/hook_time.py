"""Time spent inside the book's own hooks during one strict build of the project in the current directory.

Prints seconds as JSON. The full-vs-plain ratio also counts what the hooks add to the book
(generated pages that Material renders and the search plugin indexes); this figure isolates
the hooks' own work.
"""

from __future__ import annotations

import functools
import json
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config


def main() -> int:
    config = load_config("mkdocs.yml", site_dir=tempfile.mkdtemp(prefix="hook-time-"), strict=True)
    hook_modules = set(config["hooks"])
    spent = {"total": 0.0}

    def timed(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent["total"] += time.perf_counter() - started

        return wrapper

    for methods in config.plugins.events.values():
        methods[:] = [timed(m) if getattr(m, "__module__", "") in hook_modules else m for m in methods]
    config.plugins.on_startup(command="build", dirty=False)
    build(config)
    print(json.dumps(spent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
