"""職員アカウントの操作 (SEC-05, SEC-06): the administrator unlocks, stops or re-enables one account, or
reissues its one-time enrolment code (lost authenticator, forgotten password: shown once), or revokes one
registered WebAuthn terminal (issue 14 §5: a lost or replaced terminal).

Each action asks for a reason and a confirmation; the write is kouki.staff.services (audited in the
same transaction). Perm.MANAGE_STAFF only; no personal data of the insured is shown here.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.accounts.selectors import locked_at_addresses, role_label, staff_account, webauthn_credentials
from kouki.core.versioning import STALE_MESSAGE, StaleEdit
from kouki.staff.enrol import Registered, staff_reissue_code
from kouki.staff.services import StaffAccountError, staff_disable, staff_enable, staff_unlock
from kouki.web.access import actor_for, staff_view
from kouki.web.staff_forms import ACTIONS, AccountActionForm
from kouki.web.views.webauthn import admin_revoke

DONE = {"unlock": "ロックを解除しました。", "disable": "利用停止しました。", "enable": "利用を再開しました。"}



def _offered(user: StaffUser, locked_here: int) -> list[str]:
    """The actions that make sense for the account's state, in the order shown."""
    if not user.is_active:
        return ["enable"]
    locked = user.locked_until is not None and user.locked_until > timezone.now()
    first = ["unlock"] if locked or locked_here or user.failed_attempts else []
    return [*first, "reissue", "disable"]


def _apply(request: HttpRequest, user: StaffUser, form: AccountActionForm) -> Registered | None:
    actor = actor_for(request)
    action = form.cleaned_data["action"]
    reason, ref = form.cleaned_data["reason"], form.cleaned_data["request_ref"].strip()
    seen = form.cleaned_data["version"]
    if action == "reissue":
        return staff_reissue_code(actor=actor, username=user.username, reason=reason, seen_version=seen)
    if action == "unlock":
        staff_unlock(actor=actor, username=user.username, reason=reason, seen_version=seen)
    elif action == "disable":
        staff_disable(actor=actor, username=user.username, reason=reason, request_ref=ref, seen_version=seen)
    else:
        staff_enable(actor=actor, username=user.username, reason=reason, request_ref=ref, seen_version=seen)
    return None


@staff_view(permission=Perm.MANAGE_STAFF, business_function=None)
def staff_account_view(request: HttpRequest, user_id: int) -> HttpResponse:
    user = staff_account(user_id)
    if user is None:
        raise Http404("職員アカウントがありません")
    locked_here = locked_at_addresses(user)
    offered = _offered(user, locked_here)
    revoke_form = None
    if request.method == "POST" and request.POST.get("action") == "revoke_key":  # a lost or replaced terminal
        revoke_form = admin_revoke(request, user.pk)
        if not revoke_form.errors:
            return redirect("web:staff_account", user_id=user.pk)
    form = AccountActionForm(request.POST if revoke_form is None else None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["version"] != user.version:  # opened before another administrator's change
            form.add_error(None, STALE_MESSAGE)
        elif form.cleaned_data["action"] not in offered:
            form.add_error(None, "このアカウントの状態ではその操作はできません")
        else:
            try:
                registered = _apply(request, user, form)
            except (StaffAccountError, StaleEdit) as exc:
                form.add_error(None, str(exc))
            else:
                if registered is not None:  # shown once, in this response only
                    return render(request, "staff/enrolment_code.html", {
                        "registered": registered, "role_label": role_label(user.role)})
                done = DONE[form.cleaned_data["action"]]
                messages.success(request, f"{user.staff_name}さんのアカウントを{done}")
                return redirect("web:staff_account", user_id=user.pk)
    locked = user.locked_until is not None and user.locked_until > timezone.now()
    posted = form.data.get("action", "") if form.is_bound else ""
    return render(request, "staff/account.html", {
        "account": user, "role_label": role_label(user.role), "locked": locked, "locked_here": locked_here,
        "form": form, "posted": posted, "keys": webauthn_credentials(user.pk), "revoke_form": revoke_form,
        "offered": [(a, dict(ACTIONS)[a]) for a in offered],
    })
