"""The simulated union: only files cross; decisions follow kouki.rules; only changes are sent back."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kouki.interfaces.union.address_exception import parse_address_exception
from kouki.interfaces.union.certificate_issue import parse_certificate_issue
from kouki.interfaces.union.files import union_file_name
from kouki.interfaces.union.income_info import dump_income_info
from kouki.interfaces.union.insured_info import dump_insured_info, parse_insured_info
from kouki.interfaces.union.notification_info import dump_notification_info
from kouki.interfaces.union.records import (
    AcquisitionReason,
    CertificateKind,
    CertificateReason,
    IncomeInfoRecord,
    LossReason,
    NotificationInfoRecord,
    NotificationKind,
    ResidentInfoRecord,
    ResidentStatus,
)
from kouki.interfaces.union.resident_info import dump_resident_info
from kouki.rules.numbers import is_valid_insured_number
from kouki.sandbox.union import DEFAULT_INSURER_NO, UnionFileRejected, UnionSimulator, insurer_no_for
from kouki.sandbox.union.__main__ import main

CITY = "11100"


def resident(addressee: str, birth: date, household: str = "500001", **kw: Any) -> ResidentInfoRecord:
    base = ResidentInfoRecord(
        CITY, addressee, household, True, "世帯主", "浦和", "一郎", "ウラワ", "イチロウ", "1", birth,
        "3300061", "さいたま市浦和区常盤６丁目４番４号", ResidentStatus.RESIDENT, None, date(1980, 4, 1),
        date(2026, 6, 1), "",
    )  # fmt: skip
    return dataclasses.replace(base, **kw)


def note(
    no: str, kind: NotificationKind, addressee: str, effective: date, **kw: Any
) -> NotificationInfoRecord:
    base = NotificationInfoRecord(CITY, no, kind, addressee, effective, effective, "", "", "")
    return dataclasses.replace(base, **kw)


class Union:
    """A simulator with helpers to send files and read the day's answers."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.sim = UnionSimulator(tmp / "state", DEFAULT_INSURER_NO, date(2026, 6, 1))
        self.n = 0

    def send(self, data: bytes) -> int:
        self.n += 1
        path = self.tmp / f"in-{self.n}.dat"
        path.write_bytes(data)
        return self.sim.receive(path)

    def day(self, on: date) -> dict[str, list[Any]]:
        out = self.tmp / "out" / on.isoformat()
        paths = self.sim.run_day(on, out)
        assert [p.name for p in paths] == [
            union_file_name(k, CITY, on) for k in ("insured-info", "certificate-issue", "address-exception")
        ]
        result: dict[str, list[Any]] = {}
        for path, parse in zip(paths, (parse_insured_info, parse_certificate_issue, parse_address_exception),
                               strict=True):  # fmt: skip
            parsed = parse(path.read_bytes(), path.name)
            assert parsed.errors == []
            result[path.name.split("_")[1]] = parsed.records
        return result


@pytest.fixture
def union(tmp_path: Path) -> Union:
    return Union(tmp_path)


def test_age_acquisition_numbers_certificates_and_only_changes(union: Union) -> None:
    old = resident("1001", date(1930, 3, 3))
    soon = resident("1002", date(1951, 8, 20), is_householder=False, relationship="妻", sex="2")
    assert union.send(dump_resident_info([old, soon])) == 2
    first = union.day(date(2026, 7, 1))
    periods = {r.addressee_no: r for r in first["insured-info"]}
    assert periods["1001"].acquired_on == date(2008, 4, 1) and periods["1001"].lost_on is None
    # the 75th birthday is 50 days away: not decided yet (nor for a toddler decades ahead)
    assert "1002" not in periods
    certificates = {r.addressee_no: r for r in first["certificate-issue"]}
    assert certificates["1001"].kind == CertificateKind.CERTIFICATE  # interim: everyone
    assert certificates["1001"].reason == CertificateReason.NEW
    assert certificates["1001"].valid_until == date(2026, 7, 31)
    assert "1002" not in certificates  # the birthday is 50 days away: its document is not due yet
    # nothing received → nothing changed
    assert union.day(date(2026, 7, 2)) == {
        "insured-info": [],
        "certificate-issue": [],
        "address-exception": [],
    }
    # CERTIFICATE_LEAD_DAYS (31) before the 75th birthday the period is decided and its document goes
    # out, once
    near = union.day(date(2026, 7, 20))
    periods |= {r.addressee_no: r for r in near["insured-info"]}
    assert set(periods) == {"1001", "1002"}
    assert periods["1002"].acquired_on == date(2026, 8, 20)
    assert periods["1002"].acquisition_reason == AcquisitionReason.AGE
    assert all(is_valid_insured_number(r.insured_no) for r in periods.values())
    assert periods["1001"].insured_no != periods["1002"].insured_no
    assert {r.insurer_no for r in periods.values()} == {DEFAULT_INSURER_NO}
    due = {r.addressee_no: r for r in near["certificate-issue"]}
    assert set(due) == {"1002"}
    assert due["1002"].valid_from == date(2026, 8, 20)  # issued ahead of the birthday
    assert due["1002"].valid_until == date(2027, 7, 31)
    assert union.day(date(2026, 7, 21))["certificate-issue"] == []
    # the same file again is ignored
    assert union.send(dump_resident_info([old, soon], created_on=date(2026, 6, 1))) == 2
    assert union.send(dump_resident_info([old, soon], created_on=date(2026, 6, 1))) == 0


