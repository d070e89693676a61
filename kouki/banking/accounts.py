"""Registering and ending 保険料引落口座 (debit accounts) and 還付金振込口座 (refund accounts) —
requirements §1.3 (3)⑥ (徴収機能: 還付金振込口座及び保険料引落口座の管理). Every write is audited in its
transaction (USE-03); the audit detail names bank and branch, never the account number or holder.

A person has at most one account per purpose on any day: registering a new one from a date ends the one
in force the day before (口座変更); an account that would start on or before the start of the one in
force is refused.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kouki.addressees.models import Person
from kouki.banking import bankcodes
from kouki.banking.models import BankAccount, DepositType, Purpose
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.interfaces.zengin.charset import bad_characters, to_zengin
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor
from kouki.rules.wareki import format_wareki

HOLDER_BYTES = 30
ACCOUNT_REGISTER = {
    Purpose.DEBIT: AuditAction.DEBIT_ACCOUNT_REGISTER, Purpose.REFUND: AuditAction.REFUND_ACCOUNT_REGISTER,
    Purpose.HIGH_COST: AuditAction.HIGH_COST_ACCOUNT_REGISTER,
}
ACCOUNT_END = {Purpose.DEBIT: AuditAction.DEBIT_ACCOUNT_END, Purpose.REFUND: AuditAction.REFUND_ACCOUNT_END,
               Purpose.HIGH_COST: AuditAction.HIGH_COST_ACCOUNT_END}


class AccountError(ValueError):
    """Invalid registration; `problems` are (field, reason), the message joins them."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{name}: {reason}" for name, reason in problems))
        self.problems = problems


@dataclass(frozen=True)
class AccountFields:
    bank_code: str
    branch_code: str
    deposit_type: int
    account_number: str
    holder_kana: str


def validate_account(
    *, bank_code: str, branch_code: str, deposit_type: int, account_number: str, holder_kana: str
) -> AccountFields:
    """Normalised fields (account number zero-filled to 7, holder converted to half-width Zengin
    characters), or AccountError with every problem found."""
    problems = bankcodes.check(bank_code.strip(), branch_code.strip())
    if deposit_type not in DepositType.values:
        problems.append(
            (
                "deposit_type",
                f"預金種目 {deposit_type} は 1（普通）2（当座）4（貯蓄）9（その他）のいずれかです",
            )
        )
    number = account_number.strip()
    if not (number.isascii() and number.isdigit() and 1 <= len(number) <= 7):
        problems.append(("account_number", "口座番号は7桁以内の数字です"))
    holder = to_zengin(holder_kana)
    bad = bad_characters(holder)
    if not holder:
        problems.append(("holder_kana", "口座名義（カナ）が空欄です"))
    elif bad:
        allowed = "半角カナ・英大文字・数字・空白・().-/ のみ"
        problems.append(("holder_kana", f"口座名義に使えない文字があります: {''.join(bad)}（{allowed}）"))
    elif len(holder.encode("cp932")) > HOLDER_BYTES:
        problems.append(("holder_kana", f"口座名義が {HOLDER_BYTES} バイトを超えます"))
    if problems:
        raise AccountError(problems)
    return AccountFields(bank_code.strip(), branch_code.strip(), deposit_type, number.zfill(7), holder)


