"""Issuing and re-issuing 納付書 (payment slips): direct instalments only, audited, the re-issue digit,
the 300,000円 limit and the code in the selector (domain-facts §5; OUT-02)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from kouki.assessment.models import Instalment
from kouki.privacy.models import AuditEntry
from kouki.rules.gs1 import DEFAULT_FREE_FIELD, check_digit, parse
from kouki.slips.codes import SlipConfigError
from kouki.slips.models import PaymentSlip
from kouki.slips.selectors import slip_for_code, slips_for_codes, slips_of_person
from kouki.slips.services import SlipError, slip_reissue, slips_issue, slips_issue_for_plans

from .conftest import ACTOR, FY, direct_plan

ON = date(FY, 7, 1)


@pytest.mark.django_db
def test_issue_for_a_plan_makes_one_slip_per_direct_instalment_with_its_code() -> None:
    plan = direct_plan(60_050)
    slips = slips_issue(actor=ACTOR, plan_id=plan.pk, on=ON)
    instalments = list(plan.instalments.order_by("due_date"))
    assert len(slips) == 9
    assert [s.instalment_id for s in slips] == [i.pk for i in instalments]
    assert sum(s.amount for s in slips) == 60_050
    for s, i in zip(slips, instalments, strict=True):
        code = parse(s.barcode)
        assert (code.amount, code.due_date, code.reissue, code.biller_code) == (
            i.amount,
            i.due_date,
            0,
            "900000",
        )
        fields = DEFAULT_FREE_FIELD.split(code.free_field)
        assert fields == {"fiscal_year": "2026", "slip_no": f"{s.slip_no:012d}", "period": f"{i.period:02d}",
                          "reserve": "000"}  # fmt: skip
    assert len({s.slip_no for s in slips}) == 9
    audit = AuditEntry.objects.filter(action="slip_issue")
    assert sorted(audit.values_list("target_id", flat=True)) == sorted(str(s.pk) for s in slips)


@pytest.mark.django_db
def test_issuing_again_skips_instalments_with_a_slip_in_force() -> None:
    plan = direct_plan()
    slips_issue(actor=ACTOR, plan_id=plan.pk, on=ON)
    assert slips_issue(actor=ACTOR, plan_id=plan.pk, on=ON) == []
    assert PaymentSlip.objects.count() == 9


@pytest.mark.django_db
def test_issue_from_a_date_leaves_out_instalments_already_due() -> None:
    plan = direct_plan()
    slips = slips_issue(actor=ACTOR, plan_id=plan.pk, on=date(FY, 10, 15))
    assert all(s.due_date >= date(FY, 10, 15) for s in slips)
    assert len(slips) == plan.instalments.filter(due_date__gte=date(FY, 10, 15)).count()


@pytest.mark.django_db
def test_pension_instalments_get_no_slip() -> None:
    plan = direct_plan()
    first = plan.instalments.order_by("due_date").first()
    assert first is not None
    Instalment.objects.filter(pk=first.pk).update(method="pension")
    with pytest.raises(SlipError, match="普通徴収"):
        slips_issue(actor=ACTOR, instalment_ids=[first.pk], on=ON)
    assert len(slips_issue(actor=ACTOR, plan_id=plan.pk, on=ON)) == 8


@pytest.mark.django_db
def test_no_barcode_above_300000_yen() -> None:
    plan = direct_plan(3_000_000)  # nine instalments of about 333,333円
    slips = slips_issue(actor=ACTOR, plan_id=plan.pk, on=ON)
    assert all(s.amount > 300_000 and s.barcode == "" for s in slips)


@pytest.mark.django_db
def test_reissue_increments_the_digit_keeps_the_number_and_supersedes() -> None:
    plan = direct_plan()
    old = slips_issue(actor=ACTOR, plan_id=plan.pk, on=ON)[0]
    new = slip_reissue(actor=ACTOR, slip_id=old.pk, new_due_date=date(FY, 8, 20), on=date(FY, 8, 5))
    old.refresh_from_db()
    assert old.superseded_at is not None
    assert (new.slip_no, new.reissue, new.due_date, new.amount) == (
        old.slip_no,
        1,
        date(FY, 8, 20),
        old.amount,
    )
    code = parse(new.barcode)
    assert (code.reissue, code.due_date) == (1, date(FY, 8, 20))
    assert new.barcode[8:29] == old.barcode[8:29]  # same free field: same 納付書番号
    entry = AuditEntry.objects.get(action="slip_reissue", target_id=str(new.pk))
    assert entry.detail["replaces"] == old.pk and entry.detail["reissue"] == 1
    with pytest.raises(SlipError, match="superseded"):
        slip_reissue(actor=ACTOR, slip_id=old.pk, new_due_date=date(FY, 9, 1))


@pytest.mark.django_db
def test_reissue_stops_after_nine() -> None:
    plan = direct_plan()
    slip = slips_issue(actor=ACTOR, plan_id=plan.pk, on=ON)[0]
    for n in range(1, 10):
        slip = slip_reissue(actor=ACTOR, slip_id=slip.pk, new_due_date=date(FY, 8, n))
        assert slip.reissue == n
    with pytest.raises(SlipError, match="9 times"):
        slip_reissue(actor=ACTOR, slip_id=slip.pk, new_due_date=date(FY, 8, 20))
    assert PaymentSlip.objects.filter(slip_no=slip.slip_no, superseded_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_selector_maps_codes_to_slips_old_and_new() -> None:
    plan = direct_plan()
    old = slips_issue(actor=ACTOR, plan_id=plan.pk, on=ON)[0]
    new = slip_reissue(actor=ACTOR, slip_id=old.pk, new_due_date=date(FY, 8, 20))
    ref = slip_for_code(new.barcode)
    assert ref is not None and not ref.superseded
    assert (ref.slip_id, ref.instalment_id, ref.person_id, ref.amount, ref.reissue, ref.period) == (
        new.pk, old.instalment_id, plan.person_id, old.amount, 1, old.period)  # fmt: skip
    old_ref = slip_for_code(old.barcode)
    assert old_ref is not None and old_ref.superseded and old_ref.slip_no == ref.slip_no
    unknown = old.barcode[:20] + ("1" if old.barcode[20] == "0" else "0") + old.barcode[21:43]
    assert slip_for_code(unknown + check_digit(unknown)) is None
    with pytest.raises(ValueError, match="check digit"):
        slip_for_code(old.barcode[:43] + str((int(old.barcode[43]) + 1) % 10))
    found = slips_for_codes([old.barcode, new.barcode, "123"])
    assert set(found) == {old.barcode, new.barcode}
    assert next(r.slip_id for r in slips_of_person(plan.person_id, FY)) == new.pk


@pytest.mark.django_db
def test_bulk_issue_for_plans_matches_single_issue_and_audits_per_chunk() -> None:
    plans = [direct_plan(60_000 + 1000 * i) for i in range(5)]
    ids = slips_issue_for_plans(actor=ACTOR, plan_ids=[p.pk for p in plans], on=ON, chunk=2)
    assert len(ids) == 45
    slips = list(PaymentSlip.objects.filter(pk__in=ids))
    assert all(parse(s.barcode).amount == s.amount for s in slips)
    assert {s.instalment_id for s in slips} == set(
        Instalment.objects.filter(plan__in=plans).values_list("pk", flat=True))  # fmt: skip
    assert AuditEntry.objects.filter(action="slips_issue_for_plans").count() == 3
    assert slips_issue_for_plans(actor=ACTOR, plan_ids=[p.pk for p in plans], on=ON) == []
    new = slips_issue(actor=ACTOR, plan_id=direct_plan().pk, on=ON)  # numbering continues after bulk
    assert min(s.slip_no for s in new) > max(s.slip_no for s in slips)


@pytest.mark.django_db
def test_biller_code_and_layout_come_from_settings() -> None:
    plan = direct_plan()
    layout = "slip_no:12,period:2,fiscal_year:4,reserve:3=123"
    with override_settings(KOUKI_SLIP_BILLER_CODE="912345", KOUKI_SLIP_FREE_FIELD=layout):
        slip = slips_issue(actor=ACTOR, plan_id=plan.pk, on=ON)[0]
    code = parse(slip.barcode)
    assert code.biller_code == "912345"
    assert code.free_field == f"{slip.slip_no:012d}{slip.period:02d}2026123"
    with override_settings(KOUKI_SLIP_BILLER_CODE="12345"), pytest.raises(SlipConfigError, match="6 digits"):
        slips_issue(actor=ACTOR, plan_id=direct_plan().pk, on=ON)
    bad = "fiscal_year:4,period:2,reserve:15"
    with override_settings(KOUKI_SLIP_FREE_FIELD=bad), pytest.raises(SlipConfigError, match="slip_no"):
        slips_issue(actor=ACTOR, plan_id=direct_plan().pk, on=ON)
