"""Stage 5, what is made from the checked book: `make check`, the canary, PDFs, the link check."""
