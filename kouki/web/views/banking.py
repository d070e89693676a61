"""口座振替・還付口座 screens (issue 11 §2; requirements §1.3 (3)⑥): a person's 保険料引落口座 and
還付金振込口座, registering one from a 口座振替依頼書 (or a refund-account notice), ending one with a date
and a reason, and the person's failed debits. Writes go through kouki.banking.accounts (audited in the
same transaction); the service's problems are shown next to the field they name and nothing is changed.

Staff with Perm.VIEW_PERSON (the counter) register and end accounts, 事務 6 (保険料の徴収). The service
has no 再鑑 (four eyes) step for accounts, so neither has the screen. The account number is shown only
here, to staff of 事務 6; it never appears in a URL, a log or the audit detail.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.banking.accounts import AccountError, account_end, account_register
from kouki.banking.models import Purpose
from kouki.banking.selectors import account, accounts_of, failed_debit_rows
from kouki.rules.wareki import format_wareki_input, wareki_year
from kouki.web.access import actor_for, staff_view
from kouki.web.banking_forms import ACCOUNT_FIELDS, AccountEndForm, AccountForm
from kouki.web.converters import MAX_ID  # (the URL converter already keeps ids in range)
from kouki.web.fields import today_typed
from kouki.web.views.person_lookup import SearchScreen, person_or_404, person_search_page

REGISTER_TITLE = {Purpose.DEBIT: "口座振替の登録(口座振替依頼書)", Purpose.REFUND: "還付金振込口座の登録"}


def put_problems(form: AccountForm | AccountEndForm, exc: AccountError) -> None:
    """Each problem next to its field (the form has it), else above the form."""
    for name, reason in exc.problems:
        field = ACCOUNT_FIELDS.get(name)
        form.add_error(field if field in form.fields else None, reason)


BANK_SEARCH = SearchScreen(
    title="口座振替・還付口座", search_url="web:bank_search", form_id="bank-search",
    note="見つかった方の「口座」から、口座振替・還付金振込口座の登録と終了ができます。",
    result_url="web:bank_accounts", result_label="口座",
)


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def bank_search_view(request: HttpRequest) -> HttpResponse:
    """The person search of 宛名検索, each result leading to the person's accounts (the menu's entry)."""
    return person_search_page(request, BANK_SEARCH)


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def bank_accounts_view(request: HttpRequest, person_id: int) -> HttpResponse:
    current = person_or_404(person_id)
    today = timezone.localdate()
    rows = accounts_of(person_id)
    failures = [(f, wareki_year(f.fiscal_year)) for f in failed_debit_rows(person_id=person_id)]
    return render(request, "banking/accounts.html", {
        "person": current.person, "current": current, "today": today,
        "debit": [(a, a.in_force_on(today)) for a in rows if a.purpose == Purpose.DEBIT],
        "refund": [(a, a.in_force_on(today)) for a in rows if a.purpose == Purpose.REFUND],
        "failures": failures,
    })  # fmt: skip


def _register(request: HttpRequest, person_id: int, purpose: Purpose) -> HttpResponse:
    current = person_or_404(person_id)
    today = timezone.localdate()
    initial = {"applied_on": format_wareki_input(today),
               "valid_from": format_wareki_input(_next_month(today))}
    form = AccountForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            account_register(
                actor=actor_for(request), purpose=purpose, person_id=person_id,
                bank_code=data["bank_code"], branch_code=data["branch_code"],
                deposit_type=data["deposit_type"], account_number=data["account_number"],
                holder_kana=data["holder_kana"], valid_from=data["valid_from"], applied_on=data["applied_on"],
            )  # fmt: skip
        except AccountError as exc:
            put_problems(form, exc)
        else:
            messages.success(request, f"{purpose.label}を登録しました。")
            return redirect("web:bank_accounts", person_id=person_id)
    return render(request, "banking/account_form.html", {
        "person": current.person, "current": current, "form": form, "purpose": purpose,
        "title": REGISTER_TITLE[purpose], "existing": accounts_of(person_id, purpose),
    })  # fmt: skip


def _next_month(today: date) -> date:
    """The usual start of a new 口座振替: the first day of the next month (a suggestion; staff change it)."""
    return date(today.year + today.month // 12, today.month % 12 + 1, 1)


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION)
def debit_account_register_view(request: HttpRequest, person_id: int) -> HttpResponse:
    return _register(request, person_id, Purpose.DEBIT)


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION)
def refund_account_register_view(request: HttpRequest, person_id: int) -> HttpResponse:
    return _register(request, person_id, Purpose.REFUND)


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION)
def bank_account_end_view(request: HttpRequest, account_id: int) -> HttpResponse:
    row = account(account_id) if 0 < account_id <= MAX_ID else None
    if row is None:
        raise Http404("口座がありません")
    current = person_or_404(row.person_id)
    form = AccountEndForm(request.POST or None, initial={"valid_to": today_typed()})
    if request.method == "POST" and form.is_valid():
        try:
            account_end(actor=actor_for(request), account_id=account_id,
                        valid_to=form.cleaned_data["valid_to"], reason=form.cleaned_data["reason"])
        except AccountError as exc:
            put_problems(form, exc)
        else:
            messages.success(request, f"{row.purpose_label}を終了しました。")
            return redirect("web:bank_accounts", person_id=row.person_id)
    return render(request, "banking/account_end.html", {
        "person": current.person, "current": current, "account": row, "form": form,
    })  # fmt: skip
