"""The edition's rules for mkdocs.yml, checked on its raw text before MkDocs reads it.

MkDocs reads mkdocs.yml with PyYAML's full loader: a ``!!python/object/apply:os.system`` tag runs
its command while the file is loaded, before any hook or check. So these rules read the text with
a safe pass that builds no Python object (YAML events, then a node graph, never constructed), and
``make check``, the build's first hook and CI run them before MkDocs loads the file.

What they hold mkdocs.yml to:

* no Python tag but the one slugify function of ``toc.slugify``, no ``!ENV`` but ``ENV_PLACES``', no
  other custom tag; no anchors, aliases, merge keys or duplicate keys (a second ``hooks:`` would
  silently replace the first); no ``INHERIT`` (settings from another file would escape these rules);
* no Markdown extension or plugin that includes files into pages (``pymdownx.snippets``, ``macros``…):
  only the extensions and plugins named here;
* every edition hook listed under ``hooks:`` (``EDITION_HOOKS``), and no other: a hook left out
  is work skipped in silence, a hook unknown here has no mark in the canary (edition/outputs/canary.py);
* the settings the hooks rely on: the bibtex plugin's options, the search plugin, not the theme's
  tooltips for every title (``THEME_FEATURES_OUT``), no web fonts and no script that fetches from another host.

    python -m edition.settings [PROJECT_DIR]     (default: .; needs only PyYAML, so CI runs it first)
"""

from __future__ import annotations

import posixpath
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Protocol

import yaml

from edition.problems import EditionError, Problem, read_text
from edition.records import LOADER
from edition.site.third_party import outside_site

SHOWN = "mkdocs.yml"
# The English site's settings: mkdocs.yml inherited, and these keys (with these keys under them) on top.
ENGLISH_SHOWN = "mkdocs.en.yml"
ENGLISH_KEYS: dict[str, frozenset[str]] = {
    "INHERIT": frozenset(),
    "site_name": frozenset(),
    "site_description": frozenset(),
    "copyright": frozenset(),
    "theme": frozenset({"language", "palette"}),
    "nav": frozenset(),
    "extra": frozenset({"edition_language", "alternate"}),
}
# The language switch's links: this site's root, the Chinese site's from the English one, the English site's.
ALTERNATE_LINKS = ("./", "../", "en/")
_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
# Strings the theme prints into its pages as HTML (MkDocs renders its templates without escaping).
_MARKUP_CHARACTERS = re.compile(r"[<>\"&]")
# Every hook of the edition; mkdocs.yml must list each one (edition/outputs/canary.py has a mark for each).
EDITION_HOOKS: tuple[str, ...] = (
    "hooks/book.py",
    "hooks/generated_pages.py",
    "hooks/citations.py",
    "hooks/paragraph_numbers.py",
    "hooks/annotations.py",
    "hooks/theme_markup.py",
    "hooks/theme_cache.py",
    "hooks/search_dictionary.py",
    "hooks/search_query.py",
    "hooks/search_sections.py",
    "hooks/glossary_terms.py",
    "hooks/data_exports.py",
    "hooks/translation_views.py",
    "hooks/print_pages.py",
)

MAX_BYTES = 256 * 1024  # mkdocs.yml is a few KB; more is not a settings file
MAX_DEPTH = 24  # nesting of the real file is 5
MAX_REPORTED = 20  # of one kind (anchors, tags…): enough to act on, bounded for a hostile file

