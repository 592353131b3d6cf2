"""Compiled templates are kept between builds (hooks/theme_cache.py), and never served stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from conftest import ROOT
from edition.site import templating


@pytest.fixture(autouse=True)
def cache_in(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests' templates are cached in their own folder, not among the project's."""
    monkeypatch.setattr(templating, "CACHE", tmp_path / "cache")


def render_fresh(folder: Path, **settings: Any) -> str:
    """Render page.html with a new environment, as each MkDocs build (and `mkdocs serve` rebuild) does."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), **settings)  # noqa: S701 (the test's own template)
    env.bytecode_cache = templating.bytecode_cache(env)
    return env.get_template("page.html").render(title="标题")


def test_an_edited_template_is_used_on_the_next_build(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text("<h1>{{ title }}</h1>\n", encoding="utf-8")
    assert render_fresh(tmp_path) == "<h1>标题</h1>"
    assert render_fresh(tmp_path) == "<h1>标题</h1>"  # from the cache
    (tmp_path / "page.html").write_text("<h2>{{ title }}</h2>\n", encoding="utf-8")
    assert render_fresh(tmp_path) == "<h2>标题</h2>"


def test_environments_that_compile_differently_do_not_share_compiled_templates(tmp_path: Path) -> None:
    # trim_blocks changes the compiled code, not the source Jinja checks the cache against.
    (tmp_path / "page.html").write_text("{% if title %}\n{{ title }}{% endif %}", encoding="utf-8")
    assert render_fresh(tmp_path) == "\n标题"
    assert render_fresh(tmp_path, trim_blocks=True) == "标题"
    assert render_fresh(tmp_path) == "\n标题"


def test_the_book_keeps_the_themes_compiled_templates() -> None:
    config = load_config(str(ROOT / "mkdocs.yml"))
    env = config.plugins.on_env(config.theme.get_env(), config=config, files=Files([]))
    assert isinstance(env.bytecode_cache, jinja2.FileSystemBytecodeCache)
