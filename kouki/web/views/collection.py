"""収納状況 (a person's ledger for one fiscal year), 窓口収納 (a payment taken at the counter, with its
領収証書 PDF) and the supervisor's cancellation of a receipt. 事務 6 (保険料の徴収).

The ledger shows the instalments (期別, 納期限 in 和暦, 調定額, 収納額, 充当額, 不納欠損額, 未納額), every
receipt with who recorded it, every decision with who decided and why, and the ledger identity
(kouki.collection.selectors.ledger). No personal number is read or shown on any of these screens.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.addressees.models import PersonVersion
from kouki.arrears.certificates import payment_certificate_issue
from kouki.collection import late_charge_selectors, web_selectors
from kouki.collection.deferral_selectors import deferrals_of
from kouki.collection.models import Channel, Receipt, ReceiptStatus
from kouki.collection.selectors import InstalmentStatus, instalment_statuses, ledger
from kouki.collection.services import (
    CollectionError,
    ReceiptInput,
    cancel_blocked_by,
    receipt_cancel,
    receipt_record,
)
from kouki.core.versioning import StaleEdit
from kouki.documents.counter_receipt import file_name, render_counter_receipt
from kouki.documents.payment_certificate import STEM as CERTIFICATE_STEM
from kouki.documents.premium_data import METHOD_LABELS
from kouki.rules.formatting import yen
from kouki.rules.wareki import fiscal_year as fiscal_year_of
from kouki.rules.wareki import format_wareki_input, wareki_year
from kouki.slips.selectors import slips_of_person
from kouki.web.access import actor_for, staff_user, staff_view
from kouki.web.arrears_forms import CertificateYearForm
from kouki.web.collection_forms import CancelForm, CounterReceiptForm, FiscalYearForm, LateChargeWaiverForm
from kouki.web.screen_text import FALLBACK, japanese_or
from kouki.web.views.collection_access import may_decide
from kouki.web.views.person_lookup import SearchScreen, person_or_404, person_search_page

CERTIFICATE_YEARS = 6  # calendar years offered for the 納付確認書 (this year and the five before)



def instalment_label(s: InstalmentStatus) -> str:
    return f"{METHOD_LABELS.get(s.method, s.method)} 第{s.period}期"


COLLECTION_SEARCH = SearchScreen(
    title="収納状況", search_url="web:collection_search", form_id="collection-search",
    note="見つかった方の「収納状況」から、期別の収納・未納の確認と窓口での収納ができます。",
    result_url="web:collection_ledger", result_label="収納状況",
)


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def collection_search_view(request: HttpRequest) -> HttpResponse:
    """The person search of 宛名検索, each result leading to the person's 収納状況."""
    return person_search_page(request, COLLECTION_SEARCH)


def _chosen_year(request: HttpRequest, years: list[int], today: date) -> int:
    form = FiscalYearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["fy"] is not None:
        return int(form.cleaned_data["fy"])
    return years[0] if years else fiscal_year_of(today)


def _receipt_form(person_id: int, fiscal_year: int, statuses: list[InstalmentStatus], today: date,
                  data: Any = None) -> CounterReceiptForm:
    choices = [(s.instalment_id, f"{instalment_label(s)}(未納 {yen(s.unpaid)})") for s in statuses
               if s.unpaid > 0]
    return CounterReceiptForm(data, instalments=choices, today=today,
                              initial={"paid_on": format_wareki_input(today)})


