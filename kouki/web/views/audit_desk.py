"""監査記録の検索 (the auditor's desk, issue 15 §1): the audit log, the reference log and the 宛名詳細 views
searched by person, staff member, action, file and period; and one page per person answering "who has
seen this person's number, and why" with the transfers and 情報提供等記録 about them. No personal number
is ever shown; the search and the per-person page are themselves audited."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kouki.accounts.models import StaffUser
from kouki.accounts.permissions import Perm
from kouki.addressees.selectors import addressee_numbers, person_current, persons_current
from kouki.inquiries.selectors import provision_records_of
from kouki.privacy.audit_search import (
    PAGE_SIZE,
    Cursor,
    Source,
    TrailCriteria,
    TrailSearchError,
    action_choices,
    number_seen_by,
    person_look_audited,
    person_views_of,
    staff_names,
    trail_search_audited,
)
from kouki.reviews.person_trail import search_people_trail
from kouki.transfers.selectors import transfers_of_person
from kouki.web.access import actor_for, staff_view
from kouki.web.fields import DATE_HELP, WarekiDateField
from kouki.web.forms import AddresseeNoField


def _date(label: str) -> WarekiDateField:
    return WarekiDateField(label, required=False, help_text=DATE_HELP + " / R8.4.1", placeholder="R8.4.1")


class AuditSearchForm(forms.Form):
    name = forms.CharField(label="氏名(一部)", required=False, max_length=80)
    kana = forms.CharField(label="氏名カナ(前方一致)", required=False, max_length=80)
    birth_date = _date("生年月日")
    addressee_no = AddresseeNoField()
    username = forms.ChoiceField(label="職員", required=False)
    action = forms.ChoiceField(label="操作", required=False)
    file_name = forms.CharField(label="ファイル名(一部)", required=False, max_length=120)
    since = _date("期間(開始日)")
    until = _date("期間(終了日)")
    source = forms.ChoiceField(label="記録の種類", required=False,
                               choices=[("", "すべて"), *[(s.value, s.label) for s in Source]])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["addressee_no"].label = "宛名番号(一部でも可)"
        staff = StaffUser.objects.order_by("staff_name", "username").values_list("username", "staff_name")
        cast(forms.ChoiceField, self.fields["username"]).choices = [
            ("", "すべての職員"), *[(u, f"{n}({u})") for u, n in staff]]
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", "すべての操作"), *action_choices()]

    def criteria(self) -> TrailCriteria:
        d = self.cleaned_data
        return TrailCriteria(
            name=d["name"].strip(), kana=d["kana"].strip(), birth_date=d["birth_date"],
            addressee_no=d["addressee_no"].strip(), username=d["username"],
            actions=(d["action"],) if d["action"] else (), file_name=d["file_name"].strip(),
            since=d["since"], until=d["until"], sources=(Source(d["source"]),) if d["source"] else (),
        )  # fmt: skip


def _people(person_ids: list[int]) -> list[dict[str, Any]]:
    versions = persons_current(person_ids)
    numbers = addressee_numbers(person_ids)
    return [{"person_id": pid, "addressee_no": numbers.get(pid, ""), "version": versions.get(pid)}
            for pid in person_ids]  # fmt: skip


@staff_view(permission=Perm.VIEW_AUDIT, business_function=None, methods=("GET",))
def audit_search_view(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.GET if "search" in request.GET else None)
    context: dict[str, Any] = {"form": form, "searched": False, "page_size": PAGE_SIZE}
    if form.is_bound and form.is_valid():
        criteria = form.criteria()
        context.update(searched=True, summary=criteria.summary())
        try:
            after = Cursor.decode(request.GET["after"]) if request.GET.get("after") else None
            page_no = int(request.GET.get("page", "1")) if request.GET.get("page", "1").isdigit() else 1
            person_ids, page = search_people_trail(criteria, after=after)
            if person_ids is not None:
                context["people"] = _people(person_ids)
        except TrailSearchError as exc:
            context["problem"] = str(exc)
            return render(request, "web/audit_search.html", context)
        trail_search_audited(actor=actor_for(request), criteria=criteria, found=page.total, page=page_no)
        row_people = {r.person_id for r in page.rows if r.person_id is not None}
        context.update(
            page=page, page_no=page_no, names=staff_names(r.username for r in page.rows),
            row_people={p["person_id"]: p for p in _people(sorted(row_people))},
        )
        if page.next_cursor is not None:
            query = request.GET.copy()
            query["after"] = page.next_cursor.encode()
            query["page"] = str(page_no + 1)
            context["next_query"] = query.urlencode()
        if request.GET.get("after"):
            first = request.GET.copy()
            first.pop("after", None)
            first.pop("page", None)
            context["first_query"] = first.urlencode()
    return render(request, "web/audit_search.html", context)


@staff_view(permission=Perm.VIEW_AUDIT, business_function=None, methods=("GET",))
def audit_person_view(request: HttpRequest, person_id: int) -> HttpResponse:
    version = person_current(person_id)
    if version is None:
        raise Http404("その宛名はありません")
    references = number_seen_by(person_id)
    views = person_views_of(person_id)
    transfers = transfers_of_person(person_id)
    provisions = provision_records_of(person_id)
    addressee_no = version.person.addressee_no
    person_look_audited(actor=actor_for(request), addressee_no=addressee_no, counts={
        "references": len(references), "views": len(views), "transfers": len(transfers),
        "provision_records": len(provisions)})  # fmt: skip
    return render(request, "web/audit_person.html", {
        "version": version, "addressee_no": addressee_no, "references": references, "views": views,
        "transfers": transfers, "provisions": provisions,
        "transfer_names": staff_names(t.executed_by for t in transfers),
    })  # fmt: skip
