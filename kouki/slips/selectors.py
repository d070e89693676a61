"""Reads of payment slips for other apps (the convenience-store payment import maps a code to a slip).

A code matches the slip whose stored barcode is exactly that code; a superseded slip still matches (its
`superseded` is True: the customer paid with an old slip, which the caller decides how to treat).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from kouki.core.audit_vocabulary import AuditTarget
from kouki.core.db import AuditRecordSets, chunked, ids_per_key
from kouki.rules.gs1 import parse
from kouki.slips.models import PaymentSlip

_CHUNK = 5000
_COLUMNS = (
    "pk", "slip_no", "reissue", "instalment_id", "person_id", "fiscal_year", "period", "amount", "due_date",
    "superseded_at", "barcode",
)  # fmt: skip


@dataclass(frozen=True)
class SlipRef:
    slip_id: int
    slip_no: int
    reissue: int
    instalment_id: int
    person_id: int
    fiscal_year: int
    period: int
    amount: int
    due_date: date
    superseded: bool


def _ref(row: tuple[Any, ...]) -> SlipRef:
    pk, slip_no, reissue, instalment, person, fy, period, amount, due, superseded_at, _code = row
    return SlipRef(
        slip_id=pk,
        slip_no=slip_no,
        reissue=reissue,
        instalment_id=instalment,
        person_id=person,
        fiscal_year=fy,
        period=period,
        amount=amount,
        due_date=due,
        superseded=superseded_at is not None,
    )


def slip_for_code(code: str) -> SlipRef | None:
    """The slip that carries this 44-digit code, or None when no slip does.
    ValueError (from kouki.rules.gs1.parse) when the code itself is malformed (length, AI, check digit…)."""
    parse(code)
    row = PaymentSlip.objects.filter(barcode=code).values_list(*_COLUMNS).first()
    return _ref(row) if row is not None else None


def slips_for_codes(codes: Sequence[str]) -> dict[str, SlipRef]:
    """code → slip for the codes that match a slip (malformed or unknown codes are simply absent)."""
    wanted = sorted({c for c in codes if len(c) == 44 and c.isascii() and c.isdigit()})
    out: dict[str, SlipRef] = {}
    for part in chunked(wanted, _CHUNK):
        for row in PaymentSlip.objects.filter(barcode__in=part).values_list(
            *_COLUMNS
        ):
            out[str(row[-1])] = _ref(row)
    return out


def slips_of_person(person_id: int, fiscal_year: int) -> list[SlipRef]:
    """The slips in force of a person and year, by due date."""
    rows = PaymentSlip.objects.filter(
        person_id=person_id, fiscal_year=fiscal_year, superseded_at__isnull=True
    ).order_by("due_date", "pk")
    return [_ref(row) for row in rows.values_list(*_COLUMNS)]


def audit_targets_of(person_id: int) -> dict[AuditTarget, list[str]]:
    """The person's payment slips as audit rows name them (for the person's history)."""
    return ids_per_key(audit_record_sets(person_id))


def audit_record_sets(person_id: int) -> AuditRecordSets:
    """The records `audit_targets_of` names, as querysets (gathered with other apps' in one query)."""
    return {AuditTarget.PAYMENT_SLIP: PaymentSlip.objects.filter(person_id=person_id)}
