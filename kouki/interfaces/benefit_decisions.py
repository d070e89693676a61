"""決定情報 (union → city) as a kind of the generic import runner (kouki.interfaces.importing): atomic,
idempotent (the same file twice: "already imported"), any bad line rejects the whole file with a report.

Each decision is kept as a `BenefitDecision` under its 受付番号: a new 受付番号 is stored; the same
decision again is skipped; a different decision for a 受付番号 held (a 更正 by the union) replaces it,
unless its 決定日 is older than the one held (a late file: skipped, counted as stale). The one audit row
of the import (the runner's) carries the counts.

Minimal on purpose: the Application model (kouki.applications) is not on main yet, so nothing here checks
the 受付番号 against an application or the 宛名番号 against the register; the applications app reads the
decisions through kouki.interfaces.selectors.benefit_decision(s) and links them (ADR 0006, issue 12 §2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kouki.core.db import InValues, insert_rows, update_rows
from kouki.interfaces.importing import ApplySummary, ImportOutcome, ParseResult, run_import
from kouki.interfaces.models import BenefitDecision, ImportRecord
from kouki.interfaces.union.benefit_decision import BenefitDecisionRecord, parse_benefit_decision
from kouki.privacy.context import Actor

KIND = "union_benefit_decision"
FIELDS = (
    "kind", "municipality_code", "addressee_no", "insured_no", "result", "reason", "amount_claimed",
    "base_amount", "amount_decided", "right_date", "decided_on", "payment_date", "notice_date",
    "payee_account_ref", "fiscal_year", "reduction_percent", "deferral_from", "deferral_until",
    "recipient_name", "recipient_postal_code", "recipient_address", "certificate_class", "valid_from",
    "valid_until",
)  # fmt: skip
INSERT_FIELDS = ("reception_no", "import_record_id", "corrections", *FIELDS)


def _values(r: BenefitDecisionRecord) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(r, name) for name in FIELDS}
    values["kind"] = r.kind.value
    values["result"] = r.result.value
    values["reason"] = r.reason.value if r.reason is not None else ""
    return values


class BenefitDecisionFileKind:
    @property
    def kind(self) -> str:
        return KIND

    def parse(self, data: bytes, file_name: str) -> ParseResult[BenefitDecisionRecord]:
        return parse_benefit_decision(data, file_name)

    def apply(
        self, *, actor: Actor, parsed: ParseResult[BenefitDecisionRecord], import_record: ImportRecord
    ) -> ApplySummary:
        wanted = [r.reception_no for r in parsed.records]
        held = {d.reception_no: d for d in BenefitDecision.objects.filter(InValues("reception_no", wanted))}
        new: list[tuple[Any, ...]] = []
        changed: list[BenefitDecision] = []
        same = stale = 0
        for record in parsed.records:
            values = _values(record)
            old = held.get(record.reception_no)
            if old is None:
                new.append((record.reception_no, import_record.pk, 0, *(values[f] for f in FIELDS)))
            elif all(getattr(old, k) == v for k, v in values.items()):
                same += 1
            elif record.decided_on < old.decided_on:
                stale += 1
            else:
                for name, value in values.items():
                    setattr(old, name, value)
                old.import_record = import_record
                old.corrections += 1
                changed.append(old)
        # set-wise: one bulk insert (COPY / executemany) and one executemany UPDATE by pk
        insert_rows(BenefitDecision, INSERT_FIELDS, new)
        update_rows(BenefitDecision, [*FIELDS, "import_record_id", "corrections"], changed)
        return ApplySummary(
            applied=len(new) + len(changed), skipped=same + stale,
            counts={"new": len(new), "corrected": len(changed), "unchanged": same, "stale": stale},
        )  # fmt: skip


BENEFIT_DECISION = BenefitDecisionFileKind()


def import_benefit_decision(*, actor: Actor, path: Path, report_dir: Path | None = None) -> ImportOutcome:
    """Take in one 決定情報 file."""
    return run_import(actor=actor, kind=BENEFIT_DECISION, path=path, report_dir=report_dir)