def account_register(
    *,
    actor: Actor,
    purpose: Purpose,
    person_id: int,
    bank_code: str,
    branch_code: str,
    deposit_type: int,
    account_number: str,
    holder_kana: str,
    valid_from: date,
    applied_on: date,
    valid_to: date | None = None,
) -> BankAccount:
    """Register an account of `purpose`: a 保険料引落口座 (DEBIT: 口座振替依頼書 received on applied_on,
    debits from valid_from) or a 還付金振込口座 (REFUND: refunds are transferred to it from valid_from).
    The account in force the day before valid_from is ended (口座変更)."""
    fields = validate_account(
        bank_code=bank_code,
        branch_code=branch_code,
        deposit_type=deposit_type,
        account_number=account_number,
        holder_kana=holder_kana,
    )
    if valid_to is not None and valid_to < valid_from:
        raise AccountError([("valid_to", "終了日が開始日より前です")])
    if applied_on > valid_from + timedelta(days=366):
        raise AccountError([("applied_on", "申請日が開始日より1年以上後です")])
    with transaction.atomic():
        if not Person.objects.select_for_update().filter(pk=person_id).exists():
            raise AccountError([("person", f"宛名 {person_id} がありません")])
        open_ = BankAccount.objects.filter(person_id=person_id, purpose=purpose).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from)
        )
        items = []
        for old in open_:
            if old.valid_from >= valid_from:
                start = format_wareki(valid_from)
                problem = f"開始日 {start} 以降に始まる{purpose.label}が既にあります"
                raise AccountError([("valid_from", problem)])
            old.valid_to = valid_from - timedelta(days=1)
            old.end_reason = "口座変更"
            old.save(update_fields=["valid_to", "end_reason"])
            items.append(
                AuditItem(
                    AuditAction.BANK_ACCOUNT_END,
                    AuditTarget.BANK_ACCOUNT,
                    str(old.pk),
                    {"valid_to": old.valid_to.isoformat(), "reason": "口座変更"},
                )
            )
        account = BankAccount.objects.create(
            person_id=person_id,
            purpose=purpose,
            bank_code=fields.bank_code,
            branch_code=fields.branch_code,
            deposit_type=fields.deposit_type,
            account_number=fields.account_number,
            holder_kana=fields.holder_kana,
            valid_from=valid_from,
            valid_to=valid_to,
            applied_on=applied_on,
            recorded_at=timezone.now(),
            recorded_by=actor.username,
        )
        items.append(
            AuditItem(
                ACCOUNT_REGISTER[purpose],
                AuditTarget.BANK_ACCOUNT,
                str(account.pk),
                {
                    "person": person_id,
                    "bank_code": fields.bank_code,
                    "branch_code": fields.branch_code,
                    "valid_from": valid_from.isoformat(),
                    "applied_on": applied_on.isoformat(),
                },
            )
        )
        audit_record_many(actor=actor, items=items)
    return account


debit_account_register = partial(account_register, purpose=Purpose.DEBIT)
refund_account_register = partial(account_register, purpose=Purpose.REFUND)


def account_end(*, actor: Actor, account_id: int, valid_to: date, reason: str) -> BankAccount:
    """End an account (廃止届, death, the bank closed it …) on valid_to (its last valid day)."""
    if not reason.strip():
        raise AccountError([("end_reason", "終了理由が必要です")])
    with transaction.atomic():
        account = BankAccount.objects.select_for_update().filter(pk=account_id).first()
        if account is None:
            raise AccountError([("account", f"口座 {account_id} がありません")])
        if valid_to < account.valid_from:
            end, start = format_wareki(valid_to), format_wareki(account.valid_from)
            raise AccountError([("valid_to", f"終了日 {end} が開始日 {start} より前です")])
        if account.valid_to is not None and account.valid_to < valid_to:
            ended = format_wareki(account.valid_to)
            raise AccountError([("valid_to", f"口座は既に {ended} に終了しています")])
        account.valid_to = valid_to
        account.end_reason = reason.strip()[:200]
        account.save(update_fields=["valid_to", "end_reason"])
        audit_record_many(
            actor=actor,
            items=[
                AuditItem(
                    ACCOUNT_END[Purpose(account.purpose)],
                    AuditTarget.BANK_ACCOUNT,
                    str(account.pk),
                    {"valid_to": valid_to.isoformat(), "reason": account.end_reason},
                )
            ],
        )
    return account


def debit_account_end(*, actor: Actor, account_id: int, valid_to: date, reason: str) -> BankAccount:
    """End a 保険料引落口座 (口座振替廃止): no debit is requested after valid_to."""
    if not BankAccount.objects.filter(pk=account_id, purpose=Purpose.DEBIT).exists():
        raise AccountError([("account", f"保険料引落口座 {account_id} がありません")])
    return account_end(actor=actor, account_id=account_id, valid_to=valid_to, reason=reason)


@dataclass(frozen=True)
class ValidAccount:
    """An account in force (what files and notices need of it)."""

    pk: int
    person_id: int
    bank_code: str
    branch_code: str
    deposit_type: int
    account_number: str
    holder_kana: str


def accounts_valid_on(
    purpose: Purpose, on: date, person_ids: Collection[int] | None = None
) -> dict[int, ValidAccount]:
    """person id → the account of that purpose valid on `on` (the latest start wins). All accounts in
    force are read in one query (no long IN list) and filtered here."""
    qs = BankAccount.objects.filter(purpose=purpose, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on)
    )
    wanted = set(person_ids) if person_ids is not None else None
    out: dict[int, ValidAccount] = {}
    rows = qs.order_by("person_id", "valid_from", "pk").values_list(
        "pk", "person_id", "bank_code", "branch_code", "deposit_type", "account_number", "holder_kana"
    )
    for row in rows.iterator(chunk_size=5000):
        if wanted is None or row[1] in wanted:
            out[row[1]] = ValidAccount(*row)
    return out
