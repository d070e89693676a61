"""Reads of the import records and the union's benefit decisions for other apps and the screens."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from kouki.core.db import InValues
from kouki.interfaces.models import BenefitDecision, ImportRecord
from kouki.rules.benefits.codes import ApplicationKind, DecisionReason, DecisionResult


def recent_imports(*, limit: int = 100) -> list[ImportRecord]:
    """The latest imports first (applied and rejected alike)."""
    return list(imports_newest_first()[:limit])


def imports_newest_first() -> QuerySet[ImportRecord]:
    """Every import record, the latest first (a query: the history screen pages it in the database)."""
    return ImportRecord.objects.order_by("-imported_at", "-pk")


@dataclass(frozen=True)
class BenefitDecisionView:
    """A decision of the union as the applications app reads it (by 受付番号)."""

    reception_no: str
    kind: ApplicationKind
    addressee_no: str
    insured_no: str
    result: DecisionResult
    reason: DecisionReason | None
    amount_claimed: int
    base_amount: int
    amount_decided: int
    right_date: date
    decided_on: date
    payment_date: date | None
    notice_date: date
    payee_account_ref: str
    fiscal_year: int
    reduction_percent: int
    deferral_from: date | None
    deferral_until: date | None
    recipient_name: str  # whom the notice is for
    recipient_postal_code: str
    recipient_address: str
    corrections: int  # how many times a later file changed it
    certificate_class: str = ""  # a certificate granted: 1 区分Ⅰ, 2 区分Ⅱ; 特定疾病 the disease code
    valid_from: date | None = None
    valid_until: date | None = None


def _view(d: BenefitDecision) -> BenefitDecisionView:
    return BenefitDecisionView(
        reception_no=d.reception_no, kind=ApplicationKind(d.kind), addressee_no=d.addressee_no,
        insured_no=d.insured_no, result=DecisionResult(d.result),
        reason=DecisionReason(d.reason) if d.reason else None, amount_claimed=d.amount_claimed,
        base_amount=d.base_amount, amount_decided=d.amount_decided, right_date=d.right_date,
        decided_on=d.decided_on, payment_date=d.payment_date, notice_date=d.notice_date,
        payee_account_ref=d.payee_account_ref, fiscal_year=d.fiscal_year,
        reduction_percent=d.reduction_percent, deferral_from=d.deferral_from,
        deferral_until=d.deferral_until, recipient_name=d.recipient_name,
        recipient_postal_code=d.recipient_postal_code, recipient_address=d.recipient_address,
        corrections=d.corrections, certificate_class=d.certificate_class, valid_from=d.valid_from,
        valid_until=d.valid_until,
    )  # fmt: skip


def benefit_decision(reception_no: str) -> BenefitDecisionView | None:
    """The union's decision on the application with this 受付番号, or None while none has come back."""
    found = BenefitDecision.objects.filter(reception_no=reception_no).first()
    return None if found is None else _view(found)


def benefit_decisions(reception_nos: Iterable[str]) -> dict[str, BenefitDecisionView]:
    """The decisions held for these 受付番号 (those without one are absent)."""
    wanted = list(dict.fromkeys(reception_nos))
    rows = BenefitDecision.objects.filter(InValues("reception_no", wanted))  # one parameter, however many
    return {d.reception_no: _view(d) for d in rows}


def benefit_decision_corrections(reception_nos: Iterable[str]) -> dict[str, int]:
    """受付番号 → how many times the union corrected the decision held (those without one are absent):
    enough to tell, without reading the decisions, which ones changed since they were applied."""
    wanted = list(dict.fromkeys(reception_nos))
    out: dict[str, int] = {}
    for start in range(0, len(wanted), 5_000):
        part = wanted[start : start + 5_000]
        out.update(BenefitDecision.objects.filter(InValues("reception_no", part))
                   .values_list("reception_no", "corrections"))  # fmt: skip
    return out
