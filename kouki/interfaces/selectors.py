"""Reads of the import records for other apps and the screens."""

from __future__ import annotations

from kouki.interfaces.models import ImportRecord


def recent_imports(*, limit: int = 100) -> list[ImportRecord]:
    """The latest imports first (applied and rejected alike)."""
    return list(ImportRecord.objects.order_by("-imported_at", "-pk")[:limit])