def ledger_context(request: HttpRequest, current: PersonVersion, fiscal_year: int, *,
                   years: list[int] | None = None, receipt_form: CounterReceiptForm | None = None,
                   over_warning: str = "") -> dict[str, Any]:
    """収納状況 of the person (`current`: their version, read by the view) for one fiscal year; `years`:
    their fiscal years when the view has read them already."""
    person_id = current.person_id
    today = timezone.localdate()
    years = web_selectors.fiscal_years_of(person_id) if years is None else years
    statuses = instalment_statuses(person_id, fiscal_year)
    book = ledger(person_id, fiscal_year, statuses)
    issued = request.GET.get("issued", "")
    receipts = web_selectors.receipts_of_year(person_id, fiscal_year)
    issued_receipt = next((r for r in receipts if str(r.receipt_id) == issued and r.printable), None)
    issued_effect = web_selectors.receipt_effect(issued_receipt.receipt_id) if issued_receipt else None
    return {
        "person": current.person, "current": current, "fiscal_year": fiscal_year,
        "fiscal_year_label": wareki_year(fiscal_year),
        "years": [(y, wareki_year(y)) for y in sorted({*years, fiscal_year}, reverse=True)],
        "statuses": [(instalment_label(s), s) for s in statuses],
        "deferred_until": _deferred_until(person_id, fiscal_year, statuses),
        "totals": {k: sum(getattr(s, k) for s in statuses)
                   for k in ("charged", "paid", "set_off", "written_off", "unpaid")},
        "book": book, "has_plan": web_selectors.has_plan_in_force(person_id, fiscal_year),
        "receipts": receipts, "decisions": web_selectors.decisions_of(person_id, fiscal_year),
        "receipt_form": receipt_form or _receipt_form(person_id, fiscal_year, statuses, today),
        "cancel_form": CancelForm(), "may_decide": may_decide(staff_user(request)),
        "has_slips": bool(slips_of_person(person_id, fiscal_year)),
        "issued_receipt": issued_receipt, "issued_effect": issued_effect, "over_warning": over_warning,
        "certificate_years": [today.year - n for n in range(CERTIFICATE_YEARS)],
        "certificate_default": today.year - 1,
        **late_charge_context(statuses, person_id, fiscal_year, today),
    }  # fmt: skip


def _deferred_until(person_id: int, fiscal_year: int, statuses: list[InstalmentStatus]) -> dict[int, date]:
    """Instalment id → the last day of its latest 徴収猶予 (the line 「徴収猶予 〜令和N年M月D日」)."""
    until = {(d.method, d.period): d.deferred_until for d in deferrals_of(person_id)
             if d.fiscal_year == fiscal_year}  # fmt: skip
    return {s.instalment_id: until[(s.method, s.period)] for s in statuses if (s.method, s.period) in until}


def late_charge_context(
    statuses: list[InstalmentStatus], person_id: int, fiscal_year: int, today: date
) -> dict[str, Any]:
    """The 延滞金 part of 収納状況: charges determined (with waivers) and 見込 on what is past due."""
    past_due = [s for s in statuses if s.unpaid > 0 and s.due_date < today]
    estimates = late_charge_selectors.accruing(past_due, today)
    return {
        "late_configured": late_charge_selectors.late_charges_configured(),
        "late_charges": late_charge_selectors.late_charges_of(person_id, fiscal_year),
        "late_accruing": [(instalment_label(s), s, estimates[s.instalment_id]) for s in past_due
                          if s.instalment_id in estimates],
        "waiver_form": LateChargeWaiverForm(),
    }  # fmt: skip


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def collection_ledger_view(request: HttpRequest, person_id: int) -> HttpResponse:
    current = person_or_404(person_id)
    years = web_selectors.fiscal_years_of(person_id)
    fy = _chosen_year(request, years, timezone.localdate())
    return render(request, "collection/ledger.html", ledger_context(request, current, fy, years=years))


