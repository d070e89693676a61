"""Account requests (issue 14 §4; SEC-05, SEC-08): a section head (Perm.REQUEST_ACCOUNTS, the 審査・監督者
role) asks for a new account or a role change in their own office; the system administrator
(Perm.MANAGE_STAFF) approves it with the 決裁 reference, or rejects it with a reason.

- Approving a new account registers it without any factor and returns the one-time enrolment code
  (kouki.staff.enrol.staff_register); approving a role change changes the role at once.
- Nobody decides their own request, nor a request about their own account.
- Every step writes its audit row in the same transaction; the request row stays as the record on file
  that the inventory compares each account's role with.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from kouki.accounts.models import AccountRequest, RequestKind, RequestStatus, StaffUser
from kouki.accounts.permissions import Role
from kouki.accounts.selectors import roles_on_file
from kouki.core.audit_vocabulary import AuditAction, AuditTarget
from kouki.privacy.audit import audit_record
from kouki.privacy.context import Actor
from kouki.staff.enrol import Registered, staff_register
from kouki.staff.services import StaffAccountError, new_account


def _text(value: str, what: str, limit: int) -> str:
    text = value.strip()
    if not text:
        raise StaffAccountError(f"{what}は必須です")
    if len(text) > limit:
        raise StaffAccountError(f"{what}は{limit}文字以内にしてください")
    return text


def _requester(actor: Actor) -> StaffUser:
    user = StaffUser.objects.filter(pk=actor.user_id, is_active=True).first() if actor.user_id else None
    if user is None:
        raise StaffAccountError("申請者のアカウントがありません")
    return user


def _audit(actor: Actor, action: AuditAction, request: AccountRequest, **detail: object) -> None:
    audit_record(
        actor=actor,
        action=action,
        target_type=AuditTarget.STAFF,
        target_id=str(request.account_id or ""),
        detail={
            "request_id": request.pk,
            "kind": request.kind,
            "username": request.username,
            "role": request.role,
            **detail,
        },
    )


def request_new_account(
    *, actor: Actor, username: str, staff_name: str, role: str, reason: str, staff_no: str = ""
) -> AccountRequest:
    """A section head's request for an account in their own office (the checks of registration run now)."""
    why = _text(reason, "申請理由", 200)
    with transaction.atomic():
        requester = _requester(actor)
        candidate = new_account(
            username=username, staff_name=staff_name, role=role, office=requester.office, staff_no=staff_no
        )
        if AccountRequest.objects.filter(
            username=candidate.username, status=RequestStatus.REQUESTED
        ).exists():
            raise StaffAccountError("この職員IDの申請が既に承認待ちです")
        request = AccountRequest.objects.create(
            kind=RequestKind.NEW_ACCOUNT,
            username=candidate.username,
            staff_name=candidate.staff_name,
            staff_no=candidate.staff_no,
            office=candidate.office,
            role=candidate.role,
            reason=why,
            requested_by=requester,
            requested_at=timezone.now(),
        )
        _audit(actor, AuditAction.STAFF_REQUEST, request, office=request.office, reason=why)
        return request


def request_role_change(*, actor: Actor, username: str, role: str, reason: str) -> AccountRequest:
    """A section head's request to change the role of an active account of their own office — or to confirm
    its current role when no approved request is on file for it (the inventory flags those)."""
    why = _text(reason, "申請理由", 200)
    try:
        new_role = Role(role).value
    except ValueError:
        raise StaffAccountError("役割が不正です") from None
    with transaction.atomic():
        requester = _requester(actor)
        account = StaffUser.objects.filter(username=username.strip(), is_active=True).first()
        if account is None or account.office != requester.office:
            raise StaffAccountError("所属の有効なアカウントではありません")
        if account.pk == requester.pk:
            raise StaffAccountError("自分の役割の変更は申請できません")
        if account.role == new_role and roles_on_file().get(account.pk) == new_role:
            raise StaffAccountError("現在と同じ役割です")  # same role: only to put a missing record on file
        if AccountRequest.objects.filter(account=account, status=RequestStatus.REQUESTED).exists():
            raise StaffAccountError("このアカウントの申請が既に承認待ちです")
        request = AccountRequest.objects.create(
            kind=RequestKind.ROLE_CHANGE,
            account=account,
            username=account.username,
            staff_name=account.staff_name,
            staff_no=account.staff_no,
            office=account.office,
            role=new_role,
            previous_role=account.role,
            reason=why,
            requested_by=requester,
            requested_at=timezone.now(),
        )
        _audit(actor, AuditAction.STAFF_REQUEST, request, previous_role=account.role, reason=why)
        return request


def _pending(request_id: int, actor: Actor) -> AccountRequest:
    request = AccountRequest.objects.select_for_update().filter(pk=request_id).first()
    if request is None:
        raise StaffAccountError("その申請はありません")
    if request.status != RequestStatus.REQUESTED:
        raise StaffAccountError("この申請は既に決定されています")
    if actor.user_id is not None and actor.user_id in (request.requested_by_id, request.account_id):
        raise StaffAccountError("自分が申請した、または自分のアカウントに関する申請は決定できません")
    return request


def _decided(
    request: AccountRequest, actor: Actor, status: RequestStatus, *, ref: str = "", note: str = ""
) -> None:
    request.status = status
    request.decided_by_id = actor.user_id
    request.decided_at = timezone.now()
    request.kessai_ref = ref
    request.decision_note = note
    request.save(
        update_fields=["status", "decided_by", "decided_at", "kessai_ref", "decision_note", "account"]
    )


def approve(*, actor: Actor, request_id: int, kessai_ref: str) -> Registered | None:
    """Approve with the 決裁 reference. A new account: its enrolment code (shown once); a role change:
    None (the role has changed)."""
    ref = _text(kessai_ref, "決裁番号", 50)
    with transaction.atomic():
        request = _pending(request_id, actor)
        registered = None
        if request.kind == RequestKind.NEW_ACCOUNT:
            registered = staff_register(
                actor=actor,
                username=request.username,
                staff_name=request.staff_name,
                role=request.role,
                office=request.office,
                staff_no=request.staff_no,
                kessai_ref=ref,
                request=request,
            )
        else:
            account = StaffUser.objects.select_for_update().filter(pk=request.account_id or 0).first()
            if account is None or not account.is_active:
                raise StaffAccountError("利用停止中のアカウントの役割は変更できません")
            request.previous_role = account.role
            account.role = request.role
            account.save(update_fields=["role"])
            audit_record(
                actor=actor,
                action=AuditAction.STAFF_ROLE_CHANGE,
                target_type=AuditTarget.STAFF,
                target_id=str(account.pk),
                detail={
                    "username": account.username,
                    "from": request.previous_role,
                    "to": request.role,
                    "kessai_ref": ref,
                    "request_id": request.pk,
                },
            )
            request.save(update_fields=["previous_role"])
        _decided(request, actor, RequestStatus.APPROVED, ref=ref)
        _audit(actor, AuditAction.STAFF_REQUEST_APPROVE, request, kessai_ref=ref)
        return registered


def reject(*, actor: Actor, request_id: int, reason: str) -> None:
    note = _text(reason, "却下の理由", 200)
    with transaction.atomic():
        request = _pending(request_id, actor)
        _decided(request, actor, RequestStatus.REJECTED, note=note)
        _audit(actor, AuditAction.STAFF_REQUEST_REJECT, request, reason=note)
