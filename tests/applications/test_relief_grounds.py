"""Issue 12 §1 (helper relief12): a 減免・猶予 at the counter asks what its ground needs — the fall in
income (grounds 1–4: last year's 合計所得 of the insured and the 生計維持者, this year's expected one [R26]),
the damage (ground 5: 損害額, what insurance makes good, the value: the 損害割合 [R27][R28]) and the ground's
evidence [R28] — carries it in 申請情報, and the simulated union decides on it: a properly documented
application is approved, an insufficient one refused with a reason printed on the notice. Dates after the
受付日 and a funeral before the death are refused at the counter; one bad record is held at sending, never
sent (so the union never rejects the whole day's file)."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from collection_factories import make_direct_plan
from django.utils import timezone
from factories import make_person, make_staff

from kouki.accounts.permissions import Role
from kouki.addressees.models import PersonStatus
from kouki.applications.decisions import applications_decisions_apply
from kouki.applications.models import Application, Status
from kouki.applications.notices import notice_document
from kouki.applications.services import (
    ApplicationError,
    ApplicationInput,
    application_confirm,
    application_receive,
)
from kouki.applications.union_send import applications_send
from kouki.eligibility.models import InsuredPeriod
from kouki.interfaces.benefit_decisions import import_benefit_decision
from kouki.interfaces.union.application_info import parse_application_info
from kouki.rules.applications import Applicant, ApplicationKind
from kouki.rules.benefits.codes import REASON_LABELS, DecisionReason, DecisionResult
from kouki.rules.identity_check import IdentityDocument
from kouki.sandbox.union.benefits import UnionBenefits

from .conftest import DAMAGE_50, Counter, actor_of, funeral_input

pytestmark = pytest.mark.django_db(transaction=True)
RECEIVED = date(2026, 7, 1)
INCOME_EVIDENCE = frozenset({"form", "ground_fact", "income_last_year", "income_this_year", "savings"})


def _insured(person_id: int, number: str = "23456789") -> None:
    InsuredPeriod.objects.create(
        person_id=person_id, insured_no=number, insurer_no="39110014", acquired_on=date(2020, 4, 1),
        acquisition_reason="01", copay_rate=10, copay_from=date(2020, 4, 1), decided_on=date(2020, 4, 1),
        recorded_at="2020-04-01T00:00:00+09:00",
    )  # fmt: skip


def _reduction(counter: Counter, details: dict[str, object], documents: frozenset[str] = INCOME_EVIDENCE,
               **changes: object) -> ApplicationInput:  # fmt: skip
    _person, plan = make_direct_plan(90_000, 2026, person=counter.living)
    chosen = tuple(plan.instalments.order_by("due_date").values_list("pk", flat=True)[3:6])
    values: dict[str, object] = dict(
        person_id=counter.living.pk, kind=ApplicationKind.PREMIUM_REDUCTION, received_on=RECEIVED,
        applicant=Applicant.SELF, details=details, documents=documents, instalment_ids=chosen,
        identity_documents=frozenset({IdentityDocument.DRIVERS_LICENCE}), accept_warnings=True,
    )  # fmt: skip
    values.update(changes)
    return ApplicationInput(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(("details", "field", "reason"), [
    ({"ground": "3"}, "prior_income", "前年の合計所得と本年の見込み"),
    ({"ground": "3", "prior_income": 2_000_000}, "expected_income", "前年の合計所得と本年の見込み"),
    ({"ground": "5", "disaster_date": date(2026, 6, 20)}, "damage_amount", "損害額を入力"),
    ({"ground": "5", "disaster_date": date(2026, 6, 20), "damage_amount": 11_000_000,
      "property_value": 10_000_000}, "damage_amount", "価額を超えて"),
    ({"ground": "5", "disaster_date": date(2026, 6, 20), "damage_amount": 1_000_000,
      "insurance_amount": 2_000_000, "property_value": 10_000_000}, "insurance_amount", "損害額を超えて"),
    ({"ground": "5", "disaster_date": date(2026, 6, 20), **DAMAGE_50, "prior_income": 1}, "prior_income",
     "損害額を入力します"),
    ({"ground": "3", "prior_income": 2_000_000, "expected_income": 0, **DAMAGE_50}, "damage_amount",
     "事由5"),
    ({"ground": "3", "prior_income": -1, "expected_income": 0}, "prior_income", "0以上"),
    ({"ground": "5", "disaster_date": date(2026, 7, 2), **DAMAGE_50}, "disaster_date", "受付日"),
])  # fmt: skip
def test_the_ground_decides_what_the_form_must_carry(
    counter: Counter, details: dict[str, object], field: str, reason: str
) -> None:
    with pytest.raises(ApplicationError, match=reason) as caught:
        application_receive(actor=actor_of(counter.clerk), data=_reduction(counter, details))
    assert caught.value.field == field
    assert not Application.objects.exists()


def _decided(counter: Counter, tmp_path: Path, data: ApplicationInput) -> tuple[Application, object]:
    _insured(counter.living.pk)
    a = application_receive(actor=actor_of(counter.clerk), data=data)
    application_confirm(actor=actor_of(counter.supervisor), application_id=a.pk, note="所得の書類と照合")
    operator = actor_of(make_staff(Role.SYSTEM_ADMIN))
    today = timezone.localdate()
    sent = applications_send(actor=operator, on=today, outbox=tmp_path)
    assert sent.sent is not None and sent.held == []
    (record,) = parse_application_info(sent.sent.path.read_bytes(), sent.sent.path.name).records
    union = UnionBenefits(tmp_path / "union")  # the default criteria (configuration: ADR 0006)
    assert union.receive(sent.sent.path) == 1
    (path,) = union.write_decisions(union.decide(today), today, tmp_path / "in")
    import_benefit_decision(actor=operator, path=path)
    assert applications_decisions_apply(actor=operator).decided == 1
    a.refresh_from_db()
    return a, record


def _notice_text(a: Application) -> str:
    found = notice_document(a, timezone.localdate())
    assert found is not None
    done = subprocess.run(["pdftotext", "-", "-"], input=found[0], check=True, capture_output=True)
    return "".join(done.stdout.decode().split())


def test_a_documented_income_fall_is_approved(counter: Counter, tmp_path: Path) -> None:
    details = {"ground": "3", "prior_income": 2_000_000, "expected_income": 500_000}
    a, record = _decided(counter, tmp_path, _reduction(counter, details))
    assert (record.prior_income, record.expected_income, record.relief_evidence) == (  # type: ignore[attr-defined]
        2_000_000, 500_000, "10111",
    )  # fmt: skip
    assert (a.status, a.decision_result) == (Status.DECIDED, DecisionResult.GRANTED)
    assert a.decision_amount == sum(int(i["charged"]) for i in a.instalments) > 0  # 100 %
    assert "承認" in _notice_text(a)


def test_a_disaster_is_judged_on_the_damage_keyed_at_the_counter(counter: Counter, tmp_path: Path) -> None:
    details = {"ground": "5", "disaster_date": date(2026, 6, 20), **DAMAGE_50}
    data = _reduction(counter, details, documents=frozenset({"form", "disaster_certificate"}))
    a, record = _decided(counter, tmp_path, data)
    assert (record.damage_percent, record.damage_amount, record.property_value) == (  # type: ignore[attr-defined]
        50, 6_000_000, 10_000_000,
    )  # fmt: skip
    assert a.decision_result == DecisionResult.GRANTED  # 50 % damage → 100 % (the default tiers [R27])


def test_a_small_fall_in_income_is_refused_and_the_notice_says_why(counter: Counter, tmp_path: Path) -> None:
    details = {"ground": "3", "prior_income": 2_000_000, "expected_income": 1_800_000}  # 10 % fall
    a, _record = _decided(counter, tmp_path, _reduction(counter, details))
    assert (a.decision_result, a.decision_amount) == (DecisionResult.REFUSED, 0)
    text = _notice_text(a)
    assert "不承認" in text and REASON_LABELS[DecisionReason.INCOME_FALL_SHORT] in text


def test_missing_evidence_is_dismissed_and_the_notice_says_why(counter: Counter, tmp_path: Path) -> None:
    details = {"ground": "3", "prior_income": 2_000_000, "expected_income": 500_000}
    data = _reduction(counter, details, documents=frozenset({"form", "ground_fact", "income_last_year"}))
    a, record = _decided(counter, tmp_path, data)
    assert a.missing_documents  # the counter warned, the clerk took it (documents may follow)
    assert record.relief_evidence == "10100"  # type: ignore[attr-defined]
    assert a.decision_result == DecisionResult.DISMISSED
    text = _notice_text(a)
    assert "却下" in text and "".join(REASON_LABELS[DecisionReason.EVIDENCE_MISSING].split()) in text


def test_a_funeral_after_the_reception_day_or_before_the_death_is_refused(counter: Counter) -> None:
    later = {"funeral_date": date(2026, 4, 11), "mourner_name": "佐藤 和子", "mourner_relationship": "妻",
             "former_insurance": "no"}  # fmt: skip
    with pytest.raises(ApplicationError, match="受付日") as caught:
        application_receive(actor=actor_of(counter.clerk),
                            data=funeral_input(counter.deceased, details=later))  # fmt: skip
    assert caught.value.field == "funeral_date"
    died = make_person(family_name="高橋", status=PersonStatus.DECEASED, valid_from=date(2026, 3, 25))
    with pytest.raises(ApplicationError, match="死亡日") as caught:
        application_receive(actor=actor_of(counter.clerk), data=funeral_input(died))  # funeral 3-20
    assert caught.value.field == "funeral_date"
    assert not Application.objects.exists()


def test_a_bad_record_is_held_and_named_the_rest_of_the_day_is_sent(counter: Counter, tmp_path: Path) -> None:
    """An application taken before the counter checked its dates (here: its funeral day moved after the
    受付日 behind the service's back) would make the union reject the whole file: it is held instead."""
    _insured(counter.deceased.pk, "12345678")
    _insured(counter.living.pk)
    bad = application_receive(actor=actor_of(counter.clerk), data=funeral_input(counter.deceased))
    details = {"ground": "3", "prior_income": 2_000_000, "expected_income": 500_000}
    good = application_receive(actor=actor_of(counter.clerk), data=_reduction(counter, details))
    for a in (bad, good):
        application_confirm(actor=actor_of(counter.supervisor), application_id=a.pk, note="照合")
    Application.objects.filter(pk=bad.pk).update(details={**bad.details, "funeral_date": "2026-04-30"})
    operator = actor_of(make_staff(Role.SYSTEM_ADMIN))
    today = timezone.localdate()
    sent = applications_send(actor=operator, on=today, outbox=tmp_path)
    assert sent.sent is not None and sent.sent.record_count == 1
    assert sent.held == [(bad.application_no, "right_date", "権利発生日が受付日より後です")]
    union = UnionBenefits(tmp_path / "union")
    assert union.receive(sent.sent.path) == 1  # not rejected
    bad.refresh_from_db()
    good.refresh_from_db()
    assert (bad.status, good.status) == (Status.CONFIRMED, Status.SENT)


def test_the_send_command_names_the_held_application(counter: Counter, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    from kouki.cli import main

    _insured(counter.deceased.pk, "12345678")
    bad = application_receive(actor=actor_of(counter.clerk), data=funeral_input(counter.deceased))
    application_confirm(actor=actor_of(counter.supervisor), application_id=bad.pk, note="照合")
    Application.objects.filter(pk=bad.pk).update(details={**bad.details, "funeral_date": "2026-04-30"})
    operator = make_staff(Role.SYSTEM_ADMIN)
    day = timezone.localdate().isoformat()
    status = main(["applications", "send", "--date", day, "--outbox", str(tmp_path),
                   "--as", operator.user.username])  # fmt: skip
    out = capsys.readouterr().out
    assert status == 0
    assert f"held {bad.application_no} (right_date: 権利発生日が受付日より後です)" in out
