"""Writes of counter applications: receive (受付), confirm (再鑑) by a different member of staff, withdraw
(取下げ). Each appends its step and its audit row in the same transaction.

- 受付: the kind's details are checked by its pure schema (kouki.rules.applications.clean_details), the
  identity of the visit by kouki.rules.identity_check (IN-07…IN-09, the agent case; for a 葬祭費 the
  person at the counter is the 喪主 or the 喪主's agent). The warnings of the kind (time limit passed,
  documents missing, the 葬祭費 exclusion, 納期限 passed …) must have been seen: without
  `accept_warnings` the service refuses with ApplicationWarnings listing them; with it, they are recorded
  with the application. A 葬祭費 is taken once per death.
- 個人番号 (BF-01): only for a kind whose 事務 may handle it; for any other kind a number is refused
  before anything is stored. The number is kept as a reference token, re-keyed at 再鑑 and registered
  through kouki.privacy (kouki.notifications.counter, as for 届出).
- 再鑑 (IN-11): the receiver can never confirm their own application.

The union's part (issue 12 §2): sending (union_send), decisions (decisions), notices (notices).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.addressees.models import Person, PersonStatus
from kouki.addressees.selectors import person_current
from kouki.applications.models import Application, ApplicationStep, SerialCounter, Status, StepAction
from kouki.applications.selectors import instalment_options
from kouki.applications.union_records import death_date
from kouki.banking.accounts import (
    AccountError,
    AccountFields,
    account_end,
    account_register,
    validate_account,
)
from kouki.banking.models import Purpose
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.notifications.counter import (
    CounterError,
    checked_text,
    four_eyes_checker,
    identity_values,
    number_token,
    rekeyed_number_register,
    staff_with,
)
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.rules.applications import (
    APPLICANT_LABELS,
    PREMIUM_KINDS,
    Applicant,
    ApplicationKind,
    DetailsInvalid,
    Warnings,
    clean_details,
    date_problems,
    requirements_of,
    spec_of,
    time_limit_event,
    time_limit_last_day,
    warnings_for,
)
from kouki.rules.identity_check import AgentKind, AuthorityDocument, IdentityDocument
from kouki.rules.wareki import fiscal_year, wareki_year

NOTE_MAX = 200

# A refused application write: the shared counter refusal (field and Japanese reason for the screen).
ApplicationError = CounterError


class ApplicationWarnings(CounterError):
    """The application has warnings the clerk has not confirmed yet (nothing was stored)."""

    def __init__(self, warnings: Warnings) -> None:
        super().__init__("warnings", " / ".join(warnings.messages))
        self.warnings = warnings


@dataclass(frozen=True)
class PaymentAccount:
    """The account a first 高額療養費 application registers (later amounts are paid to it)."""

    bank_code: str
    branch_code: str
    deposit_type: int
    account_number: str
    holder_kana: str


@dataclass(frozen=True)
class ApplicationInput:
    """What the clerk enters from the form (everything but the personal number)."""

    person_id: int
    kind: ApplicationKind
    received_on: date
    applicant: Applicant
    details: Mapping[str, Any] = field(default_factory=dict)
    documents: frozenset[str] = frozenset()
    instalment_ids: tuple[int, ...] = ()
    identity_documents: frozenset[IdentityDocument] = frozenset()
    notification_card_matches: bool = False
    resident_network_checked: bool = False
    agent_kind: AgentKind | None = None
    agent_name: str = ""
    agent_relationship: str = ""
    agent_documents: frozenset[IdentityDocument] = frozenset()
    authority_documents: frozenset[AuthorityDocument] = frozenset()
    note: str = ""
    accept_warnings: bool = False
    account: PaymentAccount | None = None


def _details(data: ApplicationInput) -> dict[str, object]:
    """The kind's details checked by its schema; no text detail may carry a personal number."""
    try:
        details = clean_details(data.kind, data.details)
    except DetailsInvalid as exc:
        name, reason = next(iter(exc.errors.items()))
        raise ApplicationError(name, reason) from None
    for name, value in details.items():
        if isinstance(value, str):
            checked_text(value, name, len(value))
    return details


