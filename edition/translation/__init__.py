"""Stage 3b, the edition's English translation (translation/en/), aligned with the Chinese and checked against it."""
