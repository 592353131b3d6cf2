"""Planted attacks of the class "nothing skipped in silence" (issue 11, item 5).

* mkdocs.yml: Python tags that MkDocs' loader would run, file-including extensions and plugins, hooks left
  out, added or doubled, and the settings the hooks rely on: refused by edition/settings.py with the line.
* Built pages and stylesheets that load from another host, in every spelling a browser accepts: refused by
  edition/site/third_party.py with the file, the line and the address.
* A built site where one hook's mark is missing: the canary (edition/outputs/canary.py) names that hook.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from attacks import ROOT, Attack, Plant, Refused, append, line_of, read, replace
from conftest import BuildFailed, Site, build_site
from edition.cache import ResultCache
from edition.outputs.canary import CORRECTED_LOOP, MARKS, STAMP, built_file, canary_problems, stamp
from edition.outputs.canary import main as canary_main
from edition.paths import ANNOTATIONS_JSONLD as JSONLD
from edition.paths import ARTICLE_PAGES
from edition.problems import Problem
from edition.settings import EDITION_HOOKS, missing_hooks, settings_file_problems, settings_problems
from edition.site import third_party
from edition.site.third_party import (
    checked_problems,
    checker_version,
    outside_site,
    site_third_party_problems,
    third_party_problems,
)

CONFIG = "mkdocs.yml"
EVIL_HOOK = "/tmp/evil.py"  # noqa: S108 (a hostile hook path planted in mkdocs.yml; nothing is written there)
# hooks/book.py arrives with the lead's rewrite of the hooks, which also calls settings_problems from the Book
# loader, stamps the pages of the hooks that leave nothing else, and runs the third-party check in the build.
STAMPED_HOOKS = ("hooks/book.py", "hooks/theme_cache.py")


@pytest.fixture
def settings_copy(tmp_path: Path) -> Path:
    """A folder with a copy of the book's mkdocs.yml: all that the settings rules read."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy2(ROOT / CONFIG, project / CONFIG)
    return project


def matching(problems: list[Problem], expect: Refused, project: Path) -> list[Problem]:
    line = expect.line_in(project)
    return [
        p
        for p in problems
        if p.file == expect.file
        and expect.message in str(p)
        and (line is None or p.line == line)
        and (expect.key is None or p.key == expect.key)
    ]


def assert_settings_refused(project: Path, attack: Attack) -> list[Problem]:
    attack.plant(project)
    started = time.monotonic()
    problems = settings_file_problems(project)
    assert time.monotonic() - started < 2, f"{attack.name}: the settings rules took too long"
    assert matching(problems, attack.expect, project), f"{attack.name}: expected {attack.expect}; got:\n" + "\n".join(
        map(str, problems)
    )
    return problems


def _without_hook(hook: str) -> Plant:
    """Plant: ``hook`` left out of hooks: (the file stays as it is if the hook is not listed)."""
    return lambda p: (p / CONFIG).write_text(read(p, CONFIG).replace(f"  - {hook}\n", ""), encoding="utf-8")


def remove(name: str, text: str) -> Plant:
    return replace(name, text, "")


def remove_plugin(plugin: str) -> Plant:
    """Plant: ``plugin``'s entry, with its indented options and comments, left out of mkdocs.yml's plugins."""
    entry = re.compile(rf"^  - {re.escape(plugin)}:\n(?:      .*\n)+", re.MULTILINE)
    return lambda p: (p / CONFIG).write_text(entry.sub("", read(p, CONFIG), count=1), encoding="utf-8")


# -- mkdocs.yml ----------------------------------------------------------------------------------------------