_YAML = "tag:yaml.org,2002:"
CORE_TAGS = frozenset(_YAML + name for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp"))
SLUGIFY_TAG = _YAML + "python/object/apply:pymdownx.slugs.slugify"
SLUGIFY_OPTIONS = frozenset({"case", "percent_encode", "normalize"})
ENV_TAG = "!ENV"
# The settings an environment variable may give, and its name: `make pdf` sets EDITION_PDF; a deploy sets the
# addresses of the site and of its repository (a fork's own). No other variable reaches the pages.
ENV_PLACES: dict[tuple[str, ...], str] = {
    ("extra", "pdf"): "EDITION_PDF",
    ("site_url",): "EDITION_SITE_URL",
    ("repo_url",): "EDITION_REPO_URL",
    ("edit_uri",): "EDITION_EDIT_URI",
}
MERGE_TAG = _YAML + "merge"

# Python-Markdown's own extensions and pymdown-extensions' that read no file: named, so that a new one
# is reviewed. pymdownx.snippets (includes files) and pymdownx.b64 (embeds local image files) are not here.
MARKDOWN_BUILTINS = frozenset(
    {
        "abbr",
        "admonition",
        "attr_list",
        "codehilite",
        "def_list",
        "extra",
        "fenced_code",
        "footnotes",
        "legacy_attrs",
        "legacy_em",
        "md_in_html",
        "meta",
        "nl2br",
        "sane_lists",
        "smarty",
        "tables",
        "toc",
        "wikilinks",
    }
)
PYMDOWNX = frozenset(
    {
        "arithmatex",
        "betterem",
        "blocks.admonition",
        "blocks.details",
        "blocks.html",
        "blocks.definition",
        "blocks.tab",
        "caret",
        "critic",
        "details",
        "emoji",
        "escapeall",
        "extra",
        "fancylists",
        "highlight",
        "inlinehilite",
        "keys",
        "magiclink",
        "mark",
        "progressbar",
        "quotes",
        "saneheaders",
        "smartsymbols",
        "striphtml",
        "superfences",
        "tabbed",
        "tasklist",
        "tilde",
    }
)
MARKDOWN_EXTENSIONS = MARKDOWN_BUILTINS | {f"pymdownx.{name}" for name in PYMDOWNX}
REQUIRED_EXTENSIONS = ("footnotes", "attr_list", "toc")  # notes, paragraph ids {#p…}, Chinese anchors
FILE_INCLUDING = {
    "pymdownx.snippets": "includes other files into pages",
    "pymdownx.b64": "embeds files from disk into pages",
    "markdown_include": "includes other files into pages",
    "markdown_include.include": "includes other files into pages",
    "mdx_include": "includes other files (and URLs) into pages",
    "include-markdown": "includes other files into pages",
    "macros": "runs Python modules and Jinja includes named in pages",
    "mkdocs-simple-hooks": "runs Python code named in mkdocs.yml",
    "gen-files": "runs Python scripts that write pages",
    "monorepo": "includes other projects' docs into the site",
    "material/meta": "reads settings from .meta.yml files beside the pages",
    "material/privacy": "downloads files from other hosts during the build",
    "material/social": "downloads fonts from other hosts during the build",
}
PLUGINS = frozenset({"search", "material/search", "bibtex"})
BIBTEX_OPTIONS = (("bib_file", "refs.bib"), ("bib_by_default", False), ("enable_inline_citations", False))
# Theme features the edition leaves out, and why (each a problem when listed in theme.features).
THEME_FEATURES_OUT = MappingProxyType(
    {
        "content.tooltips": (
            "the theme would set up a tooltip for every element with a title as the page loads, which blocks a "
            "phone's main thread for a few hundred ms on the glossary and the chapters; javascripts/glossary-tap.js "
            "shows a term's gloss on hover, focus and tap: remove the line"
        ),
    }
)


# -- reading ------------------------------------------------------------------------------------------------


def _loader() -> type:
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Mark(Protocol):
    """A position in mkdocs.yml: PyYAML's Mark, or libyaml's."""

    line: int


def _line(node_or_mark: yaml.Node | _Mark | None) -> int | None:
    mark = node_or_mark.start_mark if isinstance(node_or_mark, yaml.Node) else node_or_mark
    return mark.line + 1 if mark is not None else None


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix(_YAML) if tag.startswith(_YAML) else tag


def _event_problems(text: str, shown: str) -> list[Problem]:
    """Anchors, aliases and nesting, from the event stream: linear, and nothing is built from an alias."""
    problems: list[Problem] = []
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_loader()):
            line = _line(event.start_mark)
            if isinstance(event, yaml.AliasEvent):
                problems.append(
                    Problem(
                        shown,
                        line,
                        None,
                        f"YAML alias *{event.anchor}: aliases are not allowed in "
                        "mkdocs.yml; write the value out where it is used",
                    )
                )
            elif isinstance(event, (yaml.ScalarEvent, yaml.CollectionStartEvent)) and event.anchor is not None:
                problems.append(
                    Problem(
                        shown,
                        line,
                        None,
                        f"YAML anchor &{event.anchor}: anchors are not allowed "
                        "in mkdocs.yml; remove it and write values out",
                    )
                )
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return [
                        *problems,
                        Problem(
                            shown,
                            line,
                            None,
                            f"nested more than {MAX_DEPTH} levels deep; mkdocs.yml needs a handful; flatten it",
                        ),
                    ]
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            if len(problems) >= MAX_REPORTED:
                break
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.append(Problem(shown, _line(mark), None, f"not valid YAML ({reason}); fix the syntax at this line"))
    return problems


def compose(text: str, shown: str = SHOWN) -> tuple[yaml.MappingNode | None, list[Problem]]:
    """mkdocs.yml's node graph, never constructed into Python objects, or the problems that stop reading it."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        return None, [
            Problem(
                shown,
                None,
                None,
                f"larger than {MAX_BYTES // 1024} KB; mkdocs.yml holds settings, "
                "not content: move content into docs/ or data/",
            )
        ]
    problems = _event_problems(text, shown)
    if problems:
        return None, problems
    try:
        root = yaml.compose(text, Loader=_loader())  # no alias, bounded depth: the events said so
    except yaml.YAMLError as error:  # e.g. two documents in one file
        mark = getattr(error, "problem_mark", None)
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        return None, [
            Problem(
                shown,
                _line(mark),
                None,
                f"not one YAML document ({reason}); mkdocs.yml is a "
                "single mapping: remove the extra '---' and what follows",
            )
        ]
    if root is None:
        return None, [Problem(shown, None, None, "empty; restore the edition's mkdocs.yml")]
    if not isinstance(root, yaml.MappingNode):
        return None, [Problem(shown, _line(root), None, "must be a mapping of settings (site_name: …, nav: …)")]
    return root, []


# -- a small view of the node graph ---------------------------------------------------------------------------


def _scalar(node: yaml.Node | None) -> str | None:
    return node.value if isinstance(node, yaml.ScalarNode) else None


def _truth(node: yaml.Node | None) -> bool | None:
    """A YAML 1.1 boolean (PyYAML's resolver: true/false, yes/no, on/off), else None."""
    if not isinstance(node, yaml.ScalarNode) or node.tag != _YAML + "bool":
        return None
    return node.value.lower() in {"true", "yes", "on", "y"}


def _pairs(node: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node]]:
    return list(node.value) if isinstance(node, yaml.MappingNode) else []


