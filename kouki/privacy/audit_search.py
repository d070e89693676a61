"""The auditor's desk (issue 15 §1): one search over the audit log, the personal-number reference log and
the 宛名詳細 views, and "who has seen this person's number, and why" (`number_seen_by`).

Reads only; the search and the per-person look-up are themselves audited (`trail_search_audited`,
`person_look_audited`; who searched what, never a personal number). Persons are given as ids: the caller
resolves name, kana, birth date and 宛名番号 through kouki.addressees (this package may not import it).

Paging is in the database: each of the three logs is read newest first from a keyset cursor (at, log,
row id), at most one page + 1 rows each, and the three are merged; counts stop at COUNT_CAP.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.core.audit_vocabulary import ACTION_LABELS, TARGET_LABELS, AuditAction, AuditTarget
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry, PersonView, ReferenceKind, ReferenceLog
from kouki.privacy.redaction import contains_personal_number, redact
from kouki.privacy.screens import screen_label

PAGE_SIZE = 50
COUNT_CAP = 10_000  # counts stop here ("10,000件以上"): the trail grows to millions of rows
PERSON_MATCH_LIMIT = 100  # more people than this matching the person criteria: narrow them first
PERSON_VIEW_ACTION = "person_view"  # not an audit action: an opening of 宛名詳細 (PersonView)
PERSON_VIEW_LABEL = "宛名詳細の閲覧"
SYSTEM_ACTOR_LABEL = "システム処理"
PERIOD_REVERSED = "期間の開始が終了より後です"
TOO_MANY_PEOPLE = "条件に合う宛名が{limit}人を超えます。生年月日や宛名番号を加えて絞り込んでください"
NUMBER_IN_CRITERIA = "検索条件に個人番号は入力できません(個人番号での検索は「個人番号で検索」画面から)"
BAD_CURSOR = "ページの指定が正しくありません。最初のページから検索し直してください"
# the keys of an audit row's detail that hold a file or folder name (imports, outbound files, transfers,
# certificates, checkpoints, backups)
FILE_KEYS = ("file_name", "file", "files", "folder")
# the actions whose rows carry one (tests/privacy/test_audit_search.py keeps the list complete): a file search
# reads only their rows, through the (action, at) index, not the JSON of every row
FILE_ACTIONS = tuple(str(a.value) for a in (
    AuditAction.IMPORT_APPLIED, AuditAction.ELIGIBILITY_OUTBOUND_FILE, AuditAction.NOTIFICATION_SENT,
    AuditAction.PERSONAL_NUMBER_TRANSFER, AuditAction.TRANSFER_EXECUTE, AuditAction.DEBIT_REQUEST_CREATE,
    AuditAction.REFUND_TRANSFER_CREATE, AuditAction.CERTIFICATES_BATCH_ISSUE, AuditAction.AUDIT_CHECKPOINT,
    AuditAction.BACKUP_CREATE, AuditAction.KEYS_EXPORT))
REFERENCE_ACTIONS = {ReferenceKind.REVEAL.value: AuditAction.PERSONAL_NUMBER_REVEAL,
                     ReferenceKind.SEARCH.value: AuditAction.PERSONAL_NUMBER_SEARCH}
# audit rows naming the person themselves (the 宛名, the personal-number rows about them)
PERSON_TARGETS = (AuditTarget.ADDRESSEES_PERSON.value, AuditTarget.PERSON.value)


class TrailSearchError(ValueError):
    """A search that cannot run, in words for the auditor (never echoing a personal number)."""


class Source(StrEnum):
    AUDIT = "audit"
    REFERENCE = "reference"
    VIEW = "view"

    @property
    def label(self) -> str:
        return SOURCE_LABELS[self]


SOURCE_LABELS = {Source.AUDIT: "監査ログ", Source.REFERENCE: "個人番号参照記録",
                 Source.VIEW: "宛名詳細の閲覧記録"}
_RANK = {Source.AUDIT: 0, Source.REFERENCE: 1, Source.VIEW: 2}


def action_label(action: str) -> str:
    """The Japanese label of a stored action (or of the 宛名詳細 view); never the stored string."""
    if action == PERSON_VIEW_ACTION:
        return PERSON_VIEW_LABEL
    try:
        return ACTION_LABELS[AuditAction(action)]
    except ValueError:
        return "(未登録の操作)"


def action_choices() -> list[tuple[str, str]]:
    """(value, label) of every action the search can filter on, by label: the audit vocabulary and the
    宛名詳細 view."""
    choices = [(str(a.value), label) for a, label in ACTION_LABELS.items()]
    choices.append((PERSON_VIEW_ACTION, PERSON_VIEW_LABEL))
    return sorted(choices, key=lambda c: c[1])


@dataclass(frozen=True)
class TrailCriteria:
    """What the auditor asked for. Periods are whole days (local time), `until` inclusive."""

    name: str = ""
    kana: str = ""
    birth_date: date | None = None
    addressee_no: str = ""  # part or whole of a 宛名番号
    username: str = ""
    actions: tuple[str, ...] = ()  # AuditAction values and/or PERSON_VIEW_ACTION; empty = every action
    file_name: str = ""
    since: date | None = None
    until: date | None = None
    sources: tuple[Source, ...] = ()  # empty = all three logs

    @property
    def has_person(self) -> bool:
        return bool(self.name or self.kana or self.birth_date or self.addressee_no)

    def check(self) -> None:
        """TrailSearchError for a reversed period or a personal number typed into a text field."""
        if self.since and self.until and self.since > self.until:
            raise TrailSearchError(
                f"{PERIOD_REVERSED}(開始 {self.since:%Y-%m-%d}、終了 {self.until:%Y-%m-%d})")
        texts = (self.name, self.kana, self.addressee_no, self.username, self.file_name)
        if any(contains_personal_number(t) for t in texts):
            raise TrailSearchError(NUMBER_IN_CRITERIA)

    def _parts(self) -> list[tuple[str, str]]:
        parts = [("氏名", self.name), ("氏名カナ", self.kana),
                 ("生年月日", f"{self.birth_date:%Y-%m-%d}" if self.birth_date else ""),
                 ("宛名番号", self.addressee_no), ("職員", self.username),
                 ("操作", "・".join(action_label(a) for a in self.actions)), ("ファイル名", self.file_name),
                 ("期間", _period_text(self.since, self.until)),
                 ("記録の種類", "・".join(s.label for s in self.sources))]  # fmt: skip
        return [(k, redact(v)) for k, v in parts if v]

    def summary(self) -> str:
        """The criteria in words: 氏名カナ=ヤマダ、期間=2026-04-01〜2026-04-30 (or 条件なし)."""
        return "、".join(f"{k}={v}" for k, v in self._parts()) or "条件なし(すべての記録)"

    def audit_detail(self) -> dict[str, str]:
        return {k: v for k, v in self._parts()}


def _period_text(since: date | None, until: date | None) -> str:
    if not since and not until:
        return ""
    start = f"{since:%Y-%m-%d}" if since else ""
    end = f"{until:%Y-%m-%d}" if until else ""
    return f"{start}〜{end}"


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last row's time, log and row id (rows are ordered by the three, newest
    first)."""

    at: datetime
    rank: int
    row_id: int

    def encode(self) -> str:
        return f"{self.at.isoformat()}~{self.rank}~{self.row_id}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            at_text, rank, row_id = text.split("~")
            at = datetime.fromisoformat(at_text)
            cursor = cls(at, int(rank), int(row_id))
        except ValueError:
            raise TrailSearchError(BAD_CURSOR) from None
        if timezone.is_naive(at) or cursor.rank not in _RANK.values() or cursor.row_id < 0:
            raise TrailSearchError(BAD_CURSOR)
        return cursor


