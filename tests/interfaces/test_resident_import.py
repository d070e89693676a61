"""Taking in 住基異動 files: all or nothing, idempotent, reports without personal numbers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from interfaces.helpers import bad_check_digit, new_number, patch_field, record, table_counts
from kouki.addressees.importers import import_resident_changes
from kouki.addressees.models import ChangeEvent, Person
from kouki.cli import main
from kouki.interfaces.importing import ApplySummary, ImportOutcome, Outcome
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.resident_register.formats import dump_csv, dump_fixed
from kouki.interfaces.resident_register.record import ChangeCode, ResidentChangeRecord
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.privacy.redaction import contains_personal_number

pytestmark = pytest.mark.django_db
ACTOR = Actor.system("test import")
IMPORT_TABLE = ImportRecord._meta.db_table


def family(numbers: list[str], prefix: str = "F") -> list[ResidentChangeRecord]:
    return [
        record(change_id=f"{prefix}1", addressee_no="501", relationship="世帯主", personal_number=numbers[0]),
        record(
            change_id=f"{prefix}2",
            addressee_no="502",
            relationship="妻",
            is_householder=False,
            given_name="秋子",
            given_name_kana="アキコ",
            personal_number=numbers[1],
        ),
        record(
            change_id=f"{prefix}3",
            addressee_no="503",
            relationship="母",
            is_householder=False,
            given_name="トメ",
            given_name_kana="トメ",
            birth_date=date(1930, 1, 1),
            personal_number="",
        ),
    ]


def summary(outcome: ImportOutcome) -> ApplySummary:
    assert outcome.summary is not None
    return outcome.summary


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(path: Path, report_dir: Path | None = None) -> ImportOutcome:
    return import_resident_changes(actor=ACTOR, path=path, report_dir=report_dir)


@pytest.mark.parametrize(("name", "dump"), [("idou.dat", dump_fixed), ("idou.csv", dump_csv)])
def test_a_good_file_is_applied_in_one_go(
    tmp_path: Path, name: str, dump: Callable[[list[ResidentChangeRecord]], bytes]
) -> None:
    numbers = [new_number(), new_number()]
    outcome = run(write(tmp_path, name, dump(family(numbers))))
    assert outcome.outcome == Outcome.APPLIED
    assert summary(outcome).applied == 3
    assert summary(outcome).counts == {"pending_numbers": 0, "stored_numbers": 2}
    record_ = ImportRecord.objects.get()
    assert (record_.status, record_.applied_count, record_.kind) == ("applied", 3, "resident_changes")
    assert ChangeEvent.objects.filter(import_record=record_).count() == 3
    assert AuditEntry.objects.filter(action="import.applied", target_id=str(record_.pk)).count() == 1
    assert sorted(Person.objects.values_list("addressee_no", flat=True)) == ["501", "502", "503"]


def test_the_same_file_twice_changes_nothing_the_second_time(tmp_path: Path) -> None:
    path = write(tmp_path, "idou.dat", dump_fixed(family([new_number(), new_number()])))
    assert run(path).outcome == Outcome.APPLIED
    before = table_counts()
    again = run(path)
    assert again.outcome == Outcome.ALREADY_IMPORTED
    assert table_counts() == before


def test_one_bad_line_changes_nothing_and_the_report_names_it(tmp_path: Path) -> None:
    numbers = [new_number(), new_number()]
    assert run(write(tmp_path, "day1.dat", dump_fixed(family(numbers)))).outcome == Outcome.APPLIED
    later = [
        record(
            change_id="G1",
            addressee_no="501",
            code=ChangeCode.ADDRESS_CHANGE,
            other_address="",
            effective_date=date(2025, 6, 1),
            address="新住所",
            personal_number=new_number(),
        ),
        record(change_id="G2", addressee_no="504", personal_number=new_number()),
        record(
            change_id="G3",
            addressee_no="502",
            code=ChangeCode.DEATH,
            other_address="",
            effective_date=date(2025, 7, 1),
            personal_number=numbers[1],
        ),
    ]
    wrong = bad_check_digit(new_number())
    data = patch_field(dump_fixed(later), 3, "personal_number", wrong.encode())
    data = patch_field(data, 4, "sex", b"7")
    report_dir = tmp_path / "reports"
    before = table_counts()
    outcome = run(write(tmp_path, "day2.dat", data), report_dir)
    assert outcome.outcome == Outcome.REJECTED
    after = table_counts()
    assert after[IMPORT_TABLE] == before[IMPORT_TABLE] + 1
    assert {t: n for t, n in after.items() if t != IMPORT_TABLE} == {
        t: n for t, n in before.items() if t != IMPORT_TABLE
    }
    rejected = ImportRecord.objects.get(status="rejected")
    assert (rejected.file_name, rejected.error_count, rejected.applied_count) == ("day2.dat", 2, 0)
    report = outcome.report_path
    assert report is not None
    assert report.parent == report_dir
    text = report.read_bytes().decode("utf-8-sig")
    rows = [line.split(",") for line in text.strip().split("\r\n")]
    assert rows[0] == ["ファイル", "行", "項目", "理由"]
    assert [(r[0], r[1], r[2]) for r in rows[1:]] == [
        ("day2.dat", "3", "personal_number"),
        ("day2.dat", "4", "sex"),
    ]
    assert contains_personal_number(text) is False
    assert (wrong in text) is False


def test_a_failure_while_applying_rolls_everything_back(tmp_path: Path) -> None:
    records = [
        record(change_id="H1", addressee_no="601", personal_number=new_number()),
        record(change_id="H2", addressee_no="602", code=ChangeCode.CORRECTION, other_address=""),
    ]
    before = table_counts()
    outcome = run(write(tmp_path, "idou.csv", dump_csv(records)))
    assert outcome.outcome == Outcome.REJECTED
    assert [(e.line, e.field) for e in outcome.errors] == [(3, "addressee_no")]
    after = table_counts()
    assert after[IMPORT_TABLE] == before[IMPORT_TABLE] + 1
    assert {t: n for t, n in after.items() if t != IMPORT_TABLE} == {
        t: n for t, n in before.items() if t != IMPORT_TABLE
    }
    assert outcome.report_path is not None and outcome.report_path.parent == tmp_path


@pytest.mark.parametrize("code", [ChangeCode.DEATH, ChangeCode.MOVE_OUT, ChangeCode.ADDRESS_CHANGE,
                                  ChangeCode.HOUSEHOLD_CHANGE, ChangeCode.NAME_CHANGE, ChangeCode.CORRECTION])
@pytest.mark.parametrize("dump", [dump_csv, dump_fixed])
def test_a_change_of_an_unknown_person_is_refused_in_both_variants(
    tmp_path: Path, code: ChangeCode, dump: Any
) -> None:
    """Issue 16 §4: only 出生 (01) and 転入 (03) bring a new 宛名番号 into the register; a 転居 or 死亡 of a
    宛名番号 the city does not know used to be accepted and created a person."""
    records = [
        record(change_id="U1", addressee_no="701", personal_number=new_number()),
        record(change_id="U2", addressee_no="702", code=code,
               other_address="大阪府大阪市北区梅田一丁目" if code == ChangeCode.MOVE_OUT else ""),
    ]
    before = table_counts()
    outcome = run(write(tmp_path, "idou.csv" if dump is dump_csv else "idou.dat", dump(records)))
    assert outcome.outcome == Outcome.REJECTED
    assert [(e.line, e.field) for e in outcome.errors] == [(3, "addressee_no")]
    assert "対象となる宛名が登録されていません" in outcome.errors[0].reason
    after = table_counts()
    assert {t: n for t, n in after.items() if t != IMPORT_TABLE} == {
        t: n for t, n in before.items() if t != IMPORT_TABLE
    }


def test_a_move_in_then_a_move_within_the_city_in_one_file_is_accepted(tmp_path: Path) -> None:
    records = [
        record(change_id="V1", addressee_no="801", personal_number=new_number()),
        record(change_id="V2", addressee_no="801", code=ChangeCode.ADDRESS_CHANGE,
               effective_date=date(2025, 5, 1), notified_date=date(2025, 5, 2)),
    ]  # fmt: skip
    assert summary(run(write(tmp_path, "idou.csv", dump_csv(records)))).applied == 2


def test_a_change_already_applied_from_another_file_is_skipped(tmp_path: Path) -> None:
    first = family(["", ""])
    assert summary(run(write(tmp_path, "a.dat", dump_fixed(first[:2])))).applied == 2
    outcome = run(write(tmp_path, "b.dat", dump_fixed(first[1:])))
    assert (summary(outcome).applied, summary(outcome).skipped) == (1, 1)
    assert ChangeEvent.objects.count() == 3


def test_in04_pending_numbers_are_counted(tmp_path: Path) -> None:
    numbers = [new_number(), new_number()]
    run(write(tmp_path, "a.dat", dump_fixed(family(numbers))))
    second = [
        record(
            change_id="P1",
            addressee_no="501",
            code=ChangeCode.ADDRESS_CHANGE,
            other_address="",
            effective_date=date(2025, 6, 1),
            personal_number=new_number(),
        ),
        record(
            change_id="P2",
            addressee_no="502",
            code=ChangeCode.ADDRESS_CHANGE,
            other_address="",
            effective_date=date(2025, 6, 1),
            personal_number="",
        ),
        record(
            change_id="P3",
            addressee_no="503",
            code=ChangeCode.ADDRESS_CHANGE,
            other_address="",
            effective_date=date(2025, 6, 1),
            personal_number="",
        ),
    ]
    outcome = run(write(tmp_path, "b.dat", dump_fixed(second)))
    assert summary(outcome).counts == {"pending_numbers": 2, "stored_numbers": 0}


# ------------------------------------------------------------------ the command


@pytest.mark.usefixtures("operator")  # KOUKI_BATCH_USER: the named staff member for --as
def test_command_summary_exit_codes_and_no_numbers_in_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    numbers = [new_number(), new_number()]
    good = write(tmp_path, "idou.dat", dump_fixed(family(numbers)))
    assert main(["import", "resident-changes", str(good)]) == 0
    out = capsys.readouterr().out
    assert "applied: 3" in out and "lines: 5" in out and "pending numbers" in out
    assert contains_personal_number(out) is False

    assert main(["import", "resident-changes", str(good)]) == 4  # already imported
    assert "already imported" in capsys.readouterr().out

    wrong = bad_check_digit(new_number())
    bad_records = [record(change_id="K1", addressee_no="701", personal_number=new_number())]
    bad = write(
        tmp_path, "bad.dat", patch_field(dump_fixed(bad_records), 2, "personal_number", wrong.encode())
    )
    assert main(["import", "resident-changes", str(bad), "--report-dir", str(tmp_path / "r")]) == 1
    captured = capsys.readouterr()
    assert "report:" in captured.out and "bad.dat:2 [personal_number]" in captured.out
    assert contains_personal_number(captured.out + captured.err) is False
    assert (wrong in captured.out) is False
    assert len(list((tmp_path / "r").iterdir())) == 1

    assert main(["import", "resident-changes", str(tmp_path / "missing.dat")]) == 2