def test_death_loses_the_day_after_and_a_new_process_keeps_the_numbers(union: Union) -> None:
    union.send(dump_resident_info([resident("1001", date(1930, 3, 3))]))
    number = union.day(date(2026, 7, 1))["insured-info"][0].insured_no
    dead = resident("1001", date(1930, 3, 3), status=ResidentStatus.DECEASED, status_date=date(2026, 7, 10))
    union.sim = UnionSimulator(union.tmp / "state", DEFAULT_INSURER_NO)  # state is in its directory only
    union.send(dump_resident_info([dead]))
    [record] = union.day(date(2026, 7, 11))["insured-info"]
    assert (record.lost_on, record.loss_reason, record.insured_no == number) == (
        date(2026, 7, 11), LossReason.DEATH, True,
    )  # fmt: skip


# 高確法 §53① proviso (https://www.wel.ne.jp/doc/feature/healthcare/kouki3/2.html: "住民でなくなった日に他の
# 広域連合の住民になったときは当日"): the union reads the destination from 転出先都道府県コード; its own
# prefecture is digits 3–4 of its 保険者番号 (11 埼玉県).
@pytest.mark.parametrize(
    ("destination", "lost_on"),
    [
        ("13", date(2026, 6, 30)),  # 東京都: another union's area → lost on the move-out day
        ("", date(2026, 7, 1)),  # abroad or unknown → the day after
        ("11", date(2026, 7, 1)),  # another city of Saitama: not another union's area → the day after
    ],
)
def test_a_move_out_to_another_prefecture_loses_on_the_move_out_day(
    union: Union, destination: str, lost_on: date
) -> None:
    union.send(dump_resident_info([resident("1001", date(1930, 3, 3))]))
    union.day(date(2026, 6, 2))
    moved = resident(
        "1001", date(1930, 3, 3), status=ResidentStatus.MOVED_OUT, status_date=date(2026, 6, 30),
        changed_on=date(2026, 6, 30), moved_to_prefecture=destination,
    )  # fmt: skip
    union.send(dump_resident_info([moved]))
    [record] = union.day(date(2026, 7, 1))["insured-info"]
    assert (record.lost_on, record.loss_reason) == (lost_on, LossReason.MOVE_OUT)


# 高確法 §53①: "第五十条第二号の状態に該当しなくなつた日 … の翌日" — the withdrawal's 効力発生日 is the
# 該当しなくなった日 (WAM NET: "障害を有する状態でなくなった日の翌日").
def test_a_disability_withdrawal_loses_the_day_after(union: Union) -> None:
    union.send(dump_resident_info([resident("1001", date(1955, 3, 3))]))  # 71 in 2026
    union.send(
        dump_notification_info(
            [
                note("D-1", NotificationKind.DISABILITY_CERTIFICATION, "1001", date(2025, 4, 1)),
                note("D-2", NotificationKind.DISABILITY_WITHDRAWAL, "1001", date(2026, 6, 30)),
            ]
        )
    )
    records = union.day(date(2026, 7, 1))["insured-info"]
    assert [(r.acquired_on, r.lost_on, r.loss_reason) for r in records] == [
        (date(2025, 4, 1), date(2026, 7, 1), LossReason.DISABILITY_WITHDRAWN),  # June still insured
    ]
    # and again from the 75th birthday, decided in the weeks before it (CERTIFICATE_LEAD_DAYS)
    assert union.day(date(2030, 1, 15))["insured-info"] == []
    [again] = union.day(date(2030, 2, 15))["insured-info"]
    assert (again.acquired_on, again.lost_on, again.loss_reason) == (date(2030, 3, 3), None, None)