def _get(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The key and value, the last of duplicates as MkDocs takes it (a duplicate is reported as well)."""
    found = None
    for key_node, value in _pairs(node):
        if _scalar(key_node) == key:
            found = key_node, value
    return found


def _value(node: yaml.Node | None, *keys: str) -> yaml.Node | None:
    for key in keys:
        found = _get(node, key)
        if found is None:
            return None
        node = found[1]
    return node


def _named_items(node: yaml.Node | None) -> list[tuple[str, yaml.Node, yaml.Node | None]]:
    """(name, where, its options) of a list of names or one-key mappings, or of a mapping (MkDocs takes both)."""
    if isinstance(node, yaml.MappingNode):
        return [(_scalar(k) or "", k, v) for k, v in node.value]
    items: list[tuple[str, yaml.Node, yaml.Node | None]] = []
    for item in node.value if isinstance(node, yaml.SequenceNode) else []:
        if isinstance(item, yaml.MappingNode) and len(item.value) == 1:
            key, options = item.value[0]
            items.append((_scalar(key) or "", key, options))
        else:
            items.append((_scalar(item) or "", item, None))
    return items


# -- rules --------------------------------------------------------------------------------------------------


def _walk(node: yaml.Node, path: tuple[str, ...] = ()) -> Iterator[tuple[yaml.Node, tuple[str, ...]]]:
    """Every node with its path of mapping keys (list positions left out: 'markdown_extensions.toc.slugify')."""
    yield node, path
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _walk(item, path)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _walk(key, path)
            yield from _walk(value, (*path, _scalar(key) or "?"))


def _dotted(path: tuple[str, ...]) -> str | None:
    return ".".join(path) or None


def _is_slugify_place(path: tuple[str, ...]) -> bool:
    return (
        len(path) == 3
        and path[0] == "markdown_extensions"
        and path[1] in {"toc", "markdown.extensions.toc"}
        and path[2] == "slugify"
    )


def _slugify_problems(node: yaml.Node, shown: str, key: str | None) -> list[Problem]:
    options = _value(node, "kwds")
    keys = [_scalar(k) for k, _ in _pairs(node)]
    plain = all(isinstance(v, yaml.ScalarNode) for _, v in _pairs(options))
    if (
        keys == ["kwds"]
        and isinstance(options, yaml.MappingNode)
        and plain
        and {_scalar(k) for k, _ in _pairs(options)} <= SLUGIFY_OPTIONS
    ):
        return []
    return [
        Problem(
            shown,
            _line(node),
            key,
            "the slugify function takes only `kwds:` with plain values for "
            f"{', '.join(sorted(SLUGIFY_OPTIONS))}; write `kwds: {{case: lower}}`",
        )
    ]


@dataclass(frozen=True)
class Settings:
    """What the edition takes from mkdocs.yml: read by MkDocs in a build, by ``settings_from_file`` in
    ``make check``; the addresses as a deploy's environment variables give them (``ENV_PLACES``)."""

    site_url: str = ""
    repo_url: str = ""  # https://github.com/OWNER/REPO: where annotations and error reports go
    edit_uri: str = ""  # edit/BRANCH/docs/, under repo_url
    with_pdf: bool = False  # extra.pdf: the build `make pdf` runs links to the PDFs
    nav: tuple[str, ...] = ()  # src_uris of the pages in the nav, in its order

    @property
    def branch(self) -> str:
        """The branch pull requests go to, from edit_uri; empty when the site has no repository."""
        match = EDIT_URI.match(self.edit_uri)
        return match.group("branch") if match and self.repo_url and _branch_ok(match.group("branch")) else ""


# Addresses a deploy may give: checked, because a value from the environment ends up in every page's links.
SITE_URL = re.compile(r"^https?://[A-Za-z0-9.-]+(?::\d{1,5})?(?:/[A-Za-z0-9._~%!$&'()*+,;=:@/-]*)?\Z")
REPO_URL = re.compile(
    r"^https://github\.com/(?P<owner>[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))/(?P<name>[A-Za-z0-9._-]{1,100})\Z"
)
EDIT_URI = re.compile(r"^edit/(?P<branch>[A-Za-z0-9._/-]+)/docs/\Z")


def _branch_ok(branch: str) -> bool:
    """A branch as git allows one, in the characters a link may carry: no '.' or '..' part, none starting with
    '-' or ending in '.lock'."""
    return all(
        part not in {"", ".", ".."} and not part.startswith("-") and not part.endswith(".lock")
        for part in branch.split("/")
    )


def address_problems(settings: Settings, shown: str = SHOWN) -> list[Problem]:
    """site_url, repo_url and edit_uri in the forms the pages' links are made from."""
    problems = []
    if settings.site_url and (not SITE_URL.match(settings.site_url) or ".." in settings.site_url):
        problems.append(
            Problem(
                shown,
                None,
                "site_url",
                f"{settings.site_url[:80]!r} is not a site address; give an http(s) address such as "
                "https://example.github.io/edition/ (mkdocs.yml, or EDITION_SITE_URL)",
            )
        )
    name = REPO_URL.match(settings.repo_url)
    if settings.repo_url and (not name or name.group("name") in {".", ".."} or name.group("name").endswith(".git")):
        problems.append(
            Problem(
                shown,
                None,
                "repo_url",
                f"{settings.repo_url[:80]!r} is not a GitHub repository's address; give "
                "https://github.com/OWNER/REPO (mkdocs.yml, or EDITION_REPO_URL), or leave it empty",
            )
        )
    if settings.repo_url and not settings.branch:
        problems.append(
            Problem(
                shown,
                None,
                "edit_uri",
                f"{settings.edit_uri[:80]!r} is not edit/BRANCH/docs/; give the branch pull requests go to, "
                "e.g. edit/main/docs/ (mkdocs.yml, or EDITION_EDIT_URI)",
            )
        )
    return problems


class _EnvValue:
    """An ``!ENV`` setting as written, resolved only at the places ``ENV_PLACES`` allows."""

    def __init__(self, variable: object, default: object):
        self.variable, self.default = variable, default


def settings_from_file(root: Path, environ: Mapping[str, str]) -> Settings:
    """The edition's settings from mkdocs.yml without running it: tags construct nothing, so a hostile
    ``!!python/…`` tag does no harm here (the rules above refuse it with its line)."""

    class _Inert(LOADER):
        pass

    def env(loader: yaml.Loader, node: yaml.Node) -> _EnvValue:
        items = (
            [node]
            if isinstance(node, yaml.ScalarNode)
            else list(node.value)
            if isinstance(node, yaml.SequenceNode)
            else []
        )
        values = [item.value if isinstance(item, yaml.ScalarNode) else None for item in items]
        return _EnvValue(values[0] if values else None, values[1] if len(values) == 2 else None)

    _Inert.add_constructor(ENV_TAG, env)
    _Inert.add_multi_constructor("", lambda loader, suffix, node: None)
    _Inert.add_multi_constructor("!", lambda loader, suffix, node: None)
    try:
        data = yaml.load(read_text(root / SHOWN, SHOWN), Loader=_Inert)  # noqa: S506 (inert loader)
    except (EditionError, yaml.YAMLError):
        return Settings()  # the rules above report what is wrong with the file
    if not isinstance(data, dict):
        return Settings()

    def address(key: str) -> str | None:
        value = data.get(key)
        if isinstance(value, _EnvValue):
            wanted = ENV_PLACES[(key,)]
            if value.variable != wanted:
                return None  # refused by the rules above
            if wanted not in environ:
                return value.default if isinstance(value.default, str) else None
            # As MkDocs' !ENV reads it: the variable's text as a plain YAML scalar ('' and '~' are null).
            text = environ[wanted]
            tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))
            return None if tag == _YAML + "null" else text if tag == _YAML + "str" else None
        return value if isinstance(value, str) else None

    repo_url, edit_uri = address("repo_url") or "", address("edit_uri")
    if edit_uri is None and repo_url:
        edit_uri = "edit/master/docs/"  # MkDocs' own default for a GitHub repository, so the two agree
    return Settings(
        site_url=address("site_url") or "",
        repo_url=repo_url,
        edit_uri=edit_uri or "",
        nav=tuple(nav_pages(data.get("nav"))),
    )


