"""Turn what the simulated union received into kouki.rules.eligibility facts for one person."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kouki.interfaces.union.records import (
    NonResidentInfoRecord,
    NotificationInfoRecord,
    NotificationKind,
    ResidentInfoRecord,
    ResidentStatus,
)
from kouki.rules.eligibility import PersonFacts, Residence, Span

PAIRS: dict[str, tuple[NotificationKind, NotificationKind]] = {
    "disability": (NotificationKind.DISABILITY_CERTIFICATION, NotificationKind.DISABILITY_WITHDRAWAL),
    "public_assistance": (NotificationKind.PUBLIC_ASSISTANCE_START, NotificationKind.PUBLIC_ASSISTANCE_END),
    "exception_out": (NotificationKind.ADDRESS_EXCEPTION_START, NotificationKind.ADDRESS_EXCEPTION_END),
    "exception_in": (NotificationKind.ADDRESS_EXCEPTION_IN_START, NotificationKind.ADDRESS_EXCEPTION_IN_END),
}


def spans(
    notes: Iterable[NotificationInfoRecord], start: NotificationKind, end: NotificationKind
) -> list[Span]:
    """Pair start and end notifications in date order: an end closes the open span; strays are ignored."""
    out: list[Span] = []
    open_start: NotificationInfoRecord | None = None
    for n in sorted(notes, key=lambda n: (n.effective_date, n.kind != end, n.notification_no)):
        if n.kind == start and open_start is None:
            open_start = n
        elif n.kind == end and open_start is not None and n.effective_date >= open_start.effective_date:
            out.append(
                Span(
                    open_start.effective_date, n.effective_date, open_start.notification_no, n.notification_no
                )
            )
            open_start = None
    if open_start is not None:
        out.append(Span(open_start.effective_date, None, open_start.notification_no))
    return out


def person_facts(
    key: str,
    resident: ResidentInfoRecord | None,
    residences: dict[str, list[str | None]],
    nonresident: NonResidentInfoRecord | None,
    notes: list[NotificationInfoRecord],
) -> PersonFacts | None:
    """Facts of one addressee, or None when the union knows no birth date for it."""
    birth = resident.birth_date if resident else nonresident.birth_date if nonresident else None
    if birth is None:
        return None
    living = tuple(
        Residence(
            date.fromisoformat(start),
            date.fromisoformat(end) if end else None,
            f"住基:{key}:{start}",
            f"住基:{key}:{end}" if end else None,
            key.split(":", 1)[0],
        )
        for start, (end, *_rest) in sorted(residences.items())
    )
    deceased = resident is not None and resident.status == ResidentStatus.DECEASED
    by_kind = {name: spans(notes, *pair) for name, pair in PAIRS.items()}
    return PersonFacts(
        birth_date=birth,
        birth_event_id=f"生年月日:{key}",
        residences=living,
        death_on=resident.status_date if deceased and resident is not None else None,
        death_event_id=f"死亡:{key}" if deceased else None,
        disability=tuple(by_kind["disability"]),
        public_assistance=tuple(by_kind["public_assistance"]),
        exception_out=tuple(by_kind["exception_out"]),
        exception_in=tuple(by_kind["exception_in"]),
    )
