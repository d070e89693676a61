"""The gate: the only way a personal number leaves the vault, or is used to find a person.

SEC-07: without the permission, nothing is shown, searched or logged (PersonalNumberAccessDenied).
SEC-11: every reveal and every search writes one ReferenceLog row (staff ID, time, terminal, source
screen, purpose, number as a token) and one audit row, in one transaction.
SEC-10/IN-05: the screen that shows the returned number shows 氏名 and 生年月日 or 住所 beside it
(kouki.addressees.selectors.person_current gives them); the gate returns the number only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.models import PersonalNumber, ReferenceKind
from kouki.privacy.reading import Reading, reading_admit, reading_noted
from kouki.privacy.redaction import contains_personal_number
from kouki.privacy.references import append_reference
from kouki.privacy.vault import decrypt_number, index_match, reference_token
from kouki.rules.numbers import validate_my_number

OTHER = "other"

# 参照理由: (code, label). The screen asks for one before the number is shown.
PURPOSES: list[tuple[str, str]] = [
    ("acquisition", "資格取得届の受付"),
    ("loss", "資格喪失届の受付"),
    ("benefit", "給付申請の受付"),
    ("premium", "保険料に関する申請の受付"),
    ("identity", "本人確認(番号確認)"),
    ("inquiry_result", "情報照会結果の確認"),
    (OTHER, "その他(理由を記入)"),
]
_LABELS = dict(PURPOSES)
_CODES = {label: code for code, label in PURPOSES}
PURPOSE_NOTE_MAX = 150

REFERENCE_ACTIONS = {
    ReferenceKind.REVEAL: AuditAction.PERSONAL_NUMBER_REVEAL,
    ReferenceKind.SEARCH: AuditAction.PERSONAL_NUMBER_SEARCH,
}


class PersonalNumberAccessDenied(PermissionDenied):
    """The user lacks the permission for this use of personal numbers (SEC-07). Nothing was logged."""


class InvalidPurpose(ValueError):
    """No valid 参照理由 was given, or その他 without a written reason."""


@dataclass(frozen=True)
class Purpose:
    code: str
    text: str  # what the reference log records: the label, plus the written reason for その他


def purpose_parse(purpose: str, purpose_note: str = "") -> Purpose:
    """Accept a code or its label; その他 needs a note. The note may not carry a personal number."""
    purpose = purpose.strip()
    note = purpose_note.strip()
    code = purpose if purpose in _LABELS else _CODES.get(purpose)
    if code is None:
        raise InvalidPurpose("参照理由を一覧から選択してください")
    if contains_personal_number(note):
        raise InvalidPurpose("参照理由に個人番号を書かないでください")
    if len(note) > PURPOSE_NOTE_MAX:
        raise InvalidPurpose(f"参照理由は{PURPOSE_NOTE_MAX}文字以内で記入してください")
    if code == OTHER:
        if not note:
            raise InvalidPurpose("その他の場合は参照理由を記入してください")
        return Purpose(code, f"{_LABELS[code]}: {note}")
    return Purpose(code, f"{_LABELS[code]}: {note}" if note else _LABELS[code])


def _require(user: StaffUser, perm: Perm) -> None:
    if not user.has_kouki_perm(perm):
        raise PersonalNumberAccessDenied("個人番号を取り扱う権限がありません")


def reference_where(screen: str, terminal_id: str) -> tuple[str, str]:
    """The source screen and terminal of a reference, checked (both required, no number in either)."""
    screen, terminal_id = screen.strip(), terminal_id.strip()
    if not screen or not terminal_id:
        raise ValueError("a personal-number reference needs the source screen and the terminal ID")
    if contains_personal_number(screen) or contains_personal_number(terminal_id):
        raise ValueError("screen and terminal ID must not contain a personal number")
    return screen[:100], terminal_id[:64]


_where = reference_where


def _log(*, user: StaffUser, kind: ReferenceKind, person_id: int | None, purpose: Purpose, screen: str,
         terminal_id: str, token: str) -> None:
    """One ReferenceLog row and its audit row; the caller holds the transaction."""
    log = append_reference(
        user_id=user.pk, username=user.username, terminal_id=terminal_id, screen=screen,
        purpose=purpose.text, person_id=person_id, kind=str.__str__(kind), number_token=token,
    )
    audit_record(
        actor=Actor(username=user.username, terminal_id=terminal_id, user_id=user.pk),
        action=REFERENCE_ACTIONS[kind], target_type=AuditTarget.PERSON,
        target_id="" if person_id is None else str(person_id),
        detail={"reference_log_id": log.pk, "purpose": purpose.code, "screen": screen,
                "found": person_id is not None},
    )


def reveal_personal_number(*, user: StaffUser, person_id: int, purpose: str, screen: str, terminal_id: str,
                           purpose_note: str = "") -> str | None:
    """The current number of a person, or None when none is stored (then nothing is logged).
    ReadingLimitExceeded at the user's hourly limit of reveals (kouki.privacy.reading, issue 14 §6)."""
    _require(user, Perm.VIEW_PERSONAL_NUMBER)
    parsed = purpose_parse(purpose, purpose_note)
    screen, terminal_id = _where(screen, terminal_id)
    reading_admit(user, Reading.REVEAL, terminal_id=terminal_id, person_id=person_id)
    with transaction.atomic():
        row = PersonalNumber.objects.filter(person_id=person_id, is_current=True).first()
        if row is None:
            return None
        number = decrypt_number(row.ciphertext, row.key_id, person_id)
        _log(user=user, kind=ReferenceKind.REVEAL, person_id=person_id, purpose=parsed, screen=screen,
             terminal_id=terminal_id, token=reference_token(number))
        reading_noted(user, Reading.REVEAL, terminal_id=terminal_id)
        return number


def find_person_by_personal_number(*, user: StaffUser, number: str, purpose: str, screen: str,
                                   terminal_id: str, purpose_note: str = "") -> int | None:
    """The addressee whose current number this is, or None. Every search is logged, found or not."""
    _require(user, Perm.SEARCH_BY_PERSONAL_NUMBER)
    parsed = purpose_parse(purpose, purpose_note)
    screen, terminal_id = _where(screen, terminal_id)
    number = validate_my_number(number.strip())
    with transaction.atomic():
        person_id = (
            PersonalNumber.objects.filter(index_match(number), is_current=True)
            .order_by("person_id").values_list("person_id", flat=True).first()
        )
        _log(user=user, kind=ReferenceKind.SEARCH, person_id=person_id, purpose=parsed, screen=screen,
             terminal_id=terminal_id, token=reference_token(number))
        return person_id
