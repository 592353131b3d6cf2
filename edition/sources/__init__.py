"""Stage 1, the sources: refs.bib, the citation syntax, notes in the article's style, URL rules."""
