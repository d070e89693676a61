"""Writes on staff accounts: the account checks, disabling and re-enabling, unlocking, sign-in steps.

Registration with an enrolment code, password changes: kouki.staff.enrol; requests and role changes:
kouki.staff.requests.

Every function writes its audit row (kouki.privacy.audit) inside the same transaction (SEC-05, SEC-13).
Account names and owners follow SEC-01/SEC-02: one named person per account, no shared or generic IDs,
and an ID is never reused (disabled accounts keep their username).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kouki.accounts import lockout, passwords, second_factors, secret_box, throttle, totp
from kouki.accounts.models import AccountRequest, RequestKind, RequestStatus, StaffUser
from kouki.accounts.permissions import Role
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.versioning import bump, check_version
from kouki.privacy.anomalies.login import login_noted
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.privacy.redaction import redact

USERNAME_PATTERN = re.compile(r"[a-z][a-z0-9._-]{2,31}")

# SEC-02: names that describe a group, a function or nobody in particular are refused as IDs.
SHARED_USERNAMES = frozenset({
    "admin", "administrator", "root", "system", "shared", "common", "guest", "public", "anonymous", "test",
    "tester", "user", "users", "staff", "operator", "everyone", "all", "team", "group", "office", "counter",
    "madoguchi", "kyotsu", "kyoutsu", "kyouyou", "kyoyo", "demo", "temp", "tmp", "default", "support",
})
SHARED_NAME_WORDS = (
    "共用", "共通", "共有", "窓口", "職員", "管理者", "担当者", "全員",
    "ゲスト", "テスト", "臨時",
)


class StaffAccountError(ValueError):
    """An account request that breaks a rule; the message (Japanese) says which."""


@dataclass(frozen=True)
class StaffEnrolment:
    user: StaffUser
    totp_secret: str
    provisioning_uri: str


def _check_username(username: str) -> None:
    if not USERNAME_PATTERN.fullmatch(username):
        raise StaffAccountError("職員IDは英小文字で始まる3〜32文字(英小文字・数字・._-)にしてください")
    parts = [re.sub(r"\d+$", "", part) for part in re.split(r"[._-]", username)]
    if username in SHARED_USERNAMES or any(part in SHARED_USERNAMES for part in parts):
        raise StaffAccountError("共用・汎用のIDは発行できません (SEC-02: 職員一人につき一つのID)")
    if StaffUser.objects.filter(username=username).exists():
        raise StaffAccountError("この職員IDは既に使われています (IDの再利用はできません)")


def _check_staff_name(staff_name: str) -> str:
    name = staff_name.strip()
    if not name:
        raise StaffAccountError("職員氏名は必須です (SEC-01: アカウントは職員一人に対応)")
    if any(word in name for word in SHARED_NAME_WORDS):
        raise StaffAccountError("職員氏名には個人の氏名を入力してください (共用の名称は使えません)")
    return name


def _check_owner(staff_name: str, office: str, staff_no: str) -> None:
    if staff_no:
        if StaffUser.objects.filter(staff_no=staff_no).exists():
            raise StaffAccountError("この職員番号の職員には既にアカウントがあります (SEC-01)")
        return
    if StaffUser.objects.filter(staff_name=staff_name, office=office, is_active=True, staff_no="").exists():
        raise StaffAccountError(
            "同じ所属・氏名の有効なアカウントが既にあります。別人の場合は職員番号を指定してください (SEC-01)"
        )


def new_account(*, username: str, staff_name: str, role: str, office: str, staff_no: str) -> StaffUser:
    """An unsaved account after the SEC-01/SEC-02 checks (ID form, not shared, not reused, one per person).
    Call inside a transaction."""
    username = username.strip()
    try:
        role_value = Role(role)
    except ValueError:
        raise StaffAccountError(f"役割が不正です: {', '.join(r.value for r in Role)} のいずれか") from None
    name = _check_staff_name(staff_name)
    _check_username(username)
    _check_owner(name, office.strip(), staff_no.strip())
    return StaffUser(username=username, staff_name=name, office=office.strip(), role=role_value.value,
                     staff_no=staff_no.strip())


def staff_create(*, actor: Actor, username: str, staff_name: str, role: str, password: str,
                 office: str = "", staff_no: str = "", request_ref: str = "",
                 must_change: bool = True) -> StaffEnrolment:
    """Enrol one named member of staff with a password and a fresh TOTP secret, both known to the caller.

    For synthetic installations only — the demo and the tests, whose caller prints or uses both factors
    (`must_change=False` there). A real account is registered with an enrolment code instead
    (kouki.staff.enrol.staff_register), so that nobody but its owner knows both. `request_ref` is the
    written request (SEC-05), kept in the audit row and in the account's record on file.
    """
    with transaction.atomic():
        user = new_account(username=username, staff_name=staff_name, role=role, office=office,
                           staff_no=staff_no)
        secret = totp.new_secret()
        user.totp_secret = secret_box.seal(secret, user.username)  # never stored in clear (issue 14 §2)
        try:
            passwords.set_new_password(user, password, must_change=must_change)
        except ValidationError as exc:
            raise StaffAccountError("パスワードが条件を満たしません: " + " ".join(exc.messages)) from None
        user.save()
        record_on_file(user, actor=actor, kessai_ref=request_ref or "(直接登録)")
        audit_record(actor=actor, action=AuditAction.STAFF_CREATE, target_type=AuditTarget.STAFF,
                     target_id=str(user.pk),
                     detail={"username": user.username, "role": user.role, "office": user.office,
                             "staff_no": user.staff_no, "request_ref": request_ref,
                             "first_factor": "password"})
    return StaffEnrolment(user=user, totp_secret=secret,
                          provisioning_uri=totp.provisioning_uri(secret=secret, username=user.username))


def staff_secrets_seal(*, actor: Actor) -> int:
    """Seal under the keyring's active key every second-factor secret stored in clear (before issue 14 §2)
    or under an older key (before `kouki keys retire`); one audit row. Returns how many were sealed."""
    from kouki.privacy.keys import load_keyring

    active = f"{secret_box.PREFIX}{load_keyring().active}:"
    with transaction.atomic():
        users = [u for u in StaffUser.objects.select_for_update().exclude(totp_secret="").order_by("pk")
                 if not u.totp_secret.startswith(active)]  # fmt: skip
        for u in users:
            u.totp_secret = secret_box.seal(secret_box.open_secret(u.totp_secret, u.username), u.username)
        StaffUser.objects.bulk_update(users, ["totp_secret"])
        audit_record(actor=actor, action=AuditAction.STAFF_SECRETS_SEAL, target_type=AuditTarget.STAFF,
                     target_id="", detail={"sealed": len(users)})  # fmt: skip
    return len(users)


def record_on_file(user: StaffUser, *, actor: Actor, kessai_ref: str, reason: str = "直接登録") -> None:
    """The approved record of an account registered without a request (the inventory compares with it)."""
    now = timezone.now()
    AccountRequest.objects.create(
        kind=RequestKind.NEW_ACCOUNT, status=RequestStatus.APPROVED, account=user, username=user.username,
        staff_name=user.staff_name, staff_no=user.staff_no, office=user.office, role=user.role,
        reason=reason, requested_at=now, decided_at=now, kessai_ref=kessai_ref[:50],
        decided_by_id=actor.user_id,
    )


def _get(username: str, seen_version: int | None = None) -> StaffUser:
    """The account, locked; StaleEdit when the administrator's page was opened before another
    administrator's change (kouki.core.versioning). The caller bumps the version when it writes."""
    try:
        user = StaffUser.objects.select_for_update().get(username=username)
    except StaffUser.DoesNotExist:
        raise StaffAccountError("その職員IDはありません") from None
    check_version(user.version, seen_version)
    return user


