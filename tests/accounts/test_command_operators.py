"""Every batch and import runs as a named staff member (issue 11 §2; OUT-02, SEC-13, SEC-16).

`--as USER` (or KOUKI_BATCH_USER) names an active, unlocked account whose role holds the command's
permission; otherwise the command stops before it changes anything, with a clear message and exit status 2
(no user given) or 3 (refused, audited as command.refused). The user is written in the audit rows and in
the records of what was sent, taken in or issued.
"""

from __future__ import annotations

import argparse
import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from banking.helpers import FY, debtor
from collection_factories import make_direct_plan
from conftest import OPERATOR_USERNAME
from django.utils import timezone
from factories import make_person, make_staff

from kouki.accounts.permissions import ROLE_PERMISSIONS, Perm, Role
from kouki.banking.models import DebitRun
from kouki.cli import build_parser, main
from kouki.core.audit_vocabulary import AuditAction
from kouki.eligibility.models import OutboundFile
from kouki.income.models import IncomeRecord
from kouki.interfaces.models import ImportRecord
from kouki.interfaces.tax.income_file import dump_tax_income
from kouki.interfaces.tax.record import TaxIncomeRecord, TaxRecordKind
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.slips.models import PaymentSlip
from kouki.staff.services import staff_disable

pytestmark = pytest.mark.django_db
KOUKI = Path(__file__).resolve().parents[2] / "kouki"


def tax_file(tmp_path: Path) -> Path:
    make_person(addressee_no="000400001")
    record = TaxIncomeRecord("11100", "000400001", 2024, TaxRecordKind.INITIAL, date(2025, 6, 10), 1_800_000,
                             0, 0, 0, True)
    path = tmp_path / "tax-20250610.dat"
    path.write_bytes(dump_tax_income([record], created_on=date(2025, 6, 10)))
    return path


def last_seq() -> int:
    row = AuditEntry.objects.order_by("-seq").first()
    return row.seq if row else 0


def refusals() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=AuditAction.COMMAND_REFUSED.value).order_by("seq"))


