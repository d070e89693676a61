"""保険料納付確認書 for a calendar year (requirements.md §1.3 (3)⑤; 社会保険料控除): payments of 1 January –
31 December by channel from receipts_of; pension deductions listed apart (the pension payer certifies
them); PDF with the IPAex font embedded. The demo samples (issue 5 §8)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from documents.pdftools import pdffonts, pdftotext

from arrears.helpers import ACTOR, direct_person, instalments, pay, pension_person
from kouki.arrears.certificates import payment_certificate_data, payment_certificate_issue
from kouki.arrears.samples import demo_samples
from kouki.assessment.models import Instalment
from kouki.collection.models import Channel
from kouki.documents.payment_certificate import PENSION_NOTE
from kouki.privacy.models import AuditEntry


def compact(path: Path) -> str:
    return "".join(pdftotext(path).split())


@pytest.mark.django_db
def test_totals_by_channel_for_the_calendar_year(tmp_path: Path) -> None:
    person, plan = direct_person(90_000, family_name="浦和", given_name="一郎")
    rows = instalments(plan)
    pay(person, rows[0], paid_on=date(2025, 7, 31), channel=Channel.DEBIT)
    pay(person, rows[1], paid_on=date(2025, 9, 1), channel=Channel.STORE)
    pay(person, rows[5], paid_on=date(2026, 1, 5), channel=Channel.COUNTER)  # next calendar year
    data = payment_certificate_data(person.pk, 2025, issued_on=date(2026, 1, 20))
    assert data.by_channel() == {"debit": rows[0].amount, "store": rows[1].amount}
    assert data.certified_total == rows[0].amount + rows[1].amount and data.pension_total == 0

    pdf, path = payment_certificate_issue(
        actor=ACTOR, person_id=person.pk, year=2025, on=date(2026, 1, 20), out_dir=tmp_path
    )
    assert path is not None and path.read_bytes() == pdf
    fonts = pdffonts(path)
    assert fonts and all(f["emb"] == "yes" for f in fonts)
    text = compact(path)
    assert "納付確認書" in text and "浦和" in text and "令和7年1月1日から令和7年12月31日まで" in text
    assert "口座振替" in text and "コンビニ納付" in text and f"{data.certified_total:,}円" in text
    assert "源泉徴収票" not in text  # no pension deductions, no pension note
    assert AuditEntry.objects.filter(action="payment_certificate_issue", target_id=str(person.pk)).exists()


@pytest.mark.django_db
def test_pension_deductions_are_listed_apart_and_said_so(tmp_path: Path) -> None:
    person, plan = pension_person(90_000)
    october = Instalment.objects.get(plan=plan, month="2025-10")
    pay(person, october, paid_on=date(2025, 10, 15), channel=Channel.PENSION)
    data = payment_certificate_data(person.pk, 2025, issued_on=date(2026, 1, 20))
    assert data.pension_total == october.amount and data.certified_total == 0
    _, path = payment_certificate_issue(
        actor=ACTOR, person_id=person.pk, year=2025, on=date(2026, 1, 20), out_dir=tmp_path
    )
    assert path is not None
    text = compact(path)
    assert "(参考)特別徴収" in text and "公的年金等の源泉徴収票" in text
    assert "".join(PENSION_NOTE.split())[:30] in text


def test_demo_samples(tmp_path: Path) -> None:
    paths = demo_samples(tmp_path / "docs")
    assert [p.name for p in paths] == ["tokusokujo-sample.pdf", "nofu-kakuninsho-sample.pdf"]
    for p in paths:
        assert all(f["emb"] == "yes" for f in pdffonts(p))
    assert "督促状" in compact(paths[0]) and "納付確認書" in compact(paths[1])


@pytest.mark.django_db
def test_a_late_charge_is_never_certified_and_a_note_says_so(tmp_path: Path, settings: object) -> None:
    # 延滞金 is not deductible as 社会保険料 (https://www.setuzei.biz/archives/480): issue 10 §4
    from kouki.collection.models import LateCharge
    from kouki.documents.payment_certificate import LATE_CHARGE_NOTE

    settings.KOUKI_LATE_CHARGE_EARLY_MONTHS = "1"  # type: ignore[attr-defined]
    person, plan = direct_person(900_000, family_name="浦和", given_name="二郎")
    first = instalments(plan)[0]
    pay(person, first, paid_on=date(2025, 12, 1), channel=Channel.COUNTER)  # four months late
    assert LateCharge.objects.get(person=person).amount > 0
    data = payment_certificate_data(person.pk, 2025, issued_on=date(2026, 1, 20))
    assert data.late_charge_note and data.certified_total == first.amount
    _, path = payment_certificate_issue(
        actor=ACTOR, person_id=person.pk, year=2025, on=date(2026, 1, 20), out_dir=tmp_path
    )
    assert path is not None and "".join(LATE_CHARGE_NOTE.split())[:30] in compact(path)
    assert not payment_certificate_data(person.pk, 2024, issued_on=date(2026, 1, 20)).late_charge_note
