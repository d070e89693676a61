"""Staff accounts: one named person per ID (SEC-01), no shared IDs (SEC-02), IDs never reused (SEC-04),
audit trail of issuing and revoking (SEC-05), inventory of accounts × permissions × last login (SEC-06)."""

from __future__ import annotations

import pytest
from factories import STAFF_PASSWORD

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import ROLE_PERMISSIONS, Perm, Role
from kouki.accounts.secret_box import open_secret
from kouki.accounts.selectors import staff_inventory
from kouki.privacy.audit import verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.staff.enrol import staff_reissue_code
from kouki.staff.services import (
    StaffAccountError,
    staff_create,
    staff_disable,
    staff_enable,
    staff_unlock,
)

pytestmark = pytest.mark.django_db
ADMIN = Actor(username="system:staff create by tester", terminal_id="cli")


def create(**overrides: str) -> StaffUser:
    fields = {"username": "sato.hanako", "staff_name": "佐藤 花子", "role": Role.COUNTER_CLERK.value,
              "password": STAFF_PASSWORD, "office": "浦和区保険年金課"}
    fields.update(overrides)
    return staff_create(actor=ADMIN, **fields).user


def test_create_enrols_a_named_person_with_argon2_and_totp() -> None:
    enrolment = staff_create(actor=ADMIN, username="sato.hanako", staff_name="佐藤 花子", role="number_clerk",
                             password=STAFF_PASSWORD, office="浦和区保険年金課", staff_no="A1234",
                             request_ref="浦和区-2026-001")
    user = StaffUser.objects.get(username="sato.hanako")
    assert user.password.startswith("argon2$") and user.check_password(STAFF_PASSWORD)
    assert len(enrolment.totp_secret) >= 32
    assert enrolment.totp_secret not in user.totp_secret  # sealed at rest
    assert open_secret(user.totp_secret, user.username) == enrolment.totp_secret
    assert enrolment.provisioning_uri.startswith("otpauth://totp/")
    assert user.has_kouki_perm(Perm.VIEW_PERSONAL_NUMBER) and not user.totp_confirmed
    entry = AuditEntry.objects.get(action="staff.create")
    assert entry.detail == {"username": "sato.hanako", "role": "number_clerk", "office": "浦和区保険年金課",
                            "staff_no": "A1234", "request_ref": "浦和区-2026-001",
                            "first_factor": "password"}
    assert entry.detail.get("password") is None and STAFF_PASSWORD not in str(entry.detail)


@pytest.mark.parametrize("username", ["shared", "common", "guest", "admin", "madoguchi", "shared01",
                                      "guest-2", "counter.common", "staff", "root"])
def test_shared_or_generic_ids_are_refused(username: str) -> None:
    with pytest.raises(StaffAccountError, match="SEC-02"):
        create(username=username)
    assert not StaffUser.objects.exists()


@pytest.mark.parametrize("username", ["ab", "Sato", "佐藤", "sato hanako", "1sato", "x" * 40])
def test_malformed_ids_are_refused(username: str) -> None:
    with pytest.raises(StaffAccountError):
        create(username=username)


@pytest.mark.parametrize("name", ["", "   ", "窓口共用", "保険年金課職員", "ゲスト"])
def test_staff_name_must_name_a_person(name: str) -> None:
    with pytest.raises(StaffAccountError):
        create(staff_name=name)


def test_role_must_be_known() -> None:
    with pytest.raises(StaffAccountError, match="役割"):
        create(role="superuser")


def test_duplicate_owner_by_staff_number_is_refused() -> None:
    create(username="sato.hanako", staff_no="A1234")
    with pytest.raises(StaffAccountError, match="職員番号"):
        create(username="sato.h2", staff_no="A1234", staff_name="佐藤 花子")
    # a namesake with a different staff number is a different person
    create(username="sato.hanako2", staff_no="B9999")
    assert StaffUser.objects.count() == 2


