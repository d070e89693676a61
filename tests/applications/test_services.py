"""Application services: IN-11 four-eyes, the time-limit warning, one 葬祭費 per death, BF-01 (no
personal number for 葬祭費), identity with the agent case, 減免 instalments, audit in the same
transaction."""

from __future__ import annotations

from datetime import date

import pytest
from collection_factories import make_direct_plan
from factories import personal_number

from kouki.applications.models import Application, Status, StepAction
from kouki.applications.services import (
    ApplicationError,
    ApplicationWarnings,
    application_confirm,
    application_receive,
    application_withdraw,
)
from kouki.privacy.audit import verify_chain
from kouki.privacy.models import AuditEntry
from kouki.privacy.selectors import has_personal_number
from kouki.rules.applications import Applicant, ApplicationKind

from .conftest import DAMAGE_50, Counter, actor_of, agent_changes, funeral_input, medical_input

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(
        AuditEntry.objects.filter(action__startswith="application.")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_a_funeral_application_is_received_numbered_and_waits_for_a_second_person(counter: Counter) -> None:
    a = application_receive(actor=actor_of(counter.clerk), data=funeral_input(counter.deceased))
    assert a.status == Status.RECEIVED
    assert a.application_no == "令和8年度第00001号" and (a.fiscal_year, a.serial) == (2026, 1)
    assert a.details["funeral_date"] == "2026-03-20" and a.warnings == [] and a.missing_documents == []
    assert a.time_limit_last_day == date(2028, 3, 20)  # from the day after the funeral, 2 years
    assert "喪主" in a.identity_summary
    second = application_receive(actor=actor_of(counter.clerk), data=medical_input(counter.living))
    assert second.application_no == "令和8年度第00002号"
    assert _actions() == ["application.receive", "application.receive"]


def test_in11_the_receiver_cannot_confirm_and_a_different_supervisor_can(counter: Counter) -> None:
    a = application_receive(actor=actor_of(counter.supervisor), data=funeral_input(counter.deceased))
    with pytest.raises(ApplicationError, match="自分の受付を再鑑できません"):
        application_confirm(actor=actor_of(counter.supervisor), application_id=a.pk, note="照合済")
    with pytest.raises(ApplicationError, match="申請の再鑑の権限がありません"):
        application_confirm(actor=actor_of(counter.clerk), application_id=a.pk, note="照合済")
    with pytest.raises(ApplicationError, match="判断の根拠"):
        application_confirm(actor=actor_of(counter.other_supervisor), application_id=a.pk, note=" ")
    a.refresh_from_db()
    assert a.status == Status.RECEIVED and a.confirmed_by is None
    application_confirm(actor=actor_of(counter.other_supervisor), application_id=a.pk, note="会葬礼状と照合")
    a.refresh_from_db()
    assert a.status == Status.CONFIRMED and a.confirmed_by == counter.other_supervisor.user
    assert list(a.steps.values_list("action", "actor_id", "note")) == [
        (StepAction.RECEIVED, counter.supervisor.user.pk, ""),
        (StepAction.CONFIRMED, counter.other_supervisor.user.pk, "会葬礼状と照合"),
    ]
    with pytest.raises(ApplicationError, match="再鑑待ちの申請ではありません"):
        application_confirm(actor=actor_of(counter.supervisor), application_id=a.pk, note="二度目")
    assert _actions() == ["application.receive", "application.confirm"]
    assert list(verify_chain()) == []


def test_one_funeral_application_per_death_until_it_is_withdrawn(counter: Counter) -> None:
    first = application_receive(actor=actor_of(counter.clerk), data=funeral_input(counter.deceased))
    with pytest.raises(ApplicationError, match=r"すでに受け付けています.*1人の死亡につき1回"):
        application_receive(actor=actor_of(counter.clerk), data=funeral_input(counter.deceased))
    assert Application.objects.count() == 1
    application_withdraw(actor=actor_of(counter.clerk), application_id=first.pk, reason="喪主の変更のため")
    again = application_receive(actor=actor_of(counter.clerk), data=funeral_input(counter.deceased))
    assert again.status == Status.RECEIVED
    first.refresh_from_db()
    assert first.status == Status.WITHDRAWN and first.withdrawal_reason == "喪主の変更のため"
    with pytest.raises(ApplicationError, match="すでに取り下げられています"):
        application_withdraw(actor=actor_of(counter.clerk), application_id=first.pk, reason="重ねて")


def test_bf01_a_funeral_application_refuses_a_personal_number(counter: Counter) -> None:
    """事務 7 handles no 個人番号: even a supervisor's number is refused and nothing is stored."""
    number = personal_number()
    with pytest.raises(ApplicationError, match="葬祭費の申請では個人番号を扱えません") as caught:
        application_receive(
            actor=actor_of(counter.supervisor), data=funeral_input(counter.deceased), number=number
        )
    assert number not in str(caught.value)
    assert Application.objects.count() == 0 and _actions() == []
    a = application_receive(actor=actor_of(counter.supervisor), data=funeral_input(counter.deceased))
    with pytest.raises(ApplicationError, match="個人番号"):
        application_confirm(
            actor=actor_of(counter.other_supervisor), application_id=a.pk, note="照合", number=number
        )
    assert not has_personal_number(counter.deceased.pk)


def test_a_medical_application_carries_the_number_rekeyed_at_confirmation(counter: Counter) -> None:
    """事務 4 may handle 個人番号: typed at 受付, re-keyed at 再鑑, then registered through the gate."""
    number = personal_number()
    with pytest.raises(ApplicationError, match="個人番号の入力の権限"):
        application_receive(actor=actor_of(counter.clerk), data=medical_input(counter.living), number=number)
    a = application_receive(
        actor=actor_of(counter.number_clerk), data=medical_input(counter.living), number=number
    )
    assert a.has_number and number not in a.number_token
    with pytest.raises(ApplicationError, match="申請書の個人番号をもう一度入力"):
        application_confirm(actor=actor_of(counter.supervisor), application_id=a.pk, note="照合")
    with pytest.raises(ApplicationError, match="一致しません"):
        application_confirm(
            actor=actor_of(counter.supervisor), application_id=a.pk, note="照合", number=personal_number()
        )
    application_confirm(actor=actor_of(counter.supervisor), application_id=a.pk, note="照合", number=number)
    a.refresh_from_db()
    assert a.status == Status.CONFIRMED and a.number_result and has_personal_number(counter.living.pk)
    assert all(number not in str(e.detail) for e in AuditEntry.objects.all())


def test_a_funeral_past_the_time_limit_is_taken_only_after_the_warning_is_confirmed(counter: Counter) -> None:
    late = funeral_input(counter.deceased, details={
        "funeral_date": date(2024, 4, 9), "mourner_name": "佐藤 和子", "mourner_relationship": "妻",
        "former_insurance": "no",
    })  # fmt: skip
    with pytest.raises(ApplicationWarnings, match=r"時効\(2年\)を過ぎています.*令和8年4月9日") as caught:
        application_receive(actor=actor_of(counter.clerk), data=late)
    assert caught.value.warnings.time_limit_last_day == date(2026, 4, 9)
    assert Application.objects.count() == 0
    a = application_receive(
        actor=actor_of(counter.clerk), data=late.__class__(**{**late.__dict__, "accept_warnings": True})
    )
    assert a.time_limit_last_day == date(2026, 4, 9) and a.warnings[0].startswith("時効(2年)を過ぎています")
    assert a.steps.get().note == "警告を確認のうえ受付"


def test_the_last_day_of_the_time_limit_is_not_late(counter: Counter) -> None:
    on_time = funeral_input(counter.deceased, details={
        "funeral_date": date(2024, 4, 10), "mourner_name": "佐藤 和子", "mourner_relationship": "妻",
        "former_insurance": "no",
    })  # fmt: skip
    assert application_receive(actor=actor_of(counter.clerk), data=on_time).warnings == []


def test_missing_documents_and_the_former_insurance_exclusion_are_warnings(counter: Counter) -> None:
    data = funeral_input(
        counter.deceased,
        documents=frozenset({"form"}),
        details={"funeral_date": date(2026, 3, 20), "mourner_name": "佐藤 和子", "mourner_relationship": "妻",
                 "former_insurance": "yes"},
    )  # fmt: skip
    with pytest.raises(ApplicationWarnings) as caught:
        application_receive(actor=actor_of(counter.clerk), data=data)
    messages = caught.value.warnings.messages
    assert any("会葬礼状 または 葬儀の領収書" in m for m in messages)
    assert any("埋葬料等が支給される場合、葬祭費は支給されません" in m for m in messages)
    a = application_receive(
        actor=actor_of(counter.clerk), data=data.__class__(**{**data.__dict__, "accept_warnings": True})
    )
    assert "喪主名義の口座のわかるもの" in a.missing_documents


def test_a_funeral_for_someone_the_register_shows_alive_warns(counter: Counter) -> None:
    with pytest.raises(ApplicationWarnings, match="死亡の記録がありません"):
        application_receive(actor=actor_of(counter.clerk), data=funeral_input(counter.living))


def test_who_may_apply_depends_on_the_kind(counter: Counter) -> None:
    with pytest.raises(ApplicationError, match="葬祭費の申請者は葬祭を行った者\\(喪主\\)・代理人です"):
        application_receive(
            actor=actor_of(counter.clerk), data=funeral_input(counter.deceased, applicant=Applicant.SELF)
        )
    with pytest.raises(ApplicationError, match="申請者は本人・代理人"):
        application_receive(
            actor=actor_of(counter.clerk), data=medical_input(counter.living, applicant=Applicant.MOURNER)
        )


def test_in07_in08_identity_is_checked_with_the_agent_case(counter: Counter) -> None:
    with pytest.raises(ApplicationError, match="身元確認ができていません"):
        application_receive(
            actor=actor_of(counter.clerk),
            data=funeral_input(counter.deceased, identity_documents=frozenset()),
        )
    changes = agent_changes()
    missing_authority = {**changes, "authority_documents": frozenset()}
    with pytest.raises(ApplicationError, match="代理権の確認ができていません"):
        application_receive(
            actor=actor_of(counter.clerk), data=funeral_input(counter.deceased, **missing_authority)
        )
    a = application_receive(actor=actor_of(counter.clerk), data=funeral_input(counter.deceased, **changes))
    assert (a.applicant, a.agent_name, a.agent_relationship) == ("agent", "佐藤 次郎", "子")


def test_details_are_checked_by_the_kind_schema(counter: Counter) -> None:
    with pytest.raises(ApplicationError, match="入力してください") as caught:
        application_receive(actor=actor_of(counter.clerk), data=funeral_input(counter.deceased, details={}))
    assert caught.value.field == "funeral_date"
    bad = {"paid_on": date(2026, 2, 1), "amount_paid": 0, "provider": "浦和整形外科"}
    with pytest.raises(ApplicationError, match="正の額") as caught:
        application_receive(actor=actor_of(counter.clerk), data=medical_input(counter.living, details=bad))
    assert caught.value.field == "amount_paid"
    with pytest.raises(ApplicationError, match="個人番号は記入できません") as caught:
        application_receive(
            actor=actor_of(counter.clerk),
            data=medical_input(
                counter.living,
                details={"paid_on": date(2026, 2, 1), "amount_paid": 3_000, "provider": personal_number()},
            ),
        )
    assert caught.value.field == "provider"
    with pytest.raises(ApplicationError, match="この申請の書類にない"):
        application_receive(
            actor=actor_of(counter.clerk),
            data=medical_input(counter.living, documents=frozenset({"funeral_letter"})),
        )


def test_a_reduction_names_the_persons_instalments_and_the_evidence_of_its_ground(counter: Counter) -> None:
    _person, plan = make_direct_plan(90_000, 2026, person=counter.living)
    ids = list(plan.instalments.order_by("due_date").values_list("pk", flat=True))
    base = {
        "person_id": counter.living.pk, "kind": ApplicationKind.PREMIUM_REDUCTION,
        "received_on": date(2026, 7, 1),
        "applicant": Applicant.SELF,
        "details": {"ground": "5", "disaster_date": date(2026, 6, 20), **DAMAGE_50},
        "identity_documents": frozenset({"drivers_licence"}),
        "documents": frozenset({"form", "disaster_certificate"}),
    }  # fmt: skip
    from kouki.applications.services import ApplicationInput

    with pytest.raises(ApplicationError, match="期別を選んでください"):
        application_receive(actor=actor_of(counter.clerk), data=ApplicationInput(**base))  # type: ignore[arg-type]
    _other, other_plan = make_direct_plan(50_000, 2026)
    foreign = other_plan.instalments.values_list("pk", flat=True)[0]
    with pytest.raises(ApplicationError, match="この方の期別ではない"):
        application_receive(
            actor=actor_of(counter.clerk), data=ApplicationInput(**base, instalment_ids=(foreign,))
        )  # type: ignore[arg-type]
    a = application_receive(
        actor=actor_of(counter.clerk), data=ApplicationInput(**base, instalment_ids=tuple(ids[:3]))
    )  # type: ignore[arg-type]
    assert [i["id"] for i in a.instalments] == ids[:3]
    assert a.instalments[0]["label"] == "令和8年度 普通徴収 第1期" and a.missing_documents == []
    no_evidence = {**base, "documents": frozenset({"form"})}
    with pytest.raises(ApplicationWarnings, match="り災証明書"):
        application_receive(
            actor=actor_of(counter.clerk), data=ApplicationInput(**no_evidence, instalment_ids=tuple(ids[:1]))
        )  # type: ignore[arg-type]


def test_a_deferral_is_for_six_months_at_most(counter: Counter) -> None:
    from kouki.applications.services import ApplicationInput

    _person, plan = make_direct_plan(90_000, 2026, person=counter.living)
    first = plan.instalments.order_by("due_date").values_list("pk", flat=True)[0]
    data = ApplicationInput(
        person_id=counter.living.pk, kind=ApplicationKind.PREMIUM_DEFERRAL, received_on=date(2026, 7, 1),
        applicant=Applicant.SELF,
        details={"ground": "3", "months": 7, "prior_income": 2_000_000, "expected_income": 500_000},
        instalment_ids=(first,),
        identity_documents=frozenset({"drivers_licence"}),  # type: ignore[arg-type]
    )  # fmt: skip
    with pytest.raises(ApplicationError, match="6か月以内") as caught:
        application_receive(actor=actor_of(counter.clerk), data=data)
    assert caught.value.field == "months"


def test_withdrawal_needs_a_reason_and_the_permission(counter: Counter) -> None:
    a = application_receive(actor=actor_of(counter.clerk), data=medical_input(counter.living))
    with pytest.raises(ApplicationError, match="理由"):
        application_withdraw(actor=actor_of(counter.clerk), application_id=a.pk, reason="")
    with pytest.raises(ApplicationError, match="権限がありません"):
        application_withdraw(actor=actor_of(counter.auditor), application_id=a.pk, reason="本人の申出")
    assert Application.objects.get().status == Status.RECEIVED


def _high_cost(person_id: int, **changes: object) -> object:
    from kouki.applications.services import ApplicationInput, PaymentAccount

    values: dict[str, object] = {
        "person_id": person_id, "kind": ApplicationKind.HIGH_COST, "received_on": date(2026, 4, 10),
        "applicant": Applicant.SELF, "details": {"care_month": date(2026, 1, 1)},
        "documents": frozenset({"form", "card", "account"}),
        "identity_documents": frozenset({"drivers_licence"}),
        "account": PaymentAccount("0001", "001", 1, "1234567", "スズキ ハナコ"),
    }  # fmt: skip
    values.update(changes)
    return ApplicationInput(**values)  # type: ignore[arg-type]


def test_the_first_high_cost_application_registers_the_payment_account(counter: Counter) -> None:
    """[R5][R10]: the one-off account registration; later amounts are paid automatically."""
    from kouki.applications.services import PaymentAccount
    from kouki.banking.models import BankAccount, Purpose

    with pytest.raises(ApplicationError, match="口座番号は7桁以内") as caught:
        application_receive(
            actor=actor_of(counter.clerk),
            data=_high_cost(  # type: ignore[arg-type]
                counter.living.pk, account=PaymentAccount("0001", "001", 1, "12345678", "スズキ ハナコ")
            ),
        )
    assert caught.value.field == "account_number" and BankAccount.objects.count() == 0
    with pytest.raises(ApplicationError, match="振込口座を入力"):
        application_receive(actor=actor_of(counter.clerk), data=_high_cost(counter.living.pk, account=None))  # type: ignore[arg-type]
    a = application_receive(actor=actor_of(counter.clerk), data=_high_cost(counter.living.pk))  # type: ignore[arg-type]
    account = BankAccount.objects.get()
    assert a.bank_account == account and account.purpose == Purpose.HIGH_COST
    assert (account.valid_from, account.valid_to, account.account_number) == (
        date(2026, 4, 10),
        None,
        "1234567",
    )
    assert AuditEntry.objects.filter(action="high_cost_account_register").count() == 1
    assert all("1234567" not in str(e.detail) for e in AuditEntry.objects.all())
    application_withdraw(actor=actor_of(counter.clerk), application_id=a.pk, reason="本人の申出")
    account.refresh_from_db()
    assert account.valid_to is not None and account.end_reason == "高額療養費の申請の取下げ"
    with pytest.raises(ApplicationError, match="振込口座を登録しません"):
        application_receive(
            actor=actor_of(counter.clerk),
            data=medical_input(
                counter.living, account=PaymentAccount("0001", "001", 1, "1234567", "スズキ ハナコ")
            ),
        )


def test_returned_for_correction_then_corrected_and_confirmed_by_someone_else(counter: Counter) -> None:
    """IN-11: the checker returns it; the corrected application waits for 再鑑 again, and neither the
    receiver nor the corrector may confirm it."""
    from kouki.applications.services import application_correct, application_return

    a = application_receive(actor=actor_of(counter.clerk), data=funeral_input(counter.deceased))
    with pytest.raises(ApplicationError, match="申請の差戻しの権限がありません"):
        application_return(actor=actor_of(counter.clerk), application_id=a.pk, note="誤り")
    application_return(actor=actor_of(counter.supervisor), application_id=a.pk, note="続柄の誤り")
    a.refresh_from_db()
    assert a.status == Status.RETURNED
    with pytest.raises(ApplicationError, match="再鑑待ちの申請ではありません"):
        application_confirm(actor=actor_of(counter.other_supervisor), application_id=a.pk, note="照合")
    corrected = funeral_input(counter.deceased, details={
        "funeral_date": date(2026, 3, 20), "mourner_name": "佐藤 和子", "mourner_relationship": "長女",
        "former_insurance": "no",
    })  # fmt: skip
    with pytest.raises(ApplicationError, match="対象者と種類は変更できません"):
        application_correct(actor=actor_of(counter.other_supervisor), application_id=a.pk,
                            data=medical_input(counter.living))  # fmt: skip
    application_correct(actor=actor_of(counter.other_supervisor), application_id=a.pk, data=corrected)
    a.refresh_from_db()
    assert (a.status, a.details["mourner_relationship"], a.application_no) == (
        Status.RECEIVED, "長女", "令和8年度第00001号")  # fmt: skip
    with pytest.raises(ApplicationError, match="自分の受付を再鑑できません"):
        application_confirm(actor=actor_of(counter.other_supervisor), application_id=a.pk, note="照合")
    application_confirm(actor=actor_of(counter.supervisor), application_id=a.pk, note="続柄を確認")
    assert [s.action for s in a.steps.all()] == ["received", "returned", "corrected", "confirmed"]
    assert _actions() == ["application.receive", "application.return", "application.correct",
                          "application.confirm"]  # fmt: skip
    with pytest.raises(ApplicationError, match="差戻し中の申請だけ"):
        application_correct(actor=actor_of(counter.clerk), application_id=a.pk, data=corrected)
