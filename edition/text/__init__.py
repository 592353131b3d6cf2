"""Stage 2, the text: the PDF conversion, its emendations, the chapters, paragraphs and the fidelity of the
edition to the source; the citation and date consistency rules that read them."""
