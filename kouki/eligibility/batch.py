"""The daily city batch (and the go-live full extract): files to the union, the 年齢到達予定者 list,
and the union's files taken in.

`batch_daily(on, outbox, inbox)`:
1. 住民基本台帳情報, 住登外登録情報, 所得・課税情報 and 届出情報 for the changes since the previous run
   (see kouki.eligibility.extract) are written into `outbox`, each recorded as an OutboundFile (name,
   record count, SHA-256, the "last sent" watermark) with an audit row; a kind already written for the
   day is not written again;
2. the 年齢到達予定者 list (people reaching 75 next month) as UTF-8 CSV for staff (no personal numbers);
   the files of 1. and 2. go through one kouki.core.outbox block: their rows (and the transfer audit
   rows of the personal numbers they carry) commit in one transaction, only once every file exists
   whole under its final name, so a re-run after a crash writes exactly what an uninterrupted run does;
3. every union → city file in `inbox` is imported in name order (a file already imported is skipped by
   the import runner's idempotency; rejected files get a report in inbox/rejected).
`batch_initial(on, outbox)` writes the full extract (all households in scope, all 住登外者 65+, their
income) once at go-live, the same way (one block).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.db.models import Max, Q

from kouki.addressees.models import ChangeEvent, PersonStatus, PersonVersion
from kouki.core.config import municipality_code
from kouki.core.db import InValues, chunked
from kouki.core.outbox import OutgoingFiles, outgoing_files
from kouki.eligibility.extract import (
    SCOPE_AGE,
    daily_scope,
    income_info_records,
    initial_scope,
    latest_birth_for_age,
    non_resident_ids,
    non_resident_info_records,
    resident_info_records,
)
from kouki.eligibility.models import OutboundFile
from kouki.eligibility.outbound import SentFile, union_file_send
from kouki.eligibility.services import outbound_file_record
from kouki.interfaces.importing import ImportOutcome
from kouki.interfaces.union.files import UNION_TO_CITY, detect_kind, inbox_importer, union_file_name
from kouki.interfaces.union.income_info import dump_income_info
from kouki.interfaces.union.non_resident_info import dump_non_resident_info
from kouki.interfaces.union.notification_info import dump_notification_info
from kouki.interfaces.union.records import IncomeInfoRecord
from kouki.interfaces.union.resident_info import dump_resident_info
from kouki.privacy.context import Actor

RESIDENT_INFO = "resident-info"
NON_RESIDENT_INFO = "non-resident-info"
INCOME_INFO = "income-info"
NOTIFICATION_INFO = "notification-info"
AGE_REPORT = "age-attainment-report"
INITIAL = ":initial"
ATTAINMENT_AGE = 75


@dataclass
class DailyResult:
    on: date
    sent: list[SentFile] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)  # kinds written earlier for the same day
    age_report: Path | None = None
    imported: list[ImportOutcome] = field(default_factory=list)


def _previous(kind: str, before: OutboundFile | None = None) -> OutboundFile | None:
    """The last file of `kind` (daily or initial) sent; with `before`, the last one sent before it."""
    qs = OutboundFile.objects.filter(kind__in=(kind, kind + INITIAL))
    if before is not None:
        qs = qs.filter(pk__lt=before.pk)
    return qs.order_by("-pk").first()


def _aged_ids(person_ids: list[int], on: date) -> list[int]:
    """Whose income goes to the union: members aged 65+ and every householder (the per-capita reductions
    are judged on the insured and the 世帯主, whatever the householder's age — domain-facts §3)."""
    cutoff = latest_birth_for_age(on, SCOPE_AGE)
    out: list[int] = []
    for chunk in chunked(person_ids, 20_000):
        out.extend(PersonVersion.objects.filter(InValues("person_id", chunk), is_current=True).filter(
            Q(birth_date__lte=cutoff) | Q(is_householder=True)).values_list("person_id", flat=True))
    return sorted(out)


def _extract(out: OutgoingFiles, *, actor: Actor, on: date, outbox: Path, initial: bool,
             result: DailyResult) -> None:
    """The registry and income files of the day, staged in `out` with their rows (one transaction).

    The scopes are those of today's files even when some kind was recorded earlier (by a run before
    the files were written in one transaction): the income file always covers the people of today's
    resident and non-resident files."""
    suffix = INITIAL if initial else ""
    done = {row.kind: row for row in OutboundFile.objects.filter(run_date=on)}
    kinds = (RESIDENT_INFO, NON_RESIDENT_INFO, INCOME_INFO)
    result.already_sent.extend(k for k in kinds if k + suffix in done)
    todo = {k for k in kinds if k + suffix not in done}
    if todo:
        _registry_files(out, actor=actor, on=on, outbox=outbox, initial=initial, todo=todo, done=done,
                        result=result)
    if not initial:
        if NOTIFICATION_INFO in done:
            result.already_sent.append(NOTIFICATION_INFO)
        else:
            _notifications(out, actor=actor, on=on, outbox=outbox, result=result)


def _registry_files(out: OutgoingFiles, *, actor: Actor, on: date, outbox: Path, initial: bool,
                    todo: set[str], done: dict[str, OutboundFile], result: DailyResult) -> None:
    suffix = INITIAL if initial else ""
    code = municipality_code()
    previous = _previous(RESIDENT_INFO, done.get(RESIDENT_INFO + suffix))
    scope = initial_scope(on) if initial else daily_scope(
        on, after_change_id=previous.through_change_id or 0 if previous else 0,
        previous_run=previous.run_date if previous else None)
    previous = _previous(NON_RESIDENT_INFO, done.get(NON_RESIDENT_INFO + suffix))
    after = None if initial else (previous.through_change_id or 0 if previous else 0)
    through = ChangeEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    ids = non_resident_ids(on, after_change_id=after)
    income: tuple[list[IncomeInfoRecord], int] | None = None
    if INCOME_INFO in todo:  # read before the numbers are taken (their audit row locks the chain)
        previous = _previous(INCOME_INFO)
        income = income_info_records(
            person_ids=_aged_ids(sorted(set(scope.person_ids + ids)), on),
            after_income_id=None if initial or previous is None else previous.through_change_id, on=on)

    if RESIDENT_INFO in todo:
        name = union_file_name(RESIDENT_INFO, code, on)
        records = resident_info_records(actor=actor, person_ids=scope.person_ids, file_name=name)
        result.sent.append(union_file_send(
            out, actor=actor, kind=RESIDENT_INFO, record_kind=RESIDENT_INFO + suffix, on=on, outbox=outbox,
            data=dump_resident_info(records, created_on=on, municipality_code=code), count=len(records),
            through=scope.through_change_id))

    if NON_RESIDENT_INFO in todo:
        name = union_file_name(NON_RESIDENT_INFO, code, on)
        nr_records = non_resident_info_records(actor=actor, person_ids=ids, file_name=name)
        result.sent.append(union_file_send(
            out, actor=actor, kind=NON_RESIDENT_INFO, record_kind=NON_RESIDENT_INFO + suffix, on=on,
            outbox=outbox, data=dump_non_resident_info(nr_records, created_on=on, municipality_code=code),
            count=len(nr_records), through=through))

    if income is not None:
        income_records, last_income = income
        result.sent.append(union_file_send(
            out, actor=actor, kind=INCOME_INFO, record_kind=INCOME_INFO + suffix, on=on, outbox=outbox,
            data=dump_income_info(income_records, created_on=on, municipality_code=code),
            count=len(income_records), through=last_income))


def _notifications(out: OutgoingFiles, *, actor: Actor, on: date, outbox: Path, result: DailyResult) -> None:
    from kouki.notifications.selectors import notification_ids_of, notifications_to_send
    from kouki.notifications.services import notifications_mark_sent

    code = municipality_code()
    records = notifications_to_send(on, municipality=code)
    sent = union_file_send(out, actor=actor, kind=NOTIFICATION_INFO, on=on, outbox=outbox,
                           data=dump_notification_info(records, created_on=on, municipality_code=code),
                           count=len(records))
    if records:
        notifications_mark_sent(actor=actor, notification_ids=notification_ids_of(records),
                                file_name=sent.path.name)
    result.sent.append(sent)


def _birthday(birth: date, age: int) -> date:
    try:
        return birth.replace(year=birth.year + age)
    except ValueError:  # born on 29 February: the birthday in a common year is taken as 1 March
        return date(birth.year + age, 3, 1)


def age_attainment_rows(on: date) -> list[tuple[str, ...]]:
    """Residents whose 75th birthday falls in the month after `on` (年齢到達予定者), by birthday."""
    first = (on.replace(day=1) + timedelta(days=32)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    lo = date(first.year - ATTAINMENT_AGE, first.month, 1) - timedelta(days=1)  # 29 Feb → 1 Mar margin
    hi = date(last.year - ATTAINMENT_AGE, last.month, 1) + timedelta(days=31)
    versions = PersonVersion.objects.filter(
        is_current=True, status=PersonStatus.RESIDENT, birth_date__gte=lo, birth_date__lte=hi,
    ).select_related("person", "household")
    rows: list[tuple[str, ...]] = []
    for v in versions:
        birthday = _birthday(v.birth_date, ATTAINMENT_AGE)
        if first <= birthday <= last:
            rows.append((birthday.isoformat(), v.person.addressee_no,
                         v.household.household_no if v.household else "", f"{v.family_name} {v.given_name}",
                         f"{v.family_name_kana} {v.given_name_kana}", v.birth_date.isoformat(),
                         "男" if v.sex == "1" else "女", v.postal_code, v.address))
    rows.sort()
    return rows


AGE_REPORT_HEADER = ("年齢到達日", "宛名番号", "世帯番号", "氏名", "カナ氏名", "生年月日", "性別", "郵便番号",
                     "住所")


def age_attainment_report(*, actor: Actor, on: date, outbox: Path) -> Path:
    """Write the 年齢到達予定者 list (UTF-8 CSV with BOM) for the month after `on`; recorded as sent."""
    with outgoing_files() as out:
        return _age_report(out, actor=actor, on=on, outbox=outbox)


def _age_report(out: OutgoingFiles, *, actor: Actor, on: date, outbox: Path) -> Path:
    rows = age_attainment_rows(on)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(AGE_REPORT_HEADER)
    writer.writerows(rows)
    data = b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
    nxt = (on.replace(day=1) + timedelta(days=32)).replace(day=1)
    path = outbox / f"nenrei_totatsu_yotei_{nxt:%Y%m}_{on:%Y%m%d}.csv"
    sha = out.add(path, data)
    if not OutboundFile.objects.filter(kind=AGE_REPORT, run_date=on).exists():
        outbound_file_record(actor=actor, kind=AGE_REPORT, run_date=on, path=path, record_count=len(rows),
                             sha256=sha)
    return path


def import_inbox(*, actor: Actor, inbox: Path, report_dir: Path | None = None) -> list[ImportOutcome]:
    """Import every union → city file in `inbox`, in name order; other files are left alone."""
    outcomes: list[ImportOutcome] = []
    if not inbox.is_dir():
        return outcomes
    for path in sorted(p for p in inbox.iterdir() if p.is_file()):
        with path.open("rb") as handle:
            kind = detect_kind(handle.read(64))
        importer = inbox_importer(kind) if kind in UNION_TO_CITY else None  # 保険料情報 included
        if importer is None:
            continue
        outcomes.append(importer(actor=actor, path=path, report_dir=report_dir or inbox / "rejected"))
    return outcomes


def batch_daily(*, actor: Actor, on: date, outbox: Path, inbox: Path | None) -> DailyResult:
    """The whole daily batch for day `on` (see the module docstring)."""
    result = DailyResult(on=on)
    with outgoing_files() as out:
        _extract(out, actor=actor, on=on, outbox=outbox, initial=False, result=result)
        result.age_report = _age_report(out, actor=actor, on=on, outbox=outbox)
    if inbox is not None:
        result.imported = import_inbox(actor=actor, inbox=inbox)
    return result


def batch_initial(*, actor: Actor, on: date, outbox: Path) -> DailyResult:
    """The go-live full extract for day `on`."""
    result = DailyResult(on=on)
    with outgoing_files() as out:
        _extract(out, actor=actor, on=on, outbox=outbox, initial=True, result=result)
    return result