def _documents(data: ApplicationInput, details: Mapping[str, object]) -> list[str]:
    known = {d.code for r in requirements_of(data.kind, details) for d in r.alternatives}
    unknown = data.documents - known
    if unknown:
        raise ApplicationError("documents", "この申請の書類にないものが選ばれています")
    return sorted(data.documents)


def _instalments(data: ApplicationInput) -> list[dict[str, object]]:
    """The applied instalments (減免・猶予) as they stand at the counter; none for other kinds."""
    if data.kind not in PREMIUM_KINDS:
        if data.instalment_ids:
            raise ApplicationError("instalments", "この申請では期別を選びません")
        return []
    if not data.instalment_ids:
        raise ApplicationError("instalments", "申請の対象とする期別を選んでください")
    # the screen lists them as of today; a 受付日 in the previous fiscal year reaches one year further back
    options = {o.instalment_id: o for on in (data.received_on, timezone.localdate())
               for o in instalment_options(data.person_id, on)}  # fmt: skip
    if any(i not in options for i in data.instalment_ids):
        raise ApplicationError("instalments", "この方の期別ではないものが選ばれています")
    return [options[i].as_json() for i in sorted(set(data.instalment_ids))]


def _account_error(exc: AccountError) -> ApplicationError:
    name, reason = exc.problems[0]
    return ApplicationError(name, reason)


def _account(data: ApplicationInput) -> AccountFields | None:
    """The payment account's fields checked (高額療養費 初回 only; required there, refused elsewhere)."""
    if not spec_of(data.kind).registers_account:
        if data.account is not None:
            raise ApplicationError("bank_code", "この申請では振込口座を登録しません")
        return None
    if data.account is None:
        raise ApplicationError("bank_code", "振込口座を入力してください")
    acct = data.account
    try:
        return validate_account(bank_code=acct.bank_code, branch_code=acct.branch_code,
                                deposit_type=acct.deposit_type, account_number=acct.account_number,
                                holder_kana=acct.holder_kana)  # fmt: skip
    except AccountError as exc:
        raise _account_error(exc) from None


def _funeral_taken(person_id: int, *, other_than: int | None = None) -> Application | None:
    qs = Application.objects.filter(person_id=person_id, kind=ApplicationKind.FUNERAL).exclude(
        status=Status.WITHDRAWN
    )
    return qs.exclude(pk=other_than).first() if other_than is not None else qs.first()