def test_public_assistance_retroactively_splits_the_period(union: Union) -> None:
    union.send(dump_resident_info([resident("1001", date(1930, 3, 3))]))
    union.day(date(2026, 7, 1))
    union.send(
        dump_notification_info(
            [
                note("PA-1", NotificationKind.PUBLIC_ASSISTANCE_START, "1001", date(2026, 5, 1)),
                note("PA-2", NotificationKind.PUBLIC_ASSISTANCE_END, "1001", date(2026, 6, 15)),
            ]
        )
    )
    records = union.day(date(2026, 7, 2))["insured-info"]
    assert [(r.acquired_on, r.lost_on, r.acquisition_reason, r.loss_reason) for r in records] == [
        (date(2008, 4, 1), date(2026, 5, 1), AcquisitionReason.OTHER, LossReason.PUBLIC_ASSISTANCE),
        (date(2026, 6, 15), None, AcquisitionReason.PUBLIC_ASSISTANCE_END, None),
    ]
    assert records[0].insured_no == records[1].insured_no


def test_a_cancelled_period_is_sent_with_lost_on_equal_to_acquired_on(union: Union) -> None:
    union.send(dump_resident_info([resident("1001", date(1930, 3, 3), resident_since=date(2026, 6, 20))]))
    [first] = union.day(date(2026, 7, 1))["insured-info"]
    assert first.acquired_on == date(2026, 6, 20)
    # a correction: the person had lived here since 1980 (the period now starts on 2008-04-01)
    union.send(dump_resident_info([resident("1001", date(1930, 3, 3), resident_since=date(1980, 4, 1))]))
    records = union.day(date(2026, 7, 2))["insured-info"]
    assert sorted((r.acquired_on, r.lost_on) for r in records) == [
        (date(2008, 4, 1), None),
        (date(2026, 6, 20), date(2026, 6, 20)),
    ]


def test_address_exception_out_stays_insured_and_is_reported(union: Union) -> None:
    moved = resident("1001", date(1930, 3, 3), status=ResidentStatus.MOVED_OUT, status_date=date(2026, 6, 30))
    union.send(dump_resident_info([moved]))
    union.send(
        dump_notification_info(
            [
                note(
                    "AE-1",
                    NotificationKind.ADDRESS_EXCEPTION_START,
                    "1001",
                    date(2026, 7, 1),
                    facility_name="特別養護老人ホーム桜",
                    facility_address="東京都練馬区１－２",
                )
            ]
        )
    )
    answer = union.day(date(2026, 7, 1))
    [period] = answer["insured-info"]
    assert period.lost_on is None and period.address_exception is True
    [exception] = answer["address-exception"]
    assert (exception.facility_name, exception.exception_from, exception.insured_no) == (
        "特別養護老人ホーム桜", date(2026, 7, 1), period.insured_no,
    )  # fmt: skip


def test_address_exception_in_is_not_insured_here(union: Union) -> None:
    union.send(dump_resident_info([resident("1001", date(1930, 3, 3), resident_since=date(2026, 6, 1))]))
    union.send(
        dump_notification_info(
            [
                note(
                    "AE-9",
                    NotificationKind.ADDRESS_EXCEPTION_IN_START,
                    "1001",
                    date(2026, 6, 1),
                    facility_name="介護老人保健施設",
                )
            ]
        )
    )
    assert union.day(date(2026, 7, 1))["insured-info"] == []


def _incomes(a: int, b: int, taxable_a: int) -> bytes:
    return dump_income_info(
        [
            IncomeInfoRecord(CITY, "1001", 2025, a, 0, 0, taxable_a, True),
            IncomeInfoRecord(CITY, "1002", 2025, b, 0, 0, 0, True),
        ]
    )