PYTHON = "makes MkDocs run Python code while it reads mkdocs.yml"
SETTINGS_ATTACKS = [
    Attack(
        "python tag os.system as a setting's value",
        replace(CONFIG, "site_author: 吴心伯", 'site_author: !!python/object/apply:os.system ["touch PWNED"]'),
        Refused(CONFIG, line_of(CONFIG, "site_author:"), f"!!python/object/apply:os.system {PYTHON}", "site_author"),
    ),
    Attack(
        "python/name tag as a superfences formatter",
        replace(
            CONFIG,
            "  - pymdownx.superfences\n",
            "  - pymdownx.superfences:\n      custom_fences:\n"
            "        - name: run\n          class: run\n          format: !!python/name:os.system\n",
        ),
        Refused(
            CONFIG,
            line_of(CONFIG, "format: !!python"),
            f"!!python/name:os.system {PYTHON}",
            "markdown_extensions.pymdownx.superfences.custom_fences.format",
        ),
    ),
    Attack(
        "python tag behind a %TAG handle",
        lambda p: (p / CONFIG).write_text(
            "%TAG !p! tag:yaml.org,2002:python/\n---\n"
            + read(p, CONFIG).replace("site_author: 吴心伯", "site_author: !p!object/apply:os.system [id]"),
            encoding="utf-8",
        ),
        Refused(CONFIG, line_of(CONFIG, "site_author:"), "!!python/object/apply:os.system", "site_author"),
    ),
    Attack(
        "python tag in verbatim form",
        replace(CONFIG, "site_author: 吴心伯", "site_author: !<tag:yaml.org,2002:python/name:os.getcwd> ''"),
        Refused(CONFIG, line_of(CONFIG, "site_author:"), f"!!python/name:os.getcwd {PYTHON}", "site_author"),
    ),
    Attack(
        "the allowed slugify tag used elsewhere",
        append(CONFIG, "  slug: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n"),
        Refused(CONFIG, line_of(CONFIG, "  slug: "), PYTHON, "extra.slug"),
    ),
    Attack(
        "a python tag inside the slugify options",
        replace(CONFIG, "          case: lower", "          case: !!python/name:os.getcwd"),
        Refused(CONFIG, line_of(CONFIG, "case: !!python"), PYTHON, "markdown_extensions.toc.slugify.kwds.case"),
    ),
    Attack(
        "slugify called with other arguments",
        replace(CONFIG, "        kwds:\n          case: lower", "        args: [lower]"),
        Refused(CONFIG, line_of(CONFIG, "slugify: !!python"), "takes only `kwds:`", "markdown_extensions.toc.slugify"),
    ),
    Attack(
        "!ENV reads a secret into the pages",
        replace(CONFIG, "site_author: 吴心伯", "site_author: !ENV GITHUB_TOKEN"),
        Refused(CONFIG, line_of(CONFIG, "site_author:"), "the tag !ENV is not allowed in mkdocs.yml", "site_author"),
    ),
    Attack(
        "!ENV at extra.pdf reads another variable",
        replace(CONFIG, "!ENV [EDITION_PDF, false]", "!ENV [ACTIONS_ID_TOKEN_REQUEST_TOKEN, false]"),
        Refused(CONFIG, line_of(CONFIG, "  pdf: !ENV"), "!ENV may only read EDITION_PDF", "extra.pdf"),
    ),
    Attack(
        "!relative tag",
        replace(CONFIG, "docs_dir: docs", "docs_dir: !relative $config_dir"),
        Refused(CONFIG, line_of(CONFIG, "docs_dir:"), "the tag !relative is not allowed", "docs_dir"),
    ),
    Attack(
        "YAML anchor and alias",
        lambda p: (replace(CONFIG, "hooks:\n", "hooks: &hooks\n")(p), append(CONFIG, "not_in_use: *hooks\n")(p)),
        Refused(CONFIG, line_of(CONFIG, "hooks: &hooks"), "YAML anchor &hooks"),
    ),
    Attack(
        "merge key",
        replace(CONFIG, "extra:\n", "extra:\n  <<: {pdf: true}\n"),
        Refused(CONFIG, line_of(CONFIG, "  <<:"), "merge keys (<<) are not allowed", "extra"),
    ),
    Attack(
        "a second hooks: key empties the list",
        append(CONFIG, "hooks: []\n"),
        Refused(CONFIG, line_of(CONFIG, "hooks: []"), "duplicate key: already set at line", "hooks"),
    ),
    Attack(
        "INHERIT another settings file",
        lambda p: (p / CONFIG).write_text("INHERIT: ../elsewhere.yml\n" + read(p, CONFIG), encoding="utf-8"),
        Refused(CONFIG, 1, "may not inherit another file", "INHERIT"),
    ),
    Attack(
        "invalid YAML",
        replace(CONFIG, "strict: true", "strict: true\n\tbad: x"),
        Refused(CONFIG, line_of(CONFIG, "\tbad: x"), "not valid YAML"),
    ),
    Attack(
        "a second YAML document",
        append(CONFIG, "---\nhooks: []\n"),
        Refused(CONFIG, line_of(CONFIG, "---"), "not one YAML document"),
    ),
    Attack(
        "pymdownx.snippets",
        replace(CONFIG, "  - pymdownx.details", "  - pymdownx.snippets\n  - pymdownx.details"),
        Refused(
            CONFIG,
            line_of(CONFIG, "pymdownx.snippets"),
            "includes other files into pages",
            "markdown_extensions.pymdownx.snippets",
        ),
    ),
    Attack(
        "pymdownx.snippets with a base path at the root",
        replace(CONFIG, "  - pymdownx.details", "  - pymdownx.snippets:\n      base_path: [/]\n  - pymdownx.details"),
        Refused(
            CONFIG, line_of(CONFIG, "pymdownx.snippets"), "could be published", "markdown_extensions.pymdownx.snippets"
        ),
    ),
    Attack(
        "markdown_include",
        replace(CONFIG, "  - pymdownx.details", "  - markdown_include.include\n  - pymdownx.details"),
        Refused(
            CONFIG,
            line_of(CONFIG, "markdown_include"),
            "includes other files into pages",
            "markdown_extensions.markdown_include.include",
        ),
    ),
    Attack(
        "pymdownx.b64 embeds local files",
        replace(CONFIG, "  - pymdownx.details", "  - pymdownx.b64\n  - pymdownx.details"),
        Refused(CONFIG, line_of(CONFIG, "pymdownx.b64"), "embeds files from disk into pages"),
    ),
    Attack(
        "an extension the edition has not reviewed",
        replace(CONFIG, "  - pymdownx.details", "  - mdx_truly_sane_lists\n  - pymdownx.details"),
        Refused(
            CONFIG, line_of(CONFIG, "mdx_truly_sane_lists"), "not one of the Markdown extensions this edition allows"
        ),
    ),
    Attack(
        "the macros plugin",
        replace(CONFIG, "  - bibtex:", "  - macros\n  - bibtex:"),
        Refused(CONFIG, line_of(CONFIG, "  - macros"), "runs Python modules and Jinja includes", "plugins.macros"),
    ),
    Attack(
        "the include-markdown plugin",
        replace(CONFIG, "  - bibtex:", "  - include-markdown\n  - bibtex:"),
        Refused(
            CONFIG, line_of(CONFIG, "include-markdown"), "includes other files into pages", "plugins.include-markdown"
        ),
    ),
    Attack(
        "Material's privacy plugin downloads during the build",
        replace(CONFIG, "  - bibtex:", "  - material/privacy\n  - bibtex:"),
        Refused(CONFIG, line_of(CONFIG, "material/privacy"), "downloads files from other hosts"),
    ),
    Attack(
        "search plugin removed",
        remove_plugin("search"),
        Refused(CONFIG, line_of(CONFIG, "plugins:"), "the search plugin is missing", "plugins"),
    ),
    Attack(
        "bibtex renders its own notes",
        replace(CONFIG, "bib_by_default: false", "bib_by_default: true"),
        Refused(CONFIG, line_of(CONFIG, "bib_by_default"), "must be false", "plugins.bibtex.bib_by_default"),
    ),
    Attack(
        "hooks: removed entirely",
        lambda p: (p / CONFIG).write_text(re.sub(r"\nhooks:\n(?:  - .*\n)+", "\n", read(p, CONFIG)), encoding="utf-8"),
        Refused(CONFIG, None, "hooks/book.py is not listed", "hooks"),
    ),
    Attack(
        "an unknown hook added",
        replace(CONFIG, "  - hooks/data_exports.py", f"  - hooks/data_exports.py\n  - {EVIL_HOOK}"),
        Refused(CONFIG, line_of(CONFIG, EVIL_HOOK), f"{EVIL_HOOK} is not one of the edition's hooks", "hooks"),
    ),
    Attack(
        "a hook listed twice under another spelling",
        replace(CONFIG, "  - hooks/data_exports.py", "  - hooks/data_exports.py\n  - ./hooks//citations.py"),
        Refused(CONFIG, line_of(CONFIG, "./hooks//citations.py"), "hooks/citations.py is listed twice", "hooks"),
    ),
    Attack(
        "web fonts from Google",
        replace(CONFIG, "  font: false", "  font:\n    text: Noto Serif SC"),
        Refused(CONFIG, line_of(CONFIG, "    text: Noto"), "Material would load Google Fonts", "theme.font"),
    ),
    Attack(
        "the theme's tooltips for every title switched on",
        replace(
            CONFIG, "    - content.footnote.tooltips\n", "    - content.footnote.tooltips\n    - content.tooltips\n"
        ),
        Refused(CONFIG, line_of(CONFIG, "    - content.tooltips"), "content.tooltips is listed", "theme.features"),
    ),
    Attack(
        "templates from elsewhere",
        replace(CONFIG, "custom_dir: overrides", "custom_dir: /etc"),
        Refused(CONFIG, line_of(CONFIG, "custom_dir:"), "must be overrides", "theme.custom_dir"),
    ),
    Attack(
        "!ENV at repo_url reads a secret",
        replace(CONFIG, '!ENV [EDITION_REPO_URL, ""]', '!ENV [GITHUB_TOKEN, ""]'),
        Refused(CONFIG, line_of(CONFIG, "repo_url:"), "!ENV may only read EDITION_REPO_URL", "repo_url"),
    ),
    Attack(
        "!ENV at site_url with a second variable as its fallback",
        replace(CONFIG, '!ENV [EDITION_SITE_URL, ""]', '!ENV [EDITION_SITE_URL, GITHUB_TOKEN, ""]'),
        Refused(CONFIG, line_of(CONFIG, "site_url:"), "!ENV may only read EDITION_SITE_URL", "site_url"),
    ),
    Attack(
        "analytics",
        replace(CONFIG, "extra:\n", "extra:\n  analytics:\n    provider: google\n    property: G-XXXX\n"),
        Refused(CONFIG, line_of(CONFIG, "    provider: google"), "load a script from another host", "extra.analytics"),
    ),
    Attack(
        "a script from a CDN in extra_javascript",
        replace(CONFIG, "  - path: javascripts/paragraphs.js", "  - path: https://cdn.example/paragraphs.js"),
        Refused(CONFIG, line_of(CONFIG, "cdn.example"), "is loaded from another host", "extra_javascript"),
    ),
    Attack(
        "a stylesheet from a CDN in extra_css, scheme-relative",
        replace(CONFIG, "  - stylesheets/reader.css", "  - //cdn.example/reader.css"),
        Refused(CONFIG, line_of(CONFIG, "cdn.example"), "is loaded from another host", "extra_css"),
    ),
    Attack(
        "pages from outside the book",
        replace(CONFIG, "docs_dir: docs", "docs_dir: /"),
        Refused(CONFIG, line_of(CONFIG, "docs_dir:"), "must be docs", "docs_dir"),
    ),
    Attack(
        "strict mode off",
        replace(CONFIG, "strict: true", "strict: false"),
        Refused(CONFIG, line_of(CONFIG, "strict:"), "must be true", "strict"),
    ),
]
# Each hook of the edition, left out of hooks: (hooks/book.py comes with the lead's rewrite: removing a line
# that is not there yet leaves the file as it is, and it must be named all the same).
HOOK_ATTACKS = [
    Attack(
        f"{hook} missing from hooks:",
        _without_hook(hook),
        Refused(
            CONFIG,
            line_of(CONFIG, "hooks:"),
            f"{hook} is not listed; without it the build would skip its work in silence",
            "hooks",
        ),
    )
    for hook in EDITION_HOOKS
]


