"""What every counter intake shares (届出 and 申請): the refusal with the field it concerns, the staff
check, free text that must carry no personal number, the identity check of the visit (IN-07…IN-09, with
the agent case), and the personal number typed at entry and re-keyed at 再鑑 (IN-11).

Used by kouki.notifications.services and kouki.applications.services; the rules themselves are
kouki.rules.identity_check.
"""

from __future__ import annotations

from typing import Protocol

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.privacy.context import Actor
from kouki.privacy.redaction import contains_personal_number
from kouki.privacy.services import personal_number_register
from kouki.privacy.vault import reference_token
from kouki.rules.identity_check import (
    DOCUMENT_LABELS,
    AgentKind,
    AuthorityDocument,
    IdentityCheckInput,
    IdentityCheckResult,
    IdentityDocument,
    check_identity,
)
from kouki.rules.numbers import validate_my_number


class CounterError(ValueError):
    """A counter write refused: names the field and the reason (Japanese, for the screen)."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


class CounterVisit(Protocol):
    """Who came to the counter and what they showed (the fields of NotificationInput/ApplicationInput)."""

    @property
    def identity_documents(self) -> frozenset[IdentityDocument]: ...
    @property
    def notification_card_matches(self) -> bool: ...
    @property
    def resident_network_checked(self) -> bool: ...
    @property
    def agent_kind(self) -> AgentKind | None: ...
    @property
    def agent_name(self) -> str: ...
    @property
    def agent_relationship(self) -> str: ...
    @property
    def agent_documents(self) -> frozenset[IdentityDocument]: ...
    @property
    def authority_documents(self) -> frozenset[AuthorityDocument]: ...


def staff_with(actor: Actor, perm: Perm, what: str) -> StaffUser:
    """The acting member of staff, holding `perm`; else CounterError naming what was refused."""
    user = StaffUser.objects.filter(pk=actor.user_id).first() if actor.user_id is not None else None
    if user is None or not user.has_kouki_perm(perm):
        raise CounterError("actor", f"{what}の権限がありません")
    return user


def four_eyes_checker(
    actor: Actor, perm: Perm, what: str, *, waiting: bool, status_label: str, noun: str,
    makers: set[int], maker_refusal: str, note: str, note_max: int,
) -> tuple[StaffUser, str]:  # fmt: skip
    """The 再鑑 member of staff of a counter entry (届出・申請, IN-11): holds `perm`, the entry is waiting
    for its check (`waiting`, else the refusal names `status_label`), and is none of `makers` (who entered
    or corrected it; refused with `maker_refusal`); with the basis of the check (`note`), required."""
    user = staff_with(actor, perm, what)
    if not waiting:
        raise CounterError("status", f"再鑑待ちの{noun}ではありません(現在: {status_label})")
    if user.pk in makers:
        raise CounterError("actor", maker_refusal)
    note = checked_text(note, "note", note_max)
    if not note:
        raise CounterError("note", "判断の根拠を入力してください")
    return user, note


def checked_text(value: str, name: str, max_length: int) -> str:
    value = value.strip()
    if contains_personal_number(value):
        raise CounterError(name, "個人番号は記入できません")
    if len(value) > max_length:
        raise CounterError(name, f"{max_length}文字以内で入力してください")
    return value


def identity_case(visit: CounterVisit, *, number_provided: bool, agent: bool) -> IdentityCheckInput:
    return IdentityCheckInput(
        number_provided=number_provided,
        documents=visit.identity_documents,
        notification_card_matches=visit.notification_card_matches,
        resident_network_checked=visit.resident_network_checked,
        agent_kind=visit.agent_kind if agent else None,
        agent_documents=visit.agent_documents if agent else frozenset(),
        authority_documents=visit.authority_documents if agent else frozenset(),
    )


def identity_summary(visit: CounterVisit, verdict: IdentityCheckResult, applicant_label: str) -> str:
    docs = "・".join(DOCUMENT_LABELS[d] for d in sorted(visit.identity_documents)) or "書類なし"
    text = f"{applicant_label}: {docs}"
    if verdict.used_resident_network:
        text += "(住基ネット照会で確認)"
    return text[:200]


def identity_values(
    visit: CounterVisit, *, agent: bool, number_provided: bool, applicant_label: str
) -> dict[str, object]:
    """The identity fields to store for the visit (same names on 届出 and 申請); CounterError when the
    agent is not named or the documents do not suffice (IN-07…IN-09)."""
    agent_name = checked_text(visit.agent_name, "agent_name", 80)
    relationship = checked_text(visit.agent_relationship, "agent_relationship", 40)
    if agent and (visit.agent_kind is None or not agent_name or not relationship):
        raise CounterError("agent", "代理人の区分・氏名・本人との関係を入力してください")
    verdict = check_identity(identity_case(visit, number_provided=number_provided, agent=agent))
    if not verdict.ok:
        raise CounterError("identity", " / ".join(verdict.problems))
    return {
        "agent_kind": str(visit.agent_kind) if agent and visit.agent_kind else "",
        "agent_name": agent_name if agent else "",
        "agent_relationship": relationship if agent else "",
        "agent_documents": sorted(visit.agent_documents) if agent else [],
        "authority_documents": sorted(visit.authority_documents) if agent else [],
        "identity_documents": sorted(visit.identity_documents),
        "notification_card_matches": visit.notification_card_matches,
        "resident_network_checked": visit.resident_network_checked,
        "identity_summary": identity_summary(visit, verdict, applicant_label),
    }


def number_token(number: str) -> str:
    """The privacy gate's reference token of a number typed at entry ("" for none); InvalidNumber
    (whose message never repeats the number) when it is not a valid 個人番号."""
    if not number:
        return ""
    validate_my_number(number)
    return reference_token(number)


def rekeyed_number_register(
    actor: Actor, *, person_id: int, token: str, number: str, source: str, what: str
) -> str:
    """At 再鑑: the confirmer re-keys the number written on the form; when it matches the one typed at
    entry it is registered through the privacy gate (IN-04 applies). Returns the registration result
    ("" when the form carried no number)."""
    if not token:
        if number:
            raise CounterError("number", f"この{what}には個人番号が入力されていません")
        return ""
    if not number:
        raise CounterError("number", f"{what}書の個人番号をもう一度入力してください")
    staff_with(actor, Perm.REGISTER_PERSONAL_NUMBER, "個人番号の登録")
    validate_my_number(number)
    if reference_token(number) != token:
        raise CounterError("number", f"入力時の個人番号と一致しません。{what}書を確認してください")
    return personal_number_register(actor=actor, person_id=person_id, number=number, source=source)
