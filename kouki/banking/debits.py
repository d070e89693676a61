"""The monthly 口座振替 request (全銀 91): every unpaid direct-payment (普通徴収) instalment due in the debit
date's month, of persons with a debit account valid on the debit date, one data record per person.

Customer number (顧客番号, 20 digits) = account id (12 digits) + debit date (YYYYMMDD): stable for the
account, unique per debit, no personal data (ADR 0009). The instalments a record debits are kept as
DebitRequestLine rows, so the result maps back to them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from kouki.banking import bankcodes
from kouki.banking.accounts import ValidAccount, accounts_valid_on
from kouki.banking.config import bank_settings
from kouki.banking.models import (
    DebitRequest,
    DebitRequestLine,
    DebitRun,
    DebitRunStatus,
    Purpose,
)
from kouki.collection.selectors import UnpaidInstalment, unpaid_instalments
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.db import insert_rows, reserve_ids
from kouki.core.outbox import outgoing_files
from kouki.interfaces.zengin.debit import DebitLine, dump_debit_file
from kouki.privacy.audit import AuditItem, audit_record_many
from kouki.privacy.context import Actor

REQUEST_FIELDS = (
    "id",
    "run_id",
    "account_id",
    "person_id",
    "customer_no",
    "amount",
    "new_code",
    "result_code",
)
LINE_FIELDS = ("request_id", "instalment_id", "fiscal_year", "period", "amount")
NEW_FIRST, NEW_CHANGED, NEW_OTHER = 1, 2, 0


class DebitError(ValueError):
    """A debit run cannot be made; the message says why."""


@dataclass
class DebitRunResult:
    run: DebitRun
    data: bytes
    path: Path


def customer_number(account_id: int, debit_date: date) -> str:
    if account_id >= 10**12:
        raise DebitError(f"口座ID {account_id} が12桁を超えます")
    return f"{account_id:012d}{debit_date:%Y%m%d}"


def month_range(on: date) -> tuple[date, date]:
    start = on.replace(day=1)
    end = date(on.year + (on.month == 12), on.month % 12 + 1, 1)
    return start, end


DIRECT = "direct"


def _due(debit_date: date, fiscal_year: int | None) -> list[UnpaidInstalment]:
    """Unpaid direct instalments due in the debit date's month on or before the debit date (a due date
    moved to the next month's first business day is debited then, without the month-end instalment
    of that month), less those in an earlier run of the month still waiting for its result or debited."""
    start, end = month_range(debit_date)
    taken = set(
        DebitRequestLine.objects.filter(request__run__debit_date__gte=start, request__run__debit_date__lt=end)
        .filter(Q(request__result_code__isnull=True) | Q(request__result_code=0))
        .values_list("instalment_id", flat=True)
    )
    return [
        u
        for u in unpaid_instalments(due_before=debit_date + timedelta(days=1), due_from=start, method=DIRECT)
        if (fiscal_year is None or u.fiscal_year == fiscal_year) and u.instalment_id not in taken
    ]


def _new_codes(accounts: list[ValidAccount]) -> dict[int, int]:
    """新規コード per account: 1 first debit of the person, 2 first debit from a changed account, else 0.
    (Two scans of the requests, no IN lists: the distinct accounts and persons ever debited.)"""
    used = set(DebitRequest.objects.values_list("account_id", flat=True).distinct())
    persons_debited = set(DebitRequest.objects.values_list("person_id", flat=True).distinct())
    return {
        a.pk: NEW_OTHER if a.pk in used else NEW_CHANGED if a.person_id in persons_debited else NEW_FIRST
        for a in accounts
    }


def debit_request_create(
    *,
    actor: Actor,
    debit_date: date,
    outbox: Path,
    fiscal_year: int | None = None,
    bank_key: str | None = None,
) -> DebitRunResult:
    """Write the request file for `debit_date` into `outbox` and record the run (one per debit date)."""
    settings = bank_settings(bank_key)
    if DebitRun.objects.filter(debit_date=debit_date).exists():
        raise DebitError(f"振替日 {debit_date} の口座振替依頼は作成済みです")
    dues = _due(debit_date, fiscal_year)
    accounts = accounts_valid_on(Purpose.DEBIT, debit_date, {u.person_id for u in dues})
    by_person: dict[int, list[UnpaidInstalment]] = defaultdict(list)
    for u in dues:
        if u.person_id in accounts:
            by_person[u.person_id].append(u)
    people = sorted(by_person, key=lambda pid: accounts[pid].pk)
    codes = _new_codes([accounts[pid] for pid in people])
    names: dict[tuple[str, str], tuple[str, str]] = {}
    lines: list[DebitLine] = []
    for pid in people:
        a = accounts[pid]
        key = (a.bank_code, a.branch_code)
        if key not in names:
            bank, branch = bankcodes.bank(a.bank_code), bankcodes.branch(a.bank_code, a.branch_code)
            names[key] = (bank.kana if bank else "", branch.kana if branch else "")
        lines.append(
            DebitLine(
                a.bank_code,
                names[key][0],
                a.branch_code,
                names[key][1],
                a.deposit_type,
                a.account_number,
                a.holder_kana,
                sum(u.unpaid for u in by_person[pid]),
                codes[a.pk],
                customer_number(a.pk, debit_date),
            )
        )
    data = dump_debit_file(settings, debit_date, lines)
    sha = hashlib.sha256(data).hexdigest()
    path = outbox / f"kozafuri-{debit_date:%Y%m%d}.dat"
    with outgoing_files() as out:  # the run commits once the file exists whole under its name
        out.add(path, data)
        run = DebitRun.objects.create(
            debit_date=debit_date,
            fiscal_year=fiscal_year,
            bank_key=settings.key,
            file_name=path.name,
            sha256=sha,
            record_count=len(lines),
            total_amount=sum(ln.amount for ln in lines),
            status=DebitRunStatus.REQUESTED,
            created_at=timezone.now(),
            created_by=actor.username,
        )
        ids = reserve_ids(DebitRequest, len(lines))
        insert_rows(
            DebitRequest,
            REQUEST_FIELDS,
            [
                (rid, run.pk, accounts[pid].pk, pid, ln.customer_no, ln.amount, ln.new_code, None)
                for rid, pid, ln in zip(ids, people, lines, strict=True)
            ],
        )
        insert_rows(
            DebitRequestLine,
            LINE_FIELDS,
            [
                (rid, u.instalment_id, u.fiscal_year, u.period, u.unpaid)
                for rid, pid in zip(ids, people, strict=True)
                for u in by_person[pid]
            ],
        )
        audit_record_many(
            actor=actor,
            items=[
                AuditItem(
                    AuditAction.DEBIT_REQUEST_CREATE,
                    AuditTarget.DEBIT_RUN,
                    str(run.pk),
                    {
                        "debit_date": debit_date.isoformat(),
                        "records": run.record_count,
                        "amount": run.total_amount,
                        "instalments": sum(len(v) for v in by_person.values()),
                        "file": path.name,
                        "bank": settings.key,
                    },
                )
            ],
        )
    return DebitRunResult(run, data, path)
