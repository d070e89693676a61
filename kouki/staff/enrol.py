"""Registration with a one-time enrolment code, the owner's own enrolment, and password changes (issue 14
§3–§4). Every write audits in the same transaction.

- `staff_register`: the account without any factor (unusable password, no TOTP secret) and a code, shown
  once to the administrator, who hands it over on paper.
- `staff_reissue_code`: a lost authenticator or a forgotten password: the TOTP secret is removed at once, a
  new code is issued (older ones are voided); the owner enrols again, choosing a new password.
- `enrol_check` / `enrol_complete`: the owner, with their ID and code, chooses a password and enrols a TOTP
  secret that only their screen showed; the code is used up. The administrator never sees either factor.
- `password_change`: the owner changes their password (current one required); required at the first
  sign-in when someone else chose it (StaffUser.must_change_password).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from kouki.accounts import enrolment, lockout, passwords, secret_box, throttle, totp
from kouki.accounts.models import AccountRequest, StaffUser
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.core.config import access_config
from kouki.core.versioning import bump, check_version
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.staff.services import StaffAccountError, new_account, record_on_file
from kouki.staff.webauthn_keys import (
    KEY_REASONS,
    KeyRefused,
    refused_registration,
    revoke_all,
    store_credential,
)


@dataclass(frozen=True)
class Registered:
    user: StaffUser
    code: str  # XXXX-XXXX-XXXX-XXXX, shown once
    expires_at: object


class EnrolmentRefused(ValueError):
    """An enrolment step refused; `field` names the form field the message belongs next to ("" = form)."""

    def __init__(self, message: str, field: str = "", *, locked: bool = False) -> None:
        super().__init__(message)
        self.field = field
        self.locked = locked  # a wrong current password locked the account here: the session ends


BAD_CODE = "職員IDまたは登録コードが正しくないか、有効期限が切れています"
THROTTLED = "この端末からの失敗が続いたため、しばらく登録できません。時間をおいて再度お試しください"


def _issue(actor: Actor, user: StaffUser, why: str) -> Registered:
    row, code = enrolment.issue(user)
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_ENROLMENT_CODE,
        target_type=AuditTarget.STAFF,
        target_id=str(user.pk),
        detail={"username": user.username, "why": why, "expires_at": row.expires_at.isoformat()},
    )
    return Registered(user=user, code=code, expires_at=row.expires_at)


def staff_register(
    *,
    actor: Actor,
    username: str,
    staff_name: str,
    role: str,
    office: str = "",
    staff_no: str = "",
    kessai_ref: str,
    request: AccountRequest | None = None,
) -> Registered:
    """A new account whose owner enrols both factors with the returned code. Without `request` (the first
    administrator, `kouki staff create`) an approved record on file is written with `kessai_ref`."""
    ref = kessai_ref.strip()
    if not ref:
        raise StaffAccountError("決裁番号は必須です (SEC-05, SEC-08)")
    with transaction.atomic():
        user = new_account(
            username=username, staff_name=staff_name, role=role, office=office, staff_no=staff_no
        )
        user.set_unusable_password()
        user.save()
        if request is None:
            record_on_file(user, actor=actor, kessai_ref=ref)
        else:
            request.account = user
            request.save(update_fields=["account"])
        audit_record(
            actor=actor,
            action=AuditAction.STAFF_CREATE,
            target_type=AuditTarget.STAFF,
            target_id=str(user.pk),
            detail={
                "username": user.username,
                "role": user.role,
                "office": user.office,
                "staff_no": user.staff_no,
                "request_ref": ref,
                "request_id": request.pk if request else None,
                "first_factor": "enrolment_code",
            },
        )
        return _issue(actor, user, "new_account")


def staff_reissue_code(
    *, actor: Actor, username: str, reason: str, seen_version: int | None = None
) -> Registered:
    """Re-enrolment (lost authenticator, forgotten password): the TOTP secret stops working at once.
    `seen_version`: the account's version the administrator's page showed (kouki.core.versioning)."""
    why = reason.strip()[:200]
    if not why:
        raise StaffAccountError("再発行の理由は必須です")
    with transaction.atomic():
        user = StaffUser.objects.select_for_update().filter(username=username.strip()).first()
        if user is None:
            raise StaffAccountError("その職員IDはありません")
        check_version(user.version, seen_version)
        if not user.is_active:
            raise StaffAccountError("利用停止中のアカウントには登録コードを発行できません")
        if actor.user_id is not None and actor.user_id == user.pk:
            raise StaffAccountError("自分のアカウントの登録コードは発行できません")
        user.totp_secret = ""
        user.totp_confirmed = False
        user.save(update_fields=["totp_secret", "totp_confirmed", bump(user)])
        revoke_all(actor, user, f"登録コードの再発行: {why}")  # every second factor stops working at once
        audit_record(
            actor=actor,
            action=AuditAction.STAFF_RESET_TOTP,
            target_type=AuditTarget.STAFF,
            target_id=str(user.pk),
            detail={"username": user.username, "reason": why},
        )
        return _issue(actor, user, "reissue")


def _refuse(actor: Actor, address: str, reason: str, user: StaffUser | None = None) -> None:
    throttle.address_failure(address)
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_ENROL_FAILED,
        target_type=AuditTarget.STAFF,
        target_id=str(user.pk) if user else "",
        detail={"reason": reason, "address": address},
    )


def _checked(actor: Actor, username: str, code: str, address: str) -> tuple[StaffUser | None, str]:
    """(the account of a valid code, "") or (None, the refusal's message) — the refusal written."""
    if throttle.address_blocked(address):
        _refuse(actor, address, "throttled")
        return None, THROTTLED
    row = enrolment.valid_code(username.strip(), code)
    if row is None:
        _refuse(actor, address, "bad_code")
        return None, BAD_CODE
    return row.user, ""


def enrol_check(*, actor: Actor, username: str, code: str, address: str = "") -> StaffUser:
    """The account whose valid code this is (EnrolmentRefused otherwise: one message for an unknown ID,
    a wrong, used, voided or expired code; each refusal counts towards the address's throttle)."""
    with transaction.atomic():
        user, message = _checked(actor, username, code, address)
    if user is None:
        raise EnrolmentRefused(message)
    return user


@dataclass(frozen=True)
class KeyEnrolment:
    """This terminal's authenticator registered at enrolment (issue 14 §5): the challenge the setup screen
    issued, the browser's response and the 端末名."""

    challenge_id: int
    response_json: str
    name: str


def enrol_complete(
    *, actor: Actor, username: str, code: str, password: str, secret: str, totp_code: str, address: str = "",
    key: KeyEnrolment | None = None,
) -> StaffUser:
    """The owner's password and second factor(s), proven: the TOTP secret (shown only on their screen) by a
    code from it, and/or this terminal's authenticator by its registration response. Which are required
    follows KOUKI_SECOND_FACTORS: totp only → TOTP; webauthn only → the authenticator; both → at least one."""
    with transaction.atomic():
        user, message = _checked(actor, username, code, address)
        field = ""
        if user is not None:
            message, field = _enrol(actor, user, code, password, secret, totp_code, address, key)
    if message:
        if user is not None and key is not None and field in KEY_REASONS:
            refused_registration(actor, user, field, "enrolment", key.challenge_id)
        shown_at = "name" if field == "name" else "webauthn" if field in KEY_REASONS else field
        raise EnrolmentRefused(message, shown_at)
    assert user is not None
    return user


def _factors_wanted(totp_code: str, key: KeyEnrolment | None) -> tuple[bool, bool, str]:
    """(use TOTP, use the authenticator, the refusal's field or "") under the policy."""
    config = access_config()
    use_totp = config.totp_allowed and bool(totp_code.strip())
    use_key = config.webauthn_allowed and key is not None and bool(key.response_json)
    if use_totp or use_key:
        return use_totp, use_key, ""
    return False, False, "webauthn" if not config.totp_allowed else "totp_code"


def _enrol(
    actor: Actor, user: StaffUser, code: str, password: str, secret: str, totp_code: str, address: str,
    key: KeyEnrolment | None = None,
) -> tuple[str, str]:
    """Store the factors and use the code up; ("", "") or (message, field) with nothing stored."""
    row = enrolment.valid_code(user.username, code)
    use_totp, use_key, missing = _factors_wanted(totp_code, key)
    if missing:
        return ("この端末の生体認証を登録してください" if missing == "webauthn"
                else "認証アプリに表示された確認コードを入力してください"), missing
    step = totp.matching_step(secret, totp_code) if use_totp else 0
    if row is None or step is None:
        _refuse(actor, address, "wrong_totp", user)
        return "確認コードが正しくありません。認証アプリの表示をもう一度確かめてください", "totp_code"
    try:
        with transaction.atomic():
            passwords.set_new_password(user, password)
            if use_key and key is not None:
                store_credential(actor=actor, user=user, challenge_id=key.challenge_id,
                                 response_json=key.response_json, name=key.name, via="enrolment")
    except ValidationError as exc:
        return " ".join(exc.messages), "password"
    except KeyRefused as exc:
        return str(exc), exc.field or "webauthn"
    if use_totp:
        user.totp_secret = secret_box.seal(secret, user.username)  # never stored in clear (issue 14 §2)
        user.totp_confirmed = True
        user.last_totp_step = step
        user.save(update_fields=["totp_secret", "totp_confirmed", "last_totp_step"])
    row.used_at = timezone.now()
    row.save(update_fields=["used_at"])
    audit_record(
        actor=actor,
        action=AuditAction.STAFF_ENROL,
        target_type=AuditTarget.STAFF,
        target_id=str(user.pk),
        detail={"username": user.username, "code_id": row.pk,
                "factors": [f for f, used in (("totp", use_totp), ("webauthn", use_key)) if used]},
    )
    return "", ""


def password_change(*, actor: Actor, user_id: int, current: str, new: str, address: str = "") -> None:
    """The signed-in owner changes their password (EnrolmentRefused with the field on a refusal). A wrong
    current password counts like a failed sign-in step from `address` (throttle and lock): someone at an
    unattended session cannot guess it."""
    with transaction.atomic():
        user = StaffUser.objects.select_for_update().get(pk=user_id)
        wrong = not user.check_password(current)
        locked = None
        if wrong:
            throttle.address_failure(address)
            locked = lockout.register_failure(user, address)
            audit_record(
                actor=actor,
                action=AuditAction.LOGIN_FAILED,
                target_type=AuditTarget.STAFF,
                target_id=str(user.pk),
                detail={"step": "password_change", "reason": "wrong_password"},
            )
        if locked is not None:
            audit_record(
                actor=actor,
                action=AuditAction.LOGIN_LOCKED,
                target_type=AuditTarget.STAFF,
                target_id=str(user.pk),
                detail={
                    "step": "password_change",
                    "threshold_reached": True,
                    "scope": str(locked),
                    "address": address,
                },
            )
    if wrong:
        raise EnrolmentRefused("現在のパスワードが正しくありません", "current", locked=locked is not None)
    with transaction.atomic():
        user = StaffUser.objects.select_for_update().get(pk=user_id)
        forced = user.must_change_password
        try:
            passwords.set_new_password(user, new)
        except ValidationError as exc:
            raise EnrolmentRefused(" ".join(exc.messages), "new") from None
        audit_record(
            actor=actor,
            action=AuditAction.STAFF_PASSWORD_CHANGE,
            target_type=AuditTarget.STAFF,
            target_id=str(user.pk),
            detail={"first_sign_in": forced},
        )
