"""Issue 14 §3–§4: password rules and history, change on first sign-in, one refusal for unknown/disabled/
locked/wrong, the lock per account and address with a per-account cap, account requests approved with the
決裁番号, one-time enrolment codes with which only the owner knows both factors, inventory findings."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from itertools import pairwise

import pyotp
import pytest
from django.test import Client
from django.utils import timezone
from factories import Staff, make_staff

from kouki.accounts import enrolment
from kouki.accounts.models import AccountRequest, EnrolmentCode, PasswordHistory, StaffUser
from kouki.accounts.permissions import Role
from kouki.accounts.secret_box import open_secret
from kouki.accounts.selectors import staff_inventory
from kouki.privacy.audit import verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry
from kouki.staff import requests
from kouki.staff.enrol import EnrolmentRefused, password_change, staff_register
from kouki.staff.services import StaffAccountError

from .conftest import sign_in

pytestmark = pytest.mark.django_db
REFUSED = "職員IDまたはパスワードが正しくありません"
CODE = re.compile(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")
NEW_PASSWORD = "blue-river-under-maple-48"


def _actor(user: StaffUser) -> Actor:
    return Actor(username=user.username, terminal_id="T-1", user_id=user.pk)


def _login(client: Client, username: str, password: str) -> str:
    response = client.post("/login/", {"username": username, "password": password})
    return response.content.decode() if response.status_code == 200 else response["Location"]


def _error_block(page: str) -> str:
    found = re.search(r'<div class="msg error">(.*?)</div>', page, re.S)
    return found.group(1) if found else ""


# --- §3 passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short-pw-1", "短すぎ"),
        ("password1234", "一般的"),
        ("Sunshine2026!!", "よく使われる語"),
        ("mori-kenta-is-here", "職員ID"),
        ("abcdefghijklmnop", "繰返し"),
    ],
)
def test_password_rules_refuse_with_the_reason(password: str, why: str) -> None:
    user = make_staff(Role.COUNTER_CLERK, username="mori.kenta").user
    with pytest.raises(EnrolmentRefused) as refused:
        password_change(
            actor=_actor(user), user_id=user.pk, current="correct-horse-battery-7507", new=password
        )
    assert refused.value.field == "new" and why in str(refused.value)


def test_no_reuse_of_the_last_n_passwords(settings: object) -> None:
    settings.KOUKI_PASSWORD_HISTORY = 2  # type: ignore[attr-defined]
    staff = make_staff(Role.COUNTER_CLERK)
    user, actor = staff.user, _actor(staff.user)
    with pytest.raises(EnrolmentRefused, match="最近使った"):
        password_change(actor=actor, user_id=user.pk, current=staff.password, new=staff.password)
    chain = [
        staff.password,
        "first-lantern-harbour-11",
        "second-lantern-harbour-22",
        "third-lantern-harbour-33",
    ]
    for old, new in pairwise(chain):
        password_change(actor=actor, user_id=user.pk, current=old, new=new)
    assert PasswordHistory.objects.filter(user=user).count() == 2  # only the newest N hashes are kept
    with pytest.raises(EnrolmentRefused, match="最近使った"):
        password_change(actor=actor, user_id=user.pk, current=chain[-1], new=chain[-2])
    password_change(actor=actor, user_id=user.pk, current=chain[-1], new=chain[0])  # older than N: allowed
    with pytest.raises(EnrolmentRefused, match="現在のパスワード"):
        password_change(actor=actor, user_id=user.pk, current="wrong-current-password", new=NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="staff.password_change").count() == 4
    assert list(verify_chain()) == []


def test_a_password_someone_else_chose_is_changed_at_the_first_sign_in() -> None:
    staff = make_staff(Role.COUNTER_CLERK)
    StaffUser.objects.filter(pk=staff.user.pk).update(must_change_password=True)
    client = Client()
    assert _login(client, staff.user.username, staff.password) == "/login/totp/"
    response = client.post("/login/totp/", {"code": staff.code()})
    assert response["Location"] == "/password/"
    assert client.get("/persons/")["Location"] == "/password/"  # every other screen waits
    page = client.get("/password/").content.decode()
    assert "ご本人以外が設定した" in page
    bad = client.post("/password/", {"current": staff.password, "new": NEW_PASSWORD, "new2": "different-x"})
    assert "一致しません" in bad.content.decode()
    done = client.post("/password/", {"current": staff.password, "new": NEW_PASSWORD, "new2": NEW_PASSWORD})
    assert done["Location"] == "/"
    assert client.get("/persons/").status_code == 200
    user = StaffUser.objects.get(pk=staff.user.pk)
    assert not user.must_change_password and user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.get(action="staff.password_change").detail == {"first_sign_in": True}


# --- §3 enumeration and lockout ------------------------------------------------------------------


def test_unknown_disabled_locked_and_wrong_look_the_same(settings: object) -> None:
    settings.KOUKI_LOCKOUT_THRESHOLD = 2  # type: ignore[attr-defined]
    wrong = make_staff(Role.COUNTER_CLERK)
    disabled = make_staff(Role.COUNTER_CLERK)
    StaffUser.objects.filter(pk=disabled.user.pk).update(is_active=False)
    locked = make_staff(Role.COUNTER_CLERK)
    StaffUser.objects.filter(pk=locked.user.pk).update(locked_until=timezone.now() + timedelta(hours=1))
    pages = {
        "unknown": _login(Client(), "nobody.here", wrong.password),
        "wrong": _login(Client(), wrong.user.username, "not-the-password-x"),
        "disabled": _login(Client(), disabled.user.username, disabled.password),
        "locked_right_password": _login(Client(), locked.user.username, locked.password),
    }
    blocks = {name: _error_block(page) for name, page in pages.items()}
    assert REFUSED in blocks["unknown"]
    assert len(set(blocks.values())) == 1, blocks
    reasons = {
        e.detail.get("reason") or e.detail.get("scope")
        for e in AuditEntry.objects.filter(action__in=["login.failed", "login.refused_locked"])
    }
    assert reasons == {"unknown_user", "wrong_password", "disabled", "account"}  # the audit keeps them apart


def test_failures_from_one_address_do_not_lock_the_owner_elsewhere(settings: object) -> None:
    settings.KOUKI_LOCKOUT_THRESHOLD = 3  # type: ignore[attr-defined]
    settings.KOUKI_LOCKOUT_ACCOUNT_LIMIT = 7  # type: ignore[attr-defined]
    settings.KOUKI_LOGIN_ADDRESS_LIMIT = 100  # type: ignore[attr-defined]
    staff = make_staff(Role.COUNTER_CLERK)
    name = staff.user.username
    attacker = Client(REMOTE_ADDR="10.9.9.9")
    for _ in range(5):
        _login(attacker, name, "guess-password-000")
    assert REFUSED in _login(attacker, name, staff.password)  # locked at the attacker's address
    owner = Client(REMOTE_ADDR="10.1.1.1")
    assert _login(owner, name, staff.password) == "/login/totp/"
    assert owner.post("/login/totp/", {"code": staff.code()})["Location"] == "/"
    # only 3 of the 5 guesses were checked; the others were refused unchecked, counting for no lock
    assert AuditEntry.objects.filter(action="login.failed").count() == 3
    # the cap across addresses: 7 consecutive failures from 3 addresses lock the account everywhere
    for address in ("10.2.0.1", "10.2.0.2", "10.2.0.3"):
        for _ in range(3):
            _login(Client(REMOTE_ADDR=address), name, "guess-password-111")
    user = StaffUser.objects.get(pk=staff.user.pk)
    assert user.locked_until is not None and user.locked_until > timezone.now()
    assert REFUSED in _login(Client(REMOTE_ADDR="10.1.1.1"), name, staff.password)
    assert AuditEntry.objects.filter(action="login.locked", detail__scope="account").count() == 1


def test_the_administrators_unlock_clears_the_locks_at_every_address(
    settings: object, client_as: Callable[[Role], Client]
) -> None:
    settings.KOUKI_LOCKOUT_THRESHOLD = 2  # type: ignore[attr-defined]
    staff = make_staff(Role.COUNTER_CLERK)
    for _ in range(2):
        _login(Client(REMOTE_ADDR="10.3.3.3"), staff.user.username, "guess-password-222")
    admin = client_as(Role.SYSTEM_ADMIN)
    page = admin.get(f"/staff/{staff.user.pk}/").content.decode()
    assert "1か所の端末からロック中" in page and 'id="form-unlock"' in page
    admin.post(f"/staff/{staff.user.pk}/", {"action": "unlock", "reason": "本人の申出", "confirm": "on",
                                            "version": str(staff.user.version)})
    assert _login(Client(REMOTE_ADDR="10.3.3.3"), staff.user.username, staff.password) == "/login/totp/"


# --- §4 requests, approval, enrolment ------------------------------------------------------------


def _head_and_admin() -> tuple[Staff, Staff]:
    return make_staff(Role.SUPERVISOR, office="浦和区保険年金課"), make_staff(
        Role.SYSTEM_ADMIN, office="情報政策課"
    )


def test_request_approve_and_the_owner_enrols_both_factors() -> None:
    head, admin = _head_and_admin()
    head_client, admin_client = sign_in(Client(), head.user), sign_in(Client(), admin.user)
    # the section head asks; the office is theirs
    assert "職員アカウントの申請" in head_client.get("/").content.decode()
    response = head_client.post(
        "/staff/requests/new/",
        {
            "username": "tanaka.yui",
            "staff_name": "田中 結衣",
            "staff_no": "B2001",
            "role": "counter_clerk",
            "reason": "4月1日付 転入",
        },
    )
    assert response.status_code == 302
    request = AccountRequest.objects.get(username="tanaka.yui")
    assert request.office == "浦和区保険年金課" and request.status == "requested"
    assert not StaffUser.objects.filter(username="tanaka.yui").exists()
    # the section head cannot approve; the administrator must give the 決裁番号
    assert head_client.get(f"/staff/requests/{request.pk}/").status_code == 403
    no_ref = admin_client.post(f"/staff/requests/{request.pk}/", {"decision": "approve", "confirm": "on"})
    assert "決裁番号を入力してください" in no_ref.content.decode()
    shown = admin_client.post(
        f"/staff/requests/{request.pk}/",
        {"decision": "approve", "kessai_ref": "浦和区保第12号", "confirm": "on"},
    ).content.decode()
    found = CODE.search(shown)
    assert found is not None and "一度だけ" in shown
    code = found.group(0)
    user = StaffUser.objects.get(username="tanaka.yui")
    assert not user.has_usable_password() and user.totp_secret == "" and user.office == "浦和区保険年金課"
    assert code not in admin_client.get(f"/staff/requests/{request.pk}/").content.decode()  # shown once
    approve = AuditEntry.objects.get(action="staff.request_approve")
    assert approve.detail["kessai_ref"] == "浦和区保第12号" and approve.actor == admin.user.username

    # the owner enrols: wrong code first, then the right one
    owner = Client()
    bad = owner.post("/enrol/", {"username": "tanaka.yui", "code": "AAAA-BBBB-CCCC-DDDD"}).content.decode()
    assert "登録コードが正しくないか" in bad
    assert (
        owner.post("/enrol/", {"username": "tanaka.yui", "code": code.lower()})["Location"] == "/enrol/setup/"
    )
    page = owner.get("/enrol/setup/").content.decode()
    secret = "".join(re.search(r'<strong id="secret">(.*?)</strong>', page).group(1).split())  # type: ignore[union-attr]
    weak = owner.post(
        "/enrol/setup/",
        {
            "password": "tanaka-yui-2026",
            "password2": "tanaka-yui-2026",
            "totp_code": pyotp.TOTP(secret).now(),
        },
    )
    assert "職員ID" in weak.content.decode() and not StaffUser.objects.get(pk=user.pk).has_usable_password()
    done = owner.post(
        "/enrol/setup/",
        {"password": NEW_PASSWORD, "password2": NEW_PASSWORD, "totp_code": pyotp.TOTP(secret).now()},
    )
    assert done["Location"] == "/login/"
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and user.totp_confirmed
    assert secret not in user.totp_secret and open_secret(user.totp_secret, user.username) == secret  # sealed
    assert EnrolmentCode.objects.get(user=user).used_at is not None
    # the code is used up
    again = Client().post("/enrol/", {"username": "tanaka.yui", "code": code}).content.decode()
    assert "登録コードが正しくないか" in again
    # and the owner signs in with the factors only they know
    client = Client()
    assert _login(client, "tanaka.yui", NEW_PASSWORD) == "/login/totp/"
    assert (
        client.post("/login/totp/", {"code": pyotp.TOTP(secret).at(timezone.now().timestamp() + 30)})[
            "Location"
        ]
        == "/"
    )
    assert list(verify_chain()) == []


def test_an_expired_or_reissued_code_is_refused(settings: object) -> None:
    _head, admin = _head_and_admin()
    registered = staff_register(
        actor=_actor(admin.user),
        username="ito.ken",
        staff_name="伊藤 健",
        role="counter_clerk",
        office="浦和区保険年金課",
        kessai_ref="R8-3",
    )
    assert enrolment.valid_code("ito.ken", registered.code) is not None
    assert enrolment.valid_code("other.user", registered.code) is None
    EnrolmentCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert enrolment.valid_code("ito.ken", registered.code) is None
    admin_client = sign_in(Client(), admin.user)
    shown = admin_client.post(
        f"/staff/{registered.user.pk}/",
        {"action": "reissue", "reason": "期限切れ", "confirm": "on", "version": str(registered.user.version)},
    ).content.decode()
    fresh = CODE.search(shown)
    assert fresh is not None and enrolment.valid_code("ito.ken", fresh.group(0)) is not None
    assert EnrolmentCode.objects.filter(user=registered.user, voided_at__isnull=False).count() == 1
    with pytest.raises(StaffAccountError, match="決裁番号"):
        staff_register(
            actor=_actor(admin.user),
            username="kimura.ai",
            staff_name="木村 愛",
            role="auditor",
            kessai_ref=" ",
        )


def test_role_change_takes_effect_on_approval_and_reject_needs_a_reason() -> None:
    head, admin = _head_and_admin()
    clerk = make_staff(Role.COUNTER_CLERK, office="浦和区保険年金課").user
    outsider = make_staff(Role.COUNTER_CLERK, office="大宮区保険年金課").user
    with pytest.raises(StaffAccountError, match="所属"):
        requests.request_role_change(
            actor=_actor(head.user), username=outsider.username, role="number_clerk", reason="係替え"
        )
    head_client = sign_in(Client(), head.user)
    head_client.post(
        "/staff/requests/role/", {"username": clerk.username, "role": "number_clerk", "reason": "係替え"}
    )
    request = AccountRequest.objects.get(account=clerk, status="requested")
    assert request.previous_role == "counter_clerk"
    with pytest.raises(StaffAccountError, match="自分"):
        requests.approve(actor=_actor(head.user), request_id=request.pk, kessai_ref="x")
    admin_client = sign_in(Client(), admin.user)
    assert "役割の変更" in admin_client.get("/staff/requests/").content.decode()
    admin_client.post(
        f"/staff/requests/{request.pk}/", {"decision": "approve", "kessai_ref": "R8-7", "confirm": "on"}
    )
    clerk.refresh_from_db()
    assert clerk.role == "number_clerk"
    change = AuditEntry.objects.get(action="staff.role_change")
    assert change.detail["from"] == "counter_clerk" and change.detail["kessai_ref"] == "R8-7"
    other = requests.request_role_change(
        actor=_actor(head.user), username=clerk.username, role="auditor", reason="異動予定"
    )
    no_reason = admin_client.post(f"/staff/requests/{other.pk}/", {"decision": "reject", "confirm": "on"})
    assert "却下の理由を入力してください" in no_reason.content.decode()
    admin_client.post(
        f"/staff/requests/{other.pk}/", {"decision": "reject", "reason": "決裁なし", "confirm": "on"}
    )
    other.refresh_from_db()
    clerk.refresh_from_db()
    assert other.status == "rejected" and clerk.role == "number_clerk"
    with pytest.raises(StaffAccountError, match="既に決定"):
        requests.approve(actor=_actor(admin.user), request_id=other.pk, kessai_ref="R8-8")


def test_inventory_flags_dormant_accounts_and_roles_off_the_record(
    settings: object, client_as: Callable[[Role], Client]
) -> None:
    settings.KOUKI_DORMANT_DAYS = 90  # type: ignore[attr-defined]
    fresh = make_staff(Role.COUNTER_CLERK).user
    idle = make_staff(Role.COUNTER_CLERK).user
    StaffUser.objects.filter(pk=idle.pk).update(last_login=timezone.now() - timedelta(days=91))
    drifted = make_staff(Role.COUNTER_CLERK).user
    StaffUser.objects.filter(pk=drifted.pk).update(role="supervisor")  # changed without a request
    rows = {r.username: r for r in staff_inventory()}
    assert not rows[fresh.username].dormant and rows[idle.username].dormant
    assert not rows[fresh.username].role_mismatch
    assert rows[drifted.username].role_mismatch and rows[drifted.username].role_on_file == "counter_clerk"
    page = client_as(Role.SYSTEM_ADMIN).get("/staff/").content.decode()
    assert "長期未使用" in page and "申請と不一致(申請: 窓口担当(個人番号なし))" in page


def test_an_account_without_a_record_on_file_is_confirmed_by_a_request() -> None:
    head, admin = _head_and_admin()
    legacy = make_staff(Role.COUNTER_CLERK, office="浦和区保険年金課").user
    AccountRequest.objects.filter(account=legacy).delete()  # e.g. created before the request procedure
    assert {r.username: r for r in staff_inventory()}[legacy.username].role_mismatch
    request = requests.request_role_change(
        actor=_actor(head.user), username=legacy.username, role="counter_clerk", reason="棚卸で記録なし"
    )
    requests.approve(actor=_actor(admin.user), request_id=request.pk, kessai_ref="R8-9")
    assert not {r.username: r for r in staff_inventory()}[legacy.username].role_mismatch
    with pytest.raises(StaffAccountError, match="同じ役割"):
        requests.request_role_change(
            actor=_actor(head.user), username=legacy.username, role="counter_clerk", reason="二度目"
        )


def test_wrong_enrolment_codes_count_towards_the_address_throttle(settings: object) -> None:
    settings.KOUKI_LOGIN_ADDRESS_LIMIT = 3  # type: ignore[attr-defined]
    _head, admin = _head_and_admin()
    registered = staff_register(
        actor=_actor(admin.user),
        username="abe.mai",
        staff_name="阿部 舞",
        role="counter_clerk",
        kessai_ref="R8-4",
    )
    client = Client(REMOTE_ADDR="10.7.7.7")
    for _ in range(3):
        client.post("/enrol/", {"username": "abe.mai", "code": "AAAA-BBBB-CCCC-DDDD"})
    page = client.post("/enrol/", {"username": "abe.mai", "code": registered.code}).content.decode()
    assert "しばらく登録できません" in page  # even the right code, from this address, for now
    assert AuditEntry.objects.filter(action="staff.enrol_failed").count() == 4
    assert (
        Client(REMOTE_ADDR="10.8.8.8").post("/enrol/", {"username": "abe.mai", "code": registered.code})[
            "Location"
        ]
        == "/enrol/setup/"
    )


def test_a_password_change_ends_the_other_sessions() -> None:
    staff = make_staff(Role.COUNTER_CLERK)
    here, elsewhere = sign_in(Client(), staff.user), sign_in(Client(), staff.user)
    here.post("/password/", {"current": staff.password, "new": NEW_PASSWORD, "new2": NEW_PASSWORD})
    assert here.get("/persons/").status_code == 200
    assert elsewhere.get("/persons/").status_code == 302


def test_guessing_the_current_password_at_an_open_session_locks_and_ends_it(settings: object) -> None:
    settings.KOUKI_LOCKOUT_THRESHOLD = 2  # type: ignore[attr-defined]
    staff = make_staff(Role.COUNTER_CLERK)
    session = sign_in(Client(REMOTE_ADDR="10.4.4.4"), staff.user)
    first = session.post(
        "/password/", {"current": "guess-number-one", "new": NEW_PASSWORD, "new2": NEW_PASSWORD}
    )
    assert "現在のパスワードが正しくありません" in first.content.decode()
    second = session.post(
        "/password/", {"current": "guess-number-two", "new": NEW_PASSWORD, "new2": NEW_PASSWORD}
    )
    assert second["Location"] == "/login/" and session.get("/persons/").status_code == 302
    assert REFUSED in _login(Client(REMOTE_ADDR="10.4.4.4"), staff.user.username, staff.password)
    assert _login(Client(REMOTE_ADDR="10.5.5.5"), staff.user.username, staff.password) == "/login/totp/"
    assert AuditEntry.objects.get(action="login.locked").detail["step"] == "password_change"
