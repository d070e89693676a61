"""Person version history (ADR 0002): which versions a resident-register change closes, supersedes or
inserts. Pure; no Django, no I/O. `kouki.addressees` executes the plan, one change at a time through the
ORM (`addressees.changes`) or a whole file at once with raw writers (`addressees.changes_bulk`).

A person has versions with an effective interval [valid_from, valid_to) (valid_to None = open) and a
recording time; a live version is one not superseded. The rules (docs/interfaces/resident-register-changes.md
§5):

- The live versions of a person cover disjoint intervals.
- A change effective on E (anything but a correction) closes the version in force on E at E and inserts a
  version [E, end) where end is that version's former valid_to (or, if none was in force, the valid_from of
  the next later live version, else open). So a change dated before the latest version (遡及異動) splits the
  interval it falls in and leaves later versions alone. A version starting on E itself is closed to the
  empty interval [E, E): history keeps it, no date shows it (the later change of the same day wins).
  The new version takes the status the change gives (birth, move-in: resident; move-out: moved out), else
  the status of the version in force on E (else of the latest one before E, else resident), and that
  version's phone.
- A death also supersedes every live version starting after the day of death (a death recorded late) that
  is neither empty nor deceased already, and inserts a deceased copy of it over the same interval.
- A correction (08 職権修正) supersedes the version in force on E and inserts one with the corrected values,
  the status and the phone of the superseded one, over the same interval. Nothing in force on E:
  `NothingInForce`.
- Versions of a status other than resident belong to no household.
- Exactly one version is current: the live, non-empty version with the latest valid_from (ties: the later
  recorded, then the later key), i.e. the latest known state, even when it starts in the future.

Versions are named by integer keys that order them as stored: the caller gives existing versions their
database id and `plan_change` numbers the versions it inserts from `next_key` on (larger than every key
given), in the order they are to be created.

The classes below are values: nothing changes one once made (they are not `frozen` only because a frozen
dataclass costs several times more to make, and the daily batch makes tens of thousands).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

# PersonStatus values (kouki.addressees.models) the rules name.
RESIDENT = "resident"
DECEASED = "deceased"


class Effect(Enum):
    """How a change acts on the history."""

    CHANGE = "change"  # a new state from its date (birth, move-in, move-out, address, household, name)
    DEATH = "death"  # a change to deceased that also turns the versions after it deceased
    CORRECTION = "correction"  # 08 職権修正: replaces the version in force on its date, same interval


@dataclass(slots=True)
class Version:
    """What the rules know of one version of a person."""

    key: int
    valid_from: date
    valid_to: date | None
    recorded_at: datetime
    status: str
    current: bool = False
    superseded_at: datetime | None = None

    @property
    def empty(self) -> bool:
        return self.valid_to is not None and self.valid_to <= self.valid_from

    @property
    def live(self) -> bool:
        return self.superseded_at is None

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to > on)


@dataclass(slots=True)
class Change:
    """One change: effective on `on`, recorded at `at`. `status` is the status an ordinary change gives
    (None keeps the previous one); a death gives DECEASED, a correction keeps the corrected version's."""

    on: date
    at: datetime
    effect: Effect = Effect.CHANGE
    status: str | None = None


@dataclass(slots=True)
class Close:
    """Set valid_to of version `key` to `on`."""

    key: int
    on: date


@dataclass(slots=True)
class Supersede:
    """Mark version `key` superseded (at the change's recording time) and not current."""

    key: int


@dataclass(slots=True)
class Insert:
    """Create version `key` over [valid_from, valid_to), recorded at the change's time, caused by the change.

    Its values are the change's own (the record received) when `copy_of` is None, else those of version
    `copy_of`. `phone_of` names the version whose phone it keeps (None: no phone); `in_household` says
    whether it belongs to a household (the change's, for the change's own values); if not, it is nobody's
    householder.
    """

    key: int
    valid_from: date
    valid_to: date | None
    status: str
    in_household: bool
    copy_of: int | None
    phone_of: int | None


@dataclass(slots=True)
class MarkCurrent:
    """Version `key` is the person's one current version; every other is not."""

    key: int


Operation = Close | Supersede | Insert | MarkCurrent


@dataclass(slots=True)
class Plan:
    """The operations of one change, in the order to execute them.

    `version`: the key of the change's own new version; `touched`: the keys it closes or supersedes, in
    order; `live`: the live versions after the plan, in stored order; `next_key`: the first key not used.
    """

    operations: tuple[Operation, ...]
    version: int
    touched: tuple[int, ...]
    live: tuple[Version, ...]
    next_key: int


class NothingInForce(ValueError):
    """A correction dated where no version is in force: nothing to correct."""

    def __init__(self, on: date) -> None:
        super().__init__(f"no version in force on {on.isoformat()}")
        self.on = on


