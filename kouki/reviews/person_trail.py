"""How the audit log names everything kouki holds about a person (the auditor's desk, issue 15 §1).

An audit row names its target (target_type, target_id): the person themselves, but also their notifications,
applications, receipts, slips, plans… Each app says how its rows about a person are named
(`audit_targets_of(person_id)` in its selectors); this module gathers them for the people an auditor
searched for, so "search the audit trail by person" finds the writes on the person's records too, not only
the rows about the 宛名. It sits above the domain apps (the accountability layer) so that both the screen and
the `kouki audit search` command can use it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable

from kouki.addressees import selectors as addressees
from kouki.addressees.selectors import person_ids_matching
from kouki.applications import selectors as applications
from kouki.arrears import selectors as arrears
from kouki.assessment import selectors as assessment
from kouki.banking import selectors as banking
from kouki.collection import selectors as collection
from kouki.core.audit_vocabulary import AuditTarget
from kouki.eligibility import selectors as eligibility
from kouki.notifications import selectors as notifications
from kouki.privacy.audit_search import (
    PAGE_SIZE,
    PERSON_MATCH_LIMIT,
    TOO_MANY_PEOPLE,
    Cursor,
    TrailCriteria,
    TrailPage,
    TrailSearchError,
    search_trail,
)
from kouki.slips import selectors as slips

READERS: tuple[Callable[[int], dict[AuditTarget, list[str]]], ...] = (
    addressees.audit_targets_of, eligibility.audit_targets_of, assessment.audit_targets_of,
    collection.audit_targets_of, slips.audit_targets_of, banking.audit_targets_of, arrears.audit_targets_of,
    notifications.audit_targets_of, applications.audit_targets_of,
)  # fmt: skip


def audit_targets_of_people(person_ids: Iterable[int]) -> dict[str, list[str]]:
    """target_type → the target ids of every record of these people (their 宛名, numbers and records)."""
    targets: dict[str, list[str]] = defaultdict(list)
    for person_id in person_ids:
        for read in READERS:
            for target, ids in read(person_id).items():
                targets[str(target.value)].extend(ids)
    return dict(targets)


def search_people_trail(criteria: TrailCriteria, *, after: Cursor | None = None,
                        size: int = PAGE_SIZE) -> tuple[list[int] | None, TrailPage]:
    """The auditor's search (screen and command): the people matching the person criteria first (more
    than PERSON_MATCH_LIMIT: TrailSearchError asking to narrow), then one page of the rows about them and
    their records — or, without person criteria (people None), of every row matching the rest."""
    criteria.check()
    person_ids = None
    if criteria.has_person:
        person_ids = person_ids_matching(
            name=criteria.name, kana=criteria.kana, birth_date=criteria.birth_date,
            addressee_no=criteria.addressee_no, limit=PERSON_MATCH_LIMIT)  # fmt: skip
        if len(person_ids) > PERSON_MATCH_LIMIT:
            raise TrailSearchError(TOO_MANY_PEOPLE.format(limit=PERSON_MATCH_LIMIT))
    records = audit_targets_of_people(person_ids) if person_ids is not None else None
    return person_ids, search_trail(criteria, person_ids=person_ids, record_targets=records, after=after,
                                    size=size)
