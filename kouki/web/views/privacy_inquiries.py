"""受付票 of inquiries and complaints about personal information (SEC-38; issue 15 §4): the list with its
search, a new 受付票, and one 受付票 with its answer and follow-up."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from kouki.accounts.permissions import Jimu, Perm
from kouki.rights.models import Channel, InquiryKind, InquiryStatus, Relation
from kouki.rights.selectors import InquirySearch, privacy_inquiries_search, privacy_inquiry
from kouki.rights.services import InquiryInput, InvalidInquiry, privacy_inquiry_answer, privacy_inquiry_record
from kouki.web.access import actor_for, staff_user, staff_view
from kouki.web.rights_forms import AnswerForm, InquiryForm, InquirySearchForm

PAGE_SIZE = 50


@staff_view(permission=Perm.VIEW_PRIVACY_INQUIRIES, business_function=Jimu.INCIDENTAL, methods=("GET",))
def privacy_inquiry_list_view(request: HttpRequest) -> HttpResponse:
    form = InquirySearchForm(request.GET or None)
    search = InquirySearch()
    number = 1
    if form.is_valid():
        d = form.cleaned_data
        search = InquirySearch(d["received_from"], d["received_to"], d["status"], d["channel"], d["kind"],
                               d["text"])
        number = d["page"] or 1
    rows = privacy_inquiries_search(search) if not form.is_bound or form.is_valid() else None
    page = Paginator(rows, PAGE_SIZE).get_page(number) if rows is not None else None
    user = staff_user(request)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/privacy_inquiries_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "may_record": user is not None and user.has_kouki_perm(Perm.RECORD_PRIVACY_INQUIRY),
    })


@staff_view(permission=Perm.RECORD_PRIVACY_INQUIRY, business_function=Jimu.INCIDENTAL)
def privacy_inquiry_new_view(request: HttpRequest) -> HttpResponseBase:
    form = InquiryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = staff_user(request)
        assert user is not None
        try:
            inquiry = privacy_inquiry_record(actor=actor_for(request), user=user, data=InquiryInput(
                received_at=form.received_at(), channel=Channel(d["channel"]), kind=InquiryKind(d["kind"]),
                relation=Relation(d["relation"]), subject=d["subject"], content=d["content"],
                requester_name=d["requester_name"], contact=d["contact"], addressee_no=d["addressee_no"]))
        except InvalidInquiry as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
        else:
            return redirect("web:privacy_inquiry_detail", inquiry.pk)
    return render(request, "web/privacy_inquiries_form.html", {"form": form})


@staff_view(permission=Perm.VIEW_PRIVACY_INQUIRIES, business_function=Jimu.INCIDENTAL)
def privacy_inquiry_detail_view(request: HttpRequest, inquiry_id: int) -> HttpResponseBase:
    inquiry = privacy_inquiry(inquiry_id)
    if inquiry is None:
        raise Http404
    user = staff_user(request)
    assert user is not None
    may_record = user.has_kouki_perm(Perm.RECORD_PRIVACY_INQUIRY) and inquiry.status != InquiryStatus.CLOSED
    form = AnswerForm(request.POST or None,
                      initial={"answer": inquiry.answer, "follow_up": inquiry.follow_up})
    if request.method == "POST":
        if not may_record:
            return render(request, "web/forbidden.html", {"reason": ""}, status=403)
        if form.is_valid():
            d = form.cleaned_data
            try:
                privacy_inquiry_answer(actor=actor_for(request), user=user, inquiry_id=inquiry.pk,
                                       answer=d["answer"], follow_up=d["follow_up"], close=d["close"])
            except InvalidInquiry as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
            else:
                return redirect("web:privacy_inquiry_detail", inquiry.pk)
    return render(request, "web/privacy_inquiries_detail.html",
                  {"inquiry": inquiry, "form": form, "may_record": may_record})