@dataclass(frozen=True)
class TrailRow:
    """One row of the desk's result, in words: no internal id but the person's (resolved by the caller)."""

    source: Source
    row_id: int
    at: datetime
    username: str
    terminal_id: str
    action: str  # Japanese label
    person_id: int | None
    target: str = ""  # Japanese label of what the row is about
    screen: str = ""  # Japanese label (reference log)
    purpose: str = ""  # 参照理由 (reference log)
    files: tuple[str, ...] = ()

    @property
    def cursor(self) -> Cursor:
        return Cursor(self.at, _RANK[self.source], self.row_id)

    @property
    def source_label(self) -> str:
        return self.source.label


@dataclass(frozen=True)
class TrailPage:
    rows: list[TrailRow]
    next_cursor: Cursor | None
    total: int  # up to COUNT_CAP
    total_capped: bool  # more than COUNT_CAP rows match
    counts: dict[Source, int] = field(default_factory=dict)


def _bounds(criteria: TrailCriteria) -> tuple[datetime | None, datetime | None]:
    tz = timezone.get_current_timezone()
    since = datetime.combine(criteria.since, datetime.min.time(), tzinfo=tz) if criteria.since else None
    until = (datetime.combine(criteria.until + timedelta(days=1), datetime.min.time(), tzinfo=tz)
             if criteria.until else None)  # fmt: skip
    return since, until


