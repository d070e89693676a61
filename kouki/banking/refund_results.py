"""振込結果 (the bank's result of a 還付 総合振込, the same 全銀 21 layout with a result code per record) as a
kind of the generic import runner (kouki.interfaces.importing): atomic, idempotent, a rejection report for
any problem (issue 11 §3).

A refund is marked paid when its transfer file is written (kouki.banking.refunds). A transfer the bank
could not make (振込不能: the account closed, the name differs …) comes back here and reopens the refund
(kouki.collection.decisions.refunds_returned): it is decided and unpaid again, to be paid in a later
transfer (after the account is corrected) or at the counter. Nobody enters a returned transfer by hand.

Checked before anything is written: the layout, characters and trailer totals (codec); every record names
a refund (顧客コード1) of one run waiting for its result, with that run's account (顧客コード2, bank,
branch, number) and amount; the header's 振込指定日 and 振込依頼人コード are the run's; every line of the
run has a result. The meaning of the codes 1–9 is the bank's: kouki keeps the code and shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from kouki.banking.config import bank_settings
from kouki.banking.models import RefundTransferLine, RefundTransferRun
from kouki.collection.decisions import refunds_returned
from kouki.collection.state import CollectionError
from kouki.interfaces.importing import (
    ApplyError,
    ApplySummary,
    ImportOutcome,
    LineError,
    ParseResult,
    run_import,
)
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.zengin.transfer import TransferFile, TransferLine, read_transfer_file
from kouki.privacy.context import Actor


def return_reason(code: int) -> str:
    """The bank's code as kouki shows it: the codes' meanings are the bank's (ADR 0006)."""
    return f"振込不能(銀行の事由コード {code})"


@dataclass
class TransferResultParse(ParseResult[TransferLine]):
    run_id: int | None = None
    line_ids: dict[int, int] = field(default_factory=dict)  # refund id → RefundTransferLine id


def _check_against_run(parsed: TransferResultParse, f: TransferFile) -> None:
    name, errors = parsed.file_name, parsed.errors
    refund_ids = [ln.customer_code1 for ln in f.lines]
    rows = {
        row[0]: row
        for row in RefundTransferLine.objects.filter(
            refund_id__in=refund_ids, returned_on__isnull=True
        ).values_list(
            "refund_id",
            "pk",
            "run_id",
            "amount",
            "account_id",
            "account__bank_code",
            "account__branch_code",
            "account__account_number",
            "run__result_import_id",
            "run__transfer_date",
        )
    }
    runs = {row[2] for row in rows.values()}
    if len(runs) > 1:
        errors.append(
            LineError(name, 0, "customer_code1", f"複数の振込の結果が混在しています（{len(runs)} 件）")
        )
    for ln in f.lines:
        found = rows.get(ln.customer_code1)
        if found is None:
            errors.append(
                LineError(
                    name, ln.line, "customer_code1", f"顧客コード1 {ln.customer_code1} の還付振込がありません"
                )
            )
            continue
        _rid, pk, run_id, amount, account, bank, branch, number, resulted, transfer_date = found
        if resulted is not None:
            errors.append(
                LineError(name, ln.line, "customer_code1", f"振込指定日 {transfer_date} の結果は取込済みです")
            )
        if ln.amount != amount:
            errors.append(
                LineError(name, ln.line, "amount", f"振込金額 {ln.amount} が振込額 {amount} と一致しません")
            )
        for fname, got, want in (
            ("customer_code2", ln.customer_code2, account),
            ("bank_code", ln.bank_code, bank),
            ("branch_code", ln.branch_code, branch),
            ("account_number", ln.account_number, number),
        ):
            if got != want:
                errors.append(LineError(name, ln.line, fname, "振り込んだ口座と一致しません"))
        parsed.line_ids[ln.customer_code1] = pk
        parsed.run_id = run_id
    if parsed.run_id is None or len(runs) != 1:
        return
    run = RefundTransferRun.objects.get(pk=parsed.run_id)
    if f.transfer_mmdd is not None and f.transfer_mmdd != f"{run.transfer_date:%m%d}":
        errors.append(
            LineError(
                name,
                1,
                "transfer_mmdd",
                f"振込指定日 {f.transfer_mmdd} が振込（{run.transfer_date:%m%d}）と異なります",
            )
        )
    expected_code = bank_settings(run.bank_key).consignor_code
    if f.requester_code is not None and f.requester_code != expected_code:
        errors.append(
            LineError(
                name,
                1,
                "requester_code",
                f"振込依頼人コード {f.requester_code} が振込（{expected_code}）と異なります",
            )
        )
    expected = RefundTransferLine.objects.filter(run_id=run.pk).count()
    if expected != len(f.lines):
        errors.append(
            LineError(name, 0, "total_count", f"振込 {expected} 件に対し結果が {len(f.lines)} 件です")
        )
    errors.sort(key=lambda e: e.line)


class TransferResultFileKind:
    """kouki.interfaces.zengin.transfer parses; this module checks against the run and applies."""

    @property
    def kind(self) -> str:
        return "zengin_transfer_result"

    def parse(self, data: bytes, file_name: str) -> TransferResultParse:
        f = read_transfer_file(data, file_name, results=True)
        parsed = TransferResultParse(
            file_name,
            "zengin21",
            f.line_count,
            records=f.lines,
            record_lines=[ln.line for ln in f.lines],
            errors=f.errors,
        )
        if not parsed.records and not parsed.errors:
            parsed.errors.append(LineError(file_name, 0, "(ファイル)", "データレコードがありません"))
        if not parsed.errors:
            _check_against_run(parsed, f)
        return parsed

    def apply(
        self, *, actor: Actor, parsed: ParseResult[TransferLine], import_record: ImportRecord
    ) -> ApplySummary:
        assert isinstance(parsed, TransferResultParse) and parsed.run_id is not None
        run = RefundTransferRun.objects.select_for_update().get(pk=parsed.run_id)
        if run.result_import_id is not None:
            raise ApplyError(0, "customer_code1", f"振込指定日 {run.transfer_date} の結果は取込済みです")
        today = timezone.localdate()
        returned = [ln for ln in parsed.records if ln.result_code not in (None, 0)]
        RefundTransferLine.objects.filter(run_id=run.pk).update(result_code=0)
        for ln in returned:
            RefundTransferLine.objects.filter(pk=parsed.line_ids[ln.customer_code1]).update(
                result_code=ln.result_code, returned_on=today
            )
        run.result_import = import_record
        run.save(update_fields=["result_import"])
        try:
            refunds_returned(
                actor=actor,
                on=today,
                returns=[(ln.customer_code1, return_reason(int(ln.result_code or 0))) for ln in returned],
            )
        except CollectionError as exc:
            raise ApplyError(returned[0].line if returned else 0, "customer_code1", str(exc)) from None
        return ApplySummary(
            applied=len(parsed.records),
            counts={"transferred": len(parsed.records) - len(returned), "returned": len(returned)},
        )


TRANSFER_RESULT = TransferResultFileKind()


def import_transfer_result(*, actor: Actor, path: Path, report_dir: Path | None = None) -> ImportOutcome:
    """Take in one 振込結果 file of a refund transfer."""
    return run_import(actor=actor, kind=TRANSFER_RESULT, path=path, report_dir=report_dir)


__all__ = ["TRANSFER_RESULT", "import_transfer_result", "return_reason"]
