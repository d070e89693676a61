"""The union's decisions (決定情報) brought onto the applications (issue 12 §2).

The import (kouki.interfaces.benefit_decisions, run by `kouki import` or the daily inbox) keeps each
decision under its 受付番号; kouki.interfaces sits below the applications in the layers, so it cannot
move an Application. This step, run after the import (`kouki applications decisions --as USER`), reads
the decisions through kouki.interfaces.selectors and moves every 送付済 application whose decision has
come to 決定 (result, amount, date), with its step; the applications are taken 2,000 at a time, each batch
locked and written (rows, steps, a granted 徴収猶予's deferrals, the batch's audit rows —
kouki.applications.batch_marks) in one transaction. Set-wise: the applications waiting are read as plain
values; of those whose notice is already due or given, only the decisions' correction counts are read,
and the decisions themselves only where the union corrected one since.

A decision the union corrected later (a 更正: `corrections` higher than the one applied) is applied
again: the new result replaces the old one and the application goes back to 決定 (a new notice is due).
The same decision twice changes nothing. Decisions under a 受付番号 the city never gave (the union's
automatic 高額療養費 `KG-…`, `KN-…`) answer no application and are left to the decision's own screens.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from kouki.accounts.permissions import Perm
from kouki.applications.batch_marks import Marked, audit_applications, steps_append
from kouki.applications.models import Application, Status, StepAction
from kouki.applications.union_records import reception_no_of
from kouki.collection.deferrals import instalment_deferrals_cancel, instalment_deferrals_record
from kouki.core.audit_vocabulary import AuditAction
from kouki.core.db import chunked, update_rows
from kouki.core.faults import fault_point
from kouki.interfaces.selectors import BenefitDecisionView, benefit_decision_corrections, benefit_decisions
from kouki.notifications.counter import staff_with
from kouki.privacy.context import Actor
from kouki.rules.applications import ApplicationKind as Kind
from kouki.rules.benefits.codes import RESULT_LABELS, DecisionResult
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki

AWAITING = (Status.SENT,)
CHUNK = 2_000  # applications decided in one transaction
DECISION_FIELDS = ["status", "decision_result", "decision_amount", "decided_on", "decision_corrections",
                   "notice_on", "notice_by", "undelivered_on"]  # fmt: skip
NOTICE_STATES = (Status.DECIDED, Status.HANDED_OVER, Status.MAILED, Status.UNDELIVERED)


@dataclass
class DecisionsResult:
    decided: int = 0
    corrected: int = 0
    unchanged: int = 0


def decision_note(d: BenefitDecisionView) -> str:
    text = f"{RESULT_LABELS[d.result]} {yen(d.amount_decided)}円({format_wareki(d.decided_on)}決定)"
    return text if not d.corrections else f"{text} 更正{d.corrections}回目"


def _outcome(a: Application, d: BenefitDecisionView) -> str:
    """'decided', 'corrected' or 'unchanged'."""
    if a.status in AWAITING:
        return "decided"
    if a.status not in NOTICE_STATES or d.corrections <= a.decision_corrections:
        return "unchanged"
    return "corrected"


def _decide(a: Application, d: BenefitDecisionView) -> Marked:
    a.status = Status.DECIDED
    a.decision_result = d.result.value
    a.decision_amount = d.amount_decided
    a.decided_on = d.decided_on
    a.decision_corrections = d.corrections
    a.notice_on, a.notice_by, a.undelivered_on = None, "", None
    detail = {"no": a.application_no, "result": d.result.value, "amount": d.amount_decided,
              "decided_on": d.decided_on.isoformat(), "corrections": d.corrections}  # fmt: skip
    return a.pk, decision_note(d), detail


def _summary(part: Sequence[Marked]) -> dict[str, object]:
    """A chunk's audit summary: how many by 決定区分, and the amount decided."""
    results = Counter(str(detail["result"]) for _, _, detail in part)
    return {"results": dict(sorted(results.items())),
            "amount": sum(int(detail["amount"]) for _, _, detail in part)}  # fmt: skip


def _due() -> tuple[dict[str, int], dict[str, BenefitDecisionView], int]:
    """(受付番号 → application id, 受付番号 → decision, how many already applied and not corrected since):
    the decisions that may move an application are those of the 送付済 ones, and those the union has
    corrected since they were applied."""
    rows = Application.objects.filter(status__in=[*AWAITING, *NOTICE_STATES]).values_list(
        "pk", "fiscal_year", "serial", "status", "decision_corrections")
    by_no: dict[str, int] = {}
    awaiting: list[str] = []
    applied: dict[str, int] = {}
    for pk, fy, serial, status, corrections in rows:
        no = reception_no_of(fy, serial)
        by_no[no] = pk
        if status in AWAITING:
            awaiting.append(no)
        else:
            applied[no] = corrections
    held = benefit_decision_corrections(applied)
    corrected = [no for no, n in held.items() if n > applied[no]]
    return by_no, benefit_decisions([*awaiting, *corrected]), len(held) - len(corrected)


# what applying a decision reads of an application (its other JSON columns stay undecoded)
APPLY_FIELDS = ("pk", "application_no", "kind", "person_id", "status", "decision_corrections", "instalments",
                *DECISION_FIELDS)  # fmt: skip


def _deferral(actor: Actor, a: Application, d: BenefitDecisionView) -> None:
    """A granted 徴収猶予 defers the instalments the application named (kouki.collection.deferrals:
    no 督促状, not in arrears, no 延滞金 for the period), in the decision's transaction."""
    if a.kind != Kind.PREMIUM_DEFERRAL:
        return
    granted = d.result in (DecisionResult.GRANTED, DecisionResult.PARTIAL)
    if not granted or d.deferral_from is None or d.deferral_until is None:
        instalment_deferrals_cancel(actor=actor, application_no=a.application_no)  # a 更正 to refused
        return
    ids = [int(i["id"]) for i in a.instalments]
    if ids:
        instalment_deferrals_record(
            actor=actor, person_id=a.person_id, application_no=a.application_no, instalment_ids=ids,
            deferred_from=d.deferral_from, deferred_until=d.deferral_until, decided_on=d.decided_on,
        )  # fmt: skip


def applications_decisions_apply(*, actor: Actor) -> DecisionsResult:
    """Apply every decision held to its application (see the module's docstring)."""
    staff_with(actor, Perm.IMPORT_FILES, "決定情報の反映")
    result = DecisionsResult()
    by_no, decisions, result.unchanged = _due()
    fault_point("after-read", "applications decisions")
    for index, chunk in enumerate(chunked(sorted(decisions.items()), CHUNK)):
        with transaction.atomic():
            locked = (Application.objects.select_for_update().only(*APPLY_FIELDS)
                      .in_bulk([by_no[no] for no, _ in chunk]))  # fmt: skip
            changed: list[tuple[Application, BenefitDecisionView]] = []
            marked: list[Marked] = []
            for no, d in chunk:
                a = locked[by_no[no]]
                outcome = _outcome(a, d)
                setattr(result, outcome, getattr(result, outcome) + 1)
                if outcome != "unchanged":
                    marked.append(_decide(a, d))
                    changed.append((a, d))
            update_rows(Application, DECISION_FIELDS, [a for a, _ in changed])
            steps_append(actor, StepAction.DECIDED, timezone.now(), marked)
            for a, d in changed:
                _deferral(actor, a, d)
            audit_applications(actor, AuditAction.APPLICATION_DECIDE, marked, common={}, summary=_summary)
            fault_point("before-commit", f"applications decisions chunk {index}")
        fault_point("after-commit", f"applications decisions chunk {index}")
    return result
