"""`kouki staff …` and `kouki serve` (argument handling; the server itself is driven by the browser tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import STAFF_PASSWORD

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import ROLE_PERMISSIONS, Role
from kouki.cli import build_parser, main
from kouki.privacy.models import AuditEntry

pytestmark = pytest.mark.django_db


def run(*argv: str) -> int:
    return main(list(argv))


def password_file(tmp_path: Path, text: str = STAFF_PASSWORD) -> str:
    path = tmp_path / "pw.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return str(path)


def test_create_prints_the_provisioning_uri(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run("staff", "create", "--username", "sato.hanako", "--name", "佐藤 花子",
               "--role", "number_clerk", "--office", "浦和区保険年金課", "--staff-no", "A1234",
               "--password-file", password_file(tmp_path), "--request-ref", "浦和区-2026-001")
    out = capsys.readouterr().out
    assert code == 0
    user = StaffUser.objects.get(username="sato.hanako")
    assert f"secret={user.totp_secret}" in out and "otpauth://totp/" in out
    assert user.check_password(STAFF_PASSWORD) and user.staff_no == "A1234"
    assert STAFF_PASSWORD not in out
    # no administrator exists yet (installing): the operating-system user is named
    assert AuditEntry.objects.get(action="staff.create").actor.startswith("setup:")


def test_password_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOUKI_STAFF_PASSWORD", STAFF_PASSWORD)
    assert run("staff", "create", "--username", "kato.jiro", "--name", "加藤 次郎", "--role", "auditor") == 0
    assert StaffUser.objects.get(username="kato.jiro").check_password(STAFF_PASSWORD)


def test_shared_id_is_an_operator_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run("staff", "create", "--username", "shared", "--name", "佐藤 花子", "--role", "counter_clerk",
               "--password-file", password_file(tmp_path))
    assert code == 2 and "SEC-02" in capsys.readouterr().err
    assert not StaffUser.objects.exists()


def test_name_is_required(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exc:
        run("staff", "create", "--username", "sato.hanako", "--role", "counter_clerk",
            "--password-file", password_file(tmp_path))
    assert exc.value.code == 2


def test_no_password_without_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("KOUKI_STAFF_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code = run("staff", "create", "--username", "sato.hanako", "--name", "佐藤 花子",
               "--role", "counter_clerk")
    assert code == 2
    assert "--password-file" in capsys.readouterr().err


def test_unreadable_or_empty_password_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["staff", "create", "--username", "sato.hanako", "--name", "佐藤 花子", "--role", "counter_clerk"]
    assert run(*base, "--password-file", str(tmp_path / "missing.txt")) == 2
    assert "missing.txt" in capsys.readouterr().err
    assert run(*base, "--password-file", password_file(tmp_path, "")) == 2
    assert "empty" in capsys.readouterr().err


def test_disable_unlock_reset_and_inventory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run("staff", "create", "--username", "sato.hanako", "--name", "佐藤 花子", "--role", "counter_clerk",
        "--password-file", password_file(tmp_path))
    assert run("staff", "unlock", "--username", "sato.hanako") == 0
    assert run("staff", "reset-totp", "--username", "sato.hanako") == 0
    assert run("staff", "disable", "--username", "sato.hanako", "--reason", "異動") == 0
    capsys.readouterr()
    assert run("staff", "inventory") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("職員ID\t氏名")
    clerk_permissions = ",".join(sorted(ROLE_PERMISSIONS[Role.COUNTER_CLERK]))
    assert lines[1].split("\t") == ["sato.hanako", "佐藤 花子", "", "", "窓口担当(個人番号なし)",
                                    clerk_permissions, "なし", "停止"]
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
    assert "WSGI" in serve.format_help() and "gunicorn" in serve.format_help()


def test_serve_refuses_a_bad_port(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("serve", "--port", "70000") == 2
    assert "--port" in capsys.readouterr().err


def test_pending_migrations_is_zero_on_a_migrated_database() -> None:
    from kouki.commands.serve import pending_migrations

    assert pending_migrations() == 0