def stored_order(version: Version) -> tuple[date, datetime, int]:
    """The order of versions as stored: effective start, then recording time, then key."""
    return (version.valid_from, version.recorded_at, version.key)


def in_force(versions: Iterable[Version], on: date) -> Version | None:
    """The live version in force on a date (the last in stored order, should several be)."""
    return max((v for v in versions if v.live and v.in_force(on)), key=stored_order, default=None)


def current_of(versions: Iterable[Version]) -> Version | None:
    """The version that is current: live, non-empty, last in stored order."""
    return max((v for v in versions if v.live and not v.empty), key=stored_order, default=None)


def plan_change(versions: Iterable[Version], change: Change, *, next_key: int) -> Plan:
    """The operations that apply `change` to a person whose versions are `versions` (superseded ones may be
    given and are ignored). Raises NothingInForce for a correction with nothing to correct."""
    live = sorted((v for v in versions if v.superseded_at is None), key=stored_order)
    on, at = change.on, change.at
    covering = next((v for v in reversed(live) if v.in_force(on)), None)
    operations: list[Operation] = []
    touched: list[int] = []
    after = {v.key: v for v in live}  # the live versions as `apply` leaves them, kept along (the batch
    key = next_key  # plans thousands of changes)

    def insert(op: Insert) -> None:
        operations.append(op)
        after[op.key] = Version(op.key, op.valid_from, op.valid_to, at, op.status)

    def supersede(v: Version) -> None:
        operations.append(Supersede(v.key))
        touched.append(v.key)
        del after[v.key]

    if change.effect is Effect.CORRECTION:
        if covering is None:
            raise NothingInForce(on)
        supersede(covering)
        insert(Insert(key, covering.valid_from, covering.valid_to, covering.status,
                      in_household=covering.status == RESIDENT, copy_of=None, phone_of=covering.key))
        key += 1
    else:
        if covering is not None:
            previous: Version | None = covering
            end = covering.valid_to
            operations.append(Close(covering.key, on))
            touched.append(covering.key)
            after[covering.key] = _closed(covering, on)
        else:
            previous = next((v for v in reversed(live) if v.valid_from <= on and not v.empty), None)
            end = min((v.valid_from for v in live if v.valid_from > on), default=None)
        if change.effect is Effect.DEATH:
            status = DECEASED
        else:
            status = change.status or (previous.status if previous is not None else RESIDENT)
        insert(Insert(key, on, end, status, in_household=status == RESIDENT, copy_of=None,
                      phone_of=previous.key if previous is not None else None))
        key += 1
        if change.effect is Effect.DEATH:
            for later in live:
                if later.valid_from <= on or later.empty or later.status == DECEASED:
                    continue
                supersede(later)
                insert(Insert(key, later.valid_from, later.valid_to, DECEASED, in_household=False,
                              copy_of=later.key, phone_of=later.key))
                key += 1
    current = max((v for v in after.values() if not v.empty), key=stored_order)  # the new version at least
    operations.append(MarkCurrent(current.key))
    return Plan(
        operations=tuple(operations),
        version=next_key,
        touched=tuple(touched),
        live=tuple(sorted((v if v.current == (v is current) else _marked(v, v is current)
                           for v in after.values()), key=stored_order)),
        next_key=key,
    )


def apply(versions: Iterable[Version], operations: Iterable[Operation], at: datetime) -> list[Version]:
    """The versions after executing `operations` recorded at `at`, superseded ones kept (what the database
    holds afterwards, as the rules see it); new versions come last, in creation order."""
    by_key = {v.key: v for v in versions}
    for op in operations:
        if isinstance(op, Close):
            by_key[op.key] = _closed(by_key[op.key], op.on)
        elif isinstance(op, Supersede):
            v = by_key[op.key]
            by_key[op.key] = Version(v.key, v.valid_from, v.valid_to, v.recorded_at, v.status, False, at)
        elif isinstance(op, Insert):
            by_key[op.key] = _inserted(op, at)
        else:
            by_key = {key: v if v.current == (key == op.key) else _marked(v, key == op.key)
                      for key, v in by_key.items()}
    return list(by_key.values())


def _closed(v: Version, on: date) -> Version:
    return Version(v.key, v.valid_from, on, v.recorded_at, v.status, v.current, v.superseded_at)


def _marked(v: Version, current: bool) -> Version:
    return Version(v.key, v.valid_from, v.valid_to, v.recorded_at, v.status, current, v.superseded_at)


def _inserted(op: Insert, at: datetime) -> Version:
    return Version(op.key, op.valid_from, op.valid_to, at, op.status)