def test_household_copay_is_recalculated_on_august_1(union: Union) -> None:
    union.send(
        dump_resident_info(
            [
                resident("1001", date(1930, 3, 3)),
                resident("1002", date(1941, 1, 1), is_householder=False, relationship="妻", sex="2"),
            ]
        )
    )
    union.day(date(2026, 7, 1))
    # 2025 income: 課税所得 30万 and 200万 + 130万 ≥ 320万 → 2割 for both, from 2026-08-01
    union.send(_incomes(2_000_000, 1_300_000, 300_000))
    july = union.day(date(2026, 7, 2))
    assert july["insured-info"] == []  # July still uses the 2024 income (none → 1割)
    august = union.day(date(2026, 8, 1))
    assert {(r.addressee_no, r.copay_rate, r.copay_from) for r in august["insured-info"]} == {
        ("1001", 20, date(2026, 8, 1)), ("1002", 20, date(2026, 8, 1)),
    }  # fmt: skip
    renewal = {r.addressee_no: r for r in august["certificate-issue"]}
    assert {r.reason for r in renewal.values()} == {CertificateReason.RENEWAL}
    assert {r.valid_until for r in renewal.values()} == {date(2027, 7, 31)}
    assert all(r.copay_rate == 20 for r in renewal.values())
    # both are 85 or over on 2026-08-01 → 資格確認書 whatever their マイナ保険証
    assert {r.kind for r in renewal.values()} == {CertificateKind.CERTIFICATE}


def test_certificate_kind_follows_the_myna_status_and_an_application(union: Union) -> None:
    people = [resident(f"2{i:03d}", date(1950, 1, 1), household=f"6{i:05d}") for i in range(200)]
    union.send(dump_resident_info(people))
    union.day(date(2026, 7, 31))
    august = union.day(date(2026, 8, 1))["certificate-issue"]
    notices = [r for r in august if r.kind == CertificateKind.NOTICE]
    share = len(notices) / len(august)
    assert 0.65 < share < 0.95  # about 80 % hold a マイナ保険証 (seeded, deterministic)
    assert all(union.sim.myna_status(f"{CITY}:{r.addressee_no}").value == "registered" for r in notices)
    applicant = notices[0].addressee_no
    union.send(dump_notification_info([note("APP-1", NotificationKind.CERTIFICATE_APPLICATION, applicant,
                                            date(2026, 8, 3))]))  # fmt: skip
    [issued] = union.day(date(2026, 8, 3))["certificate-issue"]
    assert (issued.addressee_no, issued.kind, issued.reason) == (
        applicant, CertificateKind.CERTIFICATE, CertificateReason.APPLICATION,
    )  # fmt: skip
    again = union.day(date(2027, 8, 1))["certificate-issue"]
    assert next(r for r in again if r.addressee_no == applicant).kind == CertificateKind.CERTIFICATE


def test_a_bad_file_is_rejected_and_changes_nothing(union: Union) -> None:
    good = dump_resident_info([resident("1001", date(1930, 3, 3))])
    bad = good.replace(b"19300303", b"19301303")
    with pytest.raises(UnionFileRejected) as info:
        union.send(bad)
    assert [(e.line, e.field) for e in info.value.errors] == [(2, "birth_date")]
    assert union.sim.known_keys() == set()
    with pytest.raises(UnionFileRejected):
        union.send(dump_insured_info([], municipality_code=CITY))  # a union→city file


def test_insurer_number_is_checked_and_tied_to_the_state(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        UnionSimulator(tmp_path, "39111110")
    assert insurer_no_for("999") == DEFAULT_INSURER_NO
    UnionSimulator(tmp_path, DEFAULT_INSURER_NO).run_day(date(2026, 7, 1), tmp_path / "o")
    with pytest.raises(ValueError):
        UnionSimulator(tmp_path, insurer_no_for("123"))


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "resident.dat"
    path.write_bytes(dump_resident_info([resident("1001", date(1930, 3, 3))]))
    state = str(tmp_path / "state")
    assert main(["--state", state, "receive", str(path)]) == 0
    assert main(["--state", state, "run-day", "--date", "2026-07-01", "--out", str(tmp_path / "out")]) == 0
    printed = capsys.readouterr().out
    assert "resident.dat: 1 records" in printed and "KOUKI_insured-info_11100_20260701.dat" in printed
    bad = tmp_path / "bad.dat"
    bad.write_bytes(path.read_bytes().replace(b"19300303", b"19301303"))
    assert main(["--state", state, "receive", str(bad)]) == 1
