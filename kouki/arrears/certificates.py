"""保険料納付確認書 for a calendar year (collection function (3)⑤): what a person paid from 1 January to
31 December, by channel, from kouki.collection.selectors.receipts_of; issuing one is audited."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

from django.db import transaction

from kouki.arrears.people import addressee_of, insured_no_of
from kouki.collection.late_charge_selectors import late_charges_of
from kouki.collection.selectors import receipts_of
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.documents.data import default_insurer_name, default_issuer
from kouki.documents.payment_certificate import (
    STEM,
    PaymentCertificateData,
    PaymentLine,
    render_certificates,
)
from kouki.privacy.audit import audit_record, digest_for_audit
from kouki.privacy.context import Actor


def payment_certificate_data(person_id: int, year: int, *, issued_on: date) -> PaymentCertificateData:
    lines = tuple(
        PaymentLine(r.paid_on, r.fiscal_year, r.period, r.channel, r.amount)
        for r in receipts_of(person_id, paid_from=date(year, 1, 1), paid_to=date(year, 12, 31))
    )
    fiscal_years = sorted({line.fiscal_year for line in lines}) or [year]
    late = any(c.paid_off_on.year == year and c.amount > 0 for c in late_charges_of(person_id))
    return PaymentCertificateData(
        addressee=addressee_of(person_id), insured_no=insured_no_of(person_id, fiscal_years[-1]), year=year,
        issued_on=issued_on, lines=lines, issuer=default_issuer(), insurer_name=default_insurer_name(),
        late_charge_note=late,
    )  # fmt: skip


def payment_certificate_issue(
    *, actor: Actor, person_id: int, year: int, on: date, out_dir: Path | None = None
) -> tuple[bytes, Path | None]:
    """Render the 納付確認書 (PDF bytes, and out_dir/nofu-kakuninsho-<year>-<宛名番号>.pdf when out_dir is
    given) and record that it was issued."""
    data = payment_certificate_data(person_id, year, issued_on=on)
    pdf = render_certificates([data])
    path = None
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.PAYMENT_CERTIFICATE_ISSUE,
                     target_type=AuditTarget.ADDRESSEES_PERSON,
                     target_id=str(person_id), detail={
                         "year": year, "certified": data.certified_total, "pension": data.pension_total,
                         "sha256": digest_for_audit(hashlib.sha256(pdf).hexdigest())})  # fmt: skip
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            path = out_dir / f"{STEM}-{year}-{data.addressee.addressee_no}.pdf"
            path.write_bytes(pdf)
    return pdf, path
