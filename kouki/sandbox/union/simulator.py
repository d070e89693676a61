"""The simulated union (埼玉県後期高齢者医療広域連合 standard system): a counterpart exchanging files only.

It keeps its own state in a directory (kouki.sandbox.union.state), takes in the city→union files and, each
day, decides eligibility (kouki.rules.eligibility), insured numbers, co-payment rates (kouki.rules.copayment,
household = same 世帯番号 in the latest 住民基本台帳情報), certificate kinds (kouki.rules.certificates) and
writes the union→city files with only what changed that day. On August 1: the yearly renewal (every rate
recalculated with the previous year's income, a document for everyone insured). The 賦課
(kouki.sandbox.union.assessment) reads each person's household as of their 軽減 judgement date from the
household history kept of the records' 異動日 (kouki.sandbox.union.households; `household_on`).

The insurer number is configuration: Saitama's real number(s) are not known (domain-facts §6 [NF]); the
default 3911999C has the right shape (39 + prefecture 11 + serial + check digit).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from kouki.interfaces.importing import LineError
from kouki.interfaces.union.address_exception import dump_address_exception
from kouki.interfaces.union.certificate_issue import dump_certificate_issue
from kouki.interfaces.union.files import CITY_TO_UNION, detect_kind, union_file_name
from kouki.interfaces.union.income_info import parse_income_info
from kouki.interfaces.union.insured_info import dump_insured_info
from kouki.interfaces.union.non_resident_info import parse_non_resident_info
from kouki.interfaces.union.notification_info import parse_notification_info
from kouki.interfaces.union.records import (
    AcquisitionReason,
    AddressExceptionRecord,
    CertificateIssueRecord,
    CertificateKind,
    CertificateReason,
    IncomeInfoRecord,
    InsuredInfoRecord,
    LossReason,
    NonResidentInfoRecord,
    NotificationInfoRecord,
    NotificationKind,
    ResidentInfoRecord,
)
from kouki.interfaces.union.resident_info import parse_resident_info
from kouki.rules.certificates import SAITAMA_2026, CertificateRules, MynaStatus, certificate_kind, valid_until
from kouki.rules.copayment import (
    DEFAULT_COPAY_RULES,
    CopayRules,
    MemberIncome,
    household_copay,
    income_year_for,
)
from kouki.rules.copayment import copay_year_start as rate_year_start
from kouki.rules.eligibility import (
    DEFAULT_RULES,
    EligibilityRules,
    InsuredPeriodResult,
    PersonFacts,
    insured_periods,
)
from kouki.rules.numbers import is_valid_insurer_number, mod10_weight21_check_digit
from kouki.sandbox.union.assessment import UnionAssessment
from kouki.sandbox.union.facts import person_facts
from kouki.sandbox.union.households import HouseholdHistory, entry_of
from kouki.sandbox.union.state import UnionState, load_state, record_from_json, record_to_json, save_state

ONE_DAY = timedelta(days=1)
_OTHER_STATUSES = (MynaStatus.NO_CARD, MynaStatus.NOT_REGISTERED, MynaStatus.WITHDRAWN, MynaStatus.EXPIRED)


def insurer_no_for(serial: str, prefecture: str = "11") -> str:
    """39 + prefecture + 3-digit serial + check digit."""
    base = f"39{prefecture}{serial}"
    return base + str(mod10_weight21_check_digit(base))


DEFAULT_INSURER_NO = insurer_no_for("999")


class NewFile(NamedTuple):
    data: bytes
    kind: str
    sha256: str


class UnionFileRejected(ValueError):
    """A city→union file the union refuses; nothing of it was taken in. Errors hold no personal number."""

    def __init__(self, file_name: str, errors: list[LineError]) -> None:
        super().__init__(f"{file_name}: {len(errors)} error(s); first: {errors[0] if errors else '-'}")
        self.file_name = file_name
        self.errors = errors


def read_new_file(
    path: Path, received: Collection[str], kinds: Collection[str], wrong_kind: str
) -> NewFile | None:
    """A file the union has not taken in before (by its SHA-256 among `received`), or None; a file whose
    kind is not one of `kinds` is refused with `wrong_kind` as the reason."""
    data = Path(path).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if sha in received:
        return None
    kind = detect_kind(data)
    if kind is None or kind not in kinds:
        raise UnionFileRejected(path.name, [LineError(path.name, 1, "file_code", wrong_kind)])
    return NewFile(data, kind, sha)


# Days before a future acquisition (typically the 75th birthday) on which its document is sent.
CERTIFICATE_LEAD_DAYS = 31


@dataclass
class DayOutput:
    insured: list[InsuredInfoRecord]
    certificates: list[CertificateIssueRecord]
    exceptions: list[AddressExceptionRecord]


def _key(municipality_code: str, addressee_no: str) -> str:
    return f"{municipality_code}:{addressee_no}"


class UnionSimulator:
    """`receive(path)` for each city→union file, then `run_day(on, out_dir)` once a day."""

    def __init__(
        self,
        state_dir: Path,
        insurer_no: str = DEFAULT_INSURER_NO,
        today: date | None = None,
        *,
        seed: int = 20260801,
        myna_registered_share: float = 0.8,
        rules: EligibilityRules = DEFAULT_RULES,
        copay_rules: CopayRules = DEFAULT_COPAY_RULES,
        certificate_rules: CertificateRules = SAITAMA_2026,
        certificate_lead_days: int = CERTIFICATE_LEAD_DAYS,
        premium_union: str | None = "saitama",
        premium_parameters: Mapping[int, Mapping[str, Any]] | None = None,
    ) -> None:
        if not is_valid_insurer_number(insurer_no):
            raise ValueError("insurer_no must be 8 digits: 39 + prefecture + serial + check digit")
        self.state_dir = Path(state_dir)
        loaded = load_state(self.state_dir)
        if loaded is not None and loaded.insurer_no != insurer_no:
            raise ValueError(f"state in {self.state_dir} belongs to insurer {loaded.insurer_no}")
        self.state = loaded or UnionState(insurer_no, seed, (today or date(2026, 4, 1)).isoformat())
        if today is not None:
            self.state.today = today.isoformat()
        self.myna_registered_share = myna_registered_share
        self.rules = rules
        self.copay_rules = copay_rules
        self.certificate_rules = certificate_rules
        self.certificate_lead_days = certificate_lead_days
        self._unsaved = False
        self._periods: dict[str, list[InsuredPeriodResult]] = {}
        self._facts: dict[str, PersonFacts | None] = {}
        self._households: dict[str, set[str]] = defaultdict(set)
        self._notes_by_key: dict[str, list[NotificationInfoRecord]] = defaultdict(list)
        for key, data in self.state.residents.items():
            self._households[self._household_of(key, data["household_no"])].add(key)
            if key not in self.state.household_history:  # a state written before the history was kept
                self.state.household_history[key] = [entry_of(record_from_json(ResidentInfoRecord, data))]
        self.household_history = HouseholdHistory(self.state.household_history)
        for data in self.state.notifications.values():
            note = record_from_json(NotificationInfoRecord, data)
            self._notes_by_key[_key(note.municipality_code, note.addressee_no)].append(note)
        # 賦課 (kouki.sandbox.union.assessment): premium_parameters = fiscal year → overrides of the preset
        self.assessment = UnionAssessment(self, union=premium_union, overrides=premium_parameters)

    @property
    def today(self) -> date:
        return date.fromisoformat(self.state.today)

    # ------------------------------------------------------------ taking files in

    def receive(self, path: Path) -> int:
        """Take in one city→union file (all or nothing). Returns the records taken in (0 if seen before)."""
        new = read_new_file(
            path, self.state.received, CITY_TO_UNION, "市町村→広域連合のファイルではありません"
        )
        if new is None:
            return 0
        data, kind, sha = new
        parsers: dict[str, Any] = {
            "resident-info": parse_resident_info,
            "non-resident-info": parse_non_resident_info,
            "notification-info": parse_notification_info,
            "income-info": parse_income_info,
        }
        parsed = parsers[kind](data, path.name)
        if parsed.errors:
            raise UnionFileRejected(path.name, parsed.errors)
        for record in parsed.records:
            self._take(record)
        self.state.received.append(sha)
        self._unsaved = True  # written once by run_day (or save()): rewriting the state per file was slow
        return len(parsed.records)

    def save(self) -> None:
        """Write the state now (run_day does it; a caller that only receives calls this)."""
        save_state(self.state_dir, self.state)
        self._unsaved = False

    def _household_of(self, key: str, household_no: str) -> str:
        return f"{key.split(':', 1)[0]}:{household_no}"

    def _mark(self, key: str) -> None:
        self.state.dirty.append(key)
        self._facts.pop(key, None)
        self._periods.pop(key, None)

    def _mark_household(self, key: str) -> None:
        data = self.state.residents.get(key)
        members = (
            self._households.get(self._household_of(key, data["household_no"]), set()) if data else set()
        )
        for member in {key, *members}:
            self.state.dirty.append(member)

    def _take(self, record: object) -> None:
        if isinstance(record, ResidentInfoRecord):
            key = _key(record.municipality_code, record.addressee_no)
            self._mark_household(key)  # the household it leaves
            old = self.state.residents.get(key)
            if old is not None:
                self._households[self._household_of(key, old["household_no"])].discard(key)
            self.state.residents[key] = record_to_json(record)
            self._households[self._household_of(key, record.household_no)].add(key)
            self.household_history.record(key, record)
            start = record.resident_since
            end = None if record.status.value == "1" else record.status_date
            kept = {
                s: v
                for s, v in self.state.residences.get(key, {}).items()
                if not _overlaps(date.fromisoformat(s), _opt(v[0]), start, end)
            }
            # [end, 転出先都道府県コード]: the destination decides the 高確法 §53① proviso
            # (facts.person_facts)
            kept[start.isoformat()] = [end.isoformat() if end else None, record.moved_to_prefecture or None]
            self.state.residences[key] = kept
            if record.personal_number:
                self.state.links[self._hash_number(record.personal_number)] = key
            self._mark(key)
            self._mark_household(key)  # the household it joins
        elif isinstance(record, NonResidentInfoRecord):
            key = _key(record.municipality_code, record.addressee_no)
            self.state.nonresidents[key] = record_to_json(record)
            if record.personal_number:
                self.state.links[self._hash_number(record.personal_number)] = key
            self._mark(key)
        elif isinstance(record, NotificationInfoRecord):
            key = _key(record.municipality_code, record.addressee_no)
            previous = self.state.notifications.get(record.notification_no)
            if previous is not None:
                old_key = _key(previous["municipality_code"], previous["addressee_no"])
                self._notes_by_key[old_key] = [
                    n for n in self._notes_by_key[old_key] if n.notification_no != record.notification_no
                ]
                self._mark(old_key)
            self.state.notifications[record.notification_no] = record_to_json(record)
            self._notes_by_key[key].append(record)
            if record.kind == NotificationKind.CERTIFICATE_APPLICATION and key not in self.state.applied:
                self.state.applied.append(key)
            self._mark(key)
            self._mark_household(key)
        elif isinstance(record, IncomeInfoRecord):
            key = _key(record.municipality_code, record.addressee_no)
            self.state.incomes.setdefault(key, {})[str(record.income_year)] = record_to_json(record)
            self._mark_household(key)

    def _hash_number(self, number: str) -> str:
        return hashlib.sha256(f"{self.state.insurer_no}:{number}".encode()).hexdigest()

    # ------------------------------------------------------------ deciding

    def facts(self, key: str) -> PersonFacts | None:
        if key not in self._facts:
            resident = self.state.residents.get(key)
            nonresident = self.state.nonresidents.get(key)
            self._facts[key] = person_facts(
                key,
                record_from_json(ResidentInfoRecord, resident) if resident else None,
                self.state.residences.get(key, {}),
                record_from_json(NonResidentInfoRecord, nonresident) if nonresident else None,
                self._notes_by_key.get(key, []),
                union_prefecture=self.state.insurer_no[2:4],
            )
        return self._facts[key]

    def periods(self, key: str) -> list[InsuredPeriodResult]:
        """The union's current decision for one addressee (`municipality:addressee`)."""
        if key not in self._periods:
            facts = self.facts(key)
            self._periods[key] = insured_periods(facts, self.rules) if facts is not None else []
        return self._periods[key]

    def known_keys(self) -> set[str]:
        return set(self.state.residents) | set(self.state.nonresidents) | set(self._notes_by_key)

    def myna_status(self, key: str) -> MynaStatus:
        """Deterministic per person and seed: about `myna_registered_share` hold a usable マイナ保険証."""
        digest = hashlib.sha256(f"{self.state.seed}:{key}".encode()).digest()
        if int.from_bytes(digest[:4], "big") / 2**32 < self.myna_registered_share:
            return MynaStatus.REGISTERED
        return _OTHER_STATUSES[digest[4] % len(_OTHER_STATUSES)]

    def _insured_no(self, key: str, generation: int) -> str:
        numbers = self.state.numbers.setdefault(key, {})
        if str(generation) not in numbers:
            base = f"{self.state.next_serial:07d}"
            self.state.next_serial += 1
            numbers[str(generation)] = base + str(mod10_weight21_check_digit(base))
        return numbers[str(generation)]

    def numbered_periods(self, key: str) -> list[tuple[InsuredPeriodResult, str]]:
        """Periods with their insured numbers: a new number only on re-entry after moving out of the area."""
        out: list[tuple[InsuredPeriodResult, str]] = []
        generation = 0
        previous: InsuredPeriodResult | None = None
        for p in self.periods(key):
            if (
                previous is not None
                and previous.loss_reason == LossReason.MOVE_OUT
                and p.acquisition_reason == AcquisitionReason.MOVE_IN
            ):
                generation += 1
            out.append((p, self._insured_no(key, generation)))
            previous = p
        return out

    def household_members(self, key: str) -> set[str]:
        data = self.state.residents.get(key)
        if data is None:
            return {key}
        return self._households.get(self._household_of(key, data["household_no"]), set()) | {key}

    def household_on(self, key: str, day: date) -> dict[str, bool]:
        """Person key → 世帯主 for everyone in the person's household on `day`, per the 異動日 of the
        住民基本台帳情報 received (kouki.sandbox.union.households); the person alone when in none."""
        return self.household_history.members_on(key, day)

    def housemates(self, key: str) -> set[str]:
        """Everyone who shared a household with the person at some time known to the union."""
        return self.household_history.housemates(key)

    def resident(self, key: str) -> Mapping[str, Any] | None:
        """The latest 住民基本台帳情報 of a person (as JSON values), or None."""
        return self.state.residents.get(key)

    def person(self, key: str) -> Mapping[str, Any] | None:
        """The latest 住民基本台帳情報, else 住登外登録情報, of a person (as JSON values), or None."""
        return self.state.residents.get(key) or self.state.nonresidents.get(key)

    def income_items(self, key: str, income_year: int) -> Mapping[str, Any]:
        """The 所得・課税情報 of a person for an income year (as JSON values); empty when none came."""
        return self.state.incomes.get(key, {}).get(str(income_year), {})

    def _copay_member(self, key: str, year: int, *, insured: bool) -> MemberIncome | None:
        """A household member for the co-payment judgement; None when no birth date is known."""
        person = self.person(key)
        if person is None or not person.get("birth_date"):
            return None
        birth = date.fromisoformat(person["birth_date"])
        data = self.state.incomes.get(key, {}).get(str(year))
        if data is None:
            return MemberIncome(key, birth, 0, 0, 0, 0, insured)
        r = record_from_json(IncomeInfoRecord, data)
        # The 所得・課税情報 file carries no dependant counts: the 19歳未満 deduction is not applied
        # here (ADR 0006 §2).
        return MemberIncome(
            key, birth, r.public_pension_revenue, r.salary_revenue, r.other_income, r.taxable_income, insured
        )

    def copay_rate(self, key: str, on: date) -> int:
        year = income_year_for(on, self.copay_rules)
        household = sorted(self.household_members(key) | {key})
        members = []
        for m in household:
            insured = m == key or any(p.covers(on) for p in self.periods(m))
            member = self._copay_member(m, year, insured=insured)
            if member is not None:
                members.append(member)
        return household_copay(members, on=on, rules=self.copay_rules).rate

    def _insured_record(self, key: str, p: InsuredPeriodResult, number: str, on: date) -> InsuredInfoRecord:
        day = max(on, p.start)
        if p.end is not None and day >= p.end:
            day = p.end - ONE_DAY
        facts = self.facts(key)
        exception = facts is not None and any(s.covers(day) for s in facts.exception_out)
        municipality, addressee = key.split(":", 1)
        return InsuredInfoRecord(
            municipality_code=municipality,
            addressee_no=addressee,
            insured_no=number,
            insurer_no=self.state.insurer_no,
            acquired_on=p.start,
            acquisition_reason=p.acquisition_reason,
            lost_on=p.end,
            loss_reason=p.loss_reason,
            copay_rate=self.copay_rate(key, day),
            copay_from=max(p.start, rate_year_start(day, self.copay_rules)),
            address_exception=exception,
            decided_on=on,
        )

    def _person_items(self, key: str) -> dict[str, Any] | None:
        data = self.state.residents.get(key) or self.state.nonresidents.get(key)
        if data is None:
            return None
        names = ("family_name", "given_name", "family_name_kana", "given_name_kana", "sex", "birth_date")
        items = {n: data[n] for n in names}
        items["postal_code"] = data["postal_code"]
        items["address"] = data["address"]
        return items

    def run_day(self, on: date, out_dir: Path) -> list[Path]:
        """Decide for `on` and write the three union→city files per municipality (only what changed)."""
        renewal = (on.month, on.day) == (
            self.certificate_rules.renewal_month,
            self.certificate_rules.renewal_day,
        )
        if renewal or self.state.last_run is None:
            dirty = self.known_keys()
        else:
            dirty = set(self.state.dirty)
        horizon = on + timedelta(days=self.certificate_lead_days)
        dirty |= {k for k, start in self.state.upcoming.items() if date.fromisoformat(start) <= horizon}
        for key in list(dirty):
            self._periods.pop(key, None)
            self._facts.pop(key, None)
        output: dict[str, DayOutput] = defaultdict(lambda: DayOutput([], [], []))
        for key in sorted(dirty):
            municipality = key.split(":", 1)[0]
            out = output[municipality]
            numbered = self.numbered_periods(key)
            out.insured.extend(self._changed_periods(key, numbered, on))
            out.exceptions.extend(self._changed_exceptions(key, numbered, on))
            certificate = self._certificate(key, numbered, on, renewal)
            if certificate is not None:
                out.certificates.append(certificate)
        municipalities = sorted({k.split(":", 1)[0] for k in self.known_keys()} | set(output))
        paths: list[Path] = []
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        for municipality in municipalities:
            day = output[municipality]
            for kind, data in (
                (
                    "insured-info",
                    dump_insured_info(day.insured, created_on=on, municipality_code=municipality),
                ),
                (
                    "certificate-issue",
                    dump_certificate_issue(day.certificates, created_on=on, municipality_code=municipality),
                ),
                (
                    "address-exception",
                    dump_address_exception(day.exceptions, created_on=on, municipality_code=municipality),
                ),
            ):
                path = out_dir / union_file_name(kind, municipality, on)
                path.write_bytes(data)
                paths.append(path)
        paths.extend(self.assessment.run_day(on, dirty, out_dir))  # 保険料情報 (当初 in July, 更正 monthly)
        self.state.dirty = []
        self.state.last_run = on.isoformat()
        self.state.today = on.isoformat()
        save_state(self.state_dir, self.state)
        return paths

    def _changed_periods(
        self, key: str, numbered: list[tuple[InsuredPeriodResult, str]], on: date
    ) -> list[InsuredInfoRecord]:
        sent = self.state.sent_insured.setdefault(key, {})
        out: list[InsuredInfoRecord] = []
        current: set[str] = set()
        horizon = on + timedelta(days=self.certificate_lead_days)
        for p, number in numbered:
            if p.start > horizon and p.start.isoformat() not in sent:
                continue  # decided when it comes near (state.upcoming), like its certificate
            record = self._insured_record(key, p, number, on)
            fingerprint = _fingerprint(record)
            current.add(p.start.isoformat())
            if sent.get(p.start.isoformat()) != fingerprint:
                sent[p.start.isoformat()] = fingerprint
                out.append(record)
        for start in sorted(set(sent) - current):
            old = record_from_json(
                InsuredInfoRecord, dict(zip(_FINGERPRINT_FIELDS, sent.pop(start), strict=True))
            )
            if old.lost_on == old.acquired_on:
                continue
            out.append(replace(old, lost_on=old.acquired_on, loss_reason=LossReason.OTHER, decided_on=on))
        return out

    def _changed_exceptions(
        self, key: str, numbered: list[tuple[InsuredPeriodResult, str]], on: date
    ) -> list[AddressExceptionRecord]:
        facts = self.facts(key)
        if facts is None or not numbered:
            return []
        sent = self.state.sent_exception.setdefault(key, {})
        out: list[AddressExceptionRecord] = []
        notes = {n.notification_no: n for n in self._notes_by_key.get(key, [])}
        municipality, addressee = key.split(":", 1)
        for span in facts.exception_out:
            number = next((n for p, n in numbered if p.covers(span.start)), numbered[-1][1])
            note = notes.get(span.event_id)
            record = AddressExceptionRecord(
                municipality, addressee, number, note.facility_name if note else "施設",
                note.facility_address if note else "", span.start, span.end,
            )  # fmt: skip
            value = record_to_json(record)
            if sent.get(span.start.isoformat()) != value:
                sent[span.start.isoformat()] = value
                out.append(record)
        return out

    def _certificate(
        self, key: str, numbered: list[tuple[InsuredPeriodResult, str]], on: date, renewal: bool
    ) -> CertificateIssueRecord | None:
        chosen = next(((p, n) for p, n in numbered if p.covers(on)), None)
        if chosen is None:
            chosen = next(((p, n) for p, n in numbered if p.start > on), None)
        items = self._person_items(key)
        if chosen is None or items is None:
            self.state.upcoming.pop(key, None)
            return None
        p, number = chosen
        if p.start > on + timedelta(days=self.certificate_lead_days):
            # The document for a future acquisition (e.g. the 75th birthday) goes out in the weeks
            # before it, not years ahead: remember the date and decide again when it comes near.
            self.state.upcoming[key] = p.start.isoformat()
            return None
        self.state.upcoming.pop(key, None)
        valid_from = max(on, p.start)
        applied = key in self.state.applied
        birth = date.fromisoformat(items["birth_date"])
        kind = certificate_kind(
            birth_date=birth, on=valid_from, myna=self.myna_status(key), applied=applied,
            rules=self.certificate_rules,
        )  # fmt: skip
        rate = self.copay_rate(key, valid_from)
        printed = [kind.value, number, p.start.isoformat(), rate, *items.values()]
        last = self.state.sent_certificate.get(key)
        if renewal and p.covers(on):
            reason = CertificateReason.RENEWAL
        elif last is None or last[2] != p.start.isoformat():
            reason = CertificateReason.NEW
        elif applied and last[0] != CertificateKind.CERTIFICATE.value and kind == CertificateKind.CERTIFICATE:
            reason = CertificateReason.APPLICATION
        elif last != printed:
            reason = CertificateReason.CHANGE
        else:
            return None
        self.state.sent_certificate[key] = printed
        until = valid_until(valid_from, self.certificate_rules)
        if p.end is not None:
            until = min(until, p.end - ONE_DAY)
        municipality, addressee = key.split(":", 1)
        return CertificateIssueRecord(
            municipality_code=municipality,
            addressee_no=addressee,
            kind=kind,
            reason=reason,
            insured_no=number,
            insurer_no=self.state.insurer_no,
            family_name=items["family_name"],
            given_name=items["given_name"],
            family_name_kana=items["family_name_kana"],
            given_name_kana=items["given_name_kana"],
            sex=items["sex"],
            birth_date=birth,
            postal_code=items["postal_code"],
            address=items["address"],
            acquired_on=p.start,
            copay_rate=rate,
            valid_from=valid_from,
            valid_until=until,
            limit_category="",
            issued_on=on,
        )


_FINGERPRINT_FIELDS = (
    "municipality_code", "addressee_no", "insured_no", "insurer_no", "acquired_on", "acquisition_reason",
    "lost_on", "loss_reason", "copay_rate", "copay_from", "address_exception", "decided_on",
)  # fmt: skip


def _fingerprint(record: InsuredInfoRecord) -> list[Any]:
    """What the city holds of a period (decided_on kept for the cancel record, compared without it)."""
    data = record_to_json(record)
    return [data[f] if f != "decided_on" else None for f in _FINGERPRINT_FIELDS]


def _opt(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _overlaps(a_start: date, a_end: date | None, b_start: date, b_end: date | None) -> bool:
    """Inclusive intervals (None: open) share a day."""
    return (a_end is None or b_start <= a_end) and (b_end is None or a_start <= b_end)
