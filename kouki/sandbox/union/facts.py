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


def _other_prefecture(rest: list[str | None], union_prefecture: str) -> bool:
    destination = rest[0] if rest else None
    return bool(destination) and destination != union_prefecture


def person_facts(
    key: str,
    resident: ResidentInfoRecord | None,
    residences: dict[str, list[str | None]],
    nonresident: NonResidentInfoRecord | None,
    notes: list[NotificationInfoRecord],
    *,
    union_prefecture: str,
) -> PersonFacts | None:
    """Facts of one addressee, or None when the union knows no birth date for it.

    residences: start → [end, 転出先都道府県コード or None] (older states hold [end] only). A move-out to a
    prefecture other than `union_prefecture` (the union's own, 保険者番号 digits 3–4) is a move into another
    union's area: loss on the move-out day (高確法 §53① proviso); unknown or abroad: the day after."""
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
            moved_to_other_union=end is not None and _other_prefecture(rest, union_prefecture),
        )
        for start, (end, *rest) in sorted(residences.items())
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
