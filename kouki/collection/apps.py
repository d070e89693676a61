from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import AppConfig


def _on_replan(sender: Any, *, actor: Any, person_id: int, fiscal_year: int, on: date, **_: Any) -> None:
    """A re-plan after a reassessment: the fiscal year's receipts are allocated again to the new plan;
    a reduction below what was paid becomes an overpayment (過誤納, cause 減額更正)."""
    from kouki.collection.services import reallocate

    reallocate(actor=actor, person_id=person_id, fiscal_year=fiscal_year, on=on)


class CollectionConfig(AppConfig):
    name = "kouki.collection"
    label = "collection"
    verbose_name = "収納"

    def ready(self) -> None:
        from kouki.assessment.signals import plan_replanned

        plan_replanned.connect(_on_replan, dispatch_uid="collection_reallocate_on_replan")