@pytest.mark.parametrize("attack", SETTINGS_ATTACKS + HOOK_ATTACKS, ids=str)
def test_mkdocs_yml_attack_is_refused_with_its_line(settings_copy: Path, attack: Attack) -> None:
    assert_settings_refused(settings_copy, attack)


EN = "mkdocs.en.yml"
ENGLISH_SETTINGS_ATTACKS = [
    Attack(
        "a Python tag in the English settings",
        replace(EN, "site_name: ", 'site_name: !!python/object/apply:os.system ["true"]\nx_: '),
        Refused(EN, line_of(EN, "site_name:"), "the tag !!python/object/apply:os.system is not allowed", "site_name"),
    ),
    Attack(
        "hooks set in the English settings",
        append(EN, "hooks: []\n"),
        Refused(EN, line_of(EN, "hooks: []"), "not an English-site setting", "hooks"),
    ),
    Attack(
        "a plugin switched off by the English settings",
        append(EN, "plugins: []\n"),
        Refused(EN, line_of(EN, "plugins: []"), "not an English-site setting", "plugins"),
    ),
    Attack(
        "theme fonts from Google in the English settings",
        replace(EN, "  language: en\n", "  language: en\n  font:\n    text: Roboto\n"),
        Refused(EN, line_of(EN, "  font:"), "not an English-site setting", "theme.font"),
    ),
    Attack(
        "the English settings inherit another file",
        replace(EN, "INHERIT: mkdocs.yml", "INHERIT: ../elsewhere.yml"),
        Refused(EN, line_of(EN, "INHERIT:"), "must be mkdocs.yml", "INHERIT"),
    ),
    Attack(
        "the English site in French",
        replace(EN, "  language: en\n", "  language: fr\n"),
        Refused(EN, line_of(EN, "  language: fr"), "must be en", "theme.language"),
    ),
    Attack(
        "a chapter left out of the English nav",
        remove(EN, "  - Glossary: glossary.md\n"),
        Refused(EN, line_of(EN, "nav:"), "must list the pages of mkdocs.yml's nav, in its order", "nav"),
    ),
    Attack(
        "a language switch to another host",
        replace(EN, "      link: ../\n", "      link: https://example.org/\n"),
        Refused(EN, line_of(EN, "      link: https://example.org/"), "a site of this edition", "extra.alternate"),
    ),
    Attack(
        "a language switch that runs a script, in mkdocs.yml",
        replace(CONFIG, "      link: en/\n", "      link: javascript:alert(1)\n"),
        Refused(
            CONFIG, line_of(CONFIG, "      link: javascript:alert(1)"), "a site of this edition", "extra.alternate"
        ),
    ),
]


