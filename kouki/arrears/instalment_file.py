"""期割情報 to the union (monthly; assessment transfer #1 「所得 and 期割 monthly」, issue 13 §4).

`instalment_file_write(on)` writes the 期割情報 of the run day `on` (kouki.interfaces.union.instalment_info):
every (person, fiscal year) whose plan was made or superseded since the previous 期割情報 file, with the
instalments of the plan in force (or one 取消 record when no plan is in force any more). The first file
carries every plan. Like the other union files it goes through kouki.eligibility.outbound.union_file_send:
written temp + fsync + rename, recorded as an OutboundFile (its `through_change_id` is the highest plan id
covered) and as one T01 TransferRecord in the same transaction, once per run day (a second run of the day
writes nothing). People are named by 宛名番号 and 被保険者番号; someone without a valid 被保険者番号 is left
out and counted (sent by a later file once the number is known: the key stays pending).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from kouki.arrears.lookups import addressee_numbers, insured_numbers
from kouki.assessment.selectors import PlanState, plans_changed_since
from kouki.core.config import municipality_code
from kouki.core.outbox import outgoing_files
from kouki.eligibility.outbound import SentFile, union_file_send
from kouki.eligibility.selectors import outbound_files
from kouki.interfaces.union.instalment_info import (
    CollectionMethod,
    InstalmentInfoRecord,
    dump_instalment_info,
)
from kouki.privacy.context import Actor

INSTALMENT_INFO = "instalment-info"
_METHODS = {"direct": CollectionMethod.DIRECT, "pension": CollectionMethod.PENSION}


@dataclass
class InstalmentFileResult:
    on: date
    sent: SentFile | None = None
    already_sent: bool = False
    without_insured_no: int = 0
    pending_plan_id: int | None = None  # the lowest plan id left out (the watermark stays below it)


def instalment_info_records(states: list[PlanState],
                            code: str) -> tuple[list[InstalmentInfoRecord], set[int]]:  # fmt: skip
    """The records of the plan states, and the persons left out (no 宛名番号 or 被保険者番号)."""
    numbers = addressee_numbers(s.person_id for s in states)
    insured = insured_numbers((s.person_id, s.fiscal_year) for s in states)
    records: list[InstalmentInfoRecord] = []
    missing: set[int] = set()
    for s in states:
        who, number = numbers.get(s.person_id), insured.get((s.person_id, s.fiscal_year))
        if not who or not number:
            missing.add(s.person_id)
            continue
        lines: list[tuple[str, int, str, date | None, int]] = [
            (i.method, i.period, i.month.replace("-", ""), i.due_date, i.amount) for i in s.instalments
        ]
        for method, period, month, due, amount in lines or [("", 0, "000000", None, 0)]:
            records.append(InstalmentInfoRecord(
                municipality_code=code, addressee_no=who, insured_no=number, fiscal_year=s.fiscal_year,
                plan_no=s.last_plan_id, annual_amount=s.amount_due,
                method=_METHODS.get(method, CollectionMethod.NONE), period=period, month=month, due_date=due,
                amount=amount,
            ))  # fmt: skip
    return records, missing


def instalment_file_write(*, actor: Actor, on: date, outbox: Path) -> InstalmentFileResult:
    """Write the 期割情報 of run day `on` (once per day), recorded and audited (see the module docstring)."""
    result = InstalmentFileResult(on=on)
    if outbound_files(on).filter(kind=INSTALMENT_INFO).exists():
        result.already_sent = True
        return result
    previous = outbound_files().filter(kind=INSTALMENT_INFO).order_by("-run_date", "-pk").first()
    after = previous.through_change_id or 0 if previous is not None else 0
    states, highest = plans_changed_since(after, previous.created_at if previous is not None else None)
    code = municipality_code()
    records, missing = instalment_info_records(states, code)
    through = highest
    if missing:  # keep the watermark below the first plan left out, so that a later file carries it
        pending = min(s.last_plan_id for s in states if s.person_id in missing)
        through = max(after, pending - 1)
        result.pending_plan_id = pending
    with outgoing_files() as out:
        result.sent = union_file_send(
            out, actor=actor, kind=INSTALMENT_INFO, on=on, outbox=outbox, count=len(records), through=through,
            data=dump_instalment_info(records, created_on=on, municipality_code=code),
        )  # fmt: skip
    result.without_insured_no = len(missing)
    return result
