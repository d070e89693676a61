"""Issue 12 §1–§2 for the applications that were taken but never sent: 限度額適用・標準負担額減額認定
(区分Ⅰ/Ⅱ), its 長期入院該当 with a 食事差額, 特定疾病療養受療証 and 高額介護合算療養費. 再鑑済 → 申請情報 →
the simulated union decides by the law (kouki.rules.benefits.certificates, domain-facts-next §1) → 決定情報
imported → 決定 → the notice (認定・交付 / 不認定, 支給決定通知書 for 高額介護合算)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from factories import make_staff

from kouki.accounts.permissions import Role
from kouki.applications.decisions import applications_decisions_apply
from kouki.applications.models import Application, Status
from kouki.applications.notices import notice_document
from kouki.applications.services import ApplicationInput, application_confirm, application_receive
from kouki.applications.union_records import union_reception_no
from kouki.applications.union_send import applications_send
from kouki.eligibility.models import InsuredPeriod
from kouki.interfaces.benefit_decisions import import_benefit_decision
from kouki.interfaces.selectors import benefit_decision
from kouki.interfaces.union.application_info import parse_application_info
from kouki.rules.applications import Applicant, ApplicationKind
from kouki.rules.benefits.certificates import COMBINED_LIMITS, combined_refund
from kouki.rules.benefits.codes import ApplicationKind as UnionKind
from kouki.rules.benefits.codes import DecisionReason, DecisionResult, SpecifiedDisease
from kouki.rules.benefits.high_cost import IncomeClass, MemberCosts
from kouki.sandbox.union.benefits import InsuredProfile, UnionBenefits

from .conftest import Counter, actor_of

pytestmark = pytest.mark.django_db(transaction=True)
RECEIVED = date(2026, 4, 10)
LOW, GENERAL = "23456789", "12345678"
G, R = DecisionResult.GRANTED, DecisionResult.REFUSED


def _insured(person_id: int, number: str) -> None:
    InsuredPeriod.objects.create(
        person_id=person_id, insured_no=number, insurer_no="39110014", acquired_on=date(2020, 4, 1),
        acquisition_reason="01", copay_rate=10, copay_from=date(2020, 4, 1), decided_on=date(2020, 4, 1),
        recorded_at="2020-04-01T00:00:00+09:00",
    )  # fmt: skip


def _confirmed(counter: Counter, person_id: int, kind: ApplicationKind, details: dict[str, object],
               documents: set[str]) -> Application:  # fmt: skip
    data = ApplicationInput(
        person_id=person_id, kind=kind, received_on=RECEIVED, applicant=Applicant.SELF, details=details,
        documents=frozenset(documents), identity_documents=frozenset({"my_number_card"}),  # type: ignore[arg-type]
        accept_warnings=True,  # a document missing: taken with the warning, brought later (or not)
    )  # fmt: skip
    a = application_receive(actor=actor_of(counter.clerk), data=data)
    return application_confirm(actor=actor_of(counter.supervisor), application_id=a.pk, note="書類と照合")


def costs(insured_no: str, month: date) -> MemberCosts:
    """区分Ⅱ: 100,000円 (10割) in hospital every month → 10,000 borne (below the 24,600 limit)."""
    return MemberCosts(insured_no, 0, 100_000 if insured_no == LOW else 0)


def test_certificates_and_the_combined_benefit_round_trip(counter: Counter, tmp_path: Path) -> None:
    sysadmin = actor_of(make_staff(Role.SYSTEM_ADMIN))
    living, other = counter.living.pk, counter.deceased.pk
    _insured(living, LOW)
    _insured(other, GENERAL)
    apps = {
        "limit": _confirmed(counter, living, ApplicationKind.LIMIT_CERTIFICATE, {}, {"form", "card"}),
        "limit_general": _confirmed(counter, other, ApplicationKind.LIMIT_CERTIFICATE, {}, {"form", "card"}),
        "long_stay": _confirmed(counter, living, ApplicationKind.LONG_STAY,
                                {"inpatient_days": 120, "meal_difference": 1_500},
                                {"form", "card", "inpatient_days"}),
        "disease": _confirmed(counter, living, ApplicationKind.SPECIFIED_DISEASE, {"disease": "dialysis"},
                              {"form", "card", "doctor_opinion"}),
        "disease_no_opinion": _confirmed(counter, living, ApplicationKind.SPECIFIED_DISEASE,
                                         {"disease": "haemophilia"}, {"form", "card"}),
        "combined": _confirmed(counter, living, ApplicationKind.HIGH_COST_COMBINED,
                               {"period_end_year": 2025, "other_insurer": False}, {"form", "account"}),
    }  # fmt: skip
    today = timezone.localdate()
    outbox, inbox = tmp_path / "outbox", tmp_path / "inbox"
    outbox.mkdir()
    sent = applications_send(actor=sysadmin, on=today, outbox=outbox)
    assert sent.sent is not None and sent.sent.record_count == len(apps) and sent.no_union_kind == 0
    records = {r.reception_no: r for r in parse_application_info(sent.sent.path.read_bytes(),
                                                                  sent.sent.path.name).records}  # fmt: skip
    long_stay = records[union_reception_no(apps["long_stay"])]
    assert (long_stay.kind, long_stay.inpatient_days, long_stay.amount_claimed) == (
        UnionKind.LONG_STAY, 120, 1_500)  # fmt: skip
    assert records[union_reception_no(apps["disease"])].disease is SpecifiedDisease.DIALYSIS
    combined = records[union_reception_no(apps["combined"])]
    assert (combined.kind, combined.period_end_year, combined.right_date) == (
        UnionKind.HIGH_COST_COMBINED, 2025, date(2025, 7, 31))
    assert combined.payee_account_ref and not records[union_reception_no(apps["limit"])].payee_account_ref

    profiles = {LOW: InsuredProfile(IncomeClass.LOW_2, "h1"),
                GENERAL: InsuredProfile(IncomeClass.GENERAL_1, "h2")}  # fmt: skip
    union = UnionBenefits(tmp_path / "union", profiles=profiles, costs=costs,
                          care_costs=lambda n, year: 250_000 if n == LOW else 0)  # fmt: skip
    union.receive(sent.sent.path)
    (path,) = union.write_decisions(union.decide(today), today, inbox)
    import_benefit_decision(actor=sysadmin, path=path)
    assert applications_decisions_apply(actor=sysadmin).decided == len(apps)

    def decided(key: str) -> tuple[object, ...]:
        d = benefit_decision(union_reception_no(apps[key]))
        assert d is not None
        return d.result, d.reason, d.amount_decided, d.certificate_class, d.valid_from, d.valid_until

    # 区分Ⅱ: certified from the application month's 1st to the 31 July after (ADR 0006 assumption)
    assert decided("limit") == (G, None, 0, "2", date(2026, 4, 1), date(2026, 7, 31))
    assert decided("limit_general") == (R, DecisionReason.NOT_LOW_INCOME, 0, "", None, None)
    # 長期入院: more than 90 days in 区分Ⅱ → 190円 from the 1st of the next month [R20]; 食事差額 paid
    assert decided("long_stay") == (G, None, 1_500, "2", date(2026, 5, 1), date(2026, 7, 31))
    assert decided("disease") == (G, None, 0, "1", date(2026, 4, 1), date(2026, 7, 31))
    assert decided("disease_no_opinion")[:2] == (DecisionResult.DISMISSED, DecisionReason.DOCUMENTS_MISSING)
    # 高額介護合算 [R15][R16]: 医療 12 × 10,000 + 介護 250,000 over 区分Ⅱ's 310,000; the medical share
    medical, care = 12 * 10_000, 250_000
    assert COMBINED_LIMITS[IncomeClass.LOW_2] == 310_000
    share = (medical + care - 310_000) * medical // (medical + care)
    assert combined_refund(IncomeClass.LOW_2, medical, care) == (share, 60_000)
    assert decided("combined")[:3] == (G, None, share)

    for key, a in apps.items():
        a.refresh_from_db()
        assert a.status == Status.DECIDED, key
        pdf, name = notice_document(a, today) or (b"", "")
        assert pdf.startswith(b"%PDF")
        expected = "kyufu-shikyu-kettei-tsuchisho" if key == "combined" else "nintei-kofu-kettei-tsuchisho"
        assert name == expected, key


@pytest.mark.parametrize(
    ("income_class", "medical", "care", "expected"),
    [
        (IncomeClass.GENERAL_1, 300_000, 260_500, (0, 500)),  # excess ≤ 500: nothing [R15]
        (IncomeClass.GENERAL_1, 300_000, 260_600, (300_000 * 600 // 560_600, 600)),
        (IncomeClass.ACTIVE_3, 2_000_000, 0, (0, 0)),  # no 介護 burden: nothing [R16]
        (IncomeClass.LOW_1, 100_000, 100_000, (5_000, 10_000)),  # 区分Ⅰ 190,000
    ],
)
def test_combined_refund_table(income_class: IncomeClass, medical: int, care: int,
                               expected: tuple[int, int]) -> None:  # fmt: skip
    assert combined_refund(income_class, medical, care) == expected
