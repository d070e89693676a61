"""情報照会 through the simulated 中間サーバ (issue 13 §2; SEC-29–31): the role, the 照会許可用照合リスト, the
符号 through a one-use 取得番号, answers sealed to the city's key, the 情報提供等記録, the answer feeding the
income planning reads, the purge. Assertions compare booleans and counts, never numbers."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from privacy.helpers import all_text_and_binary_values, value_holds

from kouki.accounts.models import StaffUser
from kouki.assessment.planning_config import city_rules
from kouki.assessment.planning_inputs import Due, gather, plan_request
from kouki.core.audit_vocabulary import AuditAction
from kouki.income.models import IncomeRecord
from kouki.inquiries.catalogue import JIMU, InquiryKind
from kouki.inquiries.envelope import EnvelopeError, open_sealed, seal
from kouki.inquiries.models import CodeRegistration, InquiryRecord, InquiryResult, InquiryStatus
from kouki.inquiries.network import InquiryRefused, InquiryRequest
from kouki.inquiries.selectors import has_result, inquiry_records, provision_records_of
from kouki.inquiries.services import (
    InquiryAccessDenied,
    InvalidInquiry,
    PurgeNotConfigured,
    ResultExpired,
    inquire,
    open_result,
    purge_results,
)
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.sandbox.chukan.platform import PLATFORM_FILE, RECORDS_FILE

from .conftest import INCOME_YEAR, Sim, move_in

pytestmark = pytest.mark.django_db
WHERE = {"screen": "情報照会", "terminal_id": "T-0201"}


def _ask(user: StaffUser, sim: Sim, kind: str = InquiryKind.PENSION, **kw: str) -> int:
    return inquire(user=user, person_id=sim.mover.pk, kind=kind, purpose="move_in", **WHERE, **kw).record_id


def test_a_pension_inquiry_is_answered_sealed_recorded_and_fills_the_income(
    sim: Sim, inquiry_clerk: StaffUser
) -> None:
    outcome = inquire(user=inquiry_clerk, person_id=sim.mover.pk, kind="pension", purpose="move_in", **WHERE)
    assert (outcome.status, outcome.applied) == (InquiryStatus.PROVIDED, True)
    record = InquiryRecord.objects.get()
    assert (record.inquirer, record.provider, record.item, record.username, record.purpose_code) == (
        "さいたま市長", "日本年金機構", "年金給付関係情報", "inquiry01", "move_in",
    )  # fmt: skip
    assert record.permit_id.startswith("P-") and record.provided_at is not None
    assert record.retain_until.year - record.requested_at.year == 7 and not record.nondisclosure
    income = IncomeRecord.objects.get(person=sim.mover, income_year=INCOME_YEAR)
    assert (income.public_pension_revenue, income.care_deduction_pension_annual) == (1_860_000, 1_860_000)
    # the result is kept sealed: the stored bytes hold no figure in the clear, and only this request opens it
    sealed = bytes(InquiryResult.objects.get().sealed)
    assert b"1860000" not in sealed
    with pytest.raises(EnvelopeError):
        open_sealed(sealed, "Q-another-request")
    opened = open_result(user=inquiry_clerk, record_id=record.pk, **WHERE)
    assert opened.found and ("特別徴収対象年金額(年額・円)", "1860000") in opened.rows
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    for action in (AuditAction.INQUIRY, AuditAction.INQUIRY_CODE_ACQUIRE, AuditAction.INCOME_PENSION_STORE,
                   AuditAction.INQUIRY_RESULT_OPEN, AuditAction.INTEGRATED_NUMBER_MAP):  # fmt: skip
        assert action in actions


def test_the_code_is_obtained_once_with_a_spent_acquisition_number_and_no_number_crosses(
    sim: Sim, inquiry_clerk: StaffUser
) -> None:
    _ask(inquiry_clerk, sim)
    _ask(inquiry_clerk, sim, kind=InquiryKind.UNION_PREMIUM, provider="東京都後期高齢者医療広域連合")
    assert CodeRegistration.objects.count() == 1
    assert AuditEntry.objects.filter(action=AuditAction.INQUIRY_CODE_ACQUIRE).count() == 1
    state = json.loads((sim.directory / PLATFORM_FILE).read_text(encoding="utf-8"))
    assert state["pending"] == {} and len(state["codes"]) == 1  # the 取得番号 is spent, not kept
    for path in sim.directory.rglob("*"):  # the kept results (results/<照会番号>.json) too
        assert path.is_dir() or not value_holds(path.read_text(encoding="utf-8"), [sim.mover_number])
        assert path.stat().st_mode & 0o077 == 0, path.name  # the platform's files: its service account only
    # a 取得番号 cannot be used twice
    acquisition = sim.server.acquisition_number(sim.mover_number)
    sim.server.register_code("000000000000099", acquisition)
    with pytest.raises(InquiryRefused):
        sim.server.register_code("000000000000098", acquisition)


def test_an_inquiry_not_on_the_permission_list_is_refused_and_recorded(
    sim: Sim, inquiry_clerk: StaffUser
) -> None:
    # 年金給付関係情報 is not provided by a 広域連合: no 提供許可証
    outcome = inquire(
        user=inquiry_clerk, person_id=sim.mover.pk, kind="pension", provider="東京都後期高齢者医療広域連合",
        purpose="move_in", **WHERE,
    )  # fmt: skip
    assert (outcome.status, outcome.applied) == (InquiryStatus.REFUSED, False)
    record = InquiryRecord.objects.get()
    assert record.permit_id == "" and "照会許可用照合リスト" in record.refusal
    assert not InquiryResult.objects.exists() and not IncomeRecord.objects.exists()
    lines = (sim.directory / RECORDS_FILE).read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["status"] for line in lines] == ["refused"]
    # an item the city may not ask at all (item 80: the union asks the city) is refused by the network itself
    request = InquiryRequest("さいたま市長", "日本年金機構", JIMU, "地方税関係情報", "000000000000001", "Q-x")
    with pytest.raises(InquiryRefused) as refused:
        sim.server.inquire(request)
    assert refused.value.code == "not_permitted"


def test_another_body_cannot_inquire_through_the_citys_partition(sim: Sim) -> None:
    request = InquiryRequest("川口市長", "日本年金機構", "x", "年金給付関係情報", "000000000000001", "Q-y")
    with pytest.raises(InquiryRefused) as refused:
        sim.server.inquire(request)
    assert refused.value.code == "inquirer"


@pytest.mark.parametrize("role", ["counter_clerk", "number_clerk", "supervisor", "system_admin", "auditor"])
def test_a_role_without_the_inquiry_permission_is_refused_and_nothing_is_asked(
    sim: Sim, role: str, request: pytest.FixtureRequest, inquiry_clerk: StaffUser
) -> None:
    user: StaffUser = request.getfixturevalue(role)
    with pytest.raises(InquiryAccessDenied):
        _ask(user, sim)
    record_id = _ask(inquiry_clerk, sim)
    with pytest.raises(InquiryAccessDenied):
        open_result(user=user, record_id=record_id, **WHERE)
    assert InquiryRecord.objects.count() == 1 and CodeRegistration.objects.count() == 1
    assert len((sim.directory / RECORDS_FILE).read_text(encoding="utf-8").splitlines()) == 1


def test_purpose_and_person_are_checked_before_anything_is_asked(sim: Sim, inquiry_clerk: StaffUser) -> None:
    with pytest.raises(InvalidInquiry) as no_purpose:
        inquire(user=inquiry_clerk, person_id=sim.mover.pk, kind="pension", purpose="", **WHERE)
    assert no_purpose.value.field == "purpose"
    with pytest.raises(InvalidInquiry) as note:
        inquire(user=inquiry_clerk, person_id=sim.mover.pk, kind="pension", purpose="other", **WHERE)
    assert note.value.field == "purpose_note"
    with pytest.raises(InvalidInquiry) as no_number:
        inquire(user=inquiry_clerk, person_id=sim.no_number.pk, kind="pension", purpose="move_in", **WHERE)
    assert no_number.value.field == "person"
    # which union: the previous address's, chosen by the clerk
    with pytest.raises(InvalidInquiry) as no_union:
        inquire(user=inquiry_clerk, person_id=sim.mover.pk, kind="union_premium", purpose="move_in_union",
                **WHERE)  # fmt: skip
    assert no_union.value.field == "provider"
    assert not InquiryRecord.objects.exists() and not (sim.directory / RECORDS_FILE).exists()


def test_a_person_no_provider_knows_is_answered_not_found_and_changes_nothing(
    sim: Sim, inquiry_clerk: StaffUser
) -> None:
    outcome = inquire(
        user=inquiry_clerk, person_id=sim.unknown.pk, kind="pension", purpose="move_in", **WHERE
    )
    assert (outcome.status, outcome.applied) == (InquiryStatus.PROVIDED, False)
    assert not IncomeRecord.objects.exists()
    assert open_result(user=inquiry_clerk, record_id=outcome.record_id, **WHERE).found is False


def test_results_are_purged_after_the_period_and_then_expired_but_the_record_stays(
    sim: Sim, inquiry_clerk: StaffUser, settings: object
) -> None:
    old, new = _ask(inquiry_clerk, sim), _ask(inquiry_clerk, sim, kind="union_premium",
                                              provider="東京都後期高齢者医療広域連合")  # fmt: skip
    InquiryResult.objects.filter(record_id=old).update(received_at=timezone.now() - timedelta(days=31))
    actor = Actor(username="admin01", terminal_id="batch")
    summary = purge_results(actor=actor)
    assert summary.deleted == 1 and not has_result(old) and has_result(new)
    with pytest.raises(ResultExpired):
        open_result(user=inquiry_clerk, record_id=old, **WHERE)
    purge = AuditEntry.objects.get(action=AuditAction.INQUIRY_RESULTS_PURGE)
    assert (purge.detail["deleted"], purge.detail["days"], purge.detail["first_record_id"]) == (1, 30, old)
    assert InquiryRecord.objects.count() == 2  # 情報提供等記録 are kept 7 years
    settings.KOUKI_INQUIRY_RESULT_DAYS = None  # type: ignore[attr-defined]
    with pytest.raises(PurgeNotConfigured):
        purge_results(actor=actor)


def test_records_for_auditors_and_for_the_disclosure_carry_both_parties_and_the_flag(
    sim: Sim, inquiry_clerk: StaffUser
) -> None:
    _ask(inquiry_clerk, sim)
    _ask(inquiry_clerk, sim, provider="東京都後期高齢者医療広域連合")  # refused: also a record
    disclosed = provision_records_of(sim.mover.pk)
    assert [(r.inquirer, r.provider, r.item, r.status, r.nondisclosure) for r in disclosed] == [
        ("さいたま市長", "日本年金機構", "年金給付関係情報", "provided", False),
        ("さいたま市長", "東京都後期高齢者医療広域連合", "年金給付関係情報", "refused", False),
    ]
    assert inquiry_records(username="inquiry01").count() == 2
    assert provision_records_of(sim.unknown.pk) == []


def test_a_move_ins_pension_answer_changes_what_planning_computes(sim: Sim, inquiry_clerk: StaffUser) -> None:
    """Before the inquiry planning has no pension for the move-in (everything 普通徴収); after it, the
    deduction (特別徴収) is planned from the answered pension."""
    fiscal_year = INCOME_YEAR + 1
    move_in(sim.mover, date(fiscal_year, 5, 10))
    due = Due(pk=1, person_id=sim.mover.pk, fiscal_year=fiscal_year, amount=78_300)
    city = city_rules((7, 8, 9, 10, 11, 12, 1, 2, 3))
    before = plan_request(due, gather([sim.mover.pk], fiscal_year), city)
    _ask(inquiry_clerk, sim)
    after = plan_request(due, gather([sim.mover.pk], fiscal_year), city)
    assert before.pension is None
    assert after.pension is not None and after.pension.annual_amount == 1_860_000


def test_the_stored_rows_and_audit_hold_no_personal_number(sim: Sim, inquiry_clerk: StaffUser) -> None:
    _ask(inquiry_clerk, sim)
    _ask(inquiry_clerk, sim, kind="union_premium", provider="東京都後期高齢者医療広域連合")
    # every cell of every table except the vault itself (the encrypted number) and the blind index
    held = [(t, c) for t, c, v in all_text_and_binary_values() if value_holds(v, [sim.mover_number])]
    assert held == []


def test_seal_binds_the_request(sim: Sim) -> None:
    from kouki.inquiries.envelope import public_key_b64

    blob = seal(public_key_b64(), b'{"found": false}', "Q-1")
    assert open_sealed(blob, "Q-1") == b'{"found": false}'
    with pytest.raises(EnvelopeError):
        open_sealed(blob[:-1] + bytes([blob[-1] ^ 1]), "Q-1")


def test_an_answer_received_but_not_recorded_is_taken_again_under_its_request_id_not_asked_again(
    sim: Sim, inquiry_clerk: StaffUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kouki.inquiries import services

    def killed(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed before the record committed")

    ask = {"user": inquiry_clerk, "person_id": sim.mover.pk, "kind": "pension", "purpose": "move_in",
           "request_id": "Q202605-Mtest", **WHERE}  # fmt: skip
    with monkeypatch.context() as m:  # the 中間サーバ answered, kouki recorded nothing
        m.setattr(services, "_record", killed)
        with pytest.raises(RuntimeError):
            inquire(**ask)  # type: ignore[arg-type]
    assert not InquiryRecord.objects.exists()
    looked_up = AuditEntry.objects.filter(action=AuditAction.INTEGRATED_NUMBER_MAP).count()
    outcome = inquire(**ask)  # type: ignore[arg-type]
    assert (outcome.status, outcome.applied) == (InquiryStatus.PROVIDED, True)
    text = (sim.directory / RECORDS_FILE).read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    assert [(r["request_id"], r["status"]) for r in lines] == [("Q202605-Mtest", "provided")]  # provided once
    assert InquiryRecord.objects.get().permit_id == lines[0]["permit_id"]
    # taken by its 照会番号: the 統合宛名番号 was not looked up again
    assert AuditEntry.objects.filter(action=AuditAction.INTEGRATED_NUMBER_MAP).count() == looked_up
    # the same 照会番号 sent again is answered with the same outcome, not provided twice
    again = sim.server.inquire(InquiryRequest("さいたま市長", "日本年金機構", JIMU, "年金給付関係情報",
                                              "", "Q202605-Mtest"))  # fmt: skip
    assert again.permit_id == lines[0]["permit_id"]
    assert len((sim.directory / RECORDS_FILE).read_text(encoding="utf-8").splitlines()) == 1
    assert sim.server.result("Q202605-Mnever") is None


def test_a_refusal_is_kept_under_its_request_id_too(sim: Sim) -> None:
    request = InquiryRequest("さいたま市長", "日本年金機構", JIMU, "地方税関係情報", "000000000000001", "Q-z")
    for _ in range(2):
        with pytest.raises(InquiryRefused):
            sim.server.inquire(request)
    with pytest.raises(InquiryRefused) as refused:
        sim.server.result("Q-z")
    assert refused.value.code == "not_permitted"
    assert len((sim.directory / RECORDS_FILE).read_text(encoding="utf-8").splitlines()) == 1


def test_a_second_purge_the_same_day_finds_nothing_and_records_nothing(
    sim: Sim, inquiry_clerk: StaffUser
) -> None:
    old = _ask(inquiry_clerk, sim)
    # received 30 days before today, late in the day: kept until the 31st day begins
    day = timezone.localdate() - timedelta(days=30)
    late = timezone.make_aware(datetime.combine(day, time(23, 0)))
    InquiryResult.objects.filter(record_id=old).update(received_at=late)
    actor = Actor(username="admin01", terminal_id="batch")
    assert purge_results(actor=actor).deleted == 0 and has_result(old)
    InquiryResult.objects.filter(record_id=old).update(received_at=late - timedelta(days=1))
    assert purge_results(actor=actor).deleted == 1
    assert purge_results(actor=actor).deleted == 0
    assert AuditEntry.objects.filter(action=AuditAction.INQUIRY_RESULTS_PURGE).count() == 2
