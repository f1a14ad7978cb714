"""Text: the one translation table and how numbers are written. The bottom layer: imports nothing of ours."""
