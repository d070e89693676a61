"""監査ログの月次点検 (issue 15 §1): the months, each month's report (PDF) and the record of its review.

Listing, a month's page and the report need VIEW_AUDIT; recording the review needs RECORD_AUDIT_REVIEW (both
the auditor's). Printing the report and recording the review each write an audit row (kouki.reviews.services).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils import timezone

from kouki.accounts.permissions import Perm
from kouki.reviews.report import ReportError, parse_month
from kouki.reviews.selectors import review_months, reviews_of
from kouki.reviews.services import FINDINGS_MAX, ReviewError, monthly_report, record_review
from kouki.rules.wareki import wareki_month
from kouki.web.access import actor_for, staff_user, staff_view


class ReviewForm(forms.Form):
    findings = forms.CharField(label="所見", max_length=FINDINGS_MAX,
                               widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="点検で確認したこと・気づいたこと(特記事項がなければ「特記事項なし」)")
    follow_up = forms.CharField(label="対応・フォローアップ", max_length=FINDINGS_MAX, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}),
                                help_text="本人への確認、所属長への連絡、権限の見直しなど")


def _label(month: date) -> str:
    return f"{wareki_month(month.year, month.month)}({month:%Y年%m月})"


@staff_view(permission=Perm.VIEW_AUDIT, business_function=None, methods=("GET",))
def review_list_view(request: HttpRequest) -> HttpResponseBase:
    today = timezone.localdate()
    wanted = request.GET.get("month", "").strip()
    if wanted:  # an older month than the list shows: <input type="month"> gives YYYY-MM
        try:
            return redirect("web:audit_review_month", month=parse_month(wanted))
        except (ReportError, NoReverseMatch):
            messages.error(request, "対象月は YYYY-MM の形で指定してください")
    rows = [(row, _label(row.month), row.month < today.replace(day=1)) for row in review_months(today)]
    return render(request, "web/audit_reviews.html", {"rows": rows})


@staff_view(permission=Perm.VIEW_AUDIT, business_function=None, methods=("GET",))
def review_month_view(request: HttpRequest, month: date) -> HttpResponse:
    user = staff_user(request)
    today = timezone.localdate()
    return render(request, "web/audit_review_month.html", {
        "month": month, "label": _label(month), "reviews": reviews_of(month), "form": ReviewForm(),
        "ended": month < today.replace(day=1), "begun": month <= today,
        "may_record": user is not None and user.has_kouki_perm(Perm.RECORD_AUDIT_REVIEW),
    })


@staff_view(permission=Perm.VIEW_AUDIT, business_function=None, methods=("GET",))
def review_report_view(request: HttpRequest, month: date) -> HttpResponseBase:
    try:
        report = monthly_report(actor=actor_for(request), month=month)
    except ReviewError as exc:
        messages.error(request, f"報告書を作成できませんでした: {exc}")
        return redirect("web:audit_review_month", month=month)
    response = HttpResponse(report.pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report.file_name}"'
    return response


@staff_view(permission=Perm.RECORD_AUDIT_REVIEW, business_function=None, methods=("POST",))
def review_record_view(request: HttpRequest, month: date) -> HttpResponseBase:
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            data = form.cleaned_data
            review = record_review(actor=actor_for(request), month=month, findings=data["findings"],
                                   follow_up=data["follow_up"])
        except ReviewError as exc:
            messages.error(request, f"記録できませんでした: {exc}")
        else:
            messages.success(request, f"{_label(month)}の点検を記録しました(第{review.version}版)")
            return redirect("web:audit_review_month", month=month)
    else:
        messages.error(request, "所見を入力してください")
    return redirect("web:audit_review_month", month=month)