ENGLISH_SETTINGS_ATTACKS += [
    Attack(
        "a language switch that climbs above the site",
        replace(EN, "      link: ../\n", "      link: ../../../../\n"),
        Refused(EN, line_of(EN, "      link: ../../../../"), "a site of this edition", "extra.alternate"),
    ),
    Attack(
        "a language tag that breaks out of its attribute",
        replace(EN, "      lang: zh-Hans\n", "      lang: 'zh-Hans\" style=\"position:fixed'\n"),
        Refused(EN, line_of(EN, "      lang: 'zh-Hans"), "lang must be a language tag", "extra.alternate"),
    ),
    Attack(
        "a stylesheet in the English copyright line",
        replace(EN, 'copyright: "', 'copyright: "<style>.md-content{display:none}</style>'),
        Refused(EN, line_of(EN, "copyright:"), "which the theme would print as HTML", "copyright"),
    ),
    Attack(
        "markup in an English nav title",
        replace(EN, "  - Glossary: glossary.md", "  - <i>Glossary</i>: glossary.md"),
        Refused(EN, line_of(EN, "  - <i>Glossary</i>"), "which the theme would print as HTML", "nav"),
    ),
    Attack(
        "a nav entry that leads to another host",
        replace(EN, "  - Glossary: glossary.md", "  - Glossary: glossary.md\n  - Log in: //evil.example/login"),
        Refused(EN, line_of(EN, "  - Log in:"), "is not a page", "nav"),
    ),
    Attack(
        "a quote in a palette label of mkdocs.yml",
        replace(CONFIG, "        name: 切换到深色模式", "        name: '深色\" onclick=\"x'"),
        Refused(CONFIG, line_of(CONFIG, "        name: '深色"), "which the theme would print as HTML", None),
    ),
]


@pytest.mark.parametrize("attack", ENGLISH_SETTINGS_ATTACKS, ids=str)
def test_an_english_settings_attack_is_refused_with_its_line(settings_copy: Path, attack: Attack) -> None:
    shutil.copy2(ROOT / EN, settings_copy / EN)
    assert_settings_refused(settings_copy, attack)


def test_the_english_settings_pass_as_they_are(settings_copy: Path) -> None:
    shutil.copy2(ROOT / EN, settings_copy / EN)
    assert settings_file_problems(settings_copy) == []


def test_reading_the_settings_runs_no_tag(settings_copy: Path) -> None:
    """Composing the nodes never constructs them: the planted command does not run."""
    witness = settings_copy / "PWNED"
    config = settings_copy / CONFIG
    config.write_text(
        read(settings_copy, CONFIG).replace(
            "site_author: 吴心伯", f'site_author: !!python/object/apply:os.system ["touch {witness}"]'
        ),
        encoding="utf-8",
    )
    problems = settings_file_problems(settings_copy)
    assert any("os.system" in p.message and p.line == line_of(CONFIG, "site_author:")(settings_copy) for p in problems)
    assert not witness.exists()


def fresh_process(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": path},
        check=False,
    )


def test_the_settings_command_refuses_before_mkdocs_would_run_the_tag(settings_copy: Path) -> None:
    """`python -m edition.settings`, as CI and the deploy run it before anything loads mkdocs.yml."""
    witness = settings_copy / "PWNED"
    replace(CONFIG, "site_author: 吴心伯", f'site_author: !!python/object/apply:os.system ["touch {witness}"]')(
        settings_copy
    )
    result = fresh_process("-m", "edition.settings", str(settings_copy))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = line_of(CONFIG, "site_author:")(settings_copy)
    assert f"mkdocs.yml:{line}: site_author: the tag !!python/object/apply:os.system {PYTHON}" in result.stderr
    assert not witness.exists()


def test_an_alias_bomb_is_refused_at_once(settings_copy: Path) -> None:
    bomb = "bomb0: &a0 [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"bomb{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 12)
    )
    (settings_copy / CONFIG).write_text(read(settings_copy, CONFIG) + bomb, encoding="utf-8")
    started = time.monotonic()
    problems = settings_file_problems(settings_copy)
    assert time.monotonic() - started < 2
    first = len(read(settings_copy, CONFIG).split("\n")) - 12
    assert (
        Problem(
            CONFIG,
            first,
            None,
            "YAML anchor &a0: anchors are not allowed in mkdocs.yml; remove it and write values out",
        )
        in problems
    )


@pytest.mark.parametrize("depth", [30, 50_000])
def test_deep_nesting_is_refused_without_a_traceback(settings_copy: Path, depth: int) -> None:
    append(CONFIG, "deep: " + "[" * depth + "]" * depth + "\n")(settings_copy)
    problems = settings_file_problems(settings_copy)
    # Within libyaml's own limit the rules say how deep is too deep; beyond it, libyaml stops first.
    expected = (
        "nested more than 24 levels deep; mkdocs.yml needs a handful; flatten it"
        if depth < 1000
        else "not valid YAML (exceeded maximum nesting depth); fix the syntax at this line"
    )
    assert [(p.line, p.message) for p in problems] == [(line_of(CONFIG, "deep: ")(settings_copy), expected)]


def test_an_oversized_settings_file_is_refused(settings_copy: Path) -> None:
    append(CONFIG, "# " + "x" * 300_000 + "\n")(settings_copy)
    assert [p.message.split(";")[0] for p in settings_file_problems(settings_copy)] == ["larger than 256 KB"]


def test_a_symlinked_settings_file_is_refused(settings_copy: Path) -> None:
    (settings_copy / "elsewhere.yml").write_text(read(settings_copy, CONFIG), encoding="utf-8")
    (settings_copy / CONFIG).unlink()
    (settings_copy / CONFIG).symlink_to(settings_copy / "elsewhere.yml")
    assert settings_file_problems(settings_copy) == [
        Problem(CONFIG, None, None, "is a symbolic link; the settings must be the project's own file")
    ]


def test_every_hook_removed_is_named_each_at_the_hooks_line(settings_copy: Path) -> None:
    config = settings_copy / CONFIG
    text = read(settings_copy, CONFIG)
    for hook in EDITION_HOOKS:
        text = text.replace(f"  - {hook}\n", "")
    config.write_text(text, encoding="utf-8")
    problems = settings_file_problems(settings_copy)
    named = [p for p in problems if p.key == "hooks" and "is not listed" in p.message]
    assert [p.message.split(" ")[0] for p in named] == list(EDITION_HOOKS)
    assert {p.line for p in named} == {line_of(CONFIG, "hooks:")(settings_copy)}


