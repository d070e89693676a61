"""Stored instalment plans: planned from the assessment in force (Saitama rules), re-planned after a 更正,
the bulk initial run (idempotent), and `kouki batch instalments` writing the notice PDFs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from factories import make_person

from kouki.addressees.models import Person
from kouki.assessment.models import Assessment, InstalmentPlan
from kouki.assessment.notice_data import premium_change_notice_data, premium_notice_data
from kouki.assessment.plan_rows import stored_plan
from kouki.assessment.planning import (
    instalment_plan_create,
    instalment_plan_replan,
    instalment_plans_initial,
    instalment_plans_initial_created,
)
from kouki.assessment.planning_config import PlanningError
from kouki.assessment.selectors import instalment_plan_in_force
from kouki.cli import main
from kouki.documents.premium_data import instalment_lines
from kouki.income.models import IncomeRecord
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry

ACTOR = Actor.system("test-instalment-plans")
FY = 2025
MONTHS = (7, 8, 9, 10, 11, 12, 1, 2, 3)


def assess(
    person: Person, premium: int, *, kind: str = "initial", assessed_on: date = date(2025, 7, 1)
) -> Assessment:
    Assessment.objects.filter(person=person, fiscal_year=FY, superseded_at__isnull=True).update(
        superseded_at=timezone.now()
    )
    return Assessment.objects.create(
        person=person, fiscal_year=FY, kind=kind, insured_no="12345678", assessed_on=assessed_on,
        per_capita_levy=premium // 2, income_levy=premium - premium // 2, reduction="none", months=12,
        annual_premium=premium, income_base=300_000, reason="income" if kind != "initial" else "",
        recorded_at=timezone.now(),
    )  # fmt: skip


def income(person: Person, pension: int) -> None:
    IncomeRecord.objects.create(
        person=person, income_year=FY - 1, public_pension_revenue=pension, care_premium_annual=60_000,
        care_deduction_pension_annual=pension, recorded_at=timezone.now(),
    )  # fmt: skip


def amounts(plan: InstalmentPlan) -> list[tuple[str, str, int]]:
    return list(plan.instalments.order_by("due_date", "method").values_list("method", "month", "amount"))


@pytest.mark.django_db
def test_direct_plan_sums_to_the_premium_with_odd_yen_first() -> None:
    person = make_person()
    a = assess(person, 60_050)
    plan = instalment_plan_create(actor=ACTOR, assessment_id=a.pk, on=date(2025, 7, 1), direct_months=MONTHS)
    rows = amounts(plan)
    assert [m for m, _, _ in rows] == ["direct"] * 9
    assert sum(x for _, _, x in rows) == 60_050
    assert rows[0][2] > rows[1][2]  # odd yen in the first instalment
    assert AuditEntry.objects.filter(action="instalment_plan_create", target_id=str(plan.pk)).exists()


@pytest.mark.django_db
def test_pension_plan_sums_to_the_premium() -> None:
    person = make_person()
    income(person, 1_800_000)
    a = assess(person, 90_000)
    plan = instalment_plan_create(actor=ACTOR, assessment_id=a.pk, on=date(2025, 7, 1))
    rows = amounts(plan)
    assert {m for m, _, _ in rows} == {"pension"}
    assert len(rows) == 6
    assert sum(x for _, _, x in rows) - plan.overpayment == 90_000


@pytest.mark.django_db
def test_missing_saitama_direct_months_is_a_clear_error() -> None:
    person = make_person()
    a = assess(person, 60_000)
    with override_settings(KOUKI_DIRECT_MONTHS=None), pytest.raises(PlanningError) as err:
        instalment_plan_create(actor=ACTOR, assessment_id=a.pk, on=date(2025, 7, 1))
    assert "KOUKI_DIRECT_MONTHS" in str(err.value) and "direct_months" in str(err.value)
    assert not InstalmentPlan.objects.exists()


@pytest.mark.django_db
def test_setting_supplies_the_direct_months() -> None:
    person = make_person()
    a = assess(person, 45_000)
    with override_settings(KOUKI_DIRECT_MONTHS="7,8,9,10,11,12,1,2,3"):
        plan = instalment_plan_create(actor=ACTOR, assessment_id=a.pk, on=date(2025, 7, 1))
    assert plan.instalments.count() == 9


@pytest.mark.django_db
def test_replan_after_a_lower_premium_gives_the_overpayment() -> None:
    person = make_person()
    a = assess(person, 90_000)
    old = instalment_plan_create(actor=ACTOR, assessment_id=a.pk, on=date(2025, 7, 1), direct_months=MONTHS)
    on = date(2025, 11, 5)  # July–October (4 instalments) are due by then
    settled = sum(x.amount for x in old.instalments.all() if x.due_date <= on)
    new_a = assess(person, settled - 3_000, kind="reassessment")
    plan = instalment_plan_replan(
        actor=ACTOR,
        person_id=person.pk,
        fiscal_year=FY,
        new_assessment_id=new_a.pk,
        on=on,
        direct_months=MONTHS,
    )
    assert plan.overpayment == 3_000
    assert sum(x for _, _, x in amounts(plan)) == settled
    assert all(x.due_date <= on for x in plan.instalments.all())
    old.refresh_from_db()
    assert old.superseded_at is not None and instalment_plan_in_force(person.pk, FY) == plan
    data = premium_change_notice_data([plan.pk], issued_on=on)[0]
    assert data.overpayment == 3_000 and data.settled == settled


@pytest.mark.django_db
def test_replan_after_a_higher_premium_adds_direct_instalments_and_keeps_settled_ones() -> None:
    person = make_person()
    income(person, 2_400_000)
    a = assess(person, 60_000)
    old = instalment_plan_create(actor=ACTOR, assessment_id=a.pk, on=date(2025, 4, 1))
    on = date(2025, 9, 1)
    kept = [(i.month, i.amount) for i in old.instalments.all() if i.due_date <= on]
    pension_after = [(i.month, i.amount) for i in old.instalments.all() if i.due_date > on]
    new_a = assess(person, 75_000, kind="reassessment")
    plan = instalment_plan_replan(
        actor=ACTOR,
        person_id=person.pk,
        fiscal_year=FY,
        new_assessment_id=new_a.pk,
        on=on,
        direct_months=MONTHS,
    )
    rows = list(plan.instalments.all())
    assert sum(i.amount for i in rows) == 75_000
    assert [(i.month, i.amount) for i in rows if i.due_date <= on] == kept
    assert sorted((i.month, i.amount) for i in rows if i.method == "pension" and i.due_date > on) == sorted(
        pension_after
    )
    direct = [i for i in rows if i.method == "direct"]
    assert direct and sum(i.amount for i in direct) == 15_000
    assert all(i.due_date > on for i in direct)


@pytest.mark.django_db
def test_initial_run_plans_everyone_once_and_gathers_notice_data() -> None:
    people = [make_person() for _ in range(5)]
    income(people[0], 1_800_000)
    for n, p in enumerate(people):
        assess(p, 40_000 + 1_000 * n)
    assert (
        instalment_plans_initial(actor=ACTOR, fiscal_year=FY, on=date(2025, 7, 1), direct_months=MONTHS) == 5
    )
    assert (
        instalment_plans_initial(actor=ACTOR, fiscal_year=FY, on=date(2025, 7, 2), direct_months=MONTHS) == 0
    )
    plans = list(InstalmentPlan.objects.order_by("pk"))
    assert len(plans) == 5
    for plan in plans:
        assert sum(x for _, _, x in amounts(plan)) - plan.overpayment == plan.assessment.annual_premium
    data = premium_notice_data([p.pk for p in plans], issued_on=date(2025, 7, 1))
    assert [d.breakdown.annual_premium for d in data] == [p.assessment.annual_premium for p in plans]
    assert AuditEntry.objects.filter(action="instalment_plans_initial").count() == 1


@pytest.mark.django_db
def test_batch_command_writes_notices_and_change_notices(tmp_path: Path, operator: str) -> None:
    people = [make_person() for _ in range(3)]
    for p in people:
        assess(p, 50_000)
    out1 = tmp_path / "initial"
    with override_settings(KOUKI_DIRECT_MONTHS="7,8,9,10,11,12,1,2,3"):
        args = ["batch", "instalments", "--fiscal-year", str(FY), "--on", "2025-07-01", "--out", str(out1),
                "--as", operator]
        assert main(args) == 0
        first = list(out1.glob("*.pdf"))
        assert first and all(f.name.startswith("hokenryo-kettei-tsuchisho") for f in first)
        assess(people[1], 42_000, kind="reassessment", assessed_on=date(2025, 10, 1))
        out2 = tmp_path / "change"
        args = ["batch", "instalments", "--fiscal-year", str(FY), "--on", "2025-10-10", "--out", str(out2)]
        assert main(args) == 0
    files = list(out2.glob("*.pdf"))
    assert [f.name.startswith("hokenryo-henko-tsuchisho") for f in files] == [True]
    assert files[0].read_bytes().startswith(b"%PDF")
    assert InstalmentPlan.objects.filter(superseded_at__isnull=True).count() == 3
    assert InstalmentPlan.objects.filter(replaces__isnull=False, person=people[1]).count() == 1
    # the staff member who ran the batch is kept on every plan it made, initial and re-planned (issue 11 §2)
    assert set(InstalmentPlan.objects.values_list("created_by", flat=True)) == {operator}


class _Crash(Exception):
    pass


@pytest.mark.django_db
def test_the_plans_commit_only_with_their_notices(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 16 §3: stopped after the PDFs, before the commit, the batch leaves no plan; the re-run plans
    and prints the same (before, the plans committed first and a crash left them never notified)."""
    from kouki.collection import instalment_batch as batch

    for n in range(2):
        assess(make_person(), 50_000 + 1_000 * n)

    def fault(point: str, name: str = "") -> None:
        if point == "before-commit":
            raise _Crash

    with monkeypatch.context() as m:
        m.setattr(batch, "fault_point", fault)
        with pytest.raises(_Crash):
            batch.instalment_batch(actor=ACTOR, fiscal_year=FY, on=date(2025, 7, 1), out_dir=tmp_path / "a",
                                   direct_months=MONTHS, workers=1)  # fmt: skip
    assert not InstalmentPlan.objects.exists()
    left = {f.name: f.read_bytes() for f in (tmp_path / "a").glob("*.pdf")}
    assert left
    result = batch.instalment_batch(actor=ACTOR, fiscal_year=FY, on=date(2025, 7, 1), out_dir=tmp_path / "b",
                                    direct_months=MONTHS, workers=1)  # fmt: skip
    assert result.planned == 2 and InstalmentPlan.objects.count() == 2
    assert {f.name: f.read_bytes() for f in (tmp_path / "b").glob("*.pdf")} == left


