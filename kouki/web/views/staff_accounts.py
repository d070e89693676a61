"""職員アカウントの操作 (SEC-05, SEC-06): the administrator unlocks, stops or re-enables one account.

Each action asks for a reason and a confirmation; the write is kouki.staff.services (audited in the
same transaction). Perm.MANAGE_STAFF only; no personal data of the insured is shown here.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import ROLE_LABELS, Perm, Role
from kouki.accounts.selectors import staff_account
from kouki.staff.services import StaffAccountError, staff_disable, staff_enable, staff_unlock
from kouki.web.access import actor_for, staff_view
from kouki.web.staff_forms import ACTIONS, AccountActionForm

DONE = {"unlock": "ロックを解除しました。", "disable": "利用停止しました。", "enable": "利用を再開しました。"}


def _offered(user: StaffUser) -> list[str]:
    """The actions that make sense for the account's state, in the order shown."""
    if not user.is_active:
        return ["enable"]
    locked = user.locked_until is not None and user.locked_until > timezone.now()
    return ["unlock", "disable"] if locked or user.failed_attempts else ["disable"]


def _apply(request: HttpRequest, user: StaffUser, form: AccountActionForm) -> None:
    actor = actor_for(request)
    action = form.cleaned_data["action"]
    reason, ref = form.cleaned_data["reason"], form.cleaned_data["request_ref"].strip()
    if action == "unlock":
        staff_unlock(actor=actor, username=user.username, reason=reason)
    elif action == "disable":
        staff_disable(actor=actor, username=user.username, reason=reason, request_ref=ref)
    else:
        staff_enable(actor=actor, username=user.username, reason=reason, request_ref=ref)


@staff_view(permission=Perm.MANAGE_STAFF, business_function=None)
def staff_account_view(request: HttpRequest, user_id: int) -> HttpResponse:
    user = staff_account(user_id)
    if user is None:
        raise Http404("職員アカウントがありません")
    offered = _offered(user)
    form = AccountActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["action"] not in offered:
            form.add_error(None, "このアカウントの状態ではその操作はできません")
        else:
            try:
                _apply(request, user, form)
            except StaffAccountError as exc:
                form.add_error(None, str(exc))
            else:
                done = DONE[form.cleaned_data["action"]]
                messages.success(request, f"{user.staff_name}さんのアカウントを{done}")
                return redirect("web:staff_account", user_id=user.pk)
    try:
        role_label = ROLE_LABELS[Role(user.role)]
    except ValueError:
        role_label = "(不明な役割)"
    locked = user.locked_until is not None and user.locked_until > timezone.now()
    posted = form.data.get("action", "") if form.is_bound else ""
    return render(request, "staff/account.html", {
        "account": user, "role_label": role_label, "locked": locked, "form": form, "posted": posted,
        "offered": [(a, dict(ACTIONS)[a]) for a in offered],
    })