def _reason(reason: str, what: str) -> str:
    text = reason.strip()
    if not text:
        raise StaffAccountError(f"{what}の理由は必須です")
    if len(text) > 200:
        raise StaffAccountError(f"{what}の理由は200文字以内にしてください")
    return text


def staff_disable(
    *, actor: Actor, username: str, reason: str, request_ref: str = "", seen_version: int | None = None
) -> None:
    """Stop an account (SEC-06 inventory finding, transfer, retirement). The ID is kept, never reissued.

    Nobody stops their own account from a screen (actor.user_id): the last administrator could lock
    everyone out."""
    why = _reason(reason, "利用停止")
    with transaction.atomic():
        user = _get(username, seen_version)
        if actor.user_id is not None and actor.user_id == user.pk:
            raise StaffAccountError("自分のアカウントは利用停止できません")
        if not user.is_active:
            raise StaffAccountError("このアカウントは既に利用停止されています")
        user.is_active = False
        user.disabled_at = timezone.now()
        user.save(update_fields=["is_active", "disabled_at", bump(user)])
        audit_record(actor=actor, action=AuditAction.STAFF_DISABLE, target_type=AuditTarget.STAFF,
                     target_id=str(user.pk),
                     detail={"username": username, "reason": why, "request_ref": request_ref})


