"""職員アカウントの申請と承認 (issue 14 §4; SEC-05, SEC-08).

The section head (Perm.REQUEST_ACCOUNTS) requests a new account or a role change for their own office; the
system administrator (Perm.MANAGE_STAFF) approves with the 決裁番号 or rejects with a reason. Approving a new
account shows its one-time enrolment code once, in the response to the approval (never stored in clear,
never shown again): the administrator prints it and hands it over.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from kouki.accounts.models import AccountRequest, RequestStatus
from kouki.accounts.permissions import Perm
from kouki.accounts.selectors import (
    account_request,
    decided_requests,
    office_accounts,
    pending_requests,
    requests_by,
    role_label,
)
from kouki.staff import requests as services
from kouki.staff.services import StaffAccountError
from kouki.web.access import actor_for, staff_user, staff_view
from kouki.web.account_forms import DecisionForm, NewAccountRequestForm, RoleChangeRequestForm


@staff_view(permission=Perm.REQUEST_ACCOUNTS, business_function=None)
def request_new_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    assert user is not None
    form = NewAccountRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.request_new_account(
                actor=actor_for(request),
                username=data["username"],
                staff_name=data["staff_name"],
                role=data["role"],
                reason=data["reason"],
                staff_no=data["staff_no"],
            )
        except StaffAccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, f"{data['staff_name']}さんのアカウントを申請しました(システム管理者の承認待ち)"
            )
            return redirect("web:staff_request_new")
    accounts = [
        (a.username, f"{a.staff_name}({a.username}・{role_label(a.role)})")
        for a in office_accounts(user.office)
        if a.pk != user.pk
    ]
    role_form = RoleChangeRequestForm(accounts=accounts)
    return render(
        request,
        "staff/request_new.html",
        {
            "form": form,
            "role_form": role_form,
            "office": user.office,
            "mine": _rows(requests_by(user.pk)),
        },
    )


@staff_view(permission=Perm.REQUEST_ACCOUNTS, business_function=None, methods=("POST",))
def request_role_view(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    assert user is not None
    accounts = [(a.username, a.username) for a in office_accounts(user.office) if a.pk != user.pk]
    form = RoleChangeRequestForm(request.POST, accounts=accounts)
    if form.is_valid():
        try:
            services.request_role_change(
                actor=actor_for(request),
                username=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                reason=form.cleaned_data["reason"],
            )
        except StaffAccountError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "役割の変更を申請しました(システム管理者の承認待ち)")
    else:
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, "役割変更の申請ができませんでした: " + " ".join(errors))
    return redirect("web:staff_request_new")


def _rows(requests: Iterable[AccountRequest]) -> list[dict[str, object]]:
    return [
        {
            "r": r,
            "role_label": role_label(r.role),
            "previous_label": role_label(r.previous_role) if r.previous_role else "",
        }
        for r in requests
    ]


@staff_view(permission=Perm.MANAGE_STAFF, business_function=None, methods=("GET",))
def request_list_view(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/requests.html",
        {
            "pending": _rows(pending_requests()),
            "decided": _rows(decided_requests()),
        },
    )


@staff_view(permission=Perm.MANAGE_STAFF, business_function=None)
def request_decide_view(request: HttpRequest, request_id: int) -> HttpResponse:
    found = account_request(request_id)
    if found is None:
        raise Http404("申請がありません")
    form = DecisionForm(request.POST or None)
    posted = form.data.get("decision", "") if form.is_bound else ""
    if request.method == "POST" and found.status == RequestStatus.REQUESTED and form.is_valid():
        actor = actor_for(request)
        try:
            if form.cleaned_data["decision"] == "approve":
                registered = services.approve(
                    actor=actor, request_id=found.pk, kessai_ref=form.cleaned_data["kessai_ref"]
                )
            else:
                services.reject(actor=actor, request_id=found.pk, reason=form.cleaned_data["reason"])
                registered = None
        except StaffAccountError as exc:
            form.add_error(None, str(exc))
        else:
            if registered is not None:  # shown once, in this response only
                return render(
                    request,
                    "staff/enrolment_code.html",
                    {"registered": registered, "role_label": role_label(found.role)},
                )
            messages.success(
                request,
                "申請を承認しました" if form.cleaned_data["decision"] == "approve" else "申請を却下しました",
            )
            return redirect("web:staff_requests")
    return render(
        request,
        "staff/request_decide.html",
        {
            "row": _rows([found])[0],
            "form": form,
            "posted": posted,
            "open": found.status == RequestStatus.REQUESTED,
        },
    )
