"""Issue 12 §2 round trip: 再鑑済 → 申請情報 sent once → the simulated union decides → 決定情報 imported →
the application 決定 → its notice printed, mailed, returned, handed over."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from factories import make_staff

from kouki.accounts.permissions import Role
from kouki.applications.decisions import applications_decisions_apply
from kouki.applications.models import Application, Status, StepAction
from kouki.applications.notices import (
    application_notice_delivered,
    application_notice_undelivered,
    notice_document,
)
from kouki.applications.services import ApplicationError, application_confirm, application_receive
from kouki.applications.union_records import union_reception_no
from kouki.applications.union_send import applications_send, medical_expenses_send
from kouki.eligibility.models import InsuredPeriod
from kouki.interfaces.benefit_decisions import import_benefit_decision
from kouki.interfaces.union.application_info import parse_application_info
from kouki.interfaces.union.benefit_decision import BenefitDecisionRecord
from kouki.interfaces.union.medical_expense_info import parse_medical_expense_info
from kouki.privacy.audit import verify_chain
from kouki.privacy.models import AuditEntry
from kouki.rules.benefits.codes import ApplicationKind as UnionKind
from kouki.rules.benefits.codes import DecisionReason, DecisionResult
from kouki.sandbox.union.benefits import UnionBenefits

from .conftest import DAMAGE_50, Counter, actor_of, funeral_input, medical_input

pytestmark = pytest.mark.django_db(transaction=True)


def _insured(person_id: int, number: str) -> None:
    InsuredPeriod.objects.create(
        person_id=person_id, insured_no=number, insurer_no="39110014", acquired_on=date(2020, 4, 1),
        acquisition_reason="01", copay_rate=10, copay_from=date(2020, 4, 1), decided_on=date(2020, 4, 1),
        recorded_at="2020-04-01T00:00:00+09:00",
    )  # fmt: skip


def _confirmed(counter: Counter, data: object) -> Application:
    a = application_receive(actor=actor_of(counter.clerk), data=data, number="")  # type: ignore[arg-type]
    return application_confirm(actor=actor_of(counter.supervisor), application_id=a.pk, note="書類と照合")


@pytest.fixture
def sysadmin(counter: Counter) -> object:
    return actor_of(make_staff(Role.SYSTEM_ADMIN))


def test_sent_once_decided_once_and_the_notice_handed_over(
    counter: Counter, sysadmin, tmp_path: Path
) -> None:
    _insured(counter.deceased.pk, "12345678")
    a = _confirmed(counter, funeral_input(counter.deceased))
    today = timezone.localdate()
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    outbox.mkdir()
    sent = applications_send(actor=sysadmin, on=today, outbox=outbox)
    assert sent.sent is not None and sent.sent.record_count == 1
    a.refresh_from_db()
    assert (a.status, a.sent_on, a.sent_file) == (Status.SENT, today, sent.sent.path.name)
    parsed = parse_application_info(sent.sent.path.read_bytes(), sent.sent.path.name)
    (record,) = parsed.records
    assert (record.reception_no, record.kind, record.amount_claimed) == (
        union_reception_no(a),
        UnionKind.FUNERAL,
        50_000,
    )
    assert record.applicant_name == "佐藤\u3000和子"
    # the same day again: not written again, nothing marked twice
    again = applications_send(actor=sysadmin, on=today, outbox=outbox)
    assert again.already_sent and again.sent is None
    assert a.steps.filter(action=StepAction.SENT).count() == 1

    union = UnionBenefits(tmp_path / "union")
    union.receive(sent.sent.path)
    (path,) = union.write_decisions(union.decide(today), today, inbox)
    import_benefit_decision(actor=sysadmin, path=path)
    first = applications_decisions_apply(actor=sysadmin)
    assert (first.decided, first.corrected) == (1, 0)
    assert applications_decisions_apply(actor=sysadmin).unchanged == 1
    a.refresh_from_db()
    assert (a.status, a.decision_result, a.decision_amount) == (
        Status.DECIDED,
        DecisionResult.GRANTED,
        50_000,
    )
    assert a.steps.filter(action=StepAction.DECIDED).count() == 1

    pdf, name = notice_document(a, today) or (b"", "")
    assert pdf.startswith(b"%PDF") and name == "kyufu-shikyu-kettei-tsuchisho"
    clerk = actor_of(counter.clerk)
    application_notice_delivered(actor=clerk, application_id=a.pk, how="mailed", on=today)
    with pytest.raises(ApplicationError):  # mailed: it cannot be mailed again before it comes back
        application_notice_delivered(actor=clerk, application_id=a.pk, how="mailed", on=today)
    application_notice_undelivered(actor=clerk, application_id=a.pk, on=today)
    a = application_notice_delivered(actor=clerk, application_id=a.pk, how="handed_over", on=today)
    assert (a.status, a.notice_on, a.notice_by) == (Status.HANDED_OVER, today, counter.clerk.user.username)
    actions = [s.action for s in a.steps.all()]
    assert actions[-4:] == [
        StepAction.DECIDED,
        StepAction.MAILED,
        StepAction.UNDELIVERED,
        StepAction.HANDED_OVER,
    ]
    audit = list(AuditEntry.objects.filter(target_id=str(a.pk)).values_list("action", flat=True))
    assert (
        "application.send" in audit
        and "application.decide" in audit
        and audit.count("application.notice") == 3
    )
    assert list(verify_chain()) == []


def test_a_correction_by_the_union_brings_the_application_back_to_decided(
    counter: Counter, sysadmin, tmp_path: Path
) -> None:
    _insured(counter.deceased.pk, "12345678")
    a = _confirmed(counter, funeral_input(counter.deceased))
    today = timezone.localdate()
    sent = applications_send(actor=sysadmin, on=today, outbox=tmp_path)
    assert sent.sent is not None
    union = UnionBenefits(tmp_path / "union")
    union.receive(sent.sent.path)
    records = union.decide(today)
    (path,) = union.write_decisions(records, today, tmp_path / "in1")
    import_benefit_decision(actor=sysadmin, path=path)
    applications_decisions_apply(actor=sysadmin)
    application_notice_delivered(actor=actor_of(counter.clerk), application_id=a.pk, how="mailed", on=today)
    refused: list[BenefitDecisionRecord] = [replace(r, result=DecisionResult.REFUSED, amount_decided=0,
                                                    reason=DecisionReason.OTHER_INSURER, payment_date=None,
                                                    payee_account_ref="") for r in records]  # fmt: skip
    (path2,) = union.write_decisions(refused, today, tmp_path / "in2")
    outcome = import_benefit_decision(actor=sysadmin, path=path2)
    assert not outcome.errors, outcome.errors
    assert applications_decisions_apply(actor=sysadmin).corrected == 1
    a.refresh_from_db()
    assert (a.status, a.decision_result, a.decision_amount, a.notice_on) == (
        Status.DECIDED,
        DecisionResult.REFUSED,
        0,
        None,
    )
    _, name = notice_document(a, today) or (b"", "")
    assert name == "kyufu-fushikyu-kettei-tsuchisho"


def test_kinds_the_codec_lacks_and_people_without_an_insured_number_are_counted(
    counter: Counter, sysadmin, tmp_path: Path
) -> None:
    a = _confirmed(counter, funeral_input(counter.deceased))  # no 被保険者番号 yet
    result = applications_send(actor=sysadmin, on=timezone.localdate(), outbox=tmp_path)
    assert result.sent is not None and result.sent.record_count == 0
    assert result.not_sendable == {"被保険者番号がありません": 1}
    a.refresh_from_db()
    assert a.status == Status.CONFIRMED  # sent with a later day's file once the number is known


def test_medical_expense_info_for_the_month_with_a_care_period_only(
    counter: Counter, sysadmin, tmp_path: Path
) -> None:
    _insured(counter.living.pk, "23456789")
    base = {"paid_on": date(2026, 2, 1), "amount_paid": 32_000, "provider": "浦和整形外科"}
    with_period = {**base, "care_from": date(2026, 1, 20), "care_to": date(2026, 1, 31), "care_days": 3}
    _confirmed(counter, medical_input(counter.living, details=with_period))
    _confirmed(counter, medical_input(counter.living, details=base))
    today = timezone.localdate()
    sent = applications_send(actor=sysadmin, on=today, outbox=tmp_path)
    assert sent.sent is not None and sent.sent.record_count == 2
    month = medical_expenses_send(actor=sysadmin, month=today, outbox=tmp_path)
    assert month.sent is not None and month.sent.record_count == 1 and month.without_care_period == 1
    (r,) = parse_medical_expense_info(month.sent.path.read_bytes(), month.sent.path.name).records
    assert (r.care_from, r.care_to, r.days, r.paid_amount, r.kind) == (
        date(2026, 1, 20),
        date(2026, 1, 31),
        3,
        32_000,
        UnionKind.BRACE,
    )
    assert medical_expenses_send(actor=sysadmin, month=today, outbox=tmp_path).already_sent


def test_the_clerk_prints_the_notice_and_records_it_handed_over_on_the_detail_screen(
    counter: Counter, sysadmin, tmp_path: Path
) -> None:
    from django.test import Client
    from django.urls import reverse
    from web.conftest import sign_in

    _insured(counter.deceased.pk, "12345678")
    a = _confirmed(counter, funeral_input(counter.deceased))
    today = timezone.localdate()
    sent = applications_send(actor=sysadmin, on=today, outbox=tmp_path)
    assert sent.sent is not None
    union = UnionBenefits(tmp_path / "union")
    union.receive(sent.sent.path)
    (path,) = union.write_decisions(union.decide(today), today, tmp_path / "in")
    import_benefit_decision(actor=sysadmin, path=path)
    applications_decisions_apply(actor=sysadmin)
    client = sign_in(Client(), counter.clerk.user)
    detail = reverse("web:application_detail", args=[a.pk])
    page = client.get(detail).content.decode()
    assert "決定済(通知未交付)" in page and "支給 50,000円" in page and 'id="notice-deliver-button"' in page
    listed = client.get(reverse("web:application_list"), {"status": "decided"}).content.decode()
    assert a.application_no in listed
    pdf = client.get(reverse("web:application_notice", args=[a.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    bad = client.post(
        reverse("web:application_notice_delivered", args=[a.pk]), {"how": "handed_over", "on": "x"}
    )
    assert bad.status_code == 302
    a.refresh_from_db()
    assert a.status == Status.DECIDED
    client.post(reverse("web:application_notice_delivered", args=[a.pk]),
                {"how": "handed_over", "on": f"{today:%Y-%m-%d}"})  # fmt: skip
    a.refresh_from_db()
    assert (a.status, a.notice_on) == (Status.HANDED_OVER, today)
    page = client.get(detail).content.decode()
    assert "通知書交付済" in page and 'id="notice-deliver-button"' not in page
    audit = list(AuditEntry.objects.filter(target_id=str(a.pk)).values_list("action", flat=True))
    assert "application.notice_print" in audit and "application.notice" in audit


@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_the_commands_send_once_and_apply_decisions(
    counter: Counter, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from kouki.cli import main
    from kouki.privacy.redaction import contains_personal_number

    _insured(counter.deceased.pk, "12345678")
    a = _confirmed(counter, funeral_input(counter.deceased))
    day = f"{timezone.localdate():%Y-%m-%d}"
    assert main(["applications", "send", "--date", day, "--outbox", str(tmp_path)]) == 0
    assert main(["applications", "send", "--date", day, "--outbox", str(tmp_path)]) == 0
    assert main(["applications", "medical-expenses", "--month", day[:7], "--outbox", str(tmp_path)]) == 0
    (sent,) = tmp_path.glob("KOUKI_application-info_*.dat")
    union = UnionBenefits(tmp_path / "union")
    union.receive(sent)
    (path,) = union.write_decisions(union.decide(timezone.localdate()), timezone.localdate(), tmp_path / "in")
    assert main(["import", "benefit-decision", str(path)]) == 0
    assert main(["applications", "decisions"]) == 0
    out = capsys.readouterr().out
    assert "sent: KOUKI_application-info_" in out and "1 records" in out
    assert f"already sent for {day}: application-info" in out
    assert "decided: 1  corrected: 0  unchanged: 0" in out
    assert not contains_personal_number(out)
    a.refresh_from_db()
    assert a.status == Status.DECIDED


def test_the_care_period_is_checked_at_the_counter(counter: Counter) -> None:
    details = {"paid_on": date(2026, 2, 1), "amount_paid": 32_000, "provider": "浦和整形外科",
               "care_from": date(2026, 1, 20), "care_to": date(2026, 1, 21), "care_days": 3}  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        application_receive(
            actor=actor_of(counter.clerk), data=medical_input(counter.living, details=details)
        )
    assert refused.value.field == "care_days"


def test_a_reduction_travels_with_its_instalments_and_comes_back_as_a_relief_notice(
    counter: Counter, sysadmin, tmp_path: Path
) -> None:
    from collection_factories import make_direct_plan

    from kouki.applications.services import ApplicationInput
    from kouki.rules.applications import Applicant, ApplicationKind
    from kouki.rules.benefits.codes import ReliefGround

    _insured(counter.living.pk, "23456789")
    _person, plan = make_direct_plan(90_000, 2026, person=counter.living)
    chosen = list(plan.instalments.order_by("due_date"))[:3]
    data = ApplicationInput(
        person_id=counter.living.pk, kind=ApplicationKind.PREMIUM_REDUCTION, received_on=date(2026, 7, 1),
        applicant=Applicant.SELF, details={"ground": "5", "disaster_date": date(2026, 6, 20), **DAMAGE_50},
        identity_documents=frozenset({"drivers_licence"}),  # type: ignore[arg-type]
        documents=frozenset({"form", "disaster_certificate"}), instalment_ids=tuple(i.pk for i in chosen),
        accept_warnings=True,
    )  # fmt: skip
    a = _confirmed(counter, data)
    today = timezone.localdate()
    sent = applications_send(actor=sysadmin, on=today, outbox=tmp_path)
    assert sent.sent is not None
    (record,) = parse_application_info(sent.sent.path.read_bytes(), sent.sent.path.name).records
    assert (record.kind, record.ground, record.fiscal_year, record.right_date, record.payee_account_ref) == (
        UnionKind.REDUCTION,
        ReliefGround.DISASTER,
        2026,
        date(2026, 6, 20),
        "",
    )
    assert record.amount_claimed == sum(int(i["charged"]) for i in a.instalments) > 0
    union = UnionBenefits(tmp_path / "union")
    union.receive(sent.sent.path)
    (path,) = union.write_decisions(union.decide(today), today, tmp_path / "in")
    import_benefit_decision(actor=sysadmin, path=path)
    assert applications_decisions_apply(actor=sysadmin).decided == 1
    a.refresh_from_db()
    assert a.status == Status.DECIDED and a.decision_result
    _pdf, name = notice_document(a, today) or (b"", "")
    assert name == "genmen-kettei-tsuchisho"
