"""Reads of the 開示・訂正・利用停止請求: the list and worklist (overdue and near-due first), one request,
and the counts for the monthly review report (issue 15 §1, §3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from kouki.core.config import disclosure_config
from kouki.disclosure.models import DisclosureRequest, RequestKind, RequestState
from kouki.rules.disclosure_deadlines import DueState, due_state

OPEN_STATES = (RequestState.RECEIVED, RequestState.PREPARED)  # no decision yet: the deadline runs


@dataclass(frozen=True)
class WorkRow:
    request: DisclosureRequest
    due_on: date  # the extended day when extended
    due: DueState | None  # None once decided (the deadline no longer runs)


def disclosure_request(request_id: int) -> DisclosureRequest | None:
    return (
        DisclosureRequest.objects.select_related(
            "person", "received_by", "prepared_by", "approved_by", "disclosure"
        )
        .defer("package_pdf")
        .filter(pk=request_id)
        .first()
    )


def _rows(qs: QuerySet[DisclosureRequest], today: date) -> list[WorkRow]:
    rules = disclosure_config().deadlines
    return [
        WorkRow(
            r,
            r.effective_due_on,
            due_state(r.effective_due_on, today, rules) if r.state in OPEN_STATES else None,
        )
        for r in qs
    ]


def disclosure_requests(
    *, today: date, state: str = "", kind: str = "", addressee_no: str = ""
) -> list[WorkRow]:
    """Requests newest first, filtered by state, kind and the person's 宛名番号."""
    qs = (
        DisclosureRequest.objects.select_related("person")
        .defer("package_pdf")
        .order_by("-received_on", "-pk")
    )
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if addressee_no:
        qs = qs.filter(person__addressee_no=addressee_no)
    return _rows(qs[:500], today)


def disclosure_worklist(today: date) -> list[WorkRow]:
    """Undecided requests, the nearest due day first; overdue and near-due flagged."""
    qs = DisclosureRequest.objects.select_related("person").defer("package_pdf").filter(state__in=OPEN_STATES)
    return sorted(_rows(qs, today), key=lambda r: (r.due_on, r.request.pk))


def decided_awaiting(today: date) -> list[WorkRow]:
    """Approved decisions not yet carried out (the package, or the correction / suspension)."""
    qs = (
        DisclosureRequest.objects.select_related("person")
        .defer("package_pdf")
        .filter(state=RequestState.DECIDED)
        .order_by("approved_at", "pk")
    )
    return _rows(qs, today)


@dataclass(frozen=True)
class RequestCounts:
    """Requests received in [since, until] by kind and by state now, and those overdue at `until`."""

    by_kind: dict[str, int]  # RequestKind value → count
    by_state: dict[str, int]  # RequestState value → count
    overdue: int  # undecided with the (extended) due day before `until`
    decided_late: int  # approved after their (extended) due day


def request_counts(since: date, until: date) -> RequestCounts:
    """For the monthly review report: requests received from `since` to `until` (both included)."""
    if until < since:
        raise ValueError(f"期間の終わり({until})が始め({since})より前です")
    rows = list(
        DisclosureRequest.objects.filter(received_on__gte=since, received_on__lte=until).only(
            "kind", "state", "due_on", "extended_due_on", "approved_at"
        )
    )
    by_kind = {k.value: 0 for k in RequestKind}
    by_state = {s.value: 0 for s in RequestState}
    overdue = decided_late = 0
    for r in rows:
        by_kind[r.kind] += 1
        by_state[r.state] += 1
        if r.state in OPEN_STATES and r.effective_due_on < until:
            overdue += 1
        if r.approved_at is not None and timezone.localtime(r.approved_at).date() > r.effective_due_on:
            decided_late += 1
    return RequestCounts(by_kind, by_state, overdue, decided_late)
