"""開示・訂正・利用停止請求 (issue 15 §3): the list with the worklist (overdue and near-due first), a new
request (受付), and one request with its steps: 決定案, 承認 (a supervisor, not the preparer), 延長 and
its notice, the package (made in one step, then downloaded), and the carrying out of a 訂正/利用停止."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.disclosure.models import Channel, Decision, DisclosureRequest, Requester, RequestKind, RequestState
from kouki.disclosure.notices import decision_notice_pdf, extension_notice_pdf
from kouki.disclosure.selectors import (
    decided_awaiting,
    disclosure_request,
    disclosure_requests,
    disclosure_worklist,
)
from kouki.disclosure.services import (
    InvalidRequest,
    RequestInput,
    disclosure_decision_approve,
    disclosure_decision_prepare,
    disclosure_package_generate,
    disclosure_package_open,
    disclosure_request_carry_out,
    disclosure_request_extend,
    disclosure_request_receive,
)
from kouki.rules.disclosure_deadlines import DUE_STATE_LABELS
from kouki.rules.disclosure_fees import DisclosureMethod
from kouki.rules.identity_check import AUTHORITY_LABELS, DOCUMENT_LABELS, AuthorityDocument, IdentityDocument
from kouki.web.access import actor_for, staff_user, staff_view
from kouki.web.disclosure_forms import CarryOutForm, ExtendForm, PrepareForm, RequestForm, RequestSearchForm


@staff_view(permission=Perm.REGISTER_DISCLOSURE, business_function=Jimu.INCIDENTAL, methods=("GET",))
def disclosure_list_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = RequestSearchForm(request.GET or None)
    state = kind = ""
    if form.is_valid():
        state, kind = form.cleaned_data["state"], form.cleaned_data["kind"]
    return render(request, "web/disclosure_list.html", {
        "form": form, "worklist": disclosure_worklist(today), "awaiting": decided_awaiting(today),
        "rows": disclosure_requests(today=today, state=state, kind=kind), "labels": DUE_STATE_LABELS,
    })


@staff_view(permission=Perm.REGISTER_DISCLOSURE, business_function=Jimu.INCIDENTAL)
def disclosure_new_view(request: HttpRequest) -> HttpResponseBase:
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = staff_user(request)
        assert user is not None
        data = RequestInput(
            kind=RequestKind(d["kind"]), addressee_no=d["addressee_no"], requester=Requester(d["requester"]),
            channel=Channel(d["channel"]), received_on=d["received_on"], content=d["content"],
            documents=frozenset(IdentityDocument(x) for x in d["documents"]),
            requester_name=d["requester_name"],
            authority_documents=frozenset(AuthorityDocument(x) for x in d["authority_documents"]),
            agent_document_on=d["agent_document_on"],
            method=DisclosureMethod(d["method"]) if d["method"] else None, disclosure_no=d["disclosure_no"])
        try:
            made = disclosure_request_receive(actor=actor_for(request), user=user, data=data)
        except InvalidRequest as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
        else:
            return redirect("web:disclosure_detail", made.pk)
    return render(request, "web/disclosure_form.html", {"form": form})


def _request_or_404(request_id: int) -> DisclosureRequest:
    found = disclosure_request(request_id)
    if found is None:
        raise Http404
    return found


@staff_view(permission=Perm.REGISTER_DISCLOSURE, business_function=Jimu.INCIDENTAL, methods=("GET",))
def disclosure_detail_view(request: HttpRequest, request_id: int) -> HttpResponse:
    return _detail(request, request_id)


def _detail(request: HttpRequest, request_id: int, *, status: int = 200, **forms: Any) -> HttpResponse:
    found = _request_or_404(request_id)
    user = staff_user(request)
    assert user is not None
    open_ = found.state in (RequestState.RECEIVED, RequestState.PREPARED)
    context = {
        "r": found, "open": open_,
        "documents": [DOCUMENT_LABELS.get(IdentityDocument(d), d) for d in found.identity_documents],
        "prepare_form": forms.get("prepare_form") or PrepareForm(kind=found.kind, initial={
            "decision": found.decision, "reason": found.decision_reason}),
        "extend_form": forms.get("extend_form") or ExtendForm(),
        "carry_form": forms.get("carry_form") or CarryOutForm(),
        "error": forms.get("error", ""),
        "may_approve": (user.has_kouki_perm(Perm.APPROVE_DISCLOSURE) and found.state == RequestState.PREPARED
                        and found.prepared_by_id != user.pk),
        "own_preparation": found.state == RequestState.PREPARED and found.prepared_by_id == user.pk,
        "may_package": (found.state == RequestState.DECIDED and found.kind == RequestKind.DISCLOSURE
                        and found.decision in (Decision.DISCLOSE, Decision.PARTIAL)),
        "may_carry_out": (found.state == RequestState.DECIDED
                          and found.decision in (Decision.CORRECT, Decision.SUSPEND)),
        "authority": AUTHORITY_LABELS,
    }
    return render(request, "web/disclosure_detail.html", context, status=status)


def _done_or_error(request: HttpRequest, request_id: int, action: Callable[[], object]) -> HttpResponseBase:
    try:
        action()
    except InvalidRequest as exc:
        return _detail(request, request_id, status=400, error=exc.reason)
    return redirect("web:disclosure_detail", request_id)


@staff_view(permission=Perm.REGISTER_DISCLOSURE, business_function=Jimu.INCIDENTAL, methods=("POST",))
def disclosure_prepare_view(request: HttpRequest, request_id: int) -> HttpResponseBase:
    found = _request_or_404(request_id)
    form = PrepareForm(request.POST, kind=found.kind)
    if not form.is_valid():
        return _detail(request, request_id, status=400, prepare_form=form)
    user = staff_user(request)
    assert user is not None
    return _done_or_error(request, request_id, lambda: disclosure_decision_prepare(
        actor=actor_for(request), user=user, request_id=request_id,
        decision=Decision(form.cleaned_data["decision"]), reason=form.cleaned_data["reason"]))


@staff_view(permission=Perm.APPROVE_DISCLOSURE, business_function=Jimu.INCIDENTAL, methods=("POST",))
def disclosure_approve_view(request: HttpRequest, request_id: int) -> HttpResponseBase:
    user = staff_user(request)
    assert user is not None
    _request_or_404(request_id)
    return _done_or_error(request, request_id, lambda: disclosure_decision_approve(
        actor=actor_for(request), user=user, request_id=request_id))


@staff_view(permission=Perm.REGISTER_DISCLOSURE, business_function=Jimu.INCIDENTAL, methods=("POST",))
def disclosure_extend_view(request: HttpRequest, request_id: int) -> HttpResponseBase:
    _request_or_404(request_id)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _detail(request, request_id, status=400, extend_form=form)
    user = staff_user(request)
    assert user is not None
    return _done_or_error(request, request_id, lambda: disclosure_request_extend(
        actor=actor_for(request), user=user, request_id=request_id, days=form.cleaned_data["days"],
        reason=form.cleaned_data["reason"], today=timezone.localdate()))


@staff_view(permission=Perm.REGISTER_DISCLOSURE, business_function=Jimu.INCIDENTAL, methods=("POST",))
def disclosure_package_view(request: HttpRequest, request_id: int) -> HttpResponseBase:
    _request_or_404(request_id)
    user = staff_user(request)
    assert user is not None
    return _done_or_error(request, request_id, lambda: disclosure_package_generate(
        actor=actor_for(request), user=user, request_id=request_id, today=timezone.localdate()))


@staff_view(permission=Perm.REGISTER_DISCLOSURE, business_function=Jimu.INCIDENTAL, methods=("POST",))
def disclosure_carry_out_view(request: HttpRequest, request_id: int) -> HttpResponseBase:
    _request_or_404(request_id)
    form = CarryOutForm(request.POST)
    if not form.is_valid():
        return _detail(request, request_id, status=400, carry_form=form)
    user = staff_user(request)
    assert user is not None
    return _done_or_error(request, request_id, lambda: disclosure_request_carry_out(
        actor=actor_for(request), user=user, request_id=request_id, reference=form.cleaned_data["reference"],
        on=form.cleaned_data["carried_out_on"]))


@staff_view(permission=Perm.REGISTER_DISCLOSURE, business_function=Jimu.INCIDENTAL, methods=("GET",))
def disclosure_package_pdf_view(request: HttpRequest, request_id: int) -> HttpResponse:
    _request_or_404(request_id)
    try:
        name, pdf = disclosure_package_open(actor=actor_for(request), request_id=request_id)
    except InvalidRequest:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _letter(request: HttpRequest, request_id: int, render: Callable[..., bytes], stem: str) -> HttpResponse:
    """A letter of the request as a PDF shown in the browser; 404 when the request is not at that stage."""
    _request_or_404(request_id)
    try:
        pdf = render(actor=actor_for(request), request_id=request_id, issued_on=timezone.localdate())
    except InvalidRequest:
        raise Http404 from None
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{stem}-{request_id}.pdf"'
    return response


@staff_view(permission=Perm.REGISTER_DISCLOSURE, business_function=Jimu.INCIDENTAL, methods=("GET",))
def disclosure_extension_notice_view(request: HttpRequest, request_id: int) -> HttpResponse:
    """開示決定等期限延長通知書 of an extended request."""
    return _letter(request, request_id, extension_notice_pdf, "kigen-encho")


@staff_view(permission=Perm.REGISTER_DISCLOSURE, business_function=Jimu.INCIDENTAL, methods=("GET",))
def disclosure_decision_notice_view(request: HttpRequest, request_id: int) -> HttpResponse:
    """開示決定等通知書 of an approved decision (404 before the approval)."""
    return _letter(request, request_id, decision_notice_pdf, "kettei-tsuchi")
