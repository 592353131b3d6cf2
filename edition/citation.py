"""How to cite the article or one chapter: GB/T 7714-2015, APA 7, Chicago and BibTeX, from data/article.yml.

The conversion gives no page numbers per chapter, so a chapter is cited with the
article's range (pp. 35–48) and its own address. The English title is the edition's
translation and is marked as such: in brackets, after the Chinese title and its pinyin.
The address is the page's own: ``site_url`` when mkdocs.yml sets it, else filled in
by the reader's browser (the placeholder says what to write without JavaScript).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from markupsafe import Markup, escape

from edition.problems import EditionError, Problem, read_text

ARTICLE = Path("data/article.yml")
REQUIRED = {"key": str, "author": dict, "title": dict, "journal": dict, "year": int, "issue": int,
            "first_page": int, "last_page": int}
ITALIC = re.compile(r"\*([^*]+)\*")
URL_PLACEHOLDER = "〈本页网址 URL of this page〉"


@dataclass(frozen=True)
class Citation:
    style: str
    label: str
    marked: str  # *italics* marked as in Markdown
    lang: str

    @property
    def text(self) -> str:
        """What a reader copies: plain text, as a word processor would paste it."""
        return self.marked.replace("*", "")

    @property
    def html(self) -> Markup:
        return Markup(ITALIC.sub(r"<em>\1</em>", str(escape(self.marked))))


def load_article(root: Path) -> dict:
    text = read_text(root / ARTICLE, ARTICLE.as_posix())
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise EditionError([Problem(ARTICLE.as_posix(), mark.line + 1 if mark else None, None,
                                    f"not valid YAML: {getattr(error, 'problem', error)}")]) from None
    problems = []
    for name, kind in REQUIRED.items():
        if not isinstance(data, dict) or not isinstance(data.get(name), kind):
            problems.append(Problem(ARTICLE.as_posix(), None, name, f"missing or not a {kind.__name__}"))
    for name, fields in (("author", ("zh", "pinyin", "family", "given")), ("title", ("zh", "pinyin", "en")),
                         ("journal", ("zh", "pinyin", "en"))):
        for f in fields:
            if isinstance(data, dict) and isinstance(data.get(name), dict) and not data[name].get(f):
                problems.append(Problem(ARTICLE.as_posix(), None, f"{name}.{f}", "missing"))
    if problems:
        raise EditionError(problems)
    return data


def citations(article: dict, *, chapter: int = 0, chapter_title: str = "", url: str = "") -> list[Citation]:
    """The four citations; with ``chapter_title`` they cite that chapter of the article."""
    a, t, j = article["author"], article["title"], article["journal"]
    year, issue = article["year"], article["issue"]
    first, last = article["first_page"], article["last_page"]
    here = url or URL_PLACEHOLDER
    chapter_zh = f"：{chapter_title}" if chapter_title else ""
    chapter_en = f", section “{chapter_title}”" if chapter_title else ""
    gbt = (f"{a['zh']}. {t['zh']}{chapter_zh}[J/OL]. {j['zh']}, {year}({issue}): {first}-{last}. {here}.")
    apa = (f"{a['family']}, {a['given'][0]}. ({year}). {t['pinyin']} [{t['zh']}; {t['en']}]{chapter_en}. "
           f"*{j['pinyin'].title()} [{j['en']}]*, ({issue}), {first}–{last}. {here}")
    chicago_note = (f"{a['pinyin']} {a['zh']}, “{t['pinyin']}” {t['zh']} [{t['en']}], *{j['pinyin']}* {j['zh']}, "
                    f"no. {issue} ({year}): {first}–{last}{chapter_en}, {here}.")
    chicago_bib = (f"{a['pinyin']} {a['zh']}. “{t['pinyin']}” {t['zh']} [{t['en']}]. *{j['pinyin']}* {j['zh']}, "
                   f"no. {issue} ({year}): {first}–{last}. {here}.")
    key = article["key"] + (f"-chapter-{chapter}" if chapter_title else "")
    bibtex = "\n".join([
        f"@article{{{key},",
        f"  author       = {{{a['zh']} ({a['pinyin']})}},",
        f"  title        = {{{t['zh']}{chapter_zh}}},",
        f"  journal      = {{{j['zh']}}},",
        f"  year         = {{{year}}},",
        f"  number       = {{{issue}}},",
        f"  pages        = {{{first}--{last}}},",
        f"  url          = {{{here}}},",
        "  langid       = {chinese},",
        f"  note         = {{English title (editorial translation): {t['en']}}},",
        "}",
    ])
    return [
        Citation("gbt", "GB/T 7714-2015", gbt, "zh-Hans"),
        Citation("apa", "APA 7", apa, "en"),
        Citation("chicago-note", "Chicago（注释 note）", chicago_note, "en"),
        Citation("chicago-bib", "Chicago（参考书目 bibliography）", chicago_bib, "en"),
        Citation("bibtex", "BibTeX", bibtex, "und"),
    ]
