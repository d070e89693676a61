"""Refund transfers (還付): a 全銀 総合振込 (21) file of the decided refunds of persons with a 還付金振込口座
valid on the transfer date, recorded as a RefundTransferRun; the refunds are then marked paid
(kouki.collection.decisions.refunds_mark_paid) in the same transaction, and a 還付通知書 PDF is written
next to the file (one page per refund). Refunds of persons without a refund account are left decided
(paid at the counter or after an account is registered) and returned as `skipped`, and so are refunds
whose transfer to the account valid now came back before (振込不能, kouki.banking.refund_results).
Both files go through one kouki.core.outbox block: the transaction commits once both exist whole under
their names.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.utils import timezone

from kouki.addressees.models import Person, PersonVersion
from kouki.banking import bankcodes
from kouki.banking.accounts import ValidAccount, accounts_valid_on
from kouki.banking.config import bank_settings
from kouki.banking.models import DepositType, Purpose, RefundTransferLine, RefundTransferRun
from kouki.collection.decisions import refunds_mark_paid
from kouki.collection.models import Refund
from kouki.collection.selectors import RefundLine, refunds_to_pay
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.outbox import outgoing_files, remove_temporaries
from kouki.documents.data import default_insurer_name, default_issuer
from kouki.documents.premium_data import Addressee
from kouki.documents.refund_notice import STEM, RefundNoticeData, render_refund_notices
from kouki.interfaces.zengin.transfer import TransferLine, dump_transfer_file
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor


@dataclass
class RefundTransferResult:
    run: RefundTransferRun | None
    data: bytes
    path: Path | None
    notice_path: Path | None
    skipped: list[int] = field(default_factory=list)  # refund ids without a refund account


def _names(a: ValidAccount) -> tuple[str, str, str, str]:
    """(kana bank, kana branch, printed bank, printed branch)."""
    bank, branch = bankcodes.bank(a.bank_code), bankcodes.branch(a.bank_code, a.branch_code)
    return (
        bank.kana if bank else "",
        branch.kana if branch else "",
        bank.name if bank else a.bank_code,
        branch.name if branch else a.branch_code,
    )


def refund_notice_data(
    lines: list[tuple[RefundLine, ValidAccount]], *, transfer_date: date, issued_on: date
) -> list[RefundNoticeData]:
    person_ids = [r.person_id for r, _ in lines]
    numbers = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "addressee_no"))
    people = {
        pid: Addressee(numbers[pid], fam, given, postal, address)
        for pid, fam, given, postal, address in PersonVersion.objects.filter(
            person_id__in=person_ids, is_current=True
        ).values_list("person_id", "family_name", "given_name", "postal_code", "address")
    }
    reasons = dict(Refund.objects.filter(pk__in=[r.refund_id for r, _ in lines]).values_list("pk", "reason"))
    issuer, insurer = default_issuer(), default_insurer_name()
    out = []
    for r, a in lines:
        _kb, _kbr, bank_name, branch_name = _names(a)
        out.append(
            RefundNoticeData(
                addressee=people[r.person_id],
                fiscal_year=r.fiscal_year,
                amount=r.amount,
                reason=reasons[r.refund_id],
                decided_on=r.decided_on,
                transfer_date=transfer_date,
                bank_name=bank_name,
                branch_name=branch_name,
                deposit_type=DepositType(a.deposit_type).label,
                account_tail=a.account_number[-3:],
                holder_kana=a.holder_kana,
                issued_on=issued_on,
                issuer=issuer,
                insurer_name=insurer,
            )
        )
    return out


class RefundTransferError(ValueError):
    """A transfer file cannot be written safely; the message says why (no personal data)."""


def _stamp_of_crashed_run(outbox: Path, transfer_date: date, data: bytes) -> str | None:
    """The time stamp of a transfer file a crashed run left under its final name without its run row.

    The rows of a run commit only after its files are renamed (kouki.core.outbox), so a crash in
    between leaves a whole file that no RefundTransferRun names while its refunds are still decided.
    The re-run takes that file's name when its own bytes are the same (the same file, written again and
    recorded); a different one is refused: it may already be at the bank, and the same refunds must
    not be paid twice.
    """
    files = sorted(outbox.glob(f"sofuri-{transfer_date:%Y%m%d}-*.dat"))
    recorded = set(
        RefundTransferRun.objects.filter(file_name__in=[f.name for f in files]).values_list(
            "file_name", flat=True
        )
    )
    for f in files:
        if f.name in recorded:
            continue
        if f.read_bytes() != data:
            raise RefundTransferError(
                f"{f.name}: 記録のない総合振込ファイルがあります (中断した実行の残り)。"
                "銀行へ送信済みか確認し、送信していなければ削除してから再実行してください"
            )
        return f.stem.rsplit("-", 1)[1]
    return None


def _returned_accounts(refund_ids: list[int]) -> dict[int, set[int]]:
    """refund id → the accounts a transfer of it came back from (振込不能, kouki.banking.refund_results):
    the refund is not sent there again; it waits for another account or is paid at the counter."""
    out: dict[int, set[int]] = {}
    rows = RefundTransferLine.objects.filter(refund_id__in=refund_ids, returned_on__isnull=False)
    for refund_id, account_id in rows.values_list("refund_id", "account_id"):
        out.setdefault(refund_id, set()).add(account_id)
    return out


def refund_transfer_create(
    *,
    actor: Actor,
    transfer_date: date,
    outbox: Path,
    bank_key: str | None = None,
    issued_on: date | None = None,
) -> RefundTransferResult:
    """Write the transfer file and the notices of every decided refund with a refund account."""
    settings = bank_settings(bank_key)
    refunds = refunds_to_pay()
    accounts = accounts_valid_on(Purpose.REFUND, transfer_date, {r.person_id for r in refunds})
    failed = _returned_accounts([r.refund_id for r in refunds])
    paying = [(r, accounts[r.person_id]) for r in refunds
              if r.person_id in accounts and accounts[r.person_id].pk not in failed.get(r.refund_id, ())]
    skipped = [r.refund_id for r in refunds if r.refund_id not in {p.refund_id for p, _ in paying}]
    if not paying:
        return RefundTransferResult(None, b"", None, None, skipped)
    lines = []
    for r, a in paying:
        kana_bank, kana_branch, _b, _br = _names(a)
        lines.append(
            TransferLine(
                a.bank_code,
                kana_bank,
                a.branch_code,
                kana_branch,
                a.deposit_type,
                a.account_number,
                a.holder_kana,
                r.amount,
                r.refund_id,
                a.pk,
            )
        )
    data = dump_transfer_file(settings, transfer_date, lines)
    notices = render_refund_notices(
        refund_notice_data(paying, transfer_date=transfer_date, issued_on=issued_on or timezone.localdate())
    )
    stamp = _stamp_of_crashed_run(outbox, transfer_date, data)
    for names in (f"sofuri-{transfer_date:%Y%m%d}-*.dat", f"{STEM}-{transfer_date:%Y%m%d}-*.pdf"):
        remove_temporaries(outbox, names)  # of a run that crashed before its renames (its own time stamp)
    stamp = stamp or timezone.localtime().strftime("%Y%m%d%H%M%S")
    path = outbox / f"sofuri-{transfer_date:%Y%m%d}-{stamp}.dat"
    notice_path = outbox / f"{STEM}-{transfer_date:%Y%m%d}-{stamp}.pdf"
    with outgoing_files() as out:  # the run commits once both files exist whole under their names
        out.add(path, data)
        out.add(notice_path, notices)
        run = RefundTransferRun.objects.create(
            transfer_date=transfer_date,
            bank_key=settings.key,
            file_name=path.name,
            sha256=hashlib.sha256(data).hexdigest(),
            record_count=len(lines),
            total_amount=sum(ln.amount for ln in lines),
            created_at=timezone.now(),
            created_by=actor.username,
        )
        RefundTransferLine.objects.bulk_create(
            [
                RefundTransferLine(run=run, refund_id=r.refund_id, account_id=a.pk, amount=r.amount)
                for r, a in paying
            ]
        )
        refunds_mark_paid(actor=actor, refund_ids=[r.refund_id for r, _ in paying], paid_on=transfer_date)
        audit_record_many(
            actor=actor,
            items=[
                AuditItem(
                    AuditAction.REFUND_TRANSFER_CREATE,
                    AuditTarget.REFUND_TRANSFER_RUN,
                    str(run.pk),
                    {
                        "transfer_date": transfer_date.isoformat(),
                        "records": run.record_count,
                        "amount": run.total_amount,
                        "file": path.name,
                        "skipped": len(skipped),
                        "bank": settings.key,
                    },
                )
            ],
        )
    return RefundTransferResult(run, data, path, notice_path, skipped)
