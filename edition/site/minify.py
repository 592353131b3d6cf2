"""The edition's own stylesheets and scripts (docs/stylesheets, docs/javascripts) served without their comments
and indentation.

They are written to be read, with comments saying why; that prose was a third of what a first visit fetched of
them, about 8 KiB gzip on a chapter, where a page may weigh 100 KiB (issue 16). The site gets them as rcssmin and
rjsmin write them: comments and white space dropped, nothing renamed or reordered, so a rule or a statement in the
browser is the one in docs/. The theme's own assets come minified already and are left as they are.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import rcssmin  # type: ignore[import-untyped]  # (the package ships no type hints)
import rjsmin  # type: ignore[import-untyped]  # (as rcssmin)

# Folder of docs/ → how its files are minified.
OWN_ASSETS = {"stylesheets": ("*.css", rcssmin.cssmin), "javascripts": ("*.js", rjsmin.jsmin)}


def own_assets(docs_dir: Path) -> Iterator[Path]:
    """The edition's stylesheets and scripts, relative to docs/."""
    for folder, (pattern, _) in OWN_ASSETS.items():
        for path in sorted((docs_dir / folder).glob(pattern)):
            yield path.relative_to(docs_dir)


def minified(relative: Path, text: str) -> str:
    """``text`` of the asset at ``relative`` (from docs/) without comments and indentation."""
    _, minify = OWN_ASSETS[relative.parts[0]]
    return str(minify(text)) + "\n"


def minify_own_assets(docs_dir: Path, site_dir: Path) -> None:
    """Rewrite the built copies of the edition's stylesheets and scripts, minified (from docs/, so a rebuild that
    did not copy a file again minifies the source, never its own output)."""
    for relative in own_assets(docs_dir):
        built = site_dir / relative
        if built.is_file():
            text = (docs_dir / relative).read_text(encoding="utf-8")
            built.write_text(minified(relative, text), encoding="utf-8")