def nav_pages(nav: Any) -> list[str]:
    """The page files a nav names, in its order (MkDocs' nav: lists of 'Title: page.md', nested)."""
    found: list[str] = []
    if isinstance(nav, str):
        if nav.endswith(".md"):
            found.append(nav)
    elif isinstance(nav, list):
        for item in nav:
            found += nav_pages(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            found += nav_pages(value)
    return found


def _env_problems(node: yaml.Node, shown: str, path: tuple[str, ...]) -> list[Problem]:
    """``!ENV [VARIABLE, default]`` reading the one variable of its place, with a plain default."""
    if isinstance(node, yaml.ScalarNode):
        names: list[yaml.Node] = [node]
    else:
        names = list(node.value) if isinstance(node, yaml.SequenceNode) else []
    variable, wanted = (_scalar(names[0]) if names else None), ENV_PLACES[path]
    if len(names) == 1:
        default_ok = True
    elif len(names) == 2 and isinstance(names[1], yaml.ScalarNode):
        default_ok = _truth(names[1]) is not None if path == ("extra", "pdf") else names[1].tag == _YAML + "str"
    else:
        default_ok = False
    if variable == wanted and default_ok:
        return []
    default = "false" if path == ("extra", "pdf") else '""'
    return [
        Problem(
            shown,
            _line(node),
            _dotted(path),
            f"!ENV may only read {wanted} here (`!ENV [{wanted}, {default}]`); "
            "other environment variables could carry secrets of the build into the pages",
        )
    ]


def tag_problems(root: yaml.Node, shown: str = SHOWN) -> list[Problem]:
    """Tags that would make MkDocs' loader run code or read the environment, except the edition's two."""
    problems: list[Problem] = []
    for node, path in _walk(root):
        tag, key = node.tag, _dotted(path)
        if tag in CORE_TAGS:
            continue
        if tag == SLUGIFY_TAG and _is_slugify_place(path):
            problems += _slugify_problems(node, shown, key)
        elif tag == ENV_TAG and path in ENV_PLACES:
            problems += _env_problems(node, shown, path)
        elif tag.startswith(_YAML + "python/"):
            problems.append(
                Problem(
                    shown,
                    _line(node),
                    key,
                    (
                        f"the tag {_short_tag(tag)} makes MkDocs run Python code while it reads mkdocs.yml; remove it "
                        f"(the one Python tag allowed is {_short_tag(SLUGIFY_TAG)} at markdown_extensions: toc: "
                        "slugify)"
                    ),
                )
            )
        elif tag == MERGE_TAG:
            problems.append(
                Problem(
                    shown,
                    _line(node),
                    key,
                    "YAML merge keys (<<) are not allowed in mkdocs.yml; write each setting out",
                )
            )
        else:
            problems.append(
                Problem(
                    shown,
                    _line(node),
                    key,
                    (
                        f"the tag {_short_tag(tag)} is not allowed in mkdocs.yml (only !ENV at extra.pdf, site_url, "
                        "repo_url and edit_uri, and the slugify function at toc.slugify are); write a plain value"
                    ),
                )
            )
        if len(problems) >= MAX_REPORTED:
            break
    return problems


def key_problems(root: yaml.Node, shown: str = SHOWN) -> list[Problem]:
    """Duplicate keys (the last one silently wins in MkDocs), keys that are not plain names, and INHERIT."""
    problems = _duplicate_key_problems(root, shown)
    inherit = _get(root, "INHERIT")
    if inherit:
        problems.append(
            Problem(
                shown,
                _line(inherit[0]),
                "INHERIT",
                (
                    "mkdocs.yml may not inherit another file: its settings would escape these checks; copy the "
                    "settings into mkdocs.yml"
                ),
            )
        )
    return problems


def _duplicate_key_problems(root: yaml.Node, shown: str) -> list[Problem]:
    problems: list[Problem] = []
    for node, path in _walk(root):
        if not isinstance(node, yaml.MappingNode):
            continue
        seen: dict[str, int | None] = {}
        for key, _ in node.value:
            name = _scalar(key)
            if name is None:
                problems.append(
                    Problem(
                        shown,
                        _line(key),
                        _dotted(path),
                        "a key must be a plain name, not a list or mapping; write it as a name",
                    )
                )
            elif name in seen:
                problems.append(
                    Problem(
                        shown,
                        _line(key),
                        _dotted((*path, name)),
                        (
                            f"duplicate key: already set at line {seen[name]}, and MkDocs would silently keep only "
                            "the last; keep one"
                        ),
                    )
                )
            else:
                seen[name] = _line(key)
    return problems


def normalise_hook(path: str) -> str:
    """A hook as MkDocs finds it, relative to mkdocs.yml: './hooks//x.py' is 'hooks/x.py'."""
    return posixpath.normpath(path.replace("\\", "/"))


def missing_hooks(configured: Iterable[str]) -> list[str]:
    """The edition's hooks that ``configured`` (mkdocs.yml's hooks:) leaves out, in EDITION_HOOKS' order."""
    listed = {normalise_hook(hook) for hook in configured}
    return [hook for hook in EDITION_HOOKS if hook not in listed]


def hook_problems(root: yaml.Node, shown: str = SHOWN) -> list[Problem]:
    found = _get(root, "hooks")
    where = _line(found[0]) if found else None
    hooks = found[1] if found else None
    if found and not (isinstance(hooks, yaml.SequenceNode) or _scalar(hooks) in {"", "null", "~"}):
        return [Problem(shown, where, "hooks", "must be a list of the edition's hook files (- hooks/book.py …)")]
    problems: list[Problem] = []
    listed: list[str] = []
    for item in hooks.value if isinstance(hooks, yaml.SequenceNode) else []:
        name = _scalar(item)
        hook = normalise_hook(name) if name else None
        if hook is None:
            problems.append(Problem(shown, _line(item), "hooks", "each hook is a file name (- hooks/book.py)"))
        elif hook in listed:
            problems.append(
                Problem(
                    shown,
                    _line(item),
                    "hooks",
                    (f"{hook} is listed twice, so its work would run twice on every page; keep one"),
                )
            )
        elif hook not in EDITION_HOOKS:
            problems.append(
                Problem(
                    shown,
                    _line(item),
                    "hooks",
                    (
                        f"{name} is not one of the edition's hooks; remove it, or add it to EDITION_HOOKS in "
                        "edition/settings.py and give it a mark in edition/outputs/canary.py"
                    ),
                )
            )
        if hook:
            listed.append(hook)
    problems.extend(
        Problem(
            shown,
            where,
            "hooks",
            (
                f"{hook} is not listed; without it the build would skip its work in silence: add `  - {hook}` "
                "under hooks:"
            ),
        )
        for hook in missing_hooks(listed)
    )
    return problems


def _extension_name(name: str) -> str:
    return name.removeprefix("markdown.extensions.")


def extension_problems(root: yaml.Node, shown: str = SHOWN) -> list[Problem]:
    problems: list[Problem] = []
    found = _get(root, "markdown_extensions")
    items = _named_items(found[1]) if found else []
    for raw, where, _ in items:
        name = _extension_name(raw)
        key = f"markdown_extensions.{raw}"
        if name in FILE_INCLUDING:
            problems.append(
                Problem(
                    shown,
                    _line(where),
                    key,
                    (
                        f"{raw} {FILE_INCLUDING[name]}: any file the build can read (a secret, /proc/self/environ) "
                        "could be published; remove it: the edition's pages hold their own text"
                    ),
                )
            )
        elif name not in MARKDOWN_EXTENSIONS:
            problems.append(
                Problem(
                    shown,
                    _line(where),
                    key,
                    (
                        f"{raw} is not one of the Markdown extensions this edition allows; remove it, or add it to "
                        "MARKDOWN_EXTENSIONS in edition/settings.py once you have checked it reads no files"
                    ),
                )
            )
    names = {_extension_name(raw) for raw, _, _ in items}
    problems.extend(
        Problem(
            shown,
            _line(found[0]) if found else None,
            "markdown_extensions",
            (
                f"{required} is missing; the edition's pages need it (notes, paragraph ids, anchors): add "
                f"`  - {required}`"
            ),
        )
        for required in REQUIRED_EXTENSIONS
        if required not in names
    )
    return problems


def plugin_problems(root: yaml.Node, shown: str = SHOWN) -> list[Problem]:
    problems: list[Problem] = []
    found = _get(root, "plugins")
    items = _named_items(found[1]) if found else []
    for name, where, _ in items:
        bare = name.removeprefix("/")
        if bare in FILE_INCLUDING:
            problems.append(
                Problem(
                    shown,
                    _line(where),
                    f"plugins.{name}",
                    (
                        f"the {name} plugin {FILE_INCLUDING[bare]}; remove it: the edition builds from its own "
                        "files only"
                    ),
                )
            )
        elif bare not in PLUGINS:
            problems.append(
                Problem(
                    shown,
                    _line(where),
                    f"plugins.{name}",
                    (
                        f"the {name} plugin is not one this edition allows ({', '.join(sorted(PLUGINS))}); remove "
                        "it, or add it to PLUGINS in edition/settings.py once you have checked what it reads and "
                        "fetches"
                    ),
                )
            )
    by_name = {name.removeprefix("/").removeprefix("material/"): (where, options) for name, where, options in items}
    plugins_line = _line(found[0]) if found else None
    if "search" not in by_name:
        problems.append(
            Problem(
                shown,
                plugins_line,
                "plugins",
                (
                    "the search plugin is missing; hooks/search_dictionary.py and hooks/search_query.py serve it: add "
                    "`  - search:` with `lang: zh`"
                ),
            )
        )
    else:
        where, options = by_name["search"]
        languages = _value(options, "lang")
        values = (
            [_scalar(languages)]
            if isinstance(languages, yaml.ScalarNode)
            else [_scalar(item) for item in languages.value]
            if isinstance(languages, yaml.SequenceNode)
            else []
        )
        if "zh" not in values:
            problems.append(
                Problem(shown, _line(where), "plugins.search.lang", ("search must index Chinese: set `lang: zh`"))
            )
    if "bibtex" not in by_name:
        problems.append(
            Problem(
                shown,
                plugins_line,
                "plugins",
                (
                    "the bibtex plugin (mkdocs-bibtex) is missing; hooks/citations.py relies on it: "
                    "restore `  - bibtex:`"
                ),
            )
        )
    else:
        where, options = by_name["bibtex"]
        for option, wanted in BIBTEX_OPTIONS:
            node = _value(options, option)
            value = _truth(node) if isinstance(wanted, bool) else _scalar(node)
            if value != wanted:
                shown_value = str(wanted).lower() if isinstance(wanted, bool) else wanted
                problems.append(
                    Problem(
                        shown,
                        _line(node) or _line(where),
                        f"plugins.bibtex.{option}",
                        (f"must be {shown_value}: hooks/citations.py renders the notes from refs.bib"),
                    )
                )
    return problems


def theme_problems(root: yaml.Node, shown: str = SHOWN) -> list[Problem]:
    problems: list[Problem] = []
    found = _get(root, "theme")
    theme = found[1] if found else None
    where = _line(found[0]) if found else None
    if _scalar(_value(theme, "name")) != "material":
        return [
            Problem(
                shown,
                where,
                "theme",
                "the theme must be `name: material` (the hooks repair and extend "
                "Material's pages), with `font: false` and its features",
            )
        ]
    font = _value(theme, "font")
    if _truth(font) is not False:
        problems.append(
            Problem(
                shown,
                _line(font) or where,
                "theme.font",
                (
                    "must be false: Material would load Google Fonts, which many readers cannot reach; the "
                    "system's CJK fonts are set in edition.css"
                ),
            )
        )
    features = _value(theme, "features")
    for item in features.value if isinstance(features, yaml.SequenceNode) else ():
        feature = _scalar(item) or ""
        if feature in THEME_FEATURES_OUT:
            problems.append(
                Problem(
                    shown, _line(item) or where, "theme.features", f"{feature} is listed: {THEME_FEATURES_OUT[feature]}"
                )
            )
    custom = _value(theme, "custom_dir")
    if custom is not None and _scalar(custom) != "overrides":
        problems.append(
            Problem(
                shown,
                _line(custom),
                "theme.custom_dir",
                ("must be overrides: templates from anywhere else would escape review and the canary"),
            )
        )
    return problems


def other_problems(root: yaml.Node, shown: str = SHOWN) -> list[Problem]:
    """Where pages come from, strictness, and settings that make readers' browsers fetch from other hosts."""
    problems: list[Problem] = []
    docs = _get(root, "docs_dir")
    if docs and _scalar(docs[1]) != "docs":
        problems.append(
            Problem(
                shown,
                _line(docs[0]),
                "docs_dir",
                (
                    "must be docs: the checks read the pages there, and another folder could publish files from "
                    "outside the book"
                ),
            )
        )
    strict = _get(root, "strict")
    if not strict or _truth(strict[1]) is not True:
        problems.append(
            Problem(
                shown,
                _line(strict[0]) if strict else None,
                "strict",
                ("must be true: a broken link or a warning then stops the build instead of passing in silence"),
            )
        )
    analytics = _value(root, "extra", "analytics")
    if analytics is not None:
        problems.append(
            Problem(
                shown,
                _line(analytics),
                "extra.analytics",
                ("analytics load a script from another host in every reader's browser; remove it"),
            )
        )
    for option in ("extra_css", "extra_javascript"):
        found = _get(root, option)
        for item in found[1].value if found and isinstance(found[1], yaml.SequenceNode) else []:
            path = _scalar(item) if isinstance(item, yaml.ScalarNode) else _scalar(_value(item, "path"))
            if path is not None and outside_site(path):
                problems.append(
                    Problem(
                        shown,
                        _line(item),
                        option,
                        (
                            f"{path} is loaded from another host; the edition loads nothing from third-party "
                            "hosts: put the file under docs/ and name it by its path there"
                        ),
                    )
                )
    return problems


def alternate_problems(root: yaml.Node, shown: str = SHOWN) -> list[Problem]:
    """The language switch: each language's link is one of this edition's two sites (ALTERNATE_LINKS), its lang a
    language tag; never an address elsewhere, above the site, or markup the theme would print."""
    problems = []
    languages = _value(root, "extra", "alternate")
    for item in languages.value if isinstance(languages, yaml.SequenceNode) else []:
        link, lang = _value(item, "link"), _value(item, "lang")
        if _scalar(link) not in ALTERNATE_LINKS:
            problems.append(
                Problem(
                    shown,
                    _line(link) or _line(item),
                    "extra.alternate",
                    f"each language's link is one of {', '.join(ALTERNATE_LINKS)} (a site of this edition), "
                    "not an address elsewhere",
                )
            )
        if not _LANGUAGE_TAG.fullmatch(_scalar(lang) or ""):
            problems.append(
                Problem(
                    shown, _line(lang) or _line(item), "extra.alternate", "lang must be a language tag: zh-Hans, en"
                )
            )
    return problems


def _printed_places(root: yaml.Node) -> list[tuple[yaml.Node, str]]:
    """The scalars the theme prints as HTML, by where they are; a nav entry that is not a page, as 'nav: a page'."""
    places: list[tuple[yaml.Node, str]] = [
        (found[1], key) for key in ("site_name", "site_description", "copyright") if (found := _get(root, key))
    ]
    nav = _value(root, "nav")
    for node, _ in _walk(nav) if nav is not None else []:
        for key, value in _pairs(node):
            places.append((key, "nav"))
            if isinstance(value, yaml.ScalarNode) and not value.value.endswith(".md"):
                places.append((value, "nav: a page"))
    places += [
        (node, ".".join(path))
        for node, path in _walk(root)
        if path[-2:] in {("toggle", "name"), ("alternate", "name")} and isinstance(node, yaml.ScalarNode)
    ]
    return places


def printed_text_problems(root: yaml.Node, shown: str = SHOWN) -> list[Problem]:
    """Names the theme prints as HTML (the site's name and description, the copyright line, the nav's titles, the
    palette's and the language switch's labels) hold no markup characters; and the nav names only pages."""
    problems = []
    for node, where in _printed_places(root):
        text = _scalar(node) or ""
        if where == "nav: a page":
            problems.append(
                Problem(shown, _line(node), "nav", f"'{text[:40]}' is not a page: the nav lists pages (.md)")
            )
        elif _MARKUP_CHARACTERS.search(text):
            problems.append(
                Problem(
                    shown,
                    _line(node),
                    where,
                    'holds < > " or &, which the theme would print as HTML; write the words alone '
                    "(curly quotes “ ” are fine)",
                )
            )
    return problems


def nav_titles(root: Path) -> dict[str, str]:
    """mkdocs.yml's nav as page → title (read without constructing anything); {} when it cannot be read."""
    try:
        text = read_text(root / SHOWN, SHOWN)
    except EditionError:
        return {}
    main_root, problems = compose(text)
    titles: dict[str, str] = {}
    for node, _ in _walk(main_root) if main_root is not None and not problems else []:
        for key, value in _pairs(node):
            page, title = _scalar(value), _scalar(key)
            if page and title and page.endswith(".md"):
                titles.setdefault(page, title)
    return titles


def _nav_files(node: yaml.Node | None) -> list[tuple[str, yaml.Node]]:
    """The page files a nav's node graph names, in order."""
    return [
        (value, item)
        for item, _ in (_walk(node) if node is not None else [])
        if isinstance(item, yaml.ScalarNode) and (value := item.value).endswith(".md")
    ]


def english_settings_problems(text: str, main_root: yaml.Node | None, shown: str = ENGLISH_SHOWN) -> list[Problem]:
    """mkdocs.en.yml: mkdocs.yml inherited, and only the English site's own settings on top of it, so every rule
    for mkdocs.yml holds for the English site too."""
    root, problems = compose(text, shown)
    if root is None:
        return problems
    problems = _duplicate_key_problems(root, shown)
    problems += [
        Problem(
            shown,
            _line(node),
            _dotted(path),
            f"the tag {_short_tag(node.tag)} is not allowed here; write a plain value",
        )
        for node, path in _walk(root)
        if node.tag not in CORE_TAGS
    ][:MAX_REPORTED]
    allowed = ", ".join(f"{key} ({', '.join(sorted(inner))})" if inner else key for key, inner in ENGLISH_KEYS.items())
    for key, value in _pairs(root):
        name = _scalar(key) or "?"
        inner = ENGLISH_KEYS.get(name)
        if inner is None:
            problems.append(
                Problem(shown, _line(key), name, f"not an English-site setting; {shown} may set only {allowed}")
            )
            continue
        for sub, _ in _pairs(value) if inner else []:
            if _scalar(sub) not in inner:
                problems.append(
                    Problem(
                        shown,
                        _line(sub),
                        f"{name}.{_scalar(sub)}",
                        f"not an English-site setting; {shown} may set only {allowed}",
                    )
                )
    for path, wanted in ((("INHERIT",), SHOWN), (("theme", "language"), "en"), (("extra", "edition_language"), "en")):
        node = _value(root, *path)
        if _scalar(node) != wanted:
            problems.append(Problem(shown, _line(node), ".".join(path), f"must be {wanted}"))
    problems += alternate_problems(root, shown) + printed_text_problems(root, shown)
    english = [page for page, _ in _nav_files(_value(root, "nav"))]
    chinese = [page for page, _ in _nav_files(_value(main_root, "nav"))]
    if main_root is not None and english != chinese:
        problems.append(
            Problem(
                shown,
                _line(nav[0]) if (nav := _get(root, "nav")) else None,
                "nav",
                f"must list the pages of mkdocs.yml's nav, in its order: {', '.join(chinese)}",
            )
        )
    return problems


def settings_problems(text: str, shown: str = SHOWN) -> list[Problem]:
    """Every rule of the edition for mkdocs.yml, on its text; run it before MkDocs loads the file."""
    root, problems = compose(text, shown)
    return problems if root is None else composed_settings_problems(root, shown)


def composed_settings_problems(root: yaml.MappingNode, shown: str = SHOWN) -> list[Problem]:
    """settings_problems on mkdocs.yml already composed (the rules only read the nodes)."""
    problems = tag_problems(root, shown) + key_problems(root, shown)
    for rule in (
        hook_problems,
        extension_problems,
        plugin_problems,
        theme_problems,
        other_problems,
        alternate_problems,
        printed_text_problems,
    ):
        problems += rule(root, shown)
    return problems


def _settings_text(path: Path, shown: str) -> str | list[Problem]:
    if path.is_symlink():
        return [Problem(shown, None, None, "is a symbolic link; the settings must be the project's own file")]
    try:
        return read_text(path, shown)
    except EditionError as error:
        return list(error.problems)


def settings_file_problems(root: Path, shown: str = SHOWN) -> list[Problem]:
    """settings_problems for the project's mkdocs.yml and, where there is one, mkdocs.en.yml (each read as UTF-8; a
    symlink is refused)."""
    text = _settings_text(root / "mkdocs.yml", shown)
    if isinstance(text, list):
        return text
    # Composed once for its own rules and for the English settings' (composing it was most of their time).
    main_root, problems = compose(text, shown)
    if main_root is not None:
        problems = composed_settings_problems(main_root, shown)
    english = root / ENGLISH_SHOWN
    if english.exists() or english.is_symlink():
        english_text = _settings_text(english, ENGLISH_SHOWN)
        if isinstance(english_text, list):
            return problems + english_text
        problems += english_settings_problems(english_text, main_root)
    return problems


def main(argv: list[str]) -> int:
    problems = settings_file_problems(Path(argv[0] if argv else "."))
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} problem(s) in the settings; MkDocs must not read them until they are fixed.",
            file=sys.stderr,
        )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
