"""Exchange formats, one module each holding its reader and writer (TMX, TBX, CSV/TSV, JSON Lines, Moses, beads, OmegaT)."""
