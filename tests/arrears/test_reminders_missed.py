"""督促漏れ (issue 10 §7): the mayor must remind (地方自治法 §231の3 ①: 「督促しなければならない」) — the 20
days are a city rule (ADR 0011), so an instalment missed longer ago without a reminder is listed and can
still be reminded (late, audited); an instalment extinguished by limitation (地方自治法 §236 ②) is not."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from arrears.helpers import ACTOR, direct_person, instalments, pay, pension_person
from kouki.arrears.models import Reminder
from kouki.arrears.selectors import reminders_missed
from kouki.arrears.services import ArrearsError, reminders_issue, reminders_issue_missed
from kouki.cli import main
from kouki.collection.limitation import instalment_expiry
from kouki.privacy.models import AuditEntry
from kouki.rules.arrears import add_years


@pytest.mark.django_db
def test_missed_reminders_are_listed_and_issued_late(tmp_path: Path) -> None:
    person, plan = direct_person(90_000)
    rows = instalments(plan)
    first, second, third = rows[:3]
    reminders_issue(actor=ACTOR, on=first.due_date + timedelta(days=1))  # the first was reminded in time
    pay(person, third, paid_on=third.due_date)  # the third was paid
    pension_person(90_000)  # pension instalments are never reminded (conversion worklist instead)
    on = second.due_date + timedelta(days=40)  # the second was missed: 40 days > the 20-day window
    missed = reminders_missed(on)
    assert [u.instalment_id for u in missed] == [second.pk]
    # within the window, the daily batch covers it: not listed as missed
    assert reminders_missed(second.due_date + timedelta(days=20)) == []
    run = reminders_issue_missed(actor=ACTOR, on=on, out_dir=tmp_path)
    assert run.people == 1 and run.pdf is not None and run.pdf.name == f"tokusokujo-late-{on:%Y%m%d}.pdf"
    reminder = Reminder.objects.get(instalment_id=second.pk)
    assert (reminder.issued_on, reminder.amount) == (on, second.amount)
    assert AuditEntry.objects.filter(action="reminder_issue_late", target_id=str(reminder.pk)).exists()
    assert reminders_missed(on) == []  # once reminded, no longer missed; a rerun issues nothing
    assert reminders_issue_missed(actor=ACTOR, on=on).reminder_ids == []
    # the late 督促 renews the instalment's limitation from its 指定期限 (高確法 §160 ②)
    assert instalment_expiry(person.pk, 2025, second.pk) == add_years(reminder.deadline, 2)


@pytest.mark.django_db
def test_only_missed_instalments_may_be_chosen() -> None:
    _, plan = direct_person(90_000)
    first, second = instalments(plan)[:2]
    on = second.due_date + timedelta(days=40)
    with pytest.raises(ArrearsError, match="督促状の発行対象ではありません"):
        reminders_issue_missed(actor=ACTOR, on=on, instalment_ids=[first.pk, second.pk + 10_000])
    assert Reminder.objects.count() == 0
    run = reminders_issue_missed(actor=ACTOR, on=on, instalment_ids=[first.pk])
    assert list(Reminder.objects.values_list("instalment_id", flat=True)) == [first.pk] and run.people == 1


@pytest.mark.django_db
def test_an_extinguished_instalment_is_not_reminded() -> None:
    """地方自治法 §236 ②: once the limitation ran out there is no claim left to remind."""
    _, plan = direct_person(90_000)
    first, second = instalments(plan)[:2]
    on = add_years(first.due_date, 2) + timedelta(days=1)
    ids = [u.instalment_id for u in reminders_missed(on)]
    assert first.pk not in ids and second.pk in ids


@pytest.mark.django_db
@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_collect_reminders_lists_and_issues_missed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, plan = direct_person(90_000)
    first = instalments(plan)[0]
    on = first.due_date + timedelta(days=30)
    assert main(["collect", "reminders", "--on", on.isoformat(), "--list-missed"]) == 0
    out = capsys.readouterr().out
    assert "1 instalments" in out and f"instalment {first.pk}" in out
    assert main(["collect", "reminders", "--on", on.isoformat(), "--out", str(tmp_path)]) == 0
    assert "missed outside the window, not issued: 1" in capsys.readouterr().out
    assert Reminder.objects.count() == 0
    assert main(["collect", "reminders", "--on", on.isoformat(), "--out", str(tmp_path), "--missed"]) == 0
    assert "missed reminders issued late: 1 instalments" in capsys.readouterr().out
    assert list(Reminder.objects.values_list("instalment_id", flat=True)) == [first.pk]
    assert main(["collect", "reminders", "--on", date(2025, 1, 1).isoformat()]) == 2  # --out missing