@pytest.mark.django_db
@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_batch_command_without_direct_months_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assess(make_person(), 50_000)
    with override_settings(KOUKI_DIRECT_MONTHS=None):
        code = main(
            ["batch", "instalments", "--fiscal-year", str(FY), "--on", "2025-07-01", "--out", str(tmp_path)]
        )
    assert code == 2
    assert "KOUKI_DIRECT_MONTHS" in capsys.readouterr().err


def _stored_plans() -> list[tuple[object, ...]]:
    return [
        (p.person_id, p.amount_due, p.pension_deduction_starts, p.direct_reason, p.overpayment,
         list(p.instalments.order_by("due_date", "method").values_list(
             "method", "stage", "period", "month", "due_date", "amount")))
        for p in InstalmentPlan.objects.filter(superseded_at__isnull=True).order_by("person_id")
    ]  # fmt: skip


@pytest.mark.django_db
def test_initial_run_in_worker_processes_stores_the_same_plans_and_notice_lines() -> None:
    # issue 4 §5: the bulk run plans in 2 forked workers; plans, instalments and the notices' tables must
    # be those of the run in one process, and the notice table that of documents' instalment_lines.
    people = [make_person() for _ in range(7)]
    for n, p in enumerate(people):
        if n % 2:
            income(p, 1_200_000 + 600_000 * n)
        assess(p, 40_050 + 9_990 * n)
    on = date(2025, 7, 1)
    ids = instalment_plans_initial_created(
        actor=ACTOR, fiscal_year=FY, on=on, direct_months=MONTHS, chunk=2, workers=2
    )
    forked = _stored_plans()
    assert len(ids) == 7 and AuditEntry.objects.filter(action="instalment_plans_initial").count() == 4
    data = premium_notice_data(ids, issued_on=on)
    for d, plan_id in zip(data, ids, strict=True):
        plan = InstalmentPlan.objects.get(pk=plan_id)
        assert d.instalments == instalment_lines(stored_plan(plan).instalments)
        assert d.addressee.addressee_no == plan.person.addressee_no
    InstalmentPlan.objects.all().delete()
    instalment_plans_initial_created(actor=ACTOR, fiscal_year=FY, on=on, direct_months=MONTHS, workers=1)
    assert _stored_plans() == forked


@pytest.mark.django_db
def test_initial_run_error_in_a_worker_writes_nothing() -> None:
    for n in range(3):
        assess(make_person(), 50_000 * (n + 1))
    Assessment.objects.filter(annual_premium=100_000).update(annual_premium=-1)  # a broken record
    with pytest.raises(PlanningError, match="annual_premium"):
        instalment_plans_initial_created(
            actor=ACTOR, fiscal_year=FY, on=date(2025, 7, 1), direct_months=MONTHS, chunk=1, workers=2
        )
    assert not InstalmentPlan.objects.exists()
