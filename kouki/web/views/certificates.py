"""資格確認書・資格情報のお知らせ screens: a person's documents, counter issue, PDF, hand-over, returns.

事務 2 (被保険者証等の引渡し) and 3 (返還の受付): no personal number on any of these screens or PDFs.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.addressees.models import PersonVersion
from kouki.addressees.selectors import person_current
from kouki.certificates.models import CertificateIssue
from kouki.certificates.selectors import (
    certificate_batches,
    certificate_issue,
    certificate_issue_pdf,
    certificate_issues_of,
    issues_awaiting_collection,
)
from kouki.certificates.services import (
    CertificateError,
    certificate_batch_mark_mailed,
    certificate_handover_record,
    certificate_issue_single,
    certificate_return_undeliverable,
    single_issue_data,
)
from kouki.documents.data import CertificateData
from kouki.privacy.audit_search import staff_names
from kouki.rules.wareki import format_wareki_input
from kouki.web.access import actor_for, staff_view
from kouki.web.certificate_forms import HandoverForm, IssueForm, MailedForm, ReturnForm
from kouki.web.fields import today_typed


def _person_or_404(person_id: int) -> PersonVersion:
    current = person_current(person_id)
    if current is None:
        raise Http404("宛名がありません")
    return current


def _issue_or_404(issue_id: int) -> CertificateIssue:
    issue = certificate_issue(issue_id)
    if issue is None:
        raise Http404("発行記録がありません")
    return issue


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.CARD_HANDOVER, methods=("GET",))
def certificate_list_view(request: HttpRequest, person_id: int) -> HttpResponse:
    current = _person_or_404(person_id)
    issues = certificate_issues_of(person_id)
    return render(request, "web/certificates_list.html", {
        "person": current.person, "current": current, "issues": issues,
        "issued_by": staff_names(i.issued_by for i in issues if i.issued_by),  # one query, not one a row
    })


@staff_view(permission=Perm.ISSUE_CERTIFICATE, business_function=Jimu.CARD_HANDOVER)
def certificate_issue_view(request: HttpRequest, person_id: int) -> HttpResponse:
    current = _person_or_404(person_id)
    today = timezone.localdate()
    form = IssueForm(request.POST or None, initial={"on": format_wareki_input(today)})
    if request.method == "POST" and form.is_valid():
        try:
            issue = certificate_issue_single(
                actor=actor_for(request), person_id=person_id, kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"], on=form.cleaned_data["on"],
                limit_category=form.cleaned_data["limit_category"].strip(),
            )
        except CertificateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request,
                             f"{issue.get_kind_display()}を発行しました。PDFを印刷して引き渡してください。")
            return redirect("web:certificate_list", person_id=person_id)
    # the preview only where the page is shown (an issue that succeeded redirects; a refused one wrote none)
    preview: CertificateData | None = None
    problem = ""
    try:
        preview = single_issue_data(person_id=person_id, on=today)
    except CertificateError as exc:
        problem = str(exc)
    return render(request, "web/certificates_issue.html", {
        "person": current.person, "current": current, "form": form, "preview": preview, "problem": problem,
    })


@staff_view(permission=Perm.ISSUE_CERTIFICATE, business_function=Jimu.CARD_HANDOVER, methods=("GET",))
def certificate_pdf_view(request: HttpRequest, issue_id: int) -> HttpResponse:
    pdf = certificate_issue_pdf(_issue_or_404(issue_id))
    response = HttpResponse(pdf.content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.file_name}"'
    return response


@staff_view(permission=Perm.ISSUE_CERTIFICATE, business_function=Jimu.CARD_HANDOVER)
def certificate_handover_view(request: HttpRequest, issue_id: int) -> HttpResponse:
    issue = _issue_or_404(issue_id)
    form = HandoverForm(request.POST or None, initial={"handed_on": today_typed()})
    if request.method == "POST" and form.is_valid():
        try:
            certificate_handover_record(actor=actor_for(request), issue_id=issue.pk, **form.cleaned_data)
        except CertificateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "引渡しを記録しました。")
            return redirect("web:certificate_list", person_id=issue.person_id)
    return render(request, "web/certificates_handover.html", {
        "issue": issue, "current": person_current(issue.person_id), "form": form,
        "printed": CertificateData.from_snapshot(issue.printed),
    })


@staff_view(permission=Perm.ISSUE_CERTIFICATE, business_function=Jimu.CARD_RETURN)
def certificate_return_view(request: HttpRequest, issue_id: int) -> HttpResponse:
    issue = _issue_or_404(issue_id)
    form = ReturnForm(request.POST or None, initial={"returned_on": today_typed()})
    if request.method == "POST" and form.is_valid():
        try:
            certificate_return_undeliverable(actor=actor_for(request), issue_id=issue.pk, **form.cleaned_data)
        except CertificateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "返戻を記録しました。窓口での引渡しを待ちます。")
            return redirect("web:certificate_list", person_id=issue.person_id)
    return render(request, "web/certificates_return.html", {
        "issue": issue, "current": person_current(issue.person_id), "form": form,
        "printed": CertificateData.from_snapshot(issue.printed),
    })


@staff_view(permission=Perm.ISSUE_CERTIFICATE, business_function=Jimu.CARD_HANDOVER)
def certificate_overview_view(request: HttpRequest) -> HttpResponse:
    """Batches (mark one as mailed) and the documents returned undelivered awaiting collection."""
    form = MailedForm(request.POST or None, initial={"mailed_on": today_typed()})
    if request.method == "POST" and form.is_valid():
        try:
            batch_id = int(request.POST.get("batch_id", ""))
        except ValueError:
            raise Http404("一括発行がありません") from None
        count = certificate_batch_mark_mailed(actor=actor_for(request), batch_id=batch_id,
                                              mailed_on=form.cleaned_data["mailed_on"])
        messages.success(request, f"{count}件を郵送済みとして記録しました。")
        return redirect("web:certificate_overview")
    return render(request, "web/certificates_overview.html", {
        "batches": certificate_batches(), "awaiting": list(issues_awaiting_collection()[:200]), "form": form,
    })
