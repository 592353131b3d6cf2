"""Material's templates compiled once and kept between builds, as the edition's own are (edition/site/templating.py).

MkDocs gives every build, and every `mkdocs serve` rebuild, a new Jinja environment, so the
theme's forty-odd templates were compiled from source each time: 0.2-0.3 s of a 2-3 s build.
It leaves nothing else in the site, so it stamps the pages (edition.outputs.canary) to show it ran.
"""

from __future__ import annotations

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from edition.outputs.canary import stamp
from edition.site.templating import bytecode_cache

HOOK = "hooks/theme_cache.py"


def on_env(env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    env.bytecode_cache = bytecode_cache(env)
    return env


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str:
    return stamp(output, HOOK)
