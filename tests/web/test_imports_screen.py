"""ファイル取込 screen (issue 11 §2): files of several kinds taken in as the signed-in member of staff, a bad
file rejected with line/field errors and nothing changed, refusal without IMPORT_FILES, the history, and
the upload's private temp file."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from factories import Staff, make_person, make_staff
from interfaces.union.samples import INSURED, INSURER

from kouki.accounts.permissions import Role
from kouki.core.audit_vocabulary import AuditAction
from kouki.eligibility.models import InsuredPeriod
from kouki.income.models import IncomeRecord
from kouki.interfaces.models import ImportRecord, ImportStatus
from kouki.interfaces.tax.income_file import dump_tax_income
from kouki.interfaces.tax.record import TaxIncomeRecord, TaxRecordKind
from kouki.interfaces.union.files import union_file_name
from kouki.interfaces.union.insured_info import dump_insured_info
from kouki.interfaces.union.records import AcquisitionReason, InsuredInfoRecord
from kouki.privacy.models import AuditEntry
from kouki.web import import_upload
from kouki.web.import_upload import clean_file_name

from .conftest import sign_in

pytestmark = pytest.mark.django_db

CITY = "11100"
URL = "/imports/"
HISTORY = "/imports/history/"


def tax(addressee: str, **kw: object) -> TaxIncomeRecord:
    base = TaxIncomeRecord(
        CITY, addressee, 2024, TaxRecordKind.INITIAL, date(2025, 6, 10), 1_800_000, 0, 0, 0, True
    )
    return dataclasses.replace(base, **kw)  # type: ignore[arg-type]


def insured(addressee: str) -> InsuredInfoRecord:
    return InsuredInfoRecord(
        municipality_code=CITY, addressee_no=addressee, insured_no=INSURED, insurer_no=INSURER,
        acquired_on=date(2020, 5, 1), acquisition_reason=AcquisitionReason.AGE, lost_on=None,
        loss_reason=None, copay_rate=10, copay_from=date(2025, 8, 1), address_exception=False,
        decided_on=date(2025, 7, 1),
    )  # fmt: skip


def upload(client: Client, kind: str, name: str, data: bytes) -> Any:
    return client.post(URL, {"kind": kind, "file": SimpleUploadedFile(name, data)})


@pytest.fixture
def admin(staff_of: Callable[[Role], Staff]) -> Staff:
    return staff_of(Role.SYSTEM_ADMIN)


@pytest.fixture
def admin_client(admin: Staff) -> Client:
    return sign_in(Client(), admin.user)


def test_the_url_names_and_the_menu_entry(admin_client: Client) -> None:
    assert reverse("web:import_upload") == URL and reverse("web:import_history") == HISTORY
    menu = admin_client.get("/").content.decode()
    assert "ファイル取込" in menu and f'href="{URL}"' in menu


def test_files_of_two_kinds_are_taken_in_as_the_signed_in_member_of_staff(
    admin: Staff, admin_client: Client
) -> None:
    taro = make_person(addressee_no="000400001")
    jiro = make_person(addressee_no="000400002")
    page = admin_client.get(URL).content.decode()
    assert "住基異動" in page and "特別徴収結果" in page and "広域連合からの資格情報" in page

    data = dump_tax_income([tax("000400001"), tax("000400002")], created_on=date(2025, 6, 10))
    got = upload(admin_client, "tax-income", "tax-20250610.dat", data)
    body = got.content.decode()
    assert got.status_code == 200 and "取り込みました" in body
    assert '<td id="applied-count">2</td>' in body and "所得・課税情報の新規" in body
    assert IncomeRecord.objects.filter(person__in=[taro, jiro], income_year=2024).count() == 2

    name = union_file_name("insured-info", CITY, date(2025, 7, 1))
    got = upload(admin_client, "union-file", name, dump_insured_info([insured("000400001")],
                                                                     created_on=date(2025, 7, 1)))
    body = got.content.decode()
    assert "取り込みました" in body and '<td id="applied-count">1</td>' in body
    assert InsuredPeriod.objects.filter(person=taro).count() == 1

    records = list(ImportRecord.objects.order_by("pk"))
    assert [(r.kind, r.status, r.applied_count, r.file_name) for r in records] == [
        ("tax_income", ImportStatus.APPLIED, 2, "tax-20250610.dat"),
        ("union_insured_info", ImportStatus.APPLIED, 1, name),
    ]
    assert {r.imported_by for r in records} == {admin.user.username}
    applied = AuditEntry.objects.filter(action=AuditAction.IMPORT_APPLIED)
    assert applied.count() == 2 and set(applied.values_list("actor", flat=True)) == {admin.user.username}

    again = upload(admin_client, "tax-income", "tax-again.dat", data).content.decode()
    assert "取込済のファイルです" in again and "何も変更していません" in again
    assert ImportRecord.objects.count() == 2 and IncomeRecord.objects.count() == 2


def test_a_bad_file_is_rejected_with_line_and_field_and_nothing_changes(admin_client: Client) -> None:
    make_person(addressee_no="000400001")
    before_audit = AuditEntry.objects.count()
    data = dump_tax_income([tax("000400001"), tax("000499999")], created_on=date(2025, 6, 10))
    got = upload(admin_client, "tax-income", "tax-bad.dat", data)
    body = got.content.decode()
    assert got.status_code == 200
    assert "取り込めませんでした(不備 1件)" in body and "データは何も変更していません" in body
    errors = body.split('id="import-errors"')[1].split("</table>")[0]
    # the second data record is on line 3 (line 1 is the header); the field by its Japanese name
    assert "<td>tax-bad.dat</td><td>3</td><td>宛名番号</td>" in errors
    assert "addressee_no" not in body
    assert IncomeRecord.objects.count() == 0  # the good first line was not applied either
    [record] = ImportRecord.objects.all()
    assert record.status == ImportStatus.REJECTED and record.error_count == 1
    assert AuditEntry.objects.count() == before_audit  # a rejection's trace is its ImportRecord (IN-06)


def test_a_file_of_another_kind_is_refused_next_to_the_kind(admin_client: Client) -> None:
    data = dump_tax_income([tax("000400001")], created_on=date(2025, 6, 10))
    body = upload(admin_client, "union-file", "tax.dat", data).content.decode()
    assert "選択した種類のファイルではありません" in body and "取り込みました" not in body
    assert ImportRecord.objects.count() == 0


def test_form_errors_are_next_to_their_fields(admin_client: Client) -> None:
    body = admin_client.post(URL, {"kind": ""}).content.decode()
    assert "ファイルの種類を選択してください" in body and "取り込むファイルを選択してください" in body
    with override_settings(KOUKI_IMPORT_MAX_BYTES=10):
        body = upload(admin_client, "tax-income", "big.dat", b"1" * 11).content.decode()
    assert "ファイルが大きすぎます(上限 10バイト)" in body
    assert ImportRecord.objects.count() == 0


@pytest.mark.parametrize("role", [Role.COUNTER_CLERK, Role.NUMBER_CLERK, Role.SUPERVISOR, Role.AUDITOR])
def test_staff_without_import_files_are_refused_and_the_refusal_is_audited(
    role: Role, staff_of: Callable[[Role], Staff]
) -> None:
    make_person(addressee_no="000400001")
    user = staff_of(role).user
    client = sign_in(Client(), user)
    data = dump_tax_income([tax("000400001")], created_on=date(2025, 6, 10))
    assert upload(client, "tax-income", "tax.dat", data).status_code == 403
    assert client.get(HISTORY).status_code == 403
    assert ImportRecord.objects.count() == 0 and IncomeRecord.objects.count() == 0
    denied = AuditEntry.objects.filter(action=AuditAction.ACCESS_DENIED, actor=user.username)
    assert sorted(denied.values_list("target_id", flat=True)) == ["web:import_history", "web:import_upload"]
    assert "ファイル取込" not in client.get("/").content.decode()


def test_the_history_lists_who_when_kind_file_counts_and_result() -> None:
    admin = make_staff(Role.SYSTEM_ADMIN, username="importer01", staff_name="取込 一郎")
    admin_client = sign_in(Client(), admin.user)
    make_person(addressee_no="000400001")
    upload(admin_client, "tax-income", "tax-good.dat",
           dump_tax_income([tax("000400001")], created_on=date(2025, 6, 10)))
    upload(admin_client, "tax-income", "tax-bad.dat",
           dump_tax_income([tax("000499999")], created_on=date(2025, 6, 11)))
    body = admin_client.get(HISTORY).content.decode()
    table = body.split('id="import-history"')[1]
    rows = table.split("<tr>")[2:]
    assert len(rows) == 2
    newest, oldest = rows
    assert "tax-bad.dat" in newest and "不備により取込中止" in newest
    assert "tax-good.dat" in oldest and "取込済" in oldest
    for row in rows:
        assert "令和" in row and admin.user.staff_name in row and "個人住民税 所得・課税情報" in row
        assert "importer01" not in row  # the name, not the login id
    # 行数 (header, data, trailer), 反映件数, 不備, 警告
    assert "<td>3</td><td>1</td><td>0</td><td>0</td>" in oldest
    assert "<td>3</td><td>0</td><td>1</td><td>0</td>" in newest


def test_the_upload_waits_in_a_private_temp_file_that_is_removed(
    admin_client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_person(addressee_no="000400001")
    seen: dict[str, int] = {}
    real = import_upload.run_kind

    def spy(kind: Any, *, actor: Any, path: Path, report_dir: Path | None = None) -> Any:
        seen["file"] = stat.S_IMODE(os.stat(path).st_mode)
        seen["dir"] = stat.S_IMODE(os.stat(path.parent).st_mode)
        assert path.name == "passwd" and path.parent.parent == tmp_path
        return real(kind, actor=actor, path=path, report_dir=report_dir)

    monkeypatch.setattr(import_upload, "run_kind", spy)
    data = dump_tax_income([tax("000499999")], created_on=date(2025, 6, 10))  # rejected: writes a report
    with override_settings(KOUKI_IMPORT_UPLOAD_DIR=str(tmp_path)):
        body = upload(admin_client, "tax-income", "../../etc/passwd", data).content.decode()
    assert "取り込めませんでした" in body
    assert seen == {"file": 0o600, "dir": 0o700}
    assert list(tmp_path.iterdir()) == []  # the file and the rejection report are gone


@pytest.mark.parametrize(("sent", "kept"), [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\clerk\\住基異動_20260401.csv", "住基異動_20260401.csv"),
    ("..", "upload"),
    ("", "upload"),
    (".hidden.dat", "hidden.dat"),
    ("a\x00b\r\n.dat", "ab.dat"),
    ("x" * 300 + ".dat", "x" * 116 + ".dat"),
])  # fmt: skip
def test_file_names_are_never_trusted(sent: str, kept: str) -> None:
    assert clean_file_name(sent) == kept


def test_a_personal_number_in_a_file_name_is_masked() -> None:
    from kouki.rules.numbers import is_valid_my_number

    number = next(f"{n:011d}{c}" for n in range(10**10, 10**11) for c in range(10)
                  if is_valid_my_number(f"{n:011d}{c}"))
    assert number not in clean_file_name(f"list-{number}.csv")


def test_a_resident_file_is_taken_in_and_a_bad_one_changes_no_table_and_shows_no_number(
    admin_client: Client,
) -> None:
    from interfaces.helpers import bad_check_digit, new_number, patch_field, record, table_counts

    from kouki.interfaces.resident_register.formats import dump_fixed
    from kouki.privacy.redaction import contains_personal_number

    good = [record(change_id="W1", addressee_no="601", personal_number=new_number()),
            record(change_id="W2", addressee_no="602", relationship="妻", is_householder=False,
                   given_name="秋子", given_name_kana="アキコ", personal_number=new_number())]  # fmt: skip
    body = upload(admin_client, "resident-changes", "idou.dat", dump_fixed(good)).content.decode()
    assert '<td id="applied-count">2</td>' in body
    assert "<tr><th>個人番号を登録</th><td>2</td></tr>" in body
    assert not contains_personal_number(body)

    later = [record(change_id="W3", addressee_no="603", personal_number=new_number()),
             record(change_id="W4", addressee_no="604", personal_number=new_number())]  # fmt: skip
    wrong = bad_check_digit(new_number())
    data = patch_field(dump_fixed(later), 2, "personal_number", wrong.encode())
    data = patch_field(data, 3, "sex", b"7")
    before = table_counts()
    in_name = new_number()  # a personal number in the file name is masked wherever the name is shown
    body = upload(admin_client, "resident-changes", f"idou-{in_name}.dat", data).content.decode()
    after = table_counts()
    table = ImportRecord._meta.db_table
    assert after[table] == before[table] + 1  # the rejected attempt's record, nothing else
    assert {t: n for t, n in after.items() if t != table} == {t: n for t, n in before.items() if t != table}
    errors = body.split('id="import-errors"')[1].split("</table>")[0]
    assert "<td>2</td><td>個人番号</td>" in errors and "<td>3</td><td>性別</td>" in errors
    assert in_name not in body and not contains_personal_number(body)
    assert in_name not in ImportRecord.objects.latest("pk").file_name


def test_warnings_of_an_applied_file_are_listed(admin_client: Client) -> None:
    """A 被保険者番号 whose 8th digit is not the check digit is a warning by default (ADR 0006 §7)."""
    make_person(addressee_no="000400001")
    make_person(addressee_no="000400002")
    odd = INSURED[:7] + str((int(INSURED[7]) + 1) % 10)
    records = [insured("000400001"), dataclasses.replace(insured("000400002"), insured_no=odd)]
    name = union_file_name("insured-info", CITY, date(2025, 7, 1))
    body = upload(admin_client, "union-file", name,
                  dump_insured_info(records, created_on=date(2025, 7, 1))).content.decode()
    assert "取り込みました" in body and '<td id="applied-count">2</td>' in body
    warnings = body.split('id="import-warnings"')[1].split("</table>")[0]
    assert "警告 1件" in body and "<td>3</td><td>被保険者番号</td>" in warnings
    assert ImportRecord.objects.get().warning_count == 1
