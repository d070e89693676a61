"""Retention and deletion (issue 15 §5): the kinds of record kept for a limited time with their periods and
basis (registry), what would expire (plan) and the purge that deletes only that (purge).
Holds no model; docs/operations/retention.md."""
