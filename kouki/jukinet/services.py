"""住基ネット 本人確認情報照会 (IN-09; issue 13 §3): the counter's identity check when no card is presented,
and the check of people moving in.

- Only a role holding Perm.JUKINET_LOOKUP may look up (JukinetAccessDenied; nothing is asked or logged).
- A 照会理由 is required (InvalidLookup on the field), the search is checked before the CS is asked.
- The CS is asked as the staff member's business role (操作者ID `kouki:<role>`), from the terminal.
- One Lookup row and one audit row per lookup, found or not, in one transaction: who, when, terminal,
  screen, purpose, search kind, hit count. Never the number, the 4 items or the result.
- The result is returned in memory for the screen that shows it once; nothing of it is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.jukinet.cs import CsOperator, FourItems, IdentityRecord, connect
from kouki.jukinet.models import Lookup, SearchKind
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.gate import reference_where
from kouki.privacy.redaction import contains_personal_number
from kouki.rules.numbers import InvalidNumber, validate_my_number

OTHER = "other"
# 照会理由 (code, label): the counter's identity check and the check of a move-in (issue 13 §3, IN-09).
PURPOSES: list[tuple[str, str]] = [
    ("identity", "本人確認(個人番号カード等の提示がない)"),
    ("number", "個人番号の確認(番号確認書類の提示がない)"),
    ("move_in", "転入者の本人確認情報の確認"),
    (OTHER, "その他(理由を記入)"),
]
_LABELS = dict(PURPOSES)
NOTE_MAX = 150
SEXES = {"1": "男", "2": "女"}


class JukinetAccessDenied(PermissionDenied):
    """The user may not use the 住基ネット lookup. Nothing was asked or logged."""


class InvalidLookup(ValueError):
    """A lookup that cannot be asked as given; `field` names the form field. No personal data in it."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class LookupOutcome:
    lookup_id: int
    records: list[IdentityRecord]


def _purpose(code: str, note: str) -> tuple[str, str]:
    code, note = code.strip(), note.strip()
    if code not in _LABELS:
        raise InvalidLookup("purpose", "照会理由を一覧から選択してください")
    if contains_personal_number(note):
        raise InvalidLookup("purpose_note", "照会理由に個人番号を書かないでください")
    if len(note) > NOTE_MAX:
        raise InvalidLookup("purpose_note", f"照会理由は{NOTE_MAX}文字以内で記入してください")
    if code == OTHER and not note:
        raise InvalidLookup("purpose_note", "その他の場合は照会理由を記入してください")
    return code, f"{_LABELS[code]}: {note}" if note else _LABELS[code]


def _four_items(name: str, birth_date: date | None, sex: str, address: str) -> FourItems:
    name, address = " ".join(name.split()), address.strip()
    for field, value in (("name", name), ("address", address)):
        if contains_personal_number(value):
            raise InvalidLookup(field, "個人番号は記入できません")
    if not name:
        raise InvalidLookup("name", "氏名を入力してください")
    if birth_date is None:
        raise InvalidLookup("birth_date", "生年月日を入力してください")
    if sex not in SEXES:
        raise InvalidLookup("sex", "性別を選択してください")
    if not address:
        raise InvalidLookup("address", "住所を入力してください")
    return FourItems(name=name[:80], birth_date=birth_date, sex=sex, address=address[:200])


def _ask(
    user: StaffUser, purpose: str, purpose_note: str, screen: str, terminal_id: str
) -> tuple[str, str, str, str, CsOperator]:
    if not user.has_kouki_perm(Perm.JUKINET_LOOKUP):
        raise JukinetAccessDenied("住基ネットを照会する権限がありません")
    code, text = _purpose(purpose, purpose_note)
    screen, terminal_id = reference_where(screen, terminal_id)
    operator = CsOperator(operator_id=f"kouki:{user.role}", staff_id=user.username, terminal_id=terminal_id)
    return code, text, screen, terminal_id, operator


def _record(
    user: StaffUser, *, code: str, text: str, screen: str, terminal_id: str, kind: SearchKind, hits: int
) -> int:
    with transaction.atomic():
        lookup = Lookup.objects.create(
            user=user,
            username=user.username,
            at=timezone.now(),
            terminal_id=terminal_id,
            screen=screen,
            purpose_code=code,
            purpose=text,
            search_kind=kind,
            hit_count=hits,
        )
        audit_record(
            actor=Actor(username=user.username, terminal_id=terminal_id, user_id=user.pk),
            action=AuditAction.JUKINET_LOOKUP,
            target_type=AuditTarget.JUKINET_LOOKUP,
            target_id=str(lookup.pk),
            detail={"purpose": code, "search_kind": str(kind), "hits": hits, "screen": screen},
        )
        return lookup.pk


def jukinet_lookup_by_number(
    *, user: StaffUser, number: str, purpose: str, screen: str, terminal_id: str, purpose_note: str = ""
) -> LookupOutcome:
    """本人確認情報 of the person with this personal number (none or one). Logged once, found or not."""
    code, text, screen, terminal_id, operator = _ask(user, purpose, purpose_note, screen, terminal_id)
    try:
        number = validate_my_number(number.strip())
    except InvalidNumber:
        raise InvalidLookup(
            "personal_number", "個人番号は12桁の数字(検査用数字を含む)で入力してください"
        ) from None
    records = connect().by_personal_number(number, operator)
    lookup_id = _record(
        user,
        code=code,
        text=text,
        screen=screen,
        terminal_id=terminal_id,
        kind=SearchKind.PERSONAL_NUMBER,
        hits=len(records),
    )
    return LookupOutcome(lookup_id=lookup_id, records=records)


def jukinet_lookup_by_four_items(
    *,
    user: StaffUser,
    name: str,
    birth_date: date | None,
    sex: str,
    address: str,
    purpose: str,
    screen: str,
    terminal_id: str,
    purpose_note: str = "",
) -> LookupOutcome:
    """本人確認情報 of the people matching the 4 items. Logged once, found or not."""
    code, text, screen, terminal_id, operator = _ask(user, purpose, purpose_note, screen, terminal_id)
    query = _four_items(name, birth_date, sex, address)
    records = connect().by_four_items(query, operator)
    lookup_id = _record(
        user,
        code=code,
        text=text,
        screen=screen,
        terminal_id=terminal_id,
        kind=SearchKind.FOUR_ITEMS,
        hits=len(records),
    )
    return LookupOutcome(lookup_id=lookup_id, records=records)
