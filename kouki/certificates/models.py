"""Certificate issue records (being written)."""
