"""情報照会 (issue 13 §2; SEC-29–31): the counter's inquiry through the 中間サーバ, the answer of one inquiry,
and the 情報提供等記録 for auditors.

Only the inquiry role (Perm.INQUIRE) opens the inquiry screens; the answer is opened in memory for the page
(audited), never put in a URL, and the pages are not cached (no-store). A purged answer says so. Auditors
(Perm.VIEW_AUDIT) read the records, never the answers.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kouki.accounts.permissions import Jimu, Perm
from kouki.addressees.selectors import addressee_numbers, person_by_addressee_no
from kouki.core.paging import page_of
from kouki.inquiries.network import NetworkError
from kouki.inquiries.selectors import inquiry_records
from kouki.inquiries.services import (
    InquiryAccessDenied,
    InquiryNotFound,
    InvalidInquiry,
    OpenedResult,
    ResultExpired,
    inquire,
    open_result,
)
from kouki.web.access import forbidden, staff_user, staff_view
from kouki.web.inquiry_forms import InquiryForm

RECORDS_PAGE = 200  # 情報提供等記録 rows on a page (counted and paged in the database)

SCREEN = "web.inquiry"


def _open(request: HttpRequest, record_id: int) -> OpenedResult | None:
    user = staff_user(request)
    assert user is not None
    terminal: str = request.kouki_terminal_id  # type: ignore[attr-defined]
    try:
        return open_result(user=user, record_id=record_id, screen=SCREEN, terminal_id=terminal)
    except ResultExpired:
        return None
    except InquiryNotFound:
        raise Http404("no such inquiry") from None


@staff_view(permission=Perm.INQUIRE, business_function=Jimu.PREMIUM_COLLECTION)
def inquiry_view(request: HttpRequest) -> HttpResponse:
    form = InquiryForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        user = staff_user(request)
        assert user is not None
        person = person_by_addressee_no(d["addressee_no"].strip())
        if person is None:
            form.add_error("addressee_no", "この宛名番号の方はいません")
        else:
            try:
                outcome = inquire(
                    user=user, person_id=person.pk, kind=d["kind"], provider=d["provider"],
                    purpose=d["purpose"], purpose_note=d["purpose_note"], screen=SCREEN,
                    terminal_id=request.kouki_terminal_id,  # type: ignore[attr-defined]
                )  # fmt: skip
            except InquiryAccessDenied:
                return forbidden(request)
            except InvalidInquiry as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
            except NetworkError:
                form.add_error(None, "中間サーバに接続できませんでした。時間をおいて再度照会してください")
            else:
                context["outcome"] = outcome
                if outcome.status == "provided":
                    context["opened"] = _open(request, outcome.record_id)
    return render(request, "web/inquiry.html", context)


@staff_view(permission=Perm.INQUIRE, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def inquiry_result_view(request: HttpRequest, record_id: int) -> HttpResponse:
    opened = _open(request, record_id)
    return render(request, "web/inquiry_result.html", {"opened": opened, "record_id": record_id})


@staff_view(permission=Perm.VIEW_AUDIT, business_function=None, methods=("GET",))
def inquiry_records_view(request: HttpRequest) -> HttpResponse:
    username = request.GET.get("username", "").strip()[:150]
    listed = page_of(request, inquiry_records(username=username), per_page=RECORDS_PAGE)
    rows = listed.rows
    names = addressee_numbers([r.person_id for r in rows])
    return render(
        request,
        "web/inquiry_records.html",
        {"rows": [(r, names.get(r.person_id, "?")) for r in rows], "username": username,
         "page": listed.page, "page_query": listed.query},
    )