def _validate(
    data: ApplicationInput, number: str, *, correcting: int | None = None
) -> tuple[dict[str, object], str, Warnings]:
    spec = spec_of(data.kind)
    if number and not spec.number_allowed:
        raise ApplicationError("number", f"{spec.label}の申請では個人番号を扱えません")
    current = person_current(data.person_id)
    if current is None or not Person.objects.filter(pk=data.person_id).exists():
        raise ApplicationError("person", "宛名が登録されていません")
    if data.received_on > timezone.localdate():
        raise ApplicationError("received_on", "受付日が未来の日付です")
    if data.applicant not in spec.applicants:
        choices = "・".join(APPLICANT_LABELS[a] for a in spec.applicants)
        raise ApplicationError("applicant", f"{spec.label}の申請者は{choices}です")
    details = _details(data)
    died = death_date(data.person_id) if data.kind == ApplicationKind.FUNERAL else None
    dates = date_problems(data.kind, details, received_on=data.received_on, death_date=died)
    if dates:
        name, reason = next(iter(dates.items()))
        raise ApplicationError(name, reason)
    documents = _documents(data, details)
    instalments = _instalments(data)
    if correcting is None:
        _account(data)
    elif data.account is not None:
        raise ApplicationError("bank_code", "口座の変更は、取下げのうえ改めて申請してください")
    if data.kind == ApplicationKind.FUNERAL:
        taken = _funeral_taken(data.person_id, other_than=correcting)
        if taken is not None:
            raise ApplicationError(
                "kind",
                f"この方の葬祭費はすでに受け付けています(受付番号 {taken.application_no})。"
                "1人の死亡につき1回です",
            )
    note = checked_text(data.note, "note", NOTE_MAX)
    token = number_token(number)  # InvalidNumber; its message never repeats the number
    identity = identity_values(
        data, agent=data.applicant == Applicant.AGENT, number_provided=bool(number),
        applicant_label=APPLICANT_LABELS[data.applicant],
    )  # fmt: skip
    dues_passed = sum(1 for i in instalments if str(i["due_date"]) < data.received_on.isoformat())
    warnings = warnings_for(
        data.kind, details, received_on=data.received_on, presented=frozenset(documents),
        deceased=current.status == PersonStatus.DECEASED, dues_passed=dues_passed,
    )  # fmt: skip
    if warnings and not data.accept_warnings:
        raise ApplicationWarnings(warnings)
    event = time_limit_event(data.kind, details)
    values: dict[str, object] = {
        "kind": data.kind.value,
        "person_id": data.person_id,
        "received_on": data.received_on,
        "applicant": data.applicant.value,
        **identity,
        "details": details,
        "documents": documents,
        "missing_documents": list(warnings.missing),
        "time_limit_last_day": time_limit_last_day(event) if event else None,
        "warnings": list(warnings.messages),
        "instalments": instalments,
        "note": note,
    }
    return values, token, warnings


def _next_number(received_on: date) -> tuple[int, int, str]:
    """(fiscal year, serial, 受付番号 「令和8年度第00012号」) — the serial per fiscal year of receipt."""
    fy = fiscal_year(received_on)
    SerialCounter.objects.get_or_create(fiscal_year=fy)
    counter = SerialCounter.objects.select_for_update().get(fiscal_year=fy)
    counter.last += 1
    counter.save(update_fields=["last"])
    return fy, counter.last, f"{wareki_year(fy)}第{counter.last:05d}号"


def _step(a: Application, action: StepAction, actor: Actor, user: StaffUser | None, note: str = "") -> None:
    ApplicationStep.objects.create(
        application=a, action=action, actor=user, actor_name=actor.username, at=timezone.now(), note=note
    )


def application_receive(*, actor: Actor, data: ApplicationInput, number: str = "") -> Application:
    """A clerk takes an application; it waits for a different member of staff to confirm it (IN-11)."""
    user = staff_with(actor, Perm.ENTER_APPLICATION, "申請の受付")
    number = number.strip()
    if number and spec_of(data.kind).number_allowed:
        staff_with(actor, Perm.REGISTER_PERSONAL_NUMBER, "個人番号の入力")
    values, token, warnings = _validate(data, number)
    try:
        with transaction.atomic():
            fy, serial, no = _next_number(data.received_on)
            a = Application.objects.create(
                **values, application_no=no, fiscal_year=fy, serial=serial, number_token=token,
                status=Status.RECEIVED, received_by=user, received_at=timezone.now(),
            )  # fmt: skip
            if data.account is not None:
                a.bank_account = _register_account(actor, a, data.account)
                a.save(update_fields=["bank_account"])
            _step(a, StepAction.RECEIVED, actor, user, "警告を確認のうえ受付" if warnings else "")
            audit_record(
                actor=actor,
                action=AuditAction.APPLICATION_RECEIVE,
                target_type=AuditTarget.APPLICATION,
                target_id=str(a.pk),
                detail={
                    "no": no,
                    "kind": a.kind,
                    "person_id": a.person_id,
                    "with_number": bool(token),
                    "warnings": len(warnings.messages),
                },
            )
    except IntegrityError:
        if data.kind == ApplicationKind.FUNERAL and _funeral_taken(data.person_id) is not None:
            raise ApplicationError(
                "kind", "この方の葬祭費はすでに受け付けています。1人の死亡につき1回です"
            ) from None
        raise
    return a


