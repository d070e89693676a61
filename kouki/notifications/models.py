"""Counter notifications (being written)."""