def staff_enable(
    *, actor: Actor, username: str, reason: str, request_ref: str = "", seen_version: int | None = None
) -> None:
    """Let a stopped account sign in again (a stop found to be a mistake, a return from leave).

    The same ID comes back to the same person (SEC-02: an ID is never given to someone else); the
    lockout counter is cleared as well."""
    why = _reason(reason, "利用再開")
    with transaction.atomic():
        user = _get(username, seen_version)
        if user.is_active:
            raise StaffAccountError("このアカウントは利用停止されていません")
        user.is_active = True
        user.disabled_at = None
        user.save(update_fields=["is_active", "disabled_at", bump(user)])
        lockout.unlock(user)
        audit_record(actor=actor, action=AuditAction.STAFF_ENABLE, target_type=AuditTarget.STAFF,
                     target_id=str(user.pk),
                     detail={"username": username, "reason": why, "request_ref": request_ref})


def staff_unlock(*, actor: Actor, username: str, reason: str = "", seen_version: int | None = None) -> None:
    """Clear a lockout (and the failed-attempt count). The screen asks for a reason; the command may not."""
    why = reason.strip()[:200]
    with transaction.atomic():
        user = _get(username, seen_version)
        lockout.unlock(user)
        user.save(update_fields=[bump(user)])
        audit_record(actor=actor, action=AuditAction.STAFF_UNLOCK, target_type=AuditTarget.STAFF,
                     target_id=str(user.pk),
                     detail={"username": username, "reason": why})


# --- sign-in --------------------------------------------------------------------------------------


class LoginOutcome(StrEnum):
    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    NO_SECOND_FACTOR = "no_second_factor"
    THROTTLED = "throttled"  # too many failures from the client's address (kouki.accounts.throttle)


@dataclass(frozen=True)
class LoginStep:
    outcome: LoginOutcome
    user: StaffUser | None = None
    locked_now: bool = False  # this failure locked the account (here or everywhere): the audit says which


def login_actor(username: str, terminal_id: str, user_id: int | None = None) -> Actor:
    """The actor of a sign-in attempt: the name typed (redacted, trimmed) at this terminal."""
    return Actor(username=redact(username)[:150], terminal_id=terminal_id, user_id=user_id)


def _throttled(actor: Actor, address: str, step: str) -> LoginStep | None:
    """The refusal of a step from an address over its failure limit (audited), else None."""
    if not throttle.address_blocked(address):
        return None
    audit_record(actor=actor, action=AuditAction.LOGIN_THROTTLED, target_type=AuditTarget.STAFF, target_id="",
                 detail={"step": step, "address": address})  # fmt: skip
    return LoginStep(LoginOutcome.THROTTLED)


def _fail(actor: Actor, user: StaffUser | None, step: str, reason: str, address: str = "",
          extra: dict[str, object] | None = None) -> LoginStep:
    throttle.address_failure(address)
    locked = None
    if user is not None and user.is_active:
        locked = lockout.register_failure(user, address)
    audit_record(actor=actor, action=AuditAction.LOGIN_FAILED, target_type=AuditTarget.STAFF,
                 target_id=str(user.pk) if user else "",
                 detail={"step": step, "reason": reason, **(extra or {})})
    if locked is not None and user is not None:
        audit_record(actor=actor, action=AuditAction.LOGIN_LOCKED, target_type=AuditTarget.STAFF,
                     target_id=str(user.pk),
                     detail={"step": step, "threshold_reached": True, "scope": str(locked),
                             "address": address})
    return LoginStep(LoginOutcome.BAD_CREDENTIALS, None, locked is not None)