def _register_account(actor: Actor, a: Application, acct: PaymentAccount) -> Any:
    """Register the 高額療養費振込口座 through kouki.banking (its audit row in this transaction)."""
    try:
        return account_register(
            actor=actor, purpose=Purpose.HIGH_COST, person_id=a.person_id, bank_code=acct.bank_code,
            branch_code=acct.branch_code, deposit_type=acct.deposit_type, account_number=acct.account_number,
            holder_kana=acct.holder_kana, valid_from=a.received_on, applied_on=a.received_on,
        )  # fmt: skip
    except AccountError as exc:
        raise _account_error(exc) from None


def _locked(application_id: int) -> Application:
    a = Application.objects.select_for_update().filter(pk=application_id).first()
    if a is None:
        raise ApplicationError("application", "申請がありません")
    return a


def receiver_ids(application_id: int) -> set[int]:
    """Everyone who received or corrected the application: none of them may 再鑑 it."""
    actions = (StepAction.RECEIVED, StepAction.CORRECTED)
    rows = ApplicationStep.objects.filter(application_id=application_id, action__in=actions)
    return {uid for uid in rows.values_list("actor_id", flat=True) if uid is not None}


def _checker(actor: Actor, a: Application, note: str, what: str) -> tuple[StaffUser, str]:
    """The 再鑑 member of staff (never one who received or corrected it) and the basis of the check."""
    return four_eyes_checker(
        actor, Perm.CONFIRM_APPLICATION, what, waiting=a.status == Status.RECEIVED,
        status_label=Status(a.status).label, noun="申請", makers=receiver_ids(a.pk),
        maker_refusal="受け付けた職員は自分の受付を再鑑できません(再鑑は別の職員)",
        note=note, note_max=NOTE_MAX,
    )  # fmt: skip


def application_return(*, actor: Actor, application_id: int, note: str) -> Application:
    """再鑑 finds an error: the application goes back to the counter for correction, saying why."""
    with transaction.atomic():
        a = _locked(application_id)
        user, note = _checker(actor, a, note, "申請の差戻し")
        a.status = Status.RETURNED
        a.save(update_fields=["status"])
        _step(a, StepAction.RETURNED, actor, user, note)
        audit_record(
            actor=actor,
            action=AuditAction.APPLICATION_RETURN,
            target_type=AuditTarget.APPLICATION,
            target_id=str(a.pk),
            detail={"no": a.application_no, "note": note},
        )
    return a


def application_correct(
    *, actor: Actor, application_id: int, data: ApplicationInput, number: str = ""
) -> Application:
    """Correct a returned application (same person, same kind, same 受付番号); it waits for 再鑑 again.
    The payment account a 高額療養費 registered stays: a change of account is a new application [R5]."""
    user = staff_with(actor, Perm.ENTER_APPLICATION, "申請の修正")
    number = number.strip()
    if number and spec_of(data.kind).number_allowed:
        staff_with(actor, Perm.REGISTER_PERSONAL_NUMBER, "個人番号の入力")
    with transaction.atomic():
        a = _locked(application_id)
        if a.status != Status.RETURNED:
            raise ApplicationError("status", "差戻し中の申請だけを修正できます")
        if (data.person_id, data.kind.value) != (a.person_id, a.kind):
            raise ApplicationError("kind", "申請の対象者と種類は変更できません")
        if fiscal_year(data.received_on) != a.fiscal_year:
            raise ApplicationError("received_on", "受付日は受付番号の年度内の日付です")
        values, token, warnings = _validate(data, number, correcting=a.pk)
        for name, value in values.items():
            setattr(a, name, value)
        a.number_token = token
        a.status = Status.RECEIVED
        a.save()
        _step(a, StepAction.CORRECTED, actor, user, "警告を確認のうえ修正" if warnings else "")
        audit_record(
            actor=actor,
            action=AuditAction.APPLICATION_CORRECT,
            target_type=AuditTarget.APPLICATION,
            target_id=str(a.pk),
            detail={"no": a.application_no, "with_number": bool(token), "warnings": len(warnings.messages)},
        )
    return a


