"""The edition's own stylesheets and scripts are served minified (edition/site/minify.py): the comments that
explain them stay in docs/, the site gets the same rules and statements without them."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT, Site
from edition.site.minify import minified, minify_own_assets, own_assets

SCRIPT = Path("javascripts/x.js")
STYLESHEET = Path("stylesheets/x.css")


def test_a_scripts_comments_go_and_strings_and_patterns_that_look_like_them_stay() -> None:
    source = (
        "// why this script is here\n"
        '(function () {\n  var site = "https://example.org/a//b"; // the address\n'
        "  var open = /\\/\\*/; /* a pattern */\n  return site + open;\n})();\n"
    )
    served = minified(SCRIPT, source)
    assert "why this script" not in served and "the address" not in served and "a pattern" not in served
    assert '"https://example.org/a//b"' in served and "/\\/\\*/" in served


def test_a_stylesheets_comments_go_and_a_quoted_one_stays() -> None:
    source = '/* why */\n.a::after {\n  content: "/* shown */";\n  color: red; /* the edition\'s red */\n}\n'
    served = minified(STYLESHEET, source)
    assert "why" not in served and "edition's red" not in served
    assert '"/* shown */"' in served and "color:red" in served


def test_the_site_serves_each_own_asset_minified_from_its_source(site: Site, tmp_path: Path) -> None:
    assets = list(own_assets(ROOT / "docs"))
    assert Path("javascripts/ranges.js") in assets and Path("stylesheets/print.css") in assets
    for relative in assets:
        source = (ROOT / "docs" / relative).read_text(encoding="utf-8")
        for built in (site.root / relative, site.root / "en" / relative):
            assert built.read_text(encoding="utf-8") == minified(relative, source), built
    # A rebuild that did not copy the files again minifies the sources, not its own output.
    copy = tmp_path / "site"
    for relative in assets:
        (copy / relative).parent.mkdir(parents=True, exist_ok=True)
        (copy / relative).write_text("/* stale */", encoding="utf-8")
    minify_own_assets(ROOT / "docs", copy)
    minify_own_assets(ROOT / "docs", copy)
    for relative in assets:
        source = (ROOT / "docs" / relative).read_text(encoding="utf-8")
        assert (copy / relative).read_text(encoding="utf-8") == minified(relative, source)