def _common(qs: QuerySet[Any], criteria: TrailCriteria) -> QuerySet[Any]:
    since, until = _bounds(criteria)
    if since is not None:
        qs = qs.filter(at__gte=since)
    if until is not None:
        qs = qs.filter(at__lt=until)
    return qs


def _wanted(criteria: TrailCriteria, source: Source) -> bool:
    return not criteria.sources or source in criteria.sources


def _audit_query(criteria: TrailCriteria, person_ids: Sequence[int] | None,
                 record_targets: Mapping[str, Collection[str]] | None = None) -> QuerySet[AuditEntry] | None:
    if not _wanted(criteria, Source.AUDIT):
        return None
    qs = _common(AuditEntry.objects.all(), criteria)
    actions = [a for a in criteria.actions if a != PERSON_VIEW_ACTION]
    if criteria.actions and not actions:
        return None
    if actions:
        qs = qs.filter(action__in=actions)
    if _wanted(criteria, Source.REFERENCE):  # each reveal and number search is shown from the reference log
        qs = qs.exclude(action__in=[str(a.value) for a in REFERENCE_ACTIONS.values()])
    if person_ids is not None:
        about = Q(target_type__in=PERSON_TARGETS, target_id__in=[str(p) for p in person_ids])
        for target_type, ids in (record_targets or {}).items():
            if ids:
                about |= Q(target_type=target_type, target_id__in=list(ids))
        qs = qs.filter(about)
    if criteria.username:
        qs = qs.filter(actor=criteria.username)
    if criteria.file_name:
        in_files = Q()
        for key in FILE_KEYS:
            in_files |= Q(**{f"detail__{key}__icontains": criteria.file_name})
        qs = qs.filter(in_files, action__in=FILE_ACTIONS)
    return qs


def _reference_query(criteria: TrailCriteria,
                     person_ids: Sequence[int] | None) -> QuerySet[ReferenceLog] | None:
    if not _wanted(criteria, Source.REFERENCE) or criteria.file_name:
        return None
    qs = _common(ReferenceLog.objects.all(), criteria)
    if criteria.actions:
        kinds = [kind for kind, action in REFERENCE_ACTIONS.items() if action.value in criteria.actions]
        if not kinds:
            return None
        qs = qs.filter(kind__in=kinds)
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    if criteria.username:
        qs = qs.filter(username=criteria.username)
    return qs


def _view_query(criteria: TrailCriteria, person_ids: Sequence[int] | None) -> QuerySet[PersonView] | None:
    if not _wanted(criteria, Source.VIEW) or criteria.file_name:
        return None
    if criteria.actions and PERSON_VIEW_ACTION not in criteria.actions:
        return None
    qs = _common(PersonView.objects.all(), criteria)
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    if criteria.username:
        qs = qs.filter(user__username=criteria.username)
    return qs


