"""Reads of assessments for other apps (instalments, notices, screens)."""

from __future__ import annotations

from django.db.models import QuerySet

from kouki.assessment.models import Assessment


def assessment_in_force(person_id: int, fiscal_year: int) -> Assessment | None:
    """The latest assessment not superseded for the person and fiscal year, or None."""
    return Assessment.objects.filter(
        person_id=person_id, fiscal_year=fiscal_year, superseded_at__isnull=True
    ).first()


def assessments_of(person_id: int) -> QuerySet[Assessment]:
    """Every assessment received for the person (history included), oldest first per fiscal year."""
    return Assessment.objects.filter(person_id=person_id).order_by("fiscal_year", "recorded_at", "pk")
