"""Following a certificate batch through the post (事務 2 引渡し, 3 返還): documents by status (発行済・
引渡済(郵送)・返戻・再交付により無効), per batch, and 再送付 of a returned document to the address found
since. The return itself is recorded on 「返戻の記録」 (kouki.web.views.certificates). No personal number
on these screens. Writes: kouki.certificates.services (audited in the same transaction).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.addressees.selectors import person_current
from kouki.certificates.models import HandoverMethod, IssueStatus, ReturnReason
from kouki.certificates.selectors import (
    certificate_issue,
    certificate_issues_by_status,
    certificate_status_counts,
)
from kouki.certificates.services import CertificateError, certificate_resend
from kouki.documents.data import CertificateData
from kouki.web.access import actor_for, staff_view
from kouki.web.certificate_forms import IssueFilterForm, ResendForm

LIMIT = 200


def _reason_label(code: str) -> str:
    return ReturnReason(code).label if code in ReturnReason.values else ""


@staff_view(permission=Perm.ISSUE_CERTIFICATE, business_function=Jimu.CARD_HANDOVER, methods=("GET",))
def certificate_issues_view(request: HttpRequest) -> HttpResponse:
    form = IssueFilterForm(request.GET or None)
    status, batch_id = "", None
    if form.is_bound and form.is_valid():
        status, batch_id = form.cleaned_data["status"], form.cleaned_data["batch"]
    issues = certificate_issues_by_status(status=status, batch_id=batch_id, limit=LIMIT + 1)
    rows = []
    for issue in issues[:LIMIT]:
        printed = CertificateData.from_snapshot(issue.printed)
        returns = sorted(issue.returns.all(), key=lambda r: (r.returned_on, r.pk))
        mailed = sorted((h for h in issue.handovers.all() if h.method == HandoverMethod.MAIL),
                        key=lambda h: (h.handed_on, h.pk))
        rows.append({
            "issue": issue, "name": f"{printed.family_name} {printed.given_name}".strip(),
            "addressee_no": printed.addressee_no, "mailed_on": mailed[-1].handed_on if mailed else None,
            "returned": returns[-1] if returns else None,
            "return_reason": _reason_label(returns[-1].reason) if returns else "",
            "resent": len(mailed) > 1,
        })
    counts = certificate_status_counts(batch_id)
    return render(request, "certificates/issues.html", {
        "form": form, "rows": rows, "truncated": len(issues) > LIMIT, "status": status, "batch_id": batch_id,
        "counts": [(s.value, s.label, counts[s.value]) for s in IssueStatus],
    })


@staff_view(permission=Perm.ISSUE_CERTIFICATE, business_function=Jimu.CARD_HANDOVER)
def certificate_resend_view(request: HttpRequest, issue_id: int) -> HttpResponse:
    issue = certificate_issue(issue_id)
    if issue is None:
        raise Http404("発行記録がありません")
    form = ResendForm(request.POST or None, initial={"mailed_on": timezone.localdate().isoformat()})
    if request.method == "POST" and form.is_valid():
        try:
            certificate_resend(actor=actor_for(request), issue_id=issue.pk, **form.cleaned_data)
        except CertificateError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "再送付を記録しました。")
            url = reverse("web:certificate_issues")
            return redirect(f"{url}?status={IssueStatus.RETURNED_UNDELIVERABLE.value}")
    return render(request, "certificates/resend.html", {
        "issue": issue, "current": person_current(issue.person_id), "form": form,
        "printed": CertificateData.from_snapshot(issue.printed),
        "returns": sorted(issue.returns.all(), key=lambda r: (r.returned_on, r.pk)),
    })
