"""滞納者一覧 (issue 5 §4): per person the instalments past due and unpaid, oldest due date, total; the
contact history (電話・訪問・文書) and payment pledges (分納誓約) kept or broken by the receipts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from arrears.helpers import ACTOR, direct_person, instalments, pay
from kouki.arrears.models import PledgeStatus
from kouki.arrears.selectors import arrears_list, contacts_of, pledges_of
from kouki.arrears.services import (
    ArrearsError,
    contact_record,
    pledge_make,
    pledges_review,
    reminders_issue,
)
from kouki.privacy.models import AuditEntry


@pytest.mark.django_db
def test_arrears_list_per_person_with_oldest_due_and_total() -> None:
    late, plan = direct_person(90_000)
    on_time, plan2 = direct_person(90_000)
    rows = instalments(plan)
    for inst in instalments(plan2)[:3]:
        pay(on_time, inst, paid_on=inst.due_date)
    pay(late, rows[1], paid_on=rows[1].due_date)  # the second paid, the first and third not
    on = rows[2].due_date + timedelta(days=1)
    reminders_issue(actor=ACTOR, on=on)
    contact_record(actor=ACTOR, person_id=late.pk, contacted_on=on, channel="phone", note="不在")

    result = arrears_list(on)
    assert [r.person_id for r in result] == [late.pk]
    row = result[0]
    assert [u.instalment_id for u in row.instalments] == [rows[0].pk, rows[2].pk]
    assert row.oldest_due == rows[0].due_date and row.total == rows[0].amount + rows[2].amount
    assert row.last_reminder_on == on and row.last_contact_on == on and row.pledge_status is None
    assert list(row.by_fiscal_year()) == [2025]
    assert arrears_list(rows[0].due_date) == []  # nothing past due on the first due date itself


@pytest.mark.django_db
def test_contacts_are_recorded_audited_and_refuse_personal_numbers() -> None:
    person, _ = direct_person()
    row = contact_record(
        actor=ACTOR,
        person_id=person.pk,
        contacted_on=date(2025, 9, 1),
        channel="visit",
        note="本人と面談、来月から分納の相談",
        staff="収納 一郎",
    )
    assert [(c.channel, c.staff) for c in contacts_of(person.pk)] == [("visit", "収納 一郎")]
    assert AuditEntry.objects.filter(action="contact_record", target_id=str(row.pk)).exists()
    with pytest.raises(ArrearsError, match="電話・訪問・文書から選んでください"):
        contact_record(actor=ACTOR, person_id=person.pk, contacted_on=date(2025, 9, 1), channel="fax")
    with pytest.raises(ArrearsError, match="個人番号は入力できません"):
        contact_record(
            actor=ACTOR,
            person_id=person.pk,
            contacted_on=date(2025, 9, 1),
            channel="phone",
            note="番号 " + "1234 5678 9018".replace(" ", ""),
        )


@pytest.mark.django_db
def test_pledge_kept_by_receipts() -> None:
    person, plan = direct_person(90_000)
    rows = instalments(plan)
    made = rows[1].due_date + timedelta(days=3)
    pledge = pledge_make(
        actor=ACTOR,
        person_id=person.pk,
        made_on=made,
        schedule=[(made + timedelta(days=10), 5_000), (made + timedelta(days=40), 5_000)],
    )
    assert pledge.arrears == rows[0].amount + rows[1].amount
    assert AuditEntry.objects.filter(action="pledge_make", target_id=str(pledge.pk)).exists()
    pay(person, rows[0], 5_000, paid_on=made + timedelta(days=9))
    assert pledges_review(actor=ACTOR, on=made + timedelta(days=20)) == {"kept": 0, "broken": 0}
    pay(person, rows[0], 5_000, paid_on=made + timedelta(days=35))
    assert pledges_review(actor=ACTOR, on=made + timedelta(days=36)) == {"kept": 1, "broken": 0}
    (view,) = pledges_of(person.pk)
    assert view.status == PledgeStatus.KEPT and view.pledged == 10_000


@pytest.mark.django_db
def test_pledge_broken_when_a_pledged_date_passes_without_enough_receipts() -> None:
    person, plan = direct_person(90_000)
    made = instalments(plan)[0].due_date + timedelta(days=3)
    pledge = pledge_make(
        actor=ACTOR, person_id=person.pk, made_on=made, schedule=[(made + timedelta(days=10), 5_000)]
    )
    pay(person, instalments(plan)[0], 4_000, paid_on=made + timedelta(days=10))
    assert pledges_review(actor=ACTOR, on=made + timedelta(days=11)) == {"kept": 0, "broken": 1}
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.BROKEN and pledge.status_on == made + timedelta(days=11)
    assert AuditEntry.objects.filter(action="pledge_review", target_id=str(pledge.pk)).exists()
    assert arrears_list(made + timedelta(days=11))[0].pledge_status == PledgeStatus.BROKEN


@pytest.mark.django_db
def test_a_pledge_needs_a_sensible_schedule() -> None:
    person, _ = direct_person()
    on = date(2025, 9, 1)
    for schedule, match in (
        ([], "1件以上"),
        ([(on, 0)], "1円以上"),
        ([(on - timedelta(days=1), 10)], "誓約日より前"),
        ([(on, 1), (on, 2)], "同じ納付予定日が複数"),
    ):
        with pytest.raises(ArrearsError, match=match):
            pledge_make(actor=ACTOR, person_id=person.pk, made_on=on, schedule=schedule)