def test_duplicate_owner_by_name_and_office_without_staff_number_is_refused() -> None:
    create(username="sato.hanako")
    with pytest.raises(StaffAccountError, match="SEC-01"):
        create(username="hanako.sato")
    create(username="hanako.sato", office="大宮区保険年金課")  # another office: a different person


def test_ids_are_never_reused_even_after_disabling() -> None:
    create(username="sato.hanako")
    staff_disable(actor=ADMIN, username="sato.hanako", reason="退職")
    with pytest.raises(StaffAccountError, match="再利用"):
        create(username="sato.hanako", staff_name="佐藤 次子")


def test_weak_password_is_refused() -> None:
    with pytest.raises(StaffAccountError, match="パスワード"):
        create(password="short")
    with pytest.raises(StaffAccountError, match="パスワード"):
        create(password="password1234")


def test_disable_unlock_reset_are_audited() -> None:
    user = create()
    old_secret = user.totp_secret
    with pytest.raises(StaffAccountError):
        staff_disable(actor=ADMIN, username=user.username, reason=" ")
    StaffUser.objects.filter(pk=user.pk).update(failed_attempts=3)
    staff_unlock(actor=ADMIN, username=user.username)
    new = staff_reissue_code(actor=ADMIN, username=user.username, reason="端末紛失")
    user.refresh_from_db()
    assert user.totp_secret == "" and old_secret not in new.code  # the old secret stops working at once
    staff_disable(actor=ADMIN, username=user.username, reason="異動", request_ref="R-1")
    user.refresh_from_db()
    assert not user.is_active and user.disabled_at is not None and user.failed_attempts == 0
    actions = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions == ["staff.create", "staff.unlock", "staff.reset_totp", "staff.enrolment_code",
                       "staff.disable"]
    assert list(verify_chain()) == []
    with pytest.raises(StaffAccountError, match="ありません"):
        staff_unlock(actor=ADMIN, username="nobody")


def test_enable_brings_back_the_same_account_and_nobody_stops_themselves() -> None:
    user = create()
    with pytest.raises(StaffAccountError, match="利用停止されていません"):
        staff_enable(actor=ADMIN, username=user.username, reason="復職")
    staff_disable(actor=ADMIN, username=user.username, reason="休職")
    with pytest.raises(StaffAccountError, match="理由"):
        staff_enable(actor=ADMIN, username=user.username, reason=" ")
    StaffUser.objects.filter(pk=user.pk).update(failed_attempts=4)
    staff_enable(actor=ADMIN, username=user.username, reason="復職", request_ref="R-2")
    user.refresh_from_db()
    assert user.is_active and user.disabled_at is None and user.failed_attempts == 0
    entry = AuditEntry.objects.get(action="staff.enable")
    assert entry.detail == {"username": user.username, "reason": "復職", "request_ref": "R-2"}
    own = Actor(username=user.username, terminal_id="T-01", user_id=user.pk)
    with pytest.raises(StaffAccountError, match="自分"):
        staff_disable(actor=own, username=user.username, reason="試し")
    assert list(verify_chain()) == []


def test_inventory_lists_accounts_permissions_and_last_login() -> None:
    create(username="sato.hanako")
    create(username="kato.jiro", staff_name="加藤 次郎", role="auditor")
    staff_disable(actor=ADMIN, username="kato.jiro", reason="異動")
    rows = {r.username: r for r in staff_inventory()}
    # the clerk's role, whatever later issues add to it: sorted, with no personal-number permission
    assert rows["sato.hanako"].permissions == tuple(sorted(ROLE_PERMISSIONS[Role.COUNTER_CLERK]))
    assert Perm.VIEW_PERSON in rows["sato.hanako"].permissions
    assert not {p for p in rows["sato.hanako"].permissions if p.startswith("privacy.")}
    assert rows["sato.hanako"].is_active and rows["sato.hanako"].last_login is None
    assert rows["kato.jiro"].permissions == tuple(sorted(ROLE_PERMISSIONS[Role.AUDITOR]))
    assert Perm.VIEW_AUDIT in rows["kato.jiro"].permissions and not rows["kato.jiro"].is_active
    assert rows["kato.jiro"].role_label == "監査担当"
