"""Issue 16 §4: a file in the wrong encoding is named as such — once, for the file — and changes nothing;
it is no longer reported as a wrong record length on every line."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from interfaces.helpers import new_number, record, table_counts
from kouki.addressees.importers import import_resident_changes
from kouki.interfaces.encodings import encoding_problem
from kouki.interfaces.importing import ImportOutcome, Outcome
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.resident_register.formats import dump_csv, dump_fixed
from kouki.privacy.context import Actor

IMPORT_TABLE = ImportRecord._meta.db_table


@pytest.mark.parametrize(
    ("data", "expected", "named"),
    [
        ("山田".encode("utf-16"), "cp932", "UTF-16"),
        ("ヤマダ 123".encode("utf-16-le"), "cp932", "UTF-16"),  # without a BOM
        ("山田".encode("utf-32"), "utf-8", "UTF-32"),
        ("髙﨑".encode(), "cp932", "UTF-8"),
        (codecs.BOM_UTF8 + b"ABC", "cp932", "UTF-8"),
        ("髙﨑,ﾀｶｻｷ".encode("cp932"), "utf-8", "CP932"),
        (b"\x00\x01\x02binary\xff", "cp932", "制御文字"),
    ],
)
def test_a_wrong_encoding_is_named(data: bytes, expected: str, named: str) -> None:
    problem = encoding_problem(data, expected)  # type: ignore[arg-type]
    assert problem is not None and named in problem


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("髙﨑 ﾀｶｻｷ ①～\r\n".encode("cp932"), "cp932"),
        (b"ASCII only\r\n", "cp932"),
        ("髙﨑,タカサキ\n".encode(), "utf-8"),
        (b"", "utf-8"),
    ],
)
def test_the_expected_encoding_passes(data: bytes, expected: str) -> None:
    assert encoding_problem(data, expected) is None  # type: ignore[arg-type]


def _run(path: Path) -> ImportOutcome:
    return import_resident_changes(actor=Actor.system("tests"), path=path, report_dir=path.parent)


def _records() -> list:  # type: ignore[type-arg]
    return [record(change_id="E1", addressee_no="901", personal_number=new_number()),
            record(change_id="E2", addressee_no="902")]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "encode", "named"),
    [
        # the fixed-width variant written in UTF-8 instead of CP932
        ("idou.dat", lambda rs: dump_fixed(rs).decode("cp932").encode("utf-8"), "UTF-8"),
        # the CSV variant written in CP932 instead of UTF-8
        ("idou.csv", lambda rs: dump_csv(rs, bom=False).decode("utf-8").encode("cp932"), "CP932"),
        # either variant in UTF-16
        ("idou.csv", lambda rs: dump_csv(rs, bom=False).decode("utf-8").encode("utf-16"), "UTF-16"),
        ("idou.dat", lambda rs: dump_fixed(rs).decode("cp932").encode("utf-16"), "UTF-16"),
    ],
)
def test_a_resident_file_in_the_wrong_encoding_is_rejected_naming_it(
    tmp_path: Path, name: str, encode: object, named: str
) -> None:
    path = tmp_path / name
    path.write_bytes(encode(_records()))  # type: ignore[operator]
    before = table_counts()
    outcome = _run(path)
    assert outcome.outcome == Outcome.REJECTED
    assert len(outcome.errors) == 1, outcome.errors  # one error for the file, not one per line
    (error,) = outcome.errors
    assert error.line == 0 and named in error.reason and "長さ" not in error.reason
    after = table_counts()
    assert after[IMPORT_TABLE] == before[IMPORT_TABLE] + 1
    assert {t: n for t, n in after.items() if t != IMPORT_TABLE} == {
        t: n for t, n in before.items() if t != IMPORT_TABLE
    }
