"""`kouki staff …` and `kouki serve` (argument handling; the server itself is driven by the browser tests)."""

from __future__ import annotations

import re

import pytest

from kouki.accounts import enrolment
from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import ROLE_PERMISSIONS, Role
from kouki.cli import build_parser, main
from kouki.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(*argv: str) -> int:
    return main(list(argv))


def test_create_prints_a_one_time_enrolment_code(capsys: pytest.CaptureFixture[str]) -> None:
    code = run("staff", "create", "--username", "sato.hanako", "--name", "佐藤 花子",
               "--role", "number_clerk", "--office", "浦和区保険年金課", "--staff-no", "A1234",
               "--kessai-ref", "浦和区-2026-001")
    out = capsys.readouterr().out
    assert code == 0
    user = StaffUser.objects.get(username="sato.hanako")
    # issue 14 §4: nobody but the owner knows a factor — no password, no TOTP secret, no otpauth URI
    assert not user.has_usable_password() and user.totp_secret == "" and "otpauth" not in out
    shown = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", out)
    assert shown is not None and enrolment.valid_code("sato.hanako", shown.group(0)) is not None
    assert user.staff_no == "A1234"
    # no administrator exists yet (installing): the operating-system user is named
    assert AuditEntry.objects.get(action="staff.create").actor.startswith("setup:")
    assert AuditEntry.objects.get(action="staff.create").detail["request_ref"] == "浦和区-2026-001"


def test_shared_id_is_an_operator_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = run("staff", "create", "--username", "shared", "--name", "佐藤 花子", "--role", "counter_clerk")
    assert code == 2 and "SEC-02" in capsys.readouterr().err
    assert not StaffUser.objects.exists()


def test_name_is_required() -> None:
    with pytest.raises(SystemExit) as exc:
        run("staff", "create", "--username", "sato.hanako", "--role", "counter_clerk")
    assert exc.value.code == 2


def test_disable_unlock_reset_and_inventory(capsys: pytest.CaptureFixture[str]) -> None:
    run("staff", "create", "--username", "sato.hanako", "--name", "佐藤 花子", "--role", "counter_clerk")
    assert run("staff", "unlock", "--username", "sato.hanako") == 0
    assert run("staff", "reset-totp", "--username", "sato.hanako", "--reason", "端末紛失") == 0
    assert run("staff", "disable", "--username", "sato.hanako", "--reason", "異動") == 0
    capsys.readouterr()
    assert run("staff", "inventory") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("職員ID\t氏名")
    clerk_permissions = ",".join(sorted(ROLE_PERMISSIONS[Role.COUNTER_CLERK]))
    assert lines[1].split("\t") == ["sato.hanako", "佐藤 花子", "", "", "窓口担当(個人番号なし)",
                                    clerk_permissions, "なし", "停止", ""]
    assert run("staff", "disable", "--username", "nobody", "--reason", "x") == 2
    assert run("staff", "disable", "--username", "sato.hanako", "--reason", "二度目") == 2  # already stopped
    assert run("staff", "enable", "--username", "sato.hanako", "--reason", "復職") == 0
    assert StaffUser.objects.get(username="sato.hanako").is_active
    assert run("staff", "enable", "--username", "sato.hanako", "--reason", "復職") == 2  # not stopped


def test_serve_arguments_and_help() -> None:
    parser = build_parser()
    args = parser.parse_args(["serve", "--host", "0.0.0.0", "--port", "8123"])  # noqa: S104
    assert (args.host, args.port, args.no_migrate) == ("0.0.0.0", 8123, False)  # noqa: S104
    defaults = parser.parse_args(["serve"])
    assert (defaults.host, defaults.port) == ("127.0.0.1", 8000)
    serve = parser._subparsers._group_actions[0].choices["serve"]  # type: ignore[union-attr]
    assert "gunicorn" in serve.format_help() and "--dev" in serve.format_help()
    assert (defaults.dev, defaults.workers, defaults.threads) == (False, None, None)  # production by default


def test_serve_refuses_a_bad_port(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("serve", "--port", "70000") == 2
    assert "--port" in capsys.readouterr().err


def test_pending_migrations_is_zero_on_a_migrated_database() -> None:
    from kouki.commands.serve import pending_migrations

    assert pending_migrations() == 0


def test_request_approve_and_reject_by_command(capsys: pytest.CaptureFixture[str]) -> None:
    from factories import make_staff

    from kouki.accounts.models import AccountRequest

    head = make_staff(Role.SUPERVISOR, username="chief.ono", office="南区保険年金課").user
    admin = make_staff(Role.SYSTEM_ADMIN, username="ops.sano", office="情報政策課").user
    assert run("staff", "request-account", "--username", "ueda.rin", "--name", "上田 凛", "--role",
               "number_clerk", "--reason", "転入", "--as", head.username) == 0
    assert run("staff", "request-account", "--username", "noda.jun", "--name", "野田 純", "--role",
               "counter_clerk", "--reason", "転入", "--as", admin.username) == 3  # not a section head
    first = AccountRequest.objects.get(username="ueda.rin")
    capsys.readouterr()
    assert run("staff", "requests") == 0
    assert "ueda.rin" in capsys.readouterr().out
    assert run("staff", "approve", "--request", str(first.pk), "--kessai-ref", "南区保第3号", "--as",
               head.username) == 3  # the requester may not approve
    assert run("staff", "approve", "--request", str(first.pk), "--kessai-ref", "南区保第3号", "--as",
               admin.username) == 0
    out = capsys.readouterr().out
    shown = re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", out)
    assert shown is not None and enrolment.valid_code("ueda.rin", shown.group(0)) is not None
    assert run("staff", "request-role", "--username", "ueda.rin", "--role", "supervisor", "--reason", "昇任",
               "--as", head.username) == 0
    second = AccountRequest.objects.get(username="ueda.rin", status="requested")
    assert run("staff", "reject", "--request", str(second.pk), "--reason", "決裁なし", "--as",
               admin.username) == 0
    assert StaffUser.objects.get(username="ueda.rin").role == "number_clerk"


def test_first_administrator_with_checkpoints_exits_cleanly(
    tmp_path: object, settings: object, capsys: pytest.CaptureFixture[str]
) -> None:
    # the installation's first `staff create` runs without --as; with KOUKI_AUDIT_CHECKPOINT_FILE set the
    # checkpoint after the command is written as the same (operating-system) actor, not refused for --as
    from pathlib import Path

    checkpoints = Path(str(tmp_path)) / "audit-checkpoints.jsonl"
    settings.KOUKI_AUDIT_CHECKPOINT_FILE = str(checkpoints)  # type: ignore[attr-defined]
    code = run("staff", "create", "--username", "kanri.ichiro", "--name", "管理 一郎",
               "--role", "system_admin")
    err = capsys.readouterr().err
    assert code == 0, err
    assert "--as USER is required" not in err
    assert checkpoints.exists() and checkpoints.read_text(encoding="utf-8").strip()
