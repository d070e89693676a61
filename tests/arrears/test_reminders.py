"""督促状 (issue 5 §4; 地方自治法 §231-3 ①): direct instalments missed at most 20 days ago and unpaid get
one reminder each, once; a PDF with the IPAex font embedded; every reminder audited (USE-03)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from documents.pdftools import page_count, pdffonts, pdftotext

from arrears.helpers import ACTOR, direct_person, instalments, pay, pension_person
from kouki.arrears.models import Reminder
from kouki.arrears.services import reminders_issue
from kouki.privacy.models import AuditEntry


@pytest.mark.django_db
def test_reminders_for_missed_instalments_once_each(tmp_path: Path) -> None:
    taro, plan = direct_person(90_000, family_name="見沼", given_name="太郎")
    paid_person, paid_plan = direct_person(90_000, family_name="緑", given_name="次郎")
    first = instalments(plan)[0]
    pay(paid_person, instalments(paid_plan)[0], paid_on=first.due_date)
    pension_person(90_000)  # pension instalments are not reminded
    on = first.due_date + timedelta(days=5)

    run = reminders_issue(actor=ACTOR, on=on, out_dir=tmp_path)
    reminders = list(Reminder.objects.all())
    assert [(r.person_id, r.instalment_id, r.amount) for r in reminders] == [
        (taro.pk, first.pk, first.amount)
    ]
    reminder = reminders[0]
    assert reminder.issued_on == on and reminder.deadline >= on + timedelta(days=10)
    assert reminder.deadline.weekday() < 5  # moved off a weekend
    assert run.people == 1 and run.pdf is not None and run.pdf.name == f"tokusokujo-{on:%Y%m%d}.pdf"
    assert reminder.document_sha256 == run.sha256
    assert AuditEntry.objects.filter(action="reminder_issue", target_id=str(reminder.pk)).exists()

    again = reminders_issue(actor=ACTOR, on=on, out_dir=tmp_path / "again")
    assert again.reminder_ids == [] and again.pdf is None and Reminder.objects.count() == 1


@pytest.mark.django_db
def test_the_window_is_twenty_days_after_the_due_date() -> None:
    _, plan = direct_person(90_000)
    first = instalments(plan)[0]
    assert reminders_issue(actor=ACTOR, on=first.due_date).reminder_ids == []  # not yet missed
    assert reminders_issue(actor=ACTOR, on=first.due_date + timedelta(days=21)).reminder_ids == []  # too late
    assert len(reminders_issue(actor=ACTOR, on=first.due_date + timedelta(days=20)).reminder_ids) == 1


@pytest.mark.django_db
def test_a_partly_paid_instalment_is_reminded_for_what_is_left() -> None:
    person, plan = direct_person(90_000)
    first = instalments(plan)[0]
    pay(person, first, 4_000, paid_on=first.due_date)
    reminders_issue(actor=ACTOR, on=first.due_date + timedelta(days=3))
    assert Reminder.objects.get().amount == first.amount - 4_000


@pytest.mark.django_db
def test_the_pdf_names_the_instalments_in_wareki_with_the_font_embedded(tmp_path: Path) -> None:
    _, plan = direct_person(90_000, family_name="見沼", given_name="太郎")
    direct_person(60_000, family_name="岩槻", given_name="花子")
    first = instalments(plan)[0]
    run = reminders_issue(actor=ACTOR, on=first.due_date + timedelta(days=2), out_dir=tmp_path)
    assert run.pdf is not None and page_count(run.pdf) == 2  # one page per person
    fonts = pdffonts(run.pdf)
    assert fonts and all(f["emb"] == "yes" for f in fonts) and all("IPAex" in f["name"] for f in fonts)
    text = "".join(pdftotext(run.pdf).split())
    assert "督促状" in text and "見沼" in text and "岩槻" in text and "地方自治法第231条の3第1項" in text
    assert "令和7年度" in text and "指定期限" in text and f"{first.amount:,}円" in text
    assert "第1期" in text


@pytest.mark.django_db
def test_the_deadline_days_are_configurable(settings: object) -> None:
    setattr(settings, "KOUKI_REMINDER_DEADLINE_DAYS", 15)  # noqa: B010
    _, plan = direct_person(90_000)
    on = instalments(plan)[0].due_date + timedelta(days=1)
    reminders_issue(actor=ACTOR, on=on)
    assert Reminder.objects.get().deadline >= on + timedelta(days=15)
