"""Stage 3, the reference data beside the text: glossary, timeline, annotations, the article's record."""
