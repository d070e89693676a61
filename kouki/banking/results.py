"""振替結果 (the bank's result of a 口座振替 request, same 全銀 91 layout, codes 0–9) as a kind of the
generic import runner (kouki.interfaces.importing): atomic, idempotent, a rejection report for any problem.

Checked before anything is written: the layout, characters and trailer totals (codec); every customer
number belongs to the same run, which is waiting for its result; the header's debit date is the run's;
amount, bank, branch and account equal the request's; every request of the run has a result.
Applied: code 0 → a debit receipt per instalment (paid on the debit date, reference = customer number),
allocated by kouki.collection; codes 1–9 → the instalments stay unpaid, are marked as failed debits
with the reason, and get a payment slip (kouki.slips) — or wait in the worklist if slips cannot be issued.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.utils import timezone

from kouki.banking.config import bank_settings
from kouki.banking.failures import slips_for_instalments
from kouki.banking.models import (
    DebitRequest,
    DebitRequestLine,
    DebitRun,
    DebitRunStatus,
    FailedDebit,
)
from kouki.collection.models import Channel
from kouki.collection.services import CollectionError, ReceiptInput, receipts_record
from kouki.core.db import chunked, db_datetime, insert_rows
from kouki.interfaces.importing import (
    ApplyError,
    ApplySummary,
    ImportOutcome,
    LineError,
    ParseResult,
    run_import,
)
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.zengin.debit import DebitHeader, DebitRecord, parse_debit_file, result_reason
from kouki.privacy.context import Actor

FAILED_FIELDS = (
    "line_id",
    "person_id",
    "instalment_id",
    "result_code",
    "reason",
    "debit_date",
    "slip_id",
    "slip_issued_at",
    "recorded_at",
)


@dataclass
class DebitResultParse(ParseResult[DebitRecord]):
    run_id: int | None = None
    requests: dict[str, tuple[int, int]] = field(default_factory=dict)  # customer no → (request id, person)


def _check_against_run(parsed: DebitResultParse, header: DebitHeader | None) -> None:
    """Match every record to its request; all problems are collected."""
    name, errors = parsed.file_name, parsed.errors
    mmdd = header.debit_mmdd if header is not None else None
    customers = [r.customer_no for r in parsed.records]
    columns = (
        *("customer_no", "pk", "person_id", "run_id", "amount", "account__bank_code", "account__branch_code"),
        *("account__account_number", "run__status", "run__debit_date"),
    )
    rows: dict[str, tuple[Any, ...]] = {}
    sample = DebitRequest.objects.filter(customer_no__in=customers[:50]).values_list("run_id", flat=True)
    for run_id in set(sample):  # normally one run: read all its requests at once (no long IN lists)
        rows.update((row[0], row) for row in DebitRequest.objects.filter(run_id=run_id).values_list(*columns))
    rest = [c for c in customers if c not in rows]
    for part in chunked(rest, 5000):  # unknown numbers or another run's: errors below
        for row in DebitRequest.objects.filter(customer_no__in=part).values_list(
            *columns
        ):
            rows[row[0]] = row
    wanted = set(customers)
    rows = {cn: row for cn, row in rows.items() if cn in wanted}
    runs = {row[3] for row in rows.values()}
    if len(runs) > 1:
        errors.append(
            LineError(name, 0, "customer_no", f"複数の振替日の依頼が混在しています（{len(runs)} 件の依頼）")
        )
    for r in parsed.records:
        found = rows.get(r.customer_no)
        if found is None:
            errors.append(
                LineError(name, r.line, "customer_no", f"顧客番号 {r.customer_no} の依頼がありません")
            )
            continue
        _cn, pk, person, run_id, amount, bank, branch, number, status, debit_date = found
        if status != DebitRunStatus.REQUESTED:
            errors.append(LineError(name, r.line, "customer_no", f"振替日 {debit_date} の結果は取込済みです"))
        if r.amount != amount:
            errors.append(
                LineError(name, r.line, "amount", f"引落金額 {r.amount} が依頼額 {amount} と一致しません")
            )
        for fname, got, want in (
            ("bank_code", r.bank_code, bank),
            ("branch_code", r.branch_code, branch),
            ("account_number", r.account_number, number),
        ):
            if got != want:
                errors.append(LineError(name, r.line, fname, "依頼した口座と一致しません"))
        if mmdd is not None and f"{debit_date:%m%d}" != mmdd:
            errors.append(
                LineError(
                    name, 1, "debit_mmdd", f"引落日 {mmdd} が依頼の振替日 {debit_date:%m%d} と異なります"
                )
            )
            mmdd = None  # once
        parsed.requests[r.customer_no] = (pk, person)
        parsed.run_id = run_id
    if parsed.run_id is not None and len(runs) == 1 and header is not None:
        bank_key = DebitRun.objects.filter(pk=parsed.run_id).values_list("bank_key", flat=True).get()
        expected_code = bank_settings(bank_key).consignor_code
        if header.consignor_code != expected_code:
            errors.append(
                LineError(
                    name,
                    1,
                    "consignor_code",
                    f"委託者コード {header.consignor_code} が依頼（{expected_code}）と異なります",
                )
            )
    if parsed.run_id is not None and len(runs) == 1:
        expected = DebitRequest.objects.filter(run_id=parsed.run_id).count()
        if expected != len(parsed.records):
            errors.append(
                LineError(
                    name, 0, "total_count", f"依頼 {expected} 件に対し結果が {len(parsed.records)} 件です"
                )
            )
    errors.sort(key=lambda e: e.line)


class DebitResultFileKind:
    """kouki.interfaces.zengin parses; this module checks against the requests and applies."""

    @property
    def kind(self) -> str:
        return "zengin_debit_result"

    def parse(self, data: bytes, file_name: str) -> DebitResultParse:
        f = parse_debit_file(data, file_name, results=True)
        parsed = DebitResultParse(
            file_name,
            "zengin91",
            f.line_count,
            records=f.records,
            record_lines=[r.line for r in f.records],
            errors=f.errors,
        )
        if not parsed.records and not parsed.errors:
            parsed.errors.append(LineError(file_name, 0, "(ファイル)", "データレコードがありません"))
        if not parsed.errors:
            _check_against_run(parsed, f.header)
        return parsed

    def apply(
        self, *, actor: Actor, parsed: ParseResult[DebitRecord], import_record: ImportRecord
    ) -> ApplySummary:
        assert isinstance(parsed, DebitResultParse) and parsed.run_id is not None
        run = DebitRun.objects.select_for_update().get(pk=parsed.run_id)
        if run.status != DebitRunStatus.REQUESTED:
            raise ApplyError(0, "customer_no", f"振替日 {run.debit_date} の結果は取込済みです")
        code_of = {parsed.requests[r.customer_no][0]: r.result_code or 0 for r in parsed.records}
        line_of = {parsed.requests[r.customer_no][0]: r.line for r in parsed.records}
        _store_codes(run.pk, code_of)
        run.status, run.result_import = DebitRunStatus.RESULTED, import_record
        run.save(update_fields=["status", "result_import"])
        lines = list(
            DebitRequestLine.objects.filter(request__run_id=run.pk)
            .values_list(
                "pk",
                "request_id",
                "request__person_id",
                "instalment_id",
                "fiscal_year",
                "amount",
                "request__customer_no",
            )
            .order_by("request_id", "pk")
        )
        receipts: list[tuple[int, ReceiptInput]] = []
        failed: list[tuple[int, int, int | None, int, int]] = []
        for pk, rid, person, instalment, fy, amount, customer in lines:
            code = code_of[rid]
            if code == 0:
                receipts.append(
                    (
                        rid,
                        ReceiptInput(
                            person_id=person,
                            fiscal_year=fy,
                            channel=Channel.DEBIT,
                            amount=amount,
                            paid_on=run.debit_date,
                            instalment_id=instalment,
                            reference=customer,
                        ),
                    )
                )
            else:
                failed.append((pk, person, instalment, fy, code))
        try:
            receipts_record(
                actor=actor, items=[i for _, i in receipts], on=run.debit_date, import_record=import_record
            )
        except CollectionError as exc:
            raise ApplyError(
                line_of.get(receipts[0][0], 0) if receipts else 0, "customer_no", str(exc)
            ) from None
        slips = _record_failures(actor, failed, run.debit_date)
        done = sum(1 for c in code_of.values() if c == 0)
        return ApplySummary(
            applied=len(parsed.records),
            counts={
                "debited": done,
                "failed": len(code_of) - done,
                "receipts": len(receipts),
                "failed_instalments": len(failed),
                "slips": slips,
            },
        )


def _store_codes(run_id: int, code_of: dict[int, int]) -> None:
    """Most debits succeed: the whole run gets 0, then the failures their codes."""
    DebitRequest.objects.filter(run_id=run_id).update(result_code=0)
    by_code: dict[int, list[int]] = defaultdict(list)
    for rid, code in code_of.items():
        if code != 0:
            by_code[code].append(rid)
    for code, ids in by_code.items():
        for part in chunked(ids, 5000):
            DebitRequest.objects.filter(pk__in=part).update(result_code=code)


def _record_failures(
    actor: Actor, failed: list[tuple[int, int, int | None, int, int]], debit_date: date
) -> int:
    """FailedDebit rows with their payment slips (issued now; the worklist keeps those without one);
    returns the number of slips linked. failed: (line, person, instalment, fiscal year, code)."""
    if not failed:
        return 0
    items = [(instalment, person, fy) for _pk, person, instalment, fy, _c in failed if instalment is not None]
    slip_of = slips_for_instalments(actor=actor, on=timezone.localdate(), items=items)
    now = db_datetime(timezone.now())
    rows = []
    for pk, person, instalment, _fy, code in failed:
        slip = slip_of.get(instalment) if instalment is not None else None
        rows.append((pk, person, instalment, code, result_reason(code), debit_date, slip,
                     now if slip is not None else None, now))  # fmt: skip
    insert_rows(FailedDebit, FAILED_FIELDS, rows)
    return sum(1 for r in rows if r[6] is not None)


DEBIT_RESULT = DebitResultFileKind()


def import_debit_result(*, actor: Actor, path: Path, report_dir: Path | None = None) -> ImportOutcome:
    """Take in one 振替結果 file."""
    return run_import(actor=actor, kind=DEBIT_RESULT, path=path, report_dir=report_dir)