def test_without_as_the_command_stops_and_says_how(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("KOUKI_BATCH_USER", raising=False)
    path = tax_file(tmp_path)
    before = last_seq()
    assert main(["import", "tax-income", str(path)]) == 2
    err = capsys.readouterr().err
    assert "--as USER is required" in err and "KOUKI_BATCH_USER" in err and "nothing was done" in err
    assert not ImportRecord.objects.exists() and not IncomeRecord.objects.exists()
    assert last_seq() == before  # nobody to name: nothing written, not even a refusal


@pytest.mark.parametrize(("case", "reason"), [
    ("unknown", "unknown_user"), ("no_permission", "no_permission"), ("disabled", "disabled"),
    ("locked", "locked"),
])
def test_a_refused_user_changes_nothing_and_the_refusal_is_audited(
        case: str, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    username = "nobody.here"
    if case == "no_permission":
        username = make_staff(Role.COUNTER_CLERK, username="sato.hanako").user.username
    elif case in ("disabled", "locked"):
        user = make_staff(Role.SYSTEM_ADMIN, username="ops.ito").user
        username = user.username
        if case == "disabled":
            staff_disable(actor=Actor.system("tests"), username=username, reason="異動")
        else:
            user.locked_until = timezone.now() + timedelta(minutes=30)
            user.save(update_fields=["locked_until"])
    path = tax_file(tmp_path)
    assert main(["import", "tax-income", str(path), "--as", username]) == 3
    err = capsys.readouterr().err
    assert username in err and "nothing was done" in err and "interfaces.import_files" in err
    if case == "locked":  # how to unlock, with the administrator named (issue 11 §4)
        assert f"kouki staff unlock --username {username} --as 管理者のユーザー名" in err
    assert not ImportRecord.objects.exists() and not IncomeRecord.objects.exists()
    (refusal,) = refusals()
    assert refusal.actor == username and refusal.terminal_id.startswith("cli")
    assert refusal.detail == {"command": "kouki import tax-income", "permission": "interfaces.import_files",
                              "reason": reason}


def test_an_import_names_its_user_in_the_record_and_the_audit(tmp_path: Path, operator: str) -> None:
    path = tax_file(tmp_path)
    before = last_seq()
    assert main(["import", "tax-income", str(path), "--as", operator]) == 0
    record = ImportRecord.objects.get()
    assert record.imported_by == operator
    rows = list(AuditEntry.objects.filter(seq__gt=before))
    assert AuditAction.IMPORT_APPLIED.value in {r.action for r in rows}
    assert {r.actor for r in rows} == {operator} and all(r.terminal_id.startswith("cli") for r in rows)
    assert not refusals()


def test_kouki_batch_user_is_the_default_and_as_overrides_it(tmp_path: Path, operator: str,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tax_file(tmp_path)
    monkeypatch.setenv("KOUKI_BATCH_USER", "nobody.here")
    assert main(["import", "tax-income", str(path), "--as", operator]) == 0  # --as wins over the variable
    assert ImportRecord.objects.get().imported_by == operator
    monkeypatch.setenv("KOUKI_BATCH_USER", operator)
    assert main(["import", "tax-income", str(path)]) == 0  # already imported, by the variable's user
    assert refusals() == []


def test_a_file_send_names_its_user_in_the_records_and_the_audit(tmp_path: Path, operator: str) -> None:
    debtor(90_000)
    before = last_seq()
    assert main(["collect", "debit-request", "--debit-date", "2025-07-31", "--outbox", str(tmp_path / "o"),
                 "--as", operator]) == 0
    assert main(["collect", "union-files", "--date", "2025-08-12", "--outbox", str(tmp_path / "o"),
                 "--as", operator]) == 0
    assert DebitRun.objects.get().created_by == operator
    sent = list(OutboundFile.objects.all())
    assert sent and {f.created_by for f in sent} == {operator}
    rows = list(AuditEntry.objects.filter(seq__gt=before))
    assert {AuditAction.DEBIT_REQUEST_CREATE.value, AuditAction.ELIGIBILITY_OUTBOUND_FILE.value} <= {
        r.action for r in rows}
    assert {r.actor for r in rows} == {operator}


def test_a_batch_names_its_user_and_a_supervisor_may_not_run_it(tmp_path: Path, operator: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    person, plan = make_direct_plan(60_000, FY)
    supervisor = make_staff(Role.SUPERVISOR, username="chief.mori").user.username
    argv = ["collect", "slips", "--fiscal-year", str(FY), "--on", "2025-07-01", "--out", str(tmp_path / "s")]
    assert main([*argv, "--as", supervisor]) == 3  # a supervisor decides collection, but does not run batches
    assert "interfaces.run_batches" in capsys.readouterr().err
    assert not PaymentSlip.objects.exists()
    before = last_seq()
    assert main([*argv, "--as", operator]) == 0
    slips = list(PaymentSlip.objects.filter(person=person))
    assert slips and {s.issued_by for s in slips} == {operator}
    assert {r.actor for r in AuditEntry.objects.filter(seq__gt=before)} == {operator}
    assert plan.pk


# Each command that sends or takes in files, runs a batch or manages keys and accounts, with its permission
# (the table in docs/operations/batch-calendar.md).
EXPECTED: dict[tuple[str, ...], Perm] = {
    ("batch", "daily"): Perm.IMPORT_FILES,
    ("batch", "initial"): Perm.IMPORT_FILES,
    ("batch", "instalments"): Perm.RUN_BATCHES,
    ("collect", "slips"): Perm.RUN_BATCHES,
    ("collect", "debit-request"): Perm.IMPORT_FILES,
    ("collect", "refunds"): Perm.IMPORT_FILES,
    ("collect", "reminders"): Perm.RUN_BATCHES,
    ("collect", "union-files"): Perm.IMPORT_FILES,
    ("collect", "late-charges"): Perm.RUN_BATCHES,
    ("collect", "pledges"): Perm.RUN_BATCHES,
    ("collect", "instalment-file"): Perm.IMPORT_FILES,
    ("certificates", "batch"): Perm.ISSUE_CERTIFICATE,
    ("keys", "rotate"): Perm.MANAGE_KEYS,
    ("keys", "reencrypt"): Perm.MANAGE_KEYS,
    ("keys", "retire"): Perm.MANAGE_KEYS,
    ("keys", "rotate-audit"): Perm.MANAGE_KEYS,
    ("keys", "rotate-search-hash"): Perm.MANAGE_KEYS,
    ("alerts", "list"): Perm.VIEW_AUDIT,
    ("alerts", "ack"): Perm.ACKNOWLEDGE_ALERTS,
    ("alerts", "scan"): Perm.VIEW_AUDIT,
    ("keys", "export"): Perm.MANAGE_KEYS,
    ("backup", "create"): Perm.RUN_BATCHES,
    ("audit", "checkpoint"): Perm.RUN_BATCHES,
    ("audit", "monthly-report"): Perm.VIEW_AUDIT,  # the monthly review (issue 15 §1)
    ("audit", "review"): Perm.RECORD_AUDIT_REVIEW,
    ("audit", "search"): Perm.VIEW_AUDIT,  # the auditor's desk (issue 15 §1)
    ("audit", "person"): Perm.VIEW_AUDIT,
    ("staff", "create"): Perm.MANAGE_STAFF,
    ("staff", "disable"): Perm.MANAGE_STAFF,
    ("staff", "enable"): Perm.MANAGE_STAFF,
    ("staff", "unlock"): Perm.MANAGE_STAFF,
    ("staff", "reset-totp"): Perm.MANAGE_STAFF,
    ("staff", "revoke-key"): Perm.MANAGE_STAFF,
    ("staff", "seal-secrets"): Perm.MANAGE_KEYS,
    ("linkage", "list"): Perm.RUN_BATCHES,
    ("linkage", "backfill"): Perm.RUN_BATCHES,
    ("staff", "approve"): Perm.MANAGE_STAFF,
    ("staff", "reject"): Perm.MANAGE_STAFF,
    ("staff", "request-account"): Perm.REQUEST_ACCOUNTS,
    ("staff", "request-role"): Perm.REQUEST_ACCOUNTS,
    ("applications", "send"): Perm.IMPORT_FILES,
    ("applications", "medical-expenses"): Perm.IMPORT_FILES,
    ("applications", "decisions"): Perm.IMPORT_FILES,
    ("transfers", "load"): Perm.REGISTER_TRANSFERS,
    ("transfers", "approve"): Perm.APPROVE_TRANSFER,
    ("transfers", "paper"): Perm.EXECUTE_TRANSFER,
    ("transfers", "counter"): Perm.EXECUTE_TRANSFER,
    ("transfers", "run"): Perm.EXECUTE_TRANSFER,
    ("transfers", "records"): Perm.EXECUTE_TRANSFER,
    ("inquiries", "key-init"): Perm.MANAGE_KEYS,
    ("inquiries", "move-ins"): Perm.INQUIRE,
    ("inquiries", "purge"): Perm.RUN_BATCHES,
    ("inquiries", "records"): Perm.VIEW_AUDIT,
    ("disclosure", "list"): Perm.REGISTER_DISCLOSURE,
    ("disclosure", "register"): Perm.REGISTER_DISCLOSURE,
    ("disclosure", "decide"): Perm.REGISTER_DISCLOSURE,
    ("disclosure", "approve"): Perm.APPROVE_DISCLOSURE,
    ("disclosure", "package"): Perm.REGISTER_DISCLOSURE,
    ("retention", "plan"): Perm.VIEW_RETENTION,
    ("retention", "purge"): Perm.PURGE_EXPIRED,
}
# Commands without --as: pure calculators, read-only reports, set-up and the sandbox.
WITHOUT_OPERATOR = {("audit", "verify"), ("keys", "init"), ("keys", "status"), ("staff", "inventory"),
                    ("staff", "keys"), ("staff", "requests"), ("migrate",), ("serve",), ("demo",), ("synth",),
                    ("calc",),
                    ("jukinet",), ("transfers", "list"), ("inquiries", "sandbox-seed"),
                    # issue 16 §2: verify reads only the backup; restore targets an empty database (nobody to
                    # sign in as); import writes a keyring file before any database exists
                    ("backup", "verify"), ("backup", "restore"), ("keys", "import")}


def _leaves() -> dict[tuple[str, ...], object]:
    found: dict[tuple[str, ...], object] = {}

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs or path[:1] == ("calc",):
            found[path] = parser.get_default("operator_permission")
            return
        for name, child in subs[0].choices.items():
            walk(child, (*path, name))

    walk(build_parser(), ())
    return found


def test_every_command_that_moves_files_or_runs_a_batch_takes_as_with_its_permission() -> None:
    leaves = _leaves()
    for path, permission in leaves.items():
        if path[0] == "import":
            assert permission == Perm.IMPORT_FILES, path
        elif path in EXPECTED:
            assert permission == EXPECTED[path], path
        else:
            assert path[:1] in WITHOUT_OPERATOR or path[:2] in WITHOUT_OPERATOR, f"decide --as for {path}"
            assert permission is None, path
    assert {p for p in EXPECTED} <= set(leaves)
    # the administrator who runs the batch calendar holds every permission a command asks for, except the
    # certificate batch: run by the office that issues certificates, with the screens' permission; account
    # requests: by a section head (issue 14 §4); transfers: approved by supervisors and carried out by the
    # office that does the work (issue 13 §4); alerts: by the auditors; inquiries: by the inquiry clerk, their
    # records read by auditors (issue 13 §2); disclosure requests: received by clerks, approved by a
    # supervisor (issue 15 §3)
    business = {Perm.ISSUE_CERTIFICATE, Perm.REQUEST_ACCOUNTS, Perm.APPROVE_TRANSFER, Perm.EXECUTE_TRANSFER,
                Perm.VIEW_AUDIT, Perm.ACKNOWLEDGE_ALERTS, Perm.INQUIRE,  # the auditors' (issue 14 §6)
                Perm.RECORD_AUDIT_REVIEW,  # the auditors' monthly review (issue 15 §1)
                Perm.REGISTER_DISCLOSURE, Perm.APPROVE_DISCLOSURE}
    assert set(EXPECTED.values()) - business <= ROLE_PERMISSIONS[
        Role.SYSTEM_ADMIN]
    assert Perm.REQUEST_ACCOUNTS in ROLE_PERMISSIONS[Role.SUPERVISOR]
    assert Perm.ISSUE_CERTIFICATE in ROLE_PERMISSIONS[Role.COUNTER_CLERK]
    assert Perm.REGISTER_DISCLOSURE in ROLE_PERMISSIONS[Role.COUNTER_CLERK]
    assert Perm.APPROVE_DISCLOSURE in ROLE_PERMISSIONS[Role.SUPERVISOR]


def test_no_module_of_kouki_acts_as_an_unnamed_system_actor() -> None:
    offenders = []
    for path in KOUKI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "system" and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "Actor"):
                offenders.append(f"{path.relative_to(KOUKI.parent)}:{node.lineno}")
    assert offenders == []


def test_staff_commands_need_an_administrator_once_one_exists(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("KOUKI_BATCH_USER", OPERATOR_USERNAME)  # not used while no administrator exists
    first = ["staff", "create", "--username", "ops.kimura", "--name", "木村 運用", "--role", "system_admin"]
    assert main(first) == 0  # installing: no administrator yet, the OS user is named (setup:…)
    assert AuditEntry.objects.get(action=AuditAction.STAFF_CREATE.value).actor.startswith("setup:")
    second = ["staff", "create", "--username", "sato.hanako", "--name", "佐藤 花子",
              "--role", "counter_clerk"]
    monkeypatch.delenv("KOUKI_BATCH_USER")
    assert main(second) == 2
    assert "--as USER is required" in capsys.readouterr().err
    assert main([*second, "--as", OPERATOR_USERNAME]) == 2  # once an administrator exists: 決裁番号 required
    assert main([*second, "--as", OPERATOR_USERNAME, "--kessai-ref", "R8-1"]) == 0
    created = AuditEntry.objects.filter(action=AuditAction.STAFF_CREATE.value).order_by("-seq").first()
    assert created is not None and created.actor == OPERATOR_USERNAME
    assert main(["staff", "unlock", "--username", "ops.kimura", "--as", "sato.hanako"]) == 3
    assert refusals()[-1].detail["permission"] == "accounts.manage_staff"
