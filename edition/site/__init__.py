"""Stage 4, the site: generated pages and their templates, readers' tools, theme fixes, search, the
third-party rule."""