def _refused_locked(actor: Actor, user: StaffUser, step: str, address: str) -> LoginStep | None:
    """The refusal of a step of a locked account (audited with the lock's scope; it counts towards the
    address's throttle, not towards the account's lock), else None."""
    scope = lockout.lock_scope(user, address)
    if scope is None:
        return None
    throttle.address_failure(address)
    audit_record(actor=actor, action=AuditAction.LOGIN_REFUSED_LOCKED, target_type=AuditTarget.STAFF,
                 target_id=str(user.pk), detail={"step": step, "scope": str(scope), "address": address})
    return LoginStep(LoginOutcome.LOCKED)


def _same_work(password: str) -> None:
    """Hash the password once, as a real check would: no timing hint about which refusal it was."""
    StaffUser().set_password(password)


def login_password_verify(*, actor: Actor, password: str, address: str = "") -> LoginStep:
    """First factor. On OK the caller asks for the TOTP code; the session is not signed in yet.
    `address`: the client's address for the per-address throttle and lock (none: "").

    Unknown, disabled, locked and wrong are different outcomes here and in the audit rows; the screen
    shows one message for all of them (no account enumeration)."""
    with transaction.atomic():
        refused = _throttled(actor, address, "password")
        if refused is not None:
            return refused
        user = StaffUser.objects.select_for_update().filter(username=actor.username).first()
        if user is None:
            _same_work(password)
            return _fail(actor, None, "password", "unknown_user", address)
        if not user.is_active:
            _same_work(password)
            return _fail(actor, user, "password", "disabled", address)
        locked = _refused_locked(actor, user, "password", address)
        if locked is not None:
            _same_work(password)
            return locked
        if not user.check_password(password):
            return _fail(actor, user, "password", "wrong_password", address)
        if not second_factors.usable(user):
            audit_record(actor=actor, action=AuditAction.LOGIN_FAILED, target_type=AuditTarget.STAFF,
                         target_id=str(user.pk),
                         detail={"step": "password", "reason": "no_second_factor"})
            return LoginStep(LoginOutcome.NO_SECOND_FACTOR)
        audit_record(actor=actor, action=AuditAction.LOGIN_PASSWORD_OK, target_type=AuditTarget.STAFF,
                     target_id=str(user.pk),
                     detail={})
        return LoginStep(LoginOutcome.OK, user)


def login_totp_verify(*, actor: Actor, user_id: int, code: str, address: str = "") -> LoginStep:
    """Second factor. OK means both factors passed: the caller signs the session in."""
    with transaction.atomic():
        refused = _throttled(actor, address, "totp")
        if refused is not None:
            return refused
        user = StaffUser.objects.select_for_update().filter(pk=user_id).first()
        if user is None or not user.is_active:
            return _fail(actor, user, "totp", "disabled", address)
        locked = _refused_locked(actor, user, "totp", address)
        if locked is not None:
            return locked
        if second_factors.TOTP not in second_factors.usable(user):  # the policy does not allow it (now)
            return _fail(actor, user, "totp", "factor_not_allowed", address)
        if not totp.verify_and_consume(user, code):
            return _fail(actor, user, "totp", "wrong_or_reused_code", address)
        return signed_in(actor, user, address, {"factor": "totp"})


def signed_in(actor: Actor, user: StaffUser, address: str, detail: dict[str, object]) -> LoginStep:
    """Both factors passed (any second factor): failures cleared, last login, the audit row. In the caller's
    transaction."""
    lockout.register_success(user, address)
    previous, now = user.last_login, timezone.now()
    login_noted(user=user, terminal_id=actor.terminal_id, at=now, previous_login=previous)  # issue 15 §2
    user.last_login = now
    user.save(update_fields=["last_login"])
    audit_record(actor=actor, action=AuditAction.LOGIN_SUCCEEDED, target_type=AuditTarget.STAFF,
                 target_id=str(user.pk), detail={"role": user.role, **detail})
    return LoginStep(LoginOutcome.OK, user)


def logout_record(*, actor: Actor, reason: str) -> None:
    """SEC-04/SEC-14: sign-outs are logged too (reason 'user' or 'idle')."""
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.LOGOUT, target_type=AuditTarget.STAFF,
                     target_id=str(actor.user_id or ""), detail={"reason": reason})
