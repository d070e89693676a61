"""Signals of the assessment app for the apps that follow it (collection re-allocates after a re-plan)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the re-plan's transaction with actor, person_id, fiscal_year, plan_id, on (date).
plan_replanned = Signal()
