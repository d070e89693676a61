"""The daily batch's city → union files: who is in scope, what goes out, how it is recorded."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from interfaces.helpers import new_number, record

from kouki.addressees.services import nonresident_register, resident_change_apply
from kouki.eligibility.batch import batch_daily, batch_initial
from kouki.eligibility.models import OutboundFile
from kouki.interfaces.resident_register.record import ChangeCode
from kouki.interfaces.union.income_info import parse_income_info
from kouki.interfaces.union.non_resident_info import parse_non_resident_info
from kouki.interfaces.union.records import ResidentStatus
from kouki.interfaces.union.resident_info import parse_resident_info
from kouki.privacy.audit import verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry

ACTOR = Actor.system("tests")
D0 = date(2026, 6, 1)
D1 = date(2026, 6, 2)


def _apply(n: int, addressee: str, household: str, birth: date, code: ChangeCode = ChangeCode.MOVE_IN,
           on: date = date(2020, 4, 1), head: bool = True, number: str = "",
           other_address: str = "東京都豊島区南池袋一丁目１番１号") -> None:
    resident_change_apply(actor=ACTOR, source="test", record=record(
        change_id=f"T{n:05d}", code=code, addressee_no=addressee, household_no=household, birth_date=birth,
        effective_date=on, notified_date=on, is_householder=head, relationship="世帯主" if head else "子",
        personal_number=number, other_address=other_address))


def _read(outbox: Path, kind: str, on: date) -> list:  # type: ignore[type-arg]
    path = outbox / f"KOUKI_{kind}_11100_{on:%Y%m%d}.dat"
    parser = {"resident-info": parse_resident_info, "non-resident-info": parse_non_resident_info,
              "income-info": parse_income_info}[kind]
    parsed = parser(path.read_bytes(), path.name)
    assert parsed.ok, parsed.errors
    return parsed.records


@pytest.fixture
def city() -> None:
    _apply(1, "100001", "5000001", date(1946, 3, 3), number=new_number())  # 80, householder
    _apply(2, "100002", "5000001", date(1986, 3, 3), head=False)  # son, 40
    _apply(3, "100003", "5000002", date(1970, 1, 1))  # 56, alone
    _apply(4, "100004", "5000003", date(1961, 6, 2))  # turns 65 on D1
    _apply(5, "100005", "5000004", date(1951, 7, 15))  # turns 75 in July 2026
    nonresident_register(actor=ACTOR, family_name="外山", given_name="一", family_name_kana="ソトヤマ",
                         given_name_kana="ハジメ", sex="1", birth_date=date(1950, 1, 1),
                         postal_code="1700014",
                         municipality_code="13116", address="東京都豊島区池袋一丁目1番1号",
                         registered_on=date(2025, 1, 1))


@pytest.mark.django_db
def test_initial_then_daily(city: None, tmp_path: Path) -> None:
    outbox = tmp_path / "out"
    initial = batch_initial(actor=ACTOR, on=D0, outbox=outbox)
    assert {s.kind: s.record_count for s in initial.sent} == {
        "resident-info": 3, "non-resident-info": 1, "income-info": 0}
    people = {r.addressee_no: r for r in _read(outbox, "resident-info", D0)}
    assert set(people) == {"100001", "100002", "100005"}
    assert bool(people["100001"].personal_number) and not people["100002"].personal_number
    assert people["100001"].is_householder and people["100002"].household_no == "5000001"
    [nonresident] = _read(outbox, "non-resident-info", D0)
    assert nonresident.addressee_no.startswith("9")

    # Day 1: the son moves out; the 56-year-old moves house; 100004 turns 65.
    _apply(6, "100002", "5000001", date(1986, 3, 3), code=ChangeCode.MOVE_OUT, on=D1, head=False)
    _apply(7, "100003", "5000002", date(1970, 1, 1), code=ChangeCode.ADDRESS_CHANGE, on=D1)
    daily_out = tmp_path / "d1"
    inbox = tmp_path / "in"
    inbox.mkdir()
    result = batch_daily(actor=ACTOR, on=D1, outbox=daily_out, inbox=inbox)
    people = {r.addressee_no: r for r in _read(daily_out, "resident-info", D1)}
    # H1 changed (the son left): its remaining member goes again; H2 has nobody 65+; H3 came of age
    assert set(people) == {"100001", "100002", "100004"}
    assert people["100002"].status == ResidentStatus.MOVED_OUT and people["100002"].status_date == D1
    assert people["100002"].household_no == "5000001"
    assert people["100002"].moved_to_prefecture == "13"  # 転出先住所 東京都…
    assert people["100001"].moved_to_prefecture == ""  # still a resident
    assert _read(daily_out, "non-resident-info", D1) == []
    counts = {s.kind: s.record_count for s in result.sent}
    assert counts["notification-info"] == 0
    assert OutboundFile.objects.filter(run_date=D1).count() == 5  # four union files and the staff list
    # the 年齢到達予定者 list for July: 100005, no personal numbers
    assert result.age_report is not None
    rows = list(csv.reader(io.StringIO(result.age_report.read_bytes().decode("utf-8-sig"))))
    assert [r[1] for r in rows[1:]] == ["100005"] and rows[1][0] == "2026-07-15"
    # the same day again writes nothing new
    again = batch_daily(actor=ACTOR, on=D1, outbox=daily_out, inbox=inbox)
    assert again.sent == [] and set(again.already_sent) == {
        "resident-info", "non-resident-info", "income-info", "notification-info"}
    transfer_rows = AuditEntry.objects.filter(action="personal_number.transfer").count()
    assert transfer_rows == 4  # one per registry file written (initial and day 1)
    assert list(verify_chain()) == []


# 高確法 §53① proviso: the union needs the destination's prefecture; the 住基異動 file gives only the
# 転出先住所 text, whose leading 都道府県名 names it (kouki.rules.prefectures).
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("destination", "code"),
    [
        ("東京都豊島区南池袋一丁目１番１号", "13"),  # another union's area: lost on the move-out day
        ("埼玉県川口市青木二丁目１番１号", "11"),  # the same union's area
        ("アメリカ合衆国カリフォルニア州", ""),  # abroad: no prefecture, the day after
        ("豊島区南池袋一丁目１番１号", ""),  # written without its prefecture: unknown, the day after
    ],
)
def test_a_move_out_sends_the_prefecture_of_its_destination(
    city: None, tmp_path: Path, destination: str, code: str
) -> None:
    batch_initial(actor=ACTOR, on=D0, outbox=tmp_path / "out")
    _apply(6, "100001", "5000001", date(1946, 3, 3), code=ChangeCode.MOVE_OUT, on=D1,
           other_address=destination)
    inbox = tmp_path / "in"
    inbox.mkdir()
    batch_daily(actor=ACTOR, on=D1, outbox=tmp_path / "d1", inbox=inbox)
    people = {r.addressee_no: r for r in _read(tmp_path / "d1", "resident-info", D1)}
    assert people["100001"].status == ResidentStatus.MOVED_OUT and people["100001"].status_date == D1
    assert people["100001"].moved_to_prefecture == code


@pytest.mark.django_db
@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_cli_batch_daily(city: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from kouki.cli import main

    (tmp_path / "in").mkdir()
    assert main(["batch", "initial", "--date", D0.isoformat(), "--outbox", str(tmp_path / "o0")]) == 0
    assert main(["batch", "daily", "--date", D1.isoformat(), "--outbox", str(tmp_path / "o1"),
                 "--inbox", str(tmp_path / "in")]) == 0
    out = capsys.readouterr().out
    assert "KOUKI_resident-info_11100_20260602.dat" in out and "年齢到達予定者" in out
    assert main(["batch", "daily", "--date", D1.isoformat(), "--outbox", str(tmp_path / "o1"),
                 "--inbox", str(tmp_path / "missing")]) == 2


@pytest.mark.django_db
def test_income_goes_for_members_65_and_over_and_for_their_householder_only(tmp_path: Path) -> None:
    from django.utils import timezone

    from kouki.addressees.models import Person
    from kouki.income.models import IncomeRecord

    _apply(1, "200001", "6000001", date(1976, 5, 5))  # householder, 50
    _apply(2, "200002", "6000001", date(1946, 5, 5), head=False)  # her mother, 80
    _apply(3, "200003", "6000002", date(1970, 1, 1))  # 56, alone: no one in scope in the household
    for addressee in ("200001", "200002", "200003"):
        IncomeRecord.objects.create(person=Person.objects.get(addressee_no=addressee), income_year=2025,
                                    salary_revenue=3_000_000, recorded_at=timezone.now())  # fmt: skip
    outbox = tmp_path / "out"
    batch_initial(actor=ACTOR, on=D0, outbox=outbox)
    sent = {r.addressee_no for r in _read(outbox, "income-info", D0)}
    assert sent == {"200001", "200002"}  # the reductions are judged on the householder too (domain-facts §3)
    # a later correction of the householder's income goes out the next day; the 56-year-old's never does
    for addressee in ("200001", "200003"):  # corrected as the tax import does: the row written anew
        IncomeRecord.objects.filter(person__addressee_no=addressee).delete()
        IncomeRecord.objects.create(person=Person.objects.get(addressee_no=addressee), income_year=2025,
                                    salary_revenue=2_000_000, recorded_at=timezone.now())  # fmt: skip
    inbox = tmp_path / "in"
    inbox.mkdir()
    batch_daily(actor=ACTOR, on=D1, outbox=tmp_path / "d1", inbox=inbox)
    assert {r.addressee_no for r in _read(tmp_path / "d1", "income-info", D1)} == {"200001"}
