"""The simulated union's household history: who lived in which 世帯 on a date, from the 住民基本台帳情報 it
received (only files cross: never the city's database).

Each 住民基本台帳情報 record describes a person from its 異動日 (`changed_on`, the city's version valid_from)
until the next record's 異動日, as the city's own history does (kouki.addressees.selectors.household_as_of):
- a person belongs to the record's 世帯 while the record says resident (status 1) with a 世帯番号; from
  the 異動日 of a moving-out or death record they belong to none (so a member who moves in on the day counts
  that day, one who moves out or dies on the day does not);
- a record whose 異動日 is on or before ones already held replaces them (a correction: the city sends its
  current version, so what was known to follow it no longer stands);
- before a person's first record, that record's 世帯 stands from the day the person became a resident
  (`resident_since`); before that day they belong to none.

The union knows only the versions it received: two changes recorded between two exchanges reach it as one
record (the later), and the earlier one is then unknown to it.

State (in union-state.json): key → [[異動日, 世帯番号, 世帯主, resident, resident_since], …] by 異動日.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from kouki.interfaces.union.records import ResidentInfoRecord, ResidentStatus

Entry = list[Any]  # [changed_on, household_no, is_householder, resident, resident_since] (ISO dates)


def household_key(key: str, household_no: str) -> str:
    """`municipality:世帯番号` of a person key `municipality:宛名番号`."""
    return f"{key.split(':', 1)[0]}:{household_no}"


def entry_of(record: ResidentInfoRecord) -> Entry:
    return [
        record.changed_on.isoformat(),
        record.household_no,
        record.is_householder,
        record.status == ResidentStatus.RESIDENT,
        record.resident_since.isoformat(),
    ]


class HouseholdHistory:
    """Over the state's `histories` (key → entries, mutated in place) with an index of the households each
    person was ever in, to find who shared one."""

    def __init__(self, histories: dict[str, list[Entry]]) -> None:
        self.histories = histories
        self._ever: dict[str, set[str]] = defaultdict(set)  # household key → person keys ever in it
        for key, entries in histories.items():
            for e in entries:
                self._index(key, e)

    def _index(self, key: str, entry: Entry) -> None:
        if entry[1]:
            self._ever[household_key(key, entry[1])].add(key)

    def record(self, key: str, record: ResidentInfoRecord) -> None:
        """Take in one 住民基本台帳情報 record of `key` (replacing what it held from its 異動日 on)."""
        entry = entry_of(record)
        kept = [e for e in self.histories.get(key, []) if e[0] < entry[0]]
        self.histories[key] = [*kept, entry]
        self._index(key, entry)

    def entry_on(self, key: str, day: date) -> tuple[str, bool] | None:
        """(household key, householder) of `key` on `day`, or None when in no household that day."""
        entries = self.histories.get(key)
        if not entries:
            return None
        iso = day.isoformat()
        in_force = [e for e in entries if e[0] <= iso]
        if in_force:
            _changed, number, householder, resident, _since = in_force[-1]
        else:  # before the first record: its household from the day the person became a resident
            _changed, number, householder, _resident, since = entries[0]
            resident = since <= iso
        if not resident or not number:
            return None
        return household_key(key, number), bool(householder)

    def members_on(self, key: str, day: date) -> dict[str, bool]:
        """Person key → householder for everyone in `key`'s household on `day` (`key` itself always, alone
        when in no household that day)."""
        own = self.entry_on(key, day)
        if own is None:
            return {key: False}
        out: dict[str, bool] = {}
        for other in self._ever.get(own[0], ()):
            entry = own if other == key else self.entry_on(other, day)
            if entry is not None and entry[0] == own[0]:
                out[other] = entry[1]
        return out

    def housemates(self, key: str) -> set[str]:
        """Everyone who was ever in a household with `key` per the history held (`key` included)."""
        out = {key}
        for e in self.histories.get(key, []):
            if e[1]:
                out |= self._ever.get(household_key(key, e[1]), set())
        return out
