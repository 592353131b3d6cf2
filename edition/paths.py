"""Where the book's inputs are and what its pages are called: the names every stage shares, in one place."""

from __future__ import annotations

from pathlib import Path

# The inputs, relative to the project's root (as contributors see them in messages).
SETTINGS = Path("mkdocs.yml")
BIBLIOGRAPHY = Path("refs.bib")
SOURCE = Path("source/article.md")
EMENDATIONS = Path("source/emendations.yml")
DOCS = Path("docs")
GLOSSARY = Path("data/glossary.yml")
TIMELINE = Path("data/timeline.yml")
ARTICLE_RECORD = Path("data/article.yml")
ANNOTATIONS = Path("annotations")
TRANSLATION = Path("translation/en")

# The article's pages in reading order, and how readers name them.
ARTICLE_PAGES = ["index.md", "chapter-1.md", "chapter-2.md", "chapter-3.md", "chapter-4.md"]
CHAPTER_LABELS = ["首页", "第一章", "第二章", "第三章", "第四章"]
CHAPTER_LABELS_EN = ["Front page", "Chapter 1", "Chapter 2", "Chapter 3", "Chapter 4"]  # the English site's
# The pages and files the edition generates, by the name MkDocs gives them.
REFERENCES_PAGE = "references.md"
ANNOTATIONS_PAGE = "annotations.md"
GLOSSARY_PAGE = "glossary.md"
TIMELINE_PAGE = "timeline.md"
ANNOTATIONS_JSONLD = "annotations.jsonld"
BOOK_PDF = "trump-return-and-china-us-rivalry.pdf"
BOOK_PDF_EN = "trump-return-and-china-us-rivalry-en.pdf"  # the edition's English translation, whole
BOOK_PDF_PARALLEL = "trump-return-and-china-us-rivalry-parallel.pdf"  # the Chinese, each paragraph with its English
BOOK_EPUB = "trump-return-and-china-us-rivalry.epub"  # `make epub`, in site/epub/


def page_stem(page: str) -> str:
    """chapter-2.md → chapter-2."""
    return page.removesuffix(".md")


def site_path(page: str) -> str:
    """The page's address in the site, relative to its root (use_directory_urls): '' for index.md, 'chapter-2/'."""
    return "" if page == "index.md" else page_stem(page) + "/"