def _after(source: Source, cursor: Cursor | None) -> Q:
    """Rows after the cursor in (at, log, id) descending order, for one log."""
    if cursor is None:
        return Q()
    rank = _RANK[source]
    if rank < cursor.rank:
        return Q(at__lte=cursor.at)
    if rank > cursor.rank:
        return Q(at__lt=cursor.at)
    return Q(at__lt=cursor.at) | Q(at=cursor.at, pk__lt=cursor.row_id)


def _files(detail: Any) -> tuple[str, ...]:
    if not isinstance(detail, dict):
        return ()
    found: list[str] = []
    for key in FILE_KEYS:
        value = detail.get(key)
        values = value if isinstance(value, list) else [value]
        found += [redact(str(v)) for v in values if isinstance(v, str) and v]
    return tuple(found)


def _audit_rows(qs: QuerySet[AuditEntry], limit: int) -> list[TrailRow]:
    rows = qs.order_by("-at", "-pk").values_list(
        "pk", "at", "actor", "terminal_id", "action", "target_type", "target_id", "detail")[:limit]
    out = []
    for pk, at, actor, terminal, action, target_type, target_id, detail in rows:
        person = int(target_id) if target_type in PERSON_TARGETS and target_id.isdigit() else None
        try:
            target = TARGET_LABELS[AuditTarget(target_type)] if target_type else ""
        except ValueError:
            target = "(その他)"
        out.append(TrailRow(Source.AUDIT, pk, at, actor, terminal, action_label(action), person,
                            target=target, files=_files(detail)))
    return out


def _reference_rows(qs: QuerySet[ReferenceLog], limit: int) -> list[TrailRow]:
    rows = qs.order_by("-at", "-pk").values_list(
        "pk", "at", "username", "terminal_id", "kind", "person_id", "screen", "purpose")[:limit]
    return [TrailRow(Source.REFERENCE, pk, at, username, terminal, REFERENCE_ACTIONS[kind].label
                     if kind in REFERENCE_ACTIONS else "(その他の参照)", person,
                     target=TARGET_LABELS[AuditTarget.PERSON], screen=screen_label(screen), purpose=purpose)
            for pk, at, username, terminal, kind, person, screen, purpose in rows]  # fmt: skip


def _view_rows(qs: QuerySet[PersonView], limit: int) -> list[TrailRow]:
    rows = qs.order_by("-at", "-pk").values_list(
        "pk", "at", "user__username", "terminal_id", "person_id")[:limit]
    return [TrailRow(Source.VIEW, pk, at, username, terminal, PERSON_VIEW_LABEL, person,
                     target=TARGET_LABELS[AuditTarget.ADDRESSEES_PERSON])
            for pk, at, username, terminal, person in rows]  # fmt: skip


def _capped_count(qs: QuerySet[Any]) -> int:
    return qs.order_by().values("pk")[: COUNT_CAP + 1].count()


def search_trail(criteria: TrailCriteria, *, person_ids: Sequence[int] | None = None,
                 record_targets: Mapping[str, Collection[str]] | None = None,
                 after: Cursor | None = None, size: int = PAGE_SIZE) -> TrailPage:
    """One page (newest first) of the rows of the three logs that match. `person_ids` None: any person;
    a list (even empty): only rows about those people — about the 宛名 and, with `record_targets`
    (target_type → ids, kouki.reviews.person_trail), about their records. TrailSearchError when the
    criteria cannot run."""
    criteria.check()
    size = max(1, size)
    queries: list[tuple[Source, QuerySet[Any] | None]] = [
        (Source.AUDIT, _audit_query(criteria, person_ids, record_targets)),
        (Source.REFERENCE, _reference_query(criteria, person_ids)),
        (Source.VIEW, _view_query(criteria, person_ids)),
    ]
    readers: dict[Source, Callable[[QuerySet[Any], int], list[TrailRow]]] = {
        Source.AUDIT: _audit_rows, Source.REFERENCE: _reference_rows, Source.VIEW: _view_rows}
    merged: list[TrailRow] = []
    counts: dict[Source, int] = {}
    for source, qs in queries:
        if qs is None:
            counts[source] = 0
            continue
        counts[source] = _capped_count(qs)
        merged += readers[source](qs.filter(_after(source, after)), size + 1)
    merged.sort(key=lambda r: (r.at, _RANK[r.source], r.row_id), reverse=True)
    page = merged[:size]
    total = sum(counts.values())
    return TrailPage(rows=page, next_cursor=page[-1].cursor if len(merged) > size else None,
                     total=min(total, COUNT_CAP), total_capped=total > COUNT_CAP, counts=counts)