def test_missing_hooks_reads_spellings_as_mkdocs_does() -> None:
    others = [h for h in EDITION_HOOKS if h not in {"hooks/book.py", "hooks/data_exports.py", "hooks/citations.py"}]
    assert missing_hooks(["./hooks/data_exports.py", "hooks//citations.py", *others]) == ["hooks/book.py"]
    assert missing_hooks([]) == list(EDITION_HOOKS)


def test_the_real_settings_pass_every_rule() -> None:
    assert settings_problems((ROOT / CONFIG).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "attack",
    [
        a
        for a in SETTINGS_ATTACKS
        if a.name
        in {"python tag os.system as a setting's value", "pymdownx.snippets", "a second hooks: key empties the list"}
    ],
    ids=str,
)
def test_make_check_refuses_the_settings_attacks(project_copy: Path, attack: Attack) -> None:
    from attacks import run_checks

    attack.plant(project_copy)
    assert matching(run_checks(project_copy), attack.expect, project_copy)


# -- pages and stylesheets that load from another host ------------------------------------------------------

PAGE = (
    '<!doctype html>\n<html lang="zh-Hans">\n<head><meta charset="utf-8"><title>t</title></head>\n'
    "<body><article>\n{}\n</article></body>\n</html>\n"
)
LOADS = "loads from another host (cdn.example)"
# (name, kind, what is planted, line, key, what the problem says)
LOAD_ATTACKS = [
    ("unquoted script src", "html", "<script src=https://cdn.example/lib.js></script>", 5, "<script src>", LOADS),
    (
        "upper-case scheme-relative script",
        "html",
        "<SCRIPT SRC=//cdn.example/lib.js></SCRIPT>",
        5,
        "<script src>",
        LOADS,
    ),
    ("single-quoted img src", "html", "<img alt=x src='https://cdn.example/a.png'>", 5, "<img src>", LOADS),
    (
        "srcset with a remote second candidate",
        "html",
        '<img alt=x src=a.png srcset="a.png 1x, https://cdn.example/b.png 2x">',
        5,
        "<img srcset>",
        LOADS,
    ),
    (
        "srcset candidates without spaces",
        "html",
        '<img alt=x src=a.png srcset="a.png 1x,//cdn.example/b.png 2x">',
        5,
        "<img srcset>",
        LOADS,
    ),
    (
        "picture source srcset",
        "html",
        "<picture><source srcset=https://cdn.example/c.webp><img alt=x src=c.png></picture>",
        5,
        "<source srcset>",
        LOADS,
    ),
    ("object data scheme-relative", "html", "<object data=//cdn.example/x.svg></object>", 5, "<object data>", LOADS),
    ("embed", "html", '<embed src="https://cdn.example/x.swf">', 5, "<embed src>", LOADS),
    ("iframe", "html", "<iframe src=https://cdn.example/frame title=x></iframe>", 5, "<iframe src>", LOADS),
    ("video poster", "html", "<video poster=https://cdn.example/p.jpg src=v.mp4></video>", 5, "<video poster>", LOADS),
    ("entity-encoded colon", "html", '<img alt=x src="https&#58;//cdn.example/a.png">', 5, "<img src>", LOADS),
    ("named entity colon, unquoted", "html", "<img alt=x src=https&colon;//cdn.example/a.png>", 5, "<img src>", LOADS),
    ("hex-encoded slashes", "html", "<img alt=x src=&#x2F;&#x2f;cdn.example/a.png>", 5, "<img src>", LOADS),
    ("tab inside the scheme", "html", '<img alt=x src="ht&#9;tps://cdn.example/a.png">', 5, "<img src>", LOADS),
    ("backslashes for slashes", "html", r'<script src="\\cdn.example\lib.js"></script>', 5, "<script src>", LOADS),
    ("attribute on the next line", "html", "<img alt=x\nsrc=//cdn.example/a.png>", 5, "<img src>", LOADS),
    ("slash between tag and attribute", "html", "<img/src=//cdn.example/a.png>", 5, "<img src>", LOADS),
    (
        "Google Fonts stylesheet",
        "html",
        "<link rel=stylesheet href=https://cdn.example/css?family=Noto>",
        5,
        "<link rel=stylesheet href>",
        LOADS,
    ),
    (
        "alternate stylesheet",
        "html",
        '<link rel="alternate stylesheet" href=//cdn.example/x.css>',
        5,
        "<link rel=alternate stylesheet href>",
        LOADS,
    ),
    (
        "preloaded font",
        "html",
        "<link rel=preload as=font href=//cdn.example/f.woff2>",
        5,
        "<link rel=preload href>",
        LOADS,
    ),
    ("icon", "html", "<link rel=icon href=https://cdn.example/favicon.ico>", 5, "<link rel=icon href>", LOADS),
    ("manifest", "html", "<link rel=manifest href=https://cdn.example/m.json>", 5, "<link rel=manifest href>", LOADS),
    ("preconnect", "html", "<link rel=preconnect href=https://cdn.example>", 5, "<link rel=preconnect href>", LOADS),
    ("base href", "html", "<base href=https://cdn.example/>", 5, "<base href>", LOADS),
    ("svg use", "html", '<svg><use href="https://cdn.example/s.svg#i"/></svg>', 5, "<use href>", LOADS),
    (
        "svg image xlink:href",
        "html",
        "<svg><image xlink:href=//cdn.example/i.png /></svg>",
        5,
        "<image xlink:href>",
        LOADS,
    ),
    ("inline style url()", "html", '<p style="background:url(//cdn.example/bg.png)">x</p>', 5, "url()", LOADS),
    (
        "style element @import",
        "html",
        "<style>\n@import url(https://cdn.example/a.css);\n</style>",
        6,
        "@import",
        LOADS,
    ),
    (
        "entity-encoded @import in an SVG style",
        "html",
        "<svg><style>@import url(https&#58;//cdn.example/a.css);</style></svg>",
        5,
        "@import",
        LOADS,
    ),
    (
        "iframe srcdoc",
        "html",
        '<iframe title=x srcdoc="&lt;script src=//cdn.example/x.js&gt;&lt;/script&gt;"></iframe>',
        5,
        "<iframe srcdoc> <script src>",
        LOADS,
    ),
    (
        "form posts elsewhere",
        "html",
        "<form action=https://cdn.example/collect><input name=q></form>",
        5,
        "<form action>",
        "sends readers' input to another host (cdn.example)",
    ),
    (
        "button formaction",
        "html",
        "<form><button formaction=//cdn.example/c>x</button></form>",
        5,
        "<button formaction>",
        "sends readers' input to another host (cdn.example)",
    ),
    (
        "link ping",
        "html",
        '<a href="#x" ping="https://cdn.example/track">x</a>',
        5,
        "<a ping>",
        "reports readers' clicks to another host (cdn.example)",
    ),
    (
        "meta refresh",
        "html",
        '<meta http-equiv="refresh" content="0; URL=https://cdn.example/">',
        5,
        "<meta http-equiv=refresh>",
        "sends readers away to another host (cdn.example)",
    ),
    (
        "javascript in a src",
        "html",
        "<iframe title=x src=javascript:alert(1)></iframe>",
        5,
        "<iframe src>",
        "loads from 'javascript:alert(1)', which is not a file of the site",
    ),
    (
        "a comment a browser closes early",
        "html",
        "<!--><script src=//cdn.example/x.js></script>-->",
        5,
        "<!-->",
        "markup that browsers and the checker's tokenizer read differently",
    ),
    (
        "CDATA the tokenizer would swallow",
        "html",
        "<![CDATA[><script src=//cdn.example/x.js></script>]]>",
        5,
        "<![",
        "markup that browsers and the checker's tokenizer read differently",
    ),
    ("css @import url()", "css", "body { color: red }\n@import url(https://cdn.example/a.css);\n", 2, "@import", LOADS),
    ("css @import string", "css", '@import "//cdn.example/a.css" screen;\n', 1, "@import", LOADS),
    (
        "css url() scheme-relative in an extra_css file",
        "css",
        ".x {\n  background: url(//cdn.example/bg.png);\n}\n",
        2,
        "url()",
        LOADS,
    ),
    (
        "css url() quoted, escaped colon",
        "css",
        '.x { background: url("https\\3a //cdn.example/bg.png") }',
        1,
        "url()",
        LOADS,
    ),
    (
        "css url() written with an escaped u",
        "css",
        ".x { background: \\75 rl(//cdn.example/bg.png) }",
        1,
        "url()",
        LOADS,
    ),
    (
        "css font-face src",
        "css",
        '@font-face {\n  font-family: X;\n  src: url(https://cdn.example/f.woff2) format("woff2");\n}\n',
        3,
        "url()",
        LOADS,
    ),
    ("css image()", "css", '.x { background-image: image("https://cdn.example/a.png") }', 1, "image()", LOADS),
    (
        "css hidden in a rule the parser drops",
        "css",
        "<![CDATA[ .x { background: url(//cdn.example/a.png) } ]]>",
        1,
        "url()",
        LOADS,
    ),
    ("svg fill url()", "html", '<svg><rect fill="url(https://cdn.example/g.svg#a)"/></svg>', 5, "url()", LOADS),
    (
        "an SVG file's CDATA-wrapped style",
        "svg",
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><style><![CDATA[\n'
            ".a { fill: url(//cdn.example/p.svg#g) }\n]]></style></svg>"
        ),
        2,
        "url()",
        LOADS,
    ),
    (
        "the theme's repository widget, which asks GitHub's API",
        "html",
        '<a href="https://github.com/o/r" class="md-source" data-md-component="source">o/r</a>',
        5,
        "<a data-md-component=source>",
        "(api.github.com)",
    ),
    (
        "css image-set",
        "css",
        '.x { background-image: image-set("https://cdn.example/a.png" 1x) }',
        1,
        "image-set()",
        LOADS,
    ),
]


@pytest.mark.parametrize(
    ("name", "kind", "planted", "line", "key", "message"), LOAD_ATTACKS, ids=[a[0] for a in LOAD_ATTACKS]
)
def test_a_load_from_another_host_is_refused(
    name: str, kind: str, planted: str, line: int, key: str, message: str
) -> None:
    text = PAGE.format(planted) if kind == "html" else planted  # css and svg files as they are
    # The loads only: the same pass also refuses what runs script (tests/test_attacks_active.py), without a key.
    problems = [p for p in third_party_problems(f"site/x.{kind}", text, kind) if p.key is not None]
    assert [(p.file, p.line, p.key) for p in problems] == [(f"site/x.{kind}", line, key)], problems
    assert message in problems[0].message


ALLOWED = [
    ("a link to a cited source", '<a href="https://www.mfa.gov.cn/web/t.shtml">外交部</a>'),
    ("a link without quotes", "<a href=https://example.org/>x</a>"),
    ("a canonical link", '<link rel="canonical" href="https://example.org/book/">'),
    ("an image map area", '<map name=m><area alt=x href="https://example.org/"></map>'),
    ("a data: image", '<img alt=x src="data:image/png;base64,iVBORw0KGgo=">'),
    ("relative files", '<link rel=stylesheet href="../stylesheets/edition.css"><script src="../x.js"></script>'),
    ("an in-page svg reference", '<svg><use href="#icon"/></svg>'),
    ("an address as text", "<p>src=https://cdn.example/lib.js</p>"),
    ("a percent-encoded path stays on the site", '<img alt=x src="%2F%2Fcdn.example/a.png">'),
]


@pytest.mark.parametrize(("name", "planted"), ALLOWED, ids=[a[0] for a in ALLOWED])
def test_links_and_local_files_are_not_loads(name: str, planted: str) -> None:
    assert third_party_problems("site/x.html", PAGE.format(planted), "html") == []


def test_a_css_namespace_is_a_name_not_a_load() -> None:
    assert third_party_problems("x.css", "@namespace svg url(http://www.w3.org/2000/svg);\n", "css") == []


def test_the_sites_own_origin_may_be_named() -> None:
    page = PAGE.format('<img alt=x src="https://edition.example/book/a.png">')
    assert third_party_problems("x.html", page, "html", own_origins=("https://edition.example",)) == []
    assert outside_site("https://edition.example.evil/a.png", ("https://edition.example",))


def test_a_hostile_page_is_read_in_linear_time() -> None:
    page = PAGE.format("<img " + "src=" * 20_000 + "> " + "[" * 50_000 + "url(" * 20_000)
    started = time.monotonic()
    third_party_problems("x.html", page, "html")
    third_party_problems("x.css", "a{b:" + "url(" * 50_000 + "}" + "(" * 50_000, "css")
    assert time.monotonic() - started < 5


def test_the_canary_command_stops_a_site_that_loads_from_another_host(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = stamped_copy(site, tmp_path)
    css = copy / "stylesheets" / "reader.css"
    css.write_text(
        css.read_text(encoding="utf-8") + "\n.x { background: url(//cdn.example/bg.png) }\n", encoding="utf-8"
    )
    assert canary_main([str(copy), str(ROOT)]) == 1
    err = capsys.readouterr().err
    assert f"{copy.as_posix()}/stylesheets/reader.css:" in err and "(cdn.example)" in err
    assert "1 fetch(es) from other hosts; do not publish this build." in err


def test_a_script_planted_in_the_theme_is_caught_in_the_built_site(project_copy: Path, tmp_path: Path) -> None:
    """A template override is read by no check of the inputs: the built page is, by the canary's command."""
    replace(
        "overrides/main.html", "{{ super() }}\n", "{{ super() }}\n  <script src=https://cdn.example/lib.js></script>\n"
    )(project_copy)
    site_dir = tmp_path / "site"
    try:
        build_site(project_copy, site_dir)
    except BuildFailed as failed:  # once the build runs the check itself (the lead's hooks)
        assert "cdn.example" in str(failed)
        return
    problems = [p for p in site_third_party_problems(site_dir) if p.file.endswith("/chapter-1/index.html")]
    assert [(p.key, "cdn.example" in p.message) for p in problems] == [("<script src>", True)]
    page = (site_dir / "chapter-1" / "index.html").read_text(encoding="utf-8").split("\n")
    line = problems[0].line
    assert line is not None and "cdn.example" in page[line - 1]


def test_the_build_itself_refuses_a_page_that_loads_from_another_host(project_copy: Path, tmp_path: Path) -> None:
    replace(
        "overrides/main.html", "{{ super() }}\n", "{{ super() }}\n  <script src=https://cdn.example/lib.js></script>\n"
    )(project_copy)
    with pytest.raises(BuildFailed, match=r"cdn\.example"):
        build_site(project_copy, tmp_path / "site")


def test_a_page_changed_after_its_check_is_checked_again_at_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build checks each page as it is written and the whole site at the end, skipping pages already found
    clean; a page whose file no longer holds the text checked (a later plugin rewrote it) is not skipped."""
    site_dir = tmp_path / "site"
    page = site_dir / "chapter-1" / "index.html"
    page.parent.mkdir(parents=True)
    clean = "<!doctype html><html><head><title>x</title></head><body><p>text</p></body></html>"
    planted = clean.replace("</head>", "<script src=https://cdn.example/lib.js></script></head>")
    known = ResultCache(tmp_path / "cache.json", checker_version())
    assert checked_problems("site/chapter-1/index.html", clean, "html", known=known) == []  # as it was written
    page.write_text(planted, encoding="utf-8")
    problems = site_third_party_problems(site_dir, known=known)
    assert [(Path(p.file).name, p.key) for p in problems] == [("index.html", "<script src>")]
    # The file still as checked is not parsed again.
    page.write_text(clean, encoding="utf-8")
    with monkeypatch.context() as patched:
        patched.setattr(third_party, "third_party_problems", lambda *_a, **_k: pytest.fail("parsed again"))
        assert site_third_party_problems(site_dir, known=known) == []
    # And a page nobody checked is always checked.
    page.write_text(planted, encoding="utf-8")
    assert len(site_third_party_problems(site_dir, known=ResultCache(tmp_path / "none.json", "v"))) == 1


def test_an_import_planted_in_an_extra_css_file_is_caught(project_copy: Path, tmp_path: Path) -> None:
    css = project_copy / "docs" / "stylesheets" / "edition.css"
    css.write_text(
        '@import url("https://cdn.example/fonts.css");\n' + css.read_text(encoding="utf-8"), encoding="utf-8"
    )
    site_dir = tmp_path / "site"
    try:
        build_site(project_copy, site_dir)
    except BuildFailed as failed:
        assert "cdn.example" in str(failed)
        return
    assert [(Path(p.file).name, p.line, p.key) for p in site_third_party_problems(site_dir)] == [
        ("edition.css", 1, "@import")
    ]


# -- the canary: a hook whose mark is missing is named ------------------------------------------------------


def stamped_copy(site: Site, tmp_path: Path) -> Path:
    """A copy of the built site with the stamps the lead's hooks will add, so that every mark is there."""
    copy = tmp_path / "site"
    shutil.copytree(site.root, copy)
    for page in copy.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for hook in STAMPED_HOOKS:
            html = stamp(html, hook)
        page.write_text(html, encoding="utf-8")
    return copy


def hooks_named(problems: list[str]) -> set[str]:
    return {m.group(1) for p in problems for m in [re.search(r"; (hooks/\S+\.py) did not leave its mark", p)] if m}


def edit(relative: str, change: Callable[[str], str]) -> Callable[[Path], None]:
    def tamper(site: Path) -> None:
        path = site / relative
        path.write_text(change(path.read_text(encoding="utf-8")), encoding="utf-8")

    return tamper


def without_last_page_marker(page: str) -> str:
    """The page without the marker of the article's last printed page (data/article.yml), wherever it stands."""
    last = yaml.safe_load((ROOT / "data" / "article.yml").read_text(encoding="utf-8"))["last_page"]
    return re.sub(rf'<span class="edition-page" data-page="{last}"[^>]*></span>', "", page)


def split_term_in_index(site: Path) -> None:
    path = site / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index["docs"]:  # the text, and the title of the term's own entry (hooks/search_sections.py)
        for field in ("title", "text"):
            doc[field] = doc[field].replace("不可靠实体清单", "不可靠\u200b实体\u200b清单")
    path.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")


def uncorrect_worker(site: Path) -> None:
    (worker,) = (site / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    text = worker.read_text(encoding="utf-8")
    worker.write_text(CORRECTED_LOOP.sub(lambda m: m.group(0).replace("<=", "<"), text), encoding="utf-8")


def unanchor_search(site: Path) -> None:
    """The index as Material writes it alone: a chapter's paragraphs folded back into the chapter's document."""
    path = site / "search" / "search_index.json"
    index = json.loads(path.read_text(encoding="utf-8"))
    for doc in index["docs"]:
        doc["location"] = re.sub(r"^chapter-2/#p.*", "chapter-2/", doc["location"])
    path.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")


def unlink_terms(site: Path) -> None:
    for page in ("index.html", *(f"chapter-{n}/index.html" for n in range(1, 5))):
        edit(page, lambda html: html.replace('class="edition-term"', 'class="term"'))(site)


def unstamp(hook: str, page: str) -> Callable[[Path], None]:
    return edit(page, lambda html: html.replace(STAMP.format(hook=hook), ""))


TAMPERED = [
    ("hooks/book.py", "its stamp removed from the front page", unstamp("hooks/book.py", "index.html")),
    (
        "hooks/theme_cache.py",
        "its stamp removed from the glossary",
        unstamp("hooks/theme_cache.py", "glossary/index.html"),
    ),
    (
        "hooks/generated_pages.py",
        "a marker left in the references page",
        edit("references/index.html", lambda h: h.replace("</article>", "<!-- edition:references --></article>", 1)),
    ),
    (
        "hooks/citations.py",
        "citation syntax left in a paragraph",
        edit("chapter-1/index.html", lambda h: h.replace('<p id="p1-2">', '<p id="p1-2">[^xi-call] ', 1)),
    ),
    (
        "hooks/citations.py",
        "a chapter's notes not rendered",
        edit("chapter-3/index.html", lambda h: h.replace('<li id="fn:', '<li id="fx:')),
    ),
    (
        "hooks/paragraph_numbers.py",
        "one paragraph without its number",
        edit("chapter-3/index.html", lambda h: h.replace('class="edition-para-number"', 'class="n"', 1)),
    ),
    ("hooks/annotations.py", "annotations.jsonld not written", lambda s: (s / JSONLD).unlink()),
    (
        "hooks/annotations.py",
        "an annotation not marked in its paragraph",
        lambda s: [
            edit(f"chapter-{n}/index.html", lambda h: h.replace("data-annotation=", "data-x="))(s) for n in range(1, 5)
        ],
    ),
    (
        "hooks/theme_markup.py",
        "the 404 page's search dialog without a name",
        edit("404.html", lambda h: re.sub(r'(role="dialog"[^<>]*?) aria-label="[^"]*"', r"\1", h)),
    ),
    ("hooks/search_dictionary.py", "a glossary term cut into pieces in the search index", split_term_in_index),
    ("hooks/search_query.py", "Material's worker as shipped", uncorrect_worker),
    ("hooks/search_sections.py", "a chapter's paragraphs without results of their own", unanchor_search),
    ("hooks/glossary_terms.py", "no term linked in the article", unlink_terms),
    ("hooks/data_exports.py", "timeline.ics not written", lambda s: (s / "timeline.ics").unlink()),
    (
        "hooks/translation_views.py",
        "a chapter without its English",
        edit("chapter-2/index.html", lambda h: h.replace('class="edition-en"', 'class="x"')),
    ),
    (
        "hooks/print_pages.py",
        "no printed page marked in the article",
        lambda s: [
            edit(built_file(page), lambda h: h.replace('class="edition-page"', 'class="x"'))(s)
            for page in ARTICLE_PAGES
        ],
    ),
    (
        "hooks/print_pages.py",
        "the last printed page not marked",  # the others still follow one another: not enough to pass
        lambda s: [edit(built_file(page), without_last_page_marker)(s) for page in ARTICLE_PAGES],
    ),
]


@pytest.fixture(scope="module")
def clean_copy(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return stamped_copy(site, tmp_path_factory.mktemp("stamped"))


def test_the_stamped_site_shows_every_mark(clean_copy: Path) -> None:
    assert canary_problems(clean_copy, ROOT / "docs") == []


@pytest.mark.parametrize(("hook", "name", "tamper"), TAMPERED, ids=[f"{t[0]}: {t[1]}" for t in TAMPERED])
def test_a_missing_mark_names_its_hook(
    clean_copy: Path, tmp_path: Path, hook: str, name: str, tamper: Callable[[Path], None]
) -> None:
    copy = tmp_path / "site"
    shutil.copytree(clean_copy, copy)
    tamper(copy)
    assert hooks_named(canary_problems(copy, ROOT / "docs")) == {hook}


def test_every_hook_has_a_tampering_test() -> None:
    assert {hook for hook, _, _ in TAMPERED} == set(EDITION_HOOKS)


def test_the_mark_table_covers_exactly_the_edition_hooks() -> None:
    assert set(MARKS) == set(EDITION_HOOKS)
    assert len(EDITION_HOOKS) == len(set(EDITION_HOOKS))


def test_every_hook_file_is_an_edition_hook() -> None:
    assert sorted(f"hooks/{p.name}" for p in (ROOT / "hooks").glob("*.py")) == sorted(EDITION_HOOKS)


def test_a_stamp_is_placed_once_in_the_head() -> None:
    page = "<html><head><title>t</title></head><body></body></html>"
    once = stamp(page, "hooks/theme_cache.py")
    assert stamp(once, "hooks/theme_cache.py") == once
    assert once.index('<meta name="edition-hook" content="hooks/theme_cache.py">') < once.index("</head>")


def test_the_canary_reads_hostile_page_text_in_linear_time(clean_copy: Path, tmp_path: Path) -> None:
    copy = tmp_path / "site"
    shutil.copytree(clean_copy, copy)
    edit(
        "colophon/index.html",
        lambda h: h.replace("</article>", "[@" + "a" * 200_000 + " " + "<" * 100_000 + " [@key]</article>", 1),
    )(copy)
    started = time.monotonic()
    problems = canary_problems(copy, ROOT / "docs")
    assert time.monotonic() - started < 5
    assert hooks_named(problems) == {"hooks/citations.py"}  # the planted '[@…' reads as citation syntax left


def test_the_canary_command_in_a_fresh_process(clean_copy: Path) -> None:
    result = fresh_process("-m", "edition.outputs.canary", str(clean_copy), str(ROOT))
    assert (result.returncode, result.stderr) == (0, "")