def application_confirm(*, actor: Actor, application_id: int, note: str, number: str = "") -> Application:
    """再鑑: a different member of staff checks the application against the form and the documents."""
    number = number.strip()
    with transaction.atomic():
        a = _locked(application_id)
        user, note = _checker(actor, a, note, "申請の再鑑")
        if number and not spec_of(a.kind).number_allowed:
            raise ApplicationError("number", f"{spec_of(a.kind).label}の申請では個人番号を扱えません")
        result = rekeyed_number_register(
            actor, person_id=a.person_id, token=a.number_token, number=number,
            source=f"申請 {a.application_no}", what="申請",
        )  # fmt: skip
        a.status = Status.CONFIRMED
        a.confirmed_by = user
        a.confirmed_at = timezone.now()
        a.number_result = result
        a.save(update_fields=["status", "confirmed_by", "confirmed_at", "number_result"])
        _step(a, StepAction.CONFIRMED, actor, user, note)
        audit_record(
            actor=actor,
            action=AuditAction.APPLICATION_CONFIRM,
            target_type=AuditTarget.APPLICATION,
            target_id=str(a.pk),
            detail={"no": a.application_no, "note": note, "number_result": result},
        )
    return a


# once sent, the union holds the application: a withdrawal then goes through the union (not modelled)
WITHDRAWABLE = (Status.RECEIVED, Status.RETURNED, Status.CONFIRMED)


def application_withdraw(*, actor: Actor, application_id: int, reason: str) -> Application:
    """The applicant withdraws (取下げ); the reason is recorded. A withdrawn 葬祭費 may be applied for
    again."""
    user = staff_with(actor, Perm.ENTER_APPLICATION, "申請の取下げ")
    reason = checked_text(reason, "reason", NOTE_MAX)
    if not reason:
        raise ApplicationError("reason", "取下げの理由を入力してください")
    with transaction.atomic():
        a = _locked(application_id)
        if a.status == Status.WITHDRAWN:
            raise ApplicationError("status", "すでに取り下げられています")
        if a.status not in WITHDRAWABLE:
            raise ApplicationError("status", "広域連合へ送付済みの申請は、ここでは取り下げられません")
        account = a.bank_account
        if account is not None and account.valid_to is None:  # the account it registered ends with it
            end = max(account.valid_from, timezone.localdate())
            account_end(actor=actor, account_id=account.pk, valid_to=end, reason="高額療養費の申請の取下げ")
        a.status = Status.WITHDRAWN
        a.withdrawn_at = timezone.now()
        a.withdrawal_reason = reason
        a.save(update_fields=["status", "withdrawn_at", "withdrawal_reason"])
        _step(a, StepAction.WITHDRAWN, actor, user, reason)
        audit_record(
            actor=actor,
            action=AuditAction.APPLICATION_WITHDRAW,
            target_type=AuditTarget.APPLICATION,
            target_id=str(a.pk),
            detail={"no": a.application_no, "reason": reason},
        )
    return a


def application_receipt_printed(*, actor: Actor, application_id: int) -> None:
    """Record that the 受付票(控え) was printed for the applicant (who printed it, when)."""
    staff_with(actor, Perm.ENTER_APPLICATION, "受付票の印刷")
    with transaction.atomic():
        a = _locked(application_id)
        audit_record(
            actor=actor,
            action=AuditAction.APPLICATION_RECEIPT_PRINT,
            target_type=AuditTarget.APPLICATION,
            target_id=str(a.pk),
            detail={"no": a.application_no},
        )
