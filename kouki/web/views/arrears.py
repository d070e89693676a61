"""滞納者一覧 and a person's arrears (issue 5 §4; 事務 6 保険料の徴収): the unpaid instalments past due
(和暦), reminders, contact records (納付折衝) with a form to add one, payment pledges (分納誓約) with a
form to make one, and the write-off request (不納欠損の起案) of an unpaid instalment.

Any member of staff with Perm.VIEW_PERSON sees these screens and may record a contact, a pledge or a
request; a supervisor decides the request (kouki.web.views.arrears_write_offs). The writes are the
services of kouki.arrears, each audited in its own transaction. No personal number is read or shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.arrears.arrears_pages import AwaitingSummary, arrears_page, pension_awaiting_summary
from kouki.arrears.models import ContactChannel, PledgeStatus, WriteOffGround, WriteOffStatus
from kouki.arrears.selectors import (
    ArrearsRow,
    arrears_list,
    contacts_of,
    deferred_list,
    limitation_passed,
    pledges_of,
    reminders_of,
    write_off_requests_of,
)
from kouki.arrears.services import ArrearsError, contact_record, pledge_make, write_off_request
from kouki.collection import late_charge_selectors, web_selectors
from kouki.collection.selectors import UnpaidInstalment
from kouki.documents.premium_data import METHOD_LABELS
from kouki.rules.formatting import yen
from kouki.rules.wareki import format_wareki_input, wareki_year
from kouki.web.access import actor_for, staff_view
from kouki.web.arrears_forms import ArrearsListForm, ContactForm, PledgeForm, WriteOffRequestForm
from kouki.web.screen_text import FALLBACK, japanese_or
from kouki.web.views.collection_overpayments import target_label
from kouki.web.views.person_lookup import person_or_404

PAGE_SIZE = 50
AWAITING_SHOWN = 200  # 特別徴収の結果待ち listed under the arrears list (all are counted)

# The arrears services write their refusals in Japanese for the counter; what they pass on from the
# planning and slips services (English, naming configuration keys) → what the screen says.
SERVICE_MESSAGES: tuple[tuple[str, str], ...] = (
    ("pension_stop_lead_months",
     "特別徴収を止められるまでの月数が設定されていないため、普通徴収へ切り替えられません。"
     "システム管理者に市の設定を依頼してください"),
    ("KOUKI_DIRECT_MONTHS",
     "普通徴収の納期月が設定されていないため、普通徴収へ切り替えられません。システム管理者に市の設定を依頼してください"),
    ("is not a pension month of the plan",
     "未徴収の月が現在の期割の特別徴収の月にありません。期割が変更済みでないか確認してください"),
    ("no plan for", "この年度の期割(納付計画)がありません"),
)


def screen_message(exc: ArrearsError) -> str:
    text = str(exc)
    for needle, japanese in SERVICE_MESSAGES:
        if needle in text:
            return japanese
    return japanese_or(text, FALLBACK)


def pledge_label(status: str | None) -> str:
    return PledgeStatus(status).label if status in PledgeStatus.values else ""


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def arrears_list_view(request: HttpRequest) -> HttpResponse:
    """滞納者一覧: everyone with an instalment past due and unpaid today, one row per person. The list is
    sorted, counted and paged in the database (kouki.arrears.arrears_pages, issue 16 §5)."""
    form = ArrearsListForm(request.GET or None)
    sort, method, number = "oldest", "", 1
    if form.is_valid():
        sort = form.cleaned_data["sort"] or "oldest"
        method = form.cleaned_data["method"] or ""
        number = form.cleaned_data["page"] or 1
    today = timezone.localdate()
    found = arrears_page(today, number=number, per_page=PAGE_SIZE, method=method or None, sort=sort)
    people = web_selectors.person_labels(r.person_id for r in found.rows)
    late = late_charges_of_rows(found.rows, today)
    query = f"sort={sort}&method={method}"
    awaiting = (pension_awaiting_summary(today, shown=AWAITING_SHOWN) if method != "direct"
                else AwaitingSummary(0, 0, 0, []))  # fmt: skip
    awaiting_people = web_selectors.person_labels(u.person_id for u in awaiting.first)
    deferred = deferred_list(today)
    deferred_people = web_selectors.person_labels(r.person_id for r in deferred[:AWAITING_SHOWN])
    return render(request, "arrears/list.html", {
        "deferred": [(r, deferred_people.get(r.person_id)) for r in deferred[:AWAITING_SHOWN]],
        "deferred_count": len(deferred), "deferred_total": sum(r.total for r in deferred),
        "awaiting": [(u, awaiting_people.get(u.person_id), unpaid_label(u)) for u in awaiting.first],
        "awaiting_count": awaiting.count, "awaiting_people": awaiting.people,
        "awaiting_total": awaiting.total, "awaiting_shown": AWAITING_SHOWN,
        "form": form, "today": today, "count": found.count, "total": found.total,
        "page": found.page, "query": query, "sort": sort, "method": method,
        "late_configured": late_charge_selectors.late_charges_configured(), "late": late,
        "rows": [(r, people.get(r.person_id), pledge_label(r.pledge_status)) for r in found.rows],
    })  # fmt: skip


@dataclass(frozen=True)
class LateColumn:
    """The 延滞金 column of one person: determined and not waived, and 見込 on what is still unpaid."""

    determined: int
    accruing: int
    problem: bool


def late_charges_of_rows(rows: Sequence[ArrearsRow], today: date) -> dict[int, LateColumn]:
    determined = late_charge_selectors.outstanding_by_person(r.person_id for r in rows)
    estimates = late_charge_selectors.accruing([u for r in rows for u in r.instalments], today)
    out = {}
    for r in rows:
        mine = [estimates[u.instalment_id] for u in r.instalments if u.instalment_id in estimates]
        out[r.person_id] = LateColumn(determined.get(r.person_id, 0), sum(e.amount for e in mine),
                                      any(e.problem for e in mine))  # fmt: skip
    return out


def detail_url(person_id: int) -> str:
    return reverse("web:arrears_detail", args=[person_id])


def named_label(fiscal_year: int, method: str, period: int) -> str:
    return f"{wareki_year(fiscal_year)} {METHOD_LABELS.get(method, method)} 第{period}期"


def unpaid_label(u: UnpaidInstalment) -> str:
    return named_label(u.fiscal_year, u.method, u.period)


def _write_off_form(person_id: int, today: date, expired: set[int], open_ids: set[int],
                    data: Any = None) -> WriteOffRequestForm:
    choices = []
    for t in web_selectors.set_off_targets(person_id):
        if t.instalment_id in open_ids:
            continue
        mark = "【時効到来】" if t.instalment_id in expired else ""
        choices.append((t.instalment_id, f"{mark}{target_label(t)}"))
    return WriteOffRequestForm(data, instalments=choices)


def detail_context(
    request: HttpRequest, person_id: int, *, contact_form: ContactForm | None = None,
    pledge_form: PledgeForm | None = None, write_off_form: WriteOffRequestForm | None = None,
) -> dict[str, Any]:  # fmt: skip
    current = person_or_404(person_id)
    today = timezone.localdate()
    row = next(iter(arrears_list(today, person_ids=[person_id])), None)
    deferred = next(iter(deferred_list(today, person_ids=[person_id])), None)  # this person's only
    expired = {e.instalment_id: e for e in limitation_passed(today, person_ids=[person_id])}
    requests = write_off_requests_of(person_id)
    open_ids = {r.instalment_id for r in requests if r.status == WriteOffStatus.REQUESTED}
    contacts = list(reversed(contacts_of(person_id)))
    names = web_selectors.staff_names([c.staff for c in contacts]
                                      + [r.requested_by for r in requests] + [r.decided_by for r in requests])
    unpaid = [(unpaid_label(u), u, expired.get(u.instalment_id), u.instalment_id in open_ids)
              for u in (row.instalments if row else ())]
    return {
        "person": current.person, "current": current, "today": today, "row": row, "unpaid": unpaid,
        "expired_count": len(expired), "deferred": deferred,
        "deferred_lines": [unpaid_label(u) for u in deferred.instalments] if deferred else [],
        "reminders": list(reversed(reminders_of(person_id))),
        "contacts": [(c, ContactChannel(c.channel).label, names.get(c.staff, c.staff)) for c in contacts],
        "pledges": [(p, pledge_label(p.status), [named_label(*n) for n in p.named])
                    for p in reversed(pledges_of(person_id))],
        "requests": [(r, WriteOffStatus(r.status).label, names.get(r.requested_by, r.requested_by),
                      names.get(r.decided_by, r.decided_by)) for r in reversed(requests)],
        "contact_form": contact_form or ContactForm(today=today,
                                                    initial={"contacted_on": format_wareki_input(today)}),
        "pledge_form": pledge_form or PledgeForm(today=today,
                                                 initial={"made_on": format_wareki_input(today)}),
        "write_off_form": write_off_form or _write_off_form(person_id, today, set(expired), open_ids),
    }  # fmt: skip


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("GET",))
def arrears_detail_view(request: HttpRequest, person_id: int) -> HttpResponse:
    return render(request, "arrears/detail.html", detail_context(request, person_id))


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def contact_add_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    """納付折衝の記録を追加する."""
    person_or_404(person_id)
    form = ContactForm(request.POST, today=timezone.localdate())
    if form.is_valid():
        try:
            data = form.cleaned_data
            contact_record(actor=actor_for(request), person_id=person_id, contacted_on=data["contacted_on"],
                           channel=data["channel"], note=data["note"])
        except ArrearsError as exc:
            form.add_error(None, f"記録できませんでした: {screen_message(exc)}")
        else:
            messages.success(request, "折衝記録を追加しました。")
            return redirect(detail_url(person_id) + "#contacts")
    return render(request, "arrears/detail.html", detail_context(request, person_id, contact_form=form))


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def pledge_make_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    """分納誓約を受け付ける (the schedule is validated line by line)."""
    person_or_404(person_id)
    form = PledgeForm(request.POST, today=timezone.localdate())
    if form.is_valid():
        schedule: list[tuple[date, int]] = form.cleaned_data["schedule"]
        try:
            pledge_make(actor=actor_for(request), person_id=person_id, made_on=form.cleaned_data["made_on"],
                        schedule=schedule, note=form.cleaned_data["note"])
        except ArrearsError as exc:
            form.add_error(None, f"分納誓約を記録できませんでした: {screen_message(exc)}")
        else:
            total = sum(a for _, a in schedule)
            messages.success(request, f"分納誓約を記録しました({len(schedule)}回、計 {yen(total)})。")
            return redirect(detail_url(person_id) + "#pledges")
    return render(request, "arrears/detail.html", detail_context(request, person_id, pledge_form=form))


@staff_view(permission=Perm.VIEW_PERSON, business_function=Jimu.PREMIUM_COLLECTION, methods=("POST",))
def write_off_request_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    """不納欠損の起案: a supervisor decides it on the 不納欠損の決裁 worklist."""
    person_or_404(person_id)
    today = timezone.localdate()
    targets = {t.instalment_id: t for t in web_selectors.set_off_targets(person_id)}
    form = WriteOffRequestForm(request.POST, instalments=[(pk, target_label(t)) for pk, t in targets.items()])
    if form.is_valid():
        target = targets[form.cleaned_data["instalment"]]
        amount: int = form.cleaned_data["amount"] or target.unpaid
        if amount > target.unpaid:
            form.add_error("amount", f"この期の未納額は {yen(target.unpaid)}です")
        else:
            try:
                write_off_request(actor=actor_for(request), instalment_id=target.instalment_id, amount=amount,
                                  reason=form.cleaned_data["reason"], on=today,
                                  ground=WriteOffGround(form.cleaned_data["ground"]))
            except ArrearsError as exc:
                form.add_error(None, f"起案できませんでした: {screen_message(exc)}")
            else:
                messages.success(request, f"{unpaid_label(target)} {yen(amount)}の不納欠損を起案しました。"
                                          "審査・監督者の決裁を待っています。")
                return redirect(detail_url(person_id) + "#write-offs")
    return render(request, "arrears/detail.html", detail_context(request, person_id, write_off_form=form))
