"""The edition's own library: plain functions over parsed data.

Nothing here imports MkDocs; the hooks in ``hooks/`` are thin adapters that call
these functions, and ``python -m edition.outputs.check`` runs the same checks without
rendering a page.
"""
