"""Simulated convenience-store payment agent (速報 / 確報 files)."""
