"""The unpaid instalments as a database query (issue 16 §5): the same rows as
`kouki.collection.selectors.unpaid_instalments`, but left in the database so that a list of the whole
city (滞納者一覧, ~60,000 people) is grouped, counted, sorted and paged there, not in Python.

The queryset is of `Instalment` (plans in force, due before the day) annotated with
- `person`: the plan's person; `fiscal_year`: the plan's fiscal year;
- `unpaid_now`, `charged_now`: what is still unpaid and what it charges (the InstalmentAccount's, read
  by a LEFT JOIN through its reverse relation `account`, else the amount as planned);
- `pension_deducted`: a pension-deduction receipt of the instalment's month is recorded and not
  cancelled (reference 特徴YYYYMM, as kouki.arrears.selectors.pension_reference);
and only rows with something unpaid, no convenience-store 速報 waiting for its 確報, and (when `deferred_on`
is given) no 徴収猶予 in force on that day are kept."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet, Value
from django.db.models.functions import Coalesce, Concat, Replace

from kouki.assessment.models import Instalment
from kouki.collection.models import Channel, InstalmentDeferral, Receipt, ReceiptStatus

PENSION_REFERENCE_PREFIX = "特徴"  # kept equal to kouki.arrears.selectors.PENSION_REFERENCE_PREFIX


def unpaid_instalments_query(
    *, due_before: date, method: str | None = None, person_ids: list[int] | None = None,
    deferred_on: date | None = None,
) -> QuerySet[Any]:  # fmt: skip  (annotated: see the module's docstring)
    """Unpaid instalments of plans in force due before `due_before` (see the module's docstring)."""
    qs = Instalment.objects.filter(plan__superseded_at__isnull=True, due_date__lt=due_before)
    if method is not None:
        qs = qs.filter(method=method)
    if person_ids is not None:
        qs = qs.filter(plan__person_id__in=person_ids)
    qs = qs.annotate(  # the account by a LEFT JOIN (its reverse relation), not a subquery per instalment
        person=F("plan__person_id"), fiscal_year=F("plan__fiscal_year"),
        unpaid_now=Coalesce(F("account__unpaid"), F("amount")),
        charged_now=Coalesce(F("account__charged"), F("amount")),
        pension_ref=Concat(Value(PENSION_REFERENCE_PREFIX), Replace(F("month"), Value("-"), Value(""))),
    ).filter(unpaid_now__gt=0)  # fmt: skip
    provisional = Receipt.objects.filter(status=ReceiptStatus.PROVISIONAL, instalment_id=OuterRef("pk"))
    qs = qs.exclude(Exists(provisional))
    if deferred_on is not None:
        deferral = InstalmentDeferral.objects.filter(
            person_id=OuterRef("plan__person_id"), fiscal_year=OuterRef("plan__fiscal_year"),
            method=OuterRef("method"), period=OuterRef("period"),
            deferred_from__lte=deferred_on, deferred_until__gte=deferred_on,
        )  # fmt: skip
        qs = qs.exclude(Exists(deferral))
    deducted = Receipt.objects.filter(
        person_id=OuterRef("plan__person_id"), channel=Channel.PENSION, reference=OuterRef("pension_ref")
    ).exclude(status=ReceiptStatus.CANCELLED)
    return qs.annotate(pension_deducted=Exists(deducted))
