"""Counterparts we do not own (union system, bank, …) and the synthetic city."""
