"""Run as a subprocess by the crash harness (tests/faults/harness.py) against the seed database: adds what
the collection and certificate batches work on to the synthetic city — people with 2025 instalment plans
(direct and pension), some paid, some in arrears, pending 資格確認書発行用情報 requests, and the counter
clerk who runs the certificate batch.

Synthetic people only (tests/factories.py); deterministic: the same database gets the same rows."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def main() -> None:
    sys.path.insert(0, str(TESTS))
    from kouki.cli import setup_django

    setup_django()
    from arrears.helpers import direct_person, instalments, pay, pension_person, valid_insured_no
    from django.utils import timezone
    from factories import make_person, make_staff

    from kouki.accounts.permissions import Role
    from kouki.eligibility.models import InsuredPeriod
    from kouki.eligibility.services import certificate_requests_store
    from kouki.interfaces.union.records import CertificateIssueRecord, CertificateKind, CertificateReason
    from kouki.privacy.context import Actor

    make_staff(Role.COUNTER_CLERK, username="clerk.sato", staff_name="佐藤 花子")  # the certificate batch
    for n in range(8):
        person, plan = direct_person(60_000 + 6_000 * n)
        rows = instalments(plan)
        if n % 3 == 0:  # paid the first instalment on time
            pay(person, rows[0], paid_on=rows[0].due_date)
        elif n % 3 == 1:  # paid part of it late
            pay(person, rows[0], rows[0].amount // 2, paid_on=date(2025, 8, 5))
    for n in range(2):
        pension_person(72_000 + 12_000 * n)
    people = [make_person(given_name=f"確認{i}", birth_date=date(1940, 1, 1)) for i in range(4)]
    kinds = [CertificateKind.CERTIFICATE, CertificateKind.CERTIFICATE, CertificateKind.NOTICE,
             CertificateKind.CERTIFICATE]
    records = []
    for i, (person, kind) in enumerate(zip(people, kinds, strict=True)):
        number = valid_insured_no()
        InsuredPeriod.objects.create(
            person=person, insured_no=number, insurer_no="39110011", acquired_on=date(2021, 5, 1),
            acquisition_reason="01", copay_rate=20, copay_from=date(2021, 5, 1), decided_on=date(2021, 5, 1),
            recorded_at=timezone.now(),
        )
        records.append(CertificateIssueRecord(
            municipality_code="11100", addressee_no=person.addressee_no, kind=kind,
            reason=CertificateReason.RENEWAL, insured_no=number, insurer_no="39110011", family_name="試験",
            given_name=f"{i}号", family_name_kana="シケン", given_name_kana="タロウ", sex="1",
            birth_date=date(1940, 1, 1), postal_code=f"33{i}0001", address="さいたま市浦和区高砂三丁目1番1号",
            acquired_on=date(2015, 1, 1), copay_rate=20, valid_from=date(2026, 8, 1),
            valid_until=date(2027, 7, 31), limit_category="", issued_on=date(2026, 7, 15),
        ))
    certificate_requests_store(actor=Actor.system("faults-seed"), records=records)


if __name__ == "__main__":
    main()