# --- "who has seen this person's number, and why" --------------------------------------------------------


@dataclass(frozen=True)
class NumberReference:
    """One reference to a person's personal number: who, when, from which terminal and screen, why."""

    at: datetime
    username: str
    staff_name: str
    terminal_id: str
    screen: str  # Japanese label
    purpose: str
    kind: str  # 個人番号の表示 / 個人番号による検索
    office: str = ""  # the staff member's office (the disclosure package names the office, not the person)


@dataclass(frozen=True)
class PersonViewRow:
    """One opening of the person's 宛名詳細."""

    at: datetime
    username: str
    staff_name: str
    terminal_id: str


def staff_names(usernames: Iterable[str]) -> dict[str, str]:
    """username → the member of staff's name (a batch's ``system:…`` as システム処理; an account that no
    longer exists keeps its id)."""
    wanted = set(usernames)
    names = dict(StaffUser.objects.filter(username__in=wanted).values_list("username", "staff_name"))
    return {u: SYSTEM_ACTOR_LABEL if u.startswith("system:") else names.get(u, u) for u in wanted}


def number_seen_by(person_id: int) -> list[NumberReference]:
    """Every reference to the person's personal number (SEC-11) — reveals and number searches that found
    them — newest first, with the staff member's name, terminal, screen and purpose. For the auditor's
    desk and the disclosure package (開示請求: who referred to the number and why)."""
    rows = list(ReferenceLog.objects.filter(person_id=person_id).order_by("-at", "-pk")
                .values_list("at", "username", "terminal_id", "screen", "purpose", "kind"))  # fmt: skip
    names = staff_names(r[1] for r in rows)
    offices = dict(StaffUser.objects.filter(username__in=names).values_list("username", "office"))
    return [NumberReference(at, username, names[username], terminal, screen_label(screen), purpose,
                            REFERENCE_ACTIONS[kind].label if kind in REFERENCE_ACTIONS else "(その他の参照)",
                            offices.get(username, ""))
            for at, username, terminal, screen, purpose, kind in rows]  # fmt: skip


def person_views_of(person_id: int) -> list[PersonViewRow]:
    """Every opening of the person's 宛名詳細, newest first, with the staff member's name."""
    rows = list(PersonView.objects.filter(person_id=person_id).order_by("-at", "-pk")
                .values_list("at", "user__username", "terminal_id"))  # fmt: skip
    names = staff_names(r[1] for r in rows)
    return [PersonViewRow(at, username, names[username], terminal) for at, username, terminal in rows]


# --- the desk's own audit rows ------------------------------------------------------------------------------


def trail_search_audited(*, actor: Actor, criteria: TrailCriteria, found: int, page: int = 1) -> None:
    """Record who searched the trail for what (the criteria in words, redacted) and how many rows matched."""
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.AUDIT_SEARCH,
                     detail={"criteria": criteria.audit_detail(), "found": found, "page": page})


def person_look_audited(*, actor: Actor, addressee_no: str, counts: dict[str, int]) -> None:
    """Record that an auditor opened a person's references (by 宛名番号; the row does not name the person as
    its target, so it stays out of the person's own history on 宛名詳細)."""
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.AUDIT_PERSON_VIEW,
                     detail={"addressee_no": addressee_no, **counts})
