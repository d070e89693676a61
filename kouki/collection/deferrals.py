"""徴収猶予 of instalments (issue 12 §2): written when the union's decision granting a 徴収猶予 is applied
to the application (kouki.applications.decisions), read by the 督促状 run and the arrears list (an
instalment deferred on the day is neither reminded nor in arrears) and by the 延滞金 (no charge runs on
the days of the deferral: 「猶予の期間の延滞金は免除」, domain-facts-next §2 [R24][R25]).

A deferral is keyed on (person, fiscal year, method, period) so that it survives a re-plan."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from kouki.assessment.models import Instalment
from kouki.collection import late_charges
from kouki.collection.models import InstalmentDeferral
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor


class DeferralError(ValueError):
    """A deferral that cannot be recorded; the message says why."""


def instalment_deferrals_record(
    *, actor: Actor, person_id: int, application_no: str, instalment_ids: Sequence[int],
    deferred_from: date, deferred_until: date, decided_on: date,
) -> int:  # fmt: skip
    """Record the 徴収猶予 the union granted under `application_no` for these instalments of the person
    (a 更正 of the decision replaces the period); the person's 延滞金 are derived again. One audit row.
    Returns how many instalments' deferrals were written or changed."""
    if deferred_until < deferred_from:
        raise DeferralError("猶予の終了日が開始日より前です")
    with transaction.atomic():
        rows = list(
            Instalment.objects.filter(pk__in=list(instalment_ids), plan__person_id=person_id).values_list(
                "plan__fiscal_year", "method", "period"
            )
        )
        if len(rows) != len(set(instalment_ids)):
            raise DeferralError("この方の期別ではないものが含まれています")
        now, changed = timezone.now(), 0
        for fy, method, period in sorted(set(rows)):
            values = {"person_id": person_id, "deferred_from": deferred_from,
                      "deferred_until": deferred_until, "decided_on": decided_on}  # fmt: skip
            found = (
                InstalmentDeferral.objects.select_for_update()
                .filter(application_no=application_no, fiscal_year=fy, method=method, period=period)
                .first()
            )
            if found is not None and all(getattr(found, k) == v for k, v in values.items()):
                continue
            InstalmentDeferral.objects.update_or_create(
                application_no=application_no, fiscal_year=fy, method=method, period=period,
                defaults={**values, "created_at": now, "created_by": actor.username},
            )  # fmt: skip
            changed += 1
        if not changed:
            return 0
        audit_record(
            actor=actor, action=AuditAction.INSTALMENT_DEFER, target_type=AuditTarget.INSTALMENT_DEFERRAL,
            target_id=application_no,
            detail={"person": person_id, "instalments": [f"{fy}:{m}:{p}" for fy, m, p in sorted(set(rows))],
                    "from": deferred_from.isoformat(), "until": deferred_until.isoformat(),
                    "decided_on": decided_on.isoformat()},
        )  # fmt: skip
        late_charges.audit_changes(actor, late_charges.refresh({(person_id, fy) for fy, _, _ in rows}))
    return changed


def instalment_deferrals_cancel(*, actor: Actor, application_no: str) -> int:
    """The union's 更正 no longer grants the 徴収猶予 under `application_no`: its deferrals are removed (one
    audit row) and the person's 延滞金 derived again. Returns how many were removed (0: none held)."""
    with transaction.atomic():
        rows = list(InstalmentDeferral.objects.select_for_update().filter(application_no=application_no))
        if not rows:
            return 0
        keys = {(r.person_id, r.fiscal_year) for r in rows}
        InstalmentDeferral.objects.filter(pk__in=[r.pk for r in rows]).delete()
        audit_record(
            actor=actor, action=AuditAction.INSTALMENT_DEFER, target_type=AuditTarget.INSTALMENT_DEFERRAL,
            target_id=application_no,
            detail={"person": rows[0].person_id,
                    "cancelled": [f"{r.fiscal_year}:{r.method}:{r.period}" for r in rows]},
        )  # fmt: skip
        late_charges.audit_changes(actor, late_charges.refresh(keys))
    return len(rows)