def ledger_url(person_id: int, fiscal_year: int, **extra: object) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"fy": fiscal_year, **extra}.items())
    return f"{reverse('web:collection_ledger', args=[person_id])}?{query}"


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def counter_receipt_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    """窓口収納: record the payment (channel counter), then back to the ledger with the 領収証書 link."""
    current = person_or_404(person_id)
    year_form = FiscalYearForm(request.POST)
    if not year_form.is_valid() or year_form.cleaned_data["fy"] is None:
        raise Http404("年度を指定してください")
    fy = int(year_form.cleaned_data["fy"])
    today = timezone.localdate()
    statuses = instalment_statuses(person_id, fy)
    form = _receipt_form(person_id, fy, statuses, today, data=request.POST)
    over_warning = ""
    if form.is_valid():
        owed = sum(s.unpaid for s in statuses if s.unpaid > 0)
        if not web_selectors.has_plan_in_force(person_id, fy):
            form.add_error(None, f"{wareki_year(fy)}の期割(納付計画)がないため収納できません。"
                                 "賦課・期割の処理が済んでいるか確認してください")
        elif (amount := form.cleaned_data["amount"]) > owed and request.POST.get("confirm_over") != "1":
            over_warning = (f"{wareki_year(fy)}の未納額は {yen(owed)}です。{yen(amount)}を収納すると "
                            f"{yen(amount - owed)}が過誤納金(還付または充当)になります。"
                            "金額を確かめてください。まだ収納していません。")
        else:
            item = ReceiptInput(person_id=person_id, fiscal_year=fy, channel=Channel.COUNTER,
                                amount=form.cleaned_data["amount"], paid_on=form.cleaned_data["paid_on"],
                                instalment_id=form.cleaned_data["instalment"])
            try:
                receipt = receipt_record(actor=actor_for(request), item=item, on=today)
            except CollectionError as exc:
                form.add_error(None, f"収納を記録できませんでした: {japanese_or(str(exc), FALLBACK)}")
            else:
                messages.success(request, f"{yen(receipt.amount)}を収納しました(領収番号 "
                                          f"{web_selectors.receipt_no(receipt.pk)})。領収証書を印刷してお渡しください。")
                return redirect(ledger_url(person_id, fy, issued=receipt.pk))
    context = ledger_context(request, current, fy, receipt_form=form, over_warning=over_warning)
    return render(request, "collection/ledger.html", context)


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def counter_receipt_pdf_view(request: HttpRequest, receipt_id: int) -> HttpResponse:
    receipt = web_selectors.counter_receipt(receipt_id)
    if receipt is None or receipt.channel != Channel.COUNTER:
        raise Http404("窓口収納の記録がありません")
    if receipt.status == ReceiptStatus.CANCELLED:
        raise Http404("取り消された収納の領収証書は発行できません")
    data = web_selectors.counter_receipt_data(receipt)
    response = HttpResponse(render_counter_receipt(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{file_name(data)}"'
    return response


@staff_view(permission=Perm.DECIDE_COLLECTION, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def receipt_cancel_view(request: HttpRequest, receipt_id: int) -> HttpResponseBase:
    receipt = web_selectors.counter_receipt(receipt_id)
    if receipt is None:
        raise Http404("収納の記録がありません")
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "取消理由を入力してください。収納は取り消していません。")
    elif request.POST.get("confirm") != "1":
        context = cancel_confirm_context(receipt, form)
        return render(request, "collection/receipt_cancel_confirm.html", context)
    else:
        try:
            seen = form.cleaned_data["version"]
            if seen is None:  # a confirmation page from before versions: open it again
                raise StaleEdit
            receipt_cancel(actor=actor_for(request), receipt_id=receipt.pk,
                           reason=form.cleaned_data["reason"], on=timezone.localdate(), seen_version=seen)
        except StaleEdit as exc:
            messages.error(request, f"取り消せませんでした: {exc}")
        except CollectionError as exc:
            messages.error(request, f"取り消せませんでした: {japanese_or(str(exc), FALLBACK)}")
        else:
            number = web_selectors.receipt_no(receipt.pk)
            messages.success(request, f"領収番号 {number} の収納を取り消しました。")
    return redirect(ledger_url(receipt.person_id, receipt.fiscal_year))


def cancel_confirm_context(receipt: Receipt, form: CancelForm) -> dict[str, Any]:
    """What the supervisor confirms: the receipt, the reason, what it paid (to become unpaid again) and,
    when a refund or set-off has spent its money, why it cannot be cancelled yet."""
    current = person_or_404(receipt.person_id)
    return {
        "receipt": receipt, "receipt_no": web_selectors.receipt_no(receipt.pk), "current": current,
        "person": current.person, "fiscal_year_label": wareki_year(receipt.fiscal_year),
        "reason": form.cleaned_data["reason"], "effect": web_selectors.receipt_effect(receipt.pk),
        "blocked": cancel_blocked_by(receipt),
        "back": ledger_url(receipt.person_id, receipt.fiscal_year),
    }  # fmt: skip


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def payment_certificate_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    """保険料納付確認書 (PDF) of a calendar year; kouki.arrears.certificates audits that it was issued."""
    current = person_or_404(person_id)
    today = timezone.localdate()
    form = CertificateYearForm(request.POST, today=today)
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, f"納付確認書を発行できませんでした: {errors}")
        return redirect(reverse("web:collection_ledger", args=[person_id]))
    year = int(form.cleaned_data["year"])
    pdf, _path = payment_certificate_issue(actor=actor_for(request), person_id=person_id, year=year, on=today)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{CERTIFICATE_STEM}-{year}-{current.person.addressee_no}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
