"""届出 screens (事務 1): list, entry from the person page, detail, 再鑑 (confirm / return), correction,
and the USE-01 突合 worklist.

The confirm and return buttons are shown only to a member of staff who may confirm and did not enter the
notification; the service refuses anyone else anyway (IN-11). A personal number typed into a form is
never rendered back (the field is a password input without value) and never put in a URL.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.addressees.models import PersonVersion
from kouki.addressees.selectors import person_current
from kouki.collection.web_selectors import person_labels
from kouki.core.paging import page_of
from kouki.core.versioning import STALE_MESSAGE, StaleEdit
from kouki.jukinet.selectors import verifying_lookups
from kouki.notifications import selectors
from kouki.notifications.matching import entry_mismatch, matching_run
from kouki.notifications.models import Notification, Status
from kouki.notifications.services import (
    NotificationError,
    enterer_ids,
    mismatch_resolve,
    notification_confirm,
    notification_enter,
    notification_reenter,
    notification_return,
)
from kouki.rules.identity_check import AGENT_KIND_LABELS, AUTHORITY_LABELS, DOCUMENT_LABELS, AgentKind
from kouki.rules.numbers import InvalidNumber
from kouki.rules.wareki import format_wareki, format_wareki_input
from kouki.web.access import actor_for, may_show_personal_numbers, staff_user, staff_view
from kouki.web.fields import VersionField
from kouki.web.notification_forms import DecisionForm, NotificationForm, ResolveForm, StatusFilterForm

LIST_LIMIT = 200  # the open mismatches shown (a worklist of open items)
LIST_PAGE = 100
FORM_FIELDS_OF_ERROR = {
    "resident_network_lookup",
    "stated_kana",
    "agent_name",
    "agent_relationship",
    "facility_name",
    "facility_address",
    "note",
    "received_on",
    "number",
}


def _person_or_404(person_id: int) -> PersonVersion:
    current = person_current(person_id)
    if current is None:
        raise Http404("宛名がありません")
    return current


def _notification_or_404(notification_id: int) -> Notification:
    n = selectors.notification_get(notification_id)
    if n is None:
        raise Http404("届出がありません")
    return n


def _without_number(form: NotificationForm | DecisionForm) -> None:
    if isinstance(form.data, QueryDict) and "number" in form.data:
        data = form.data.copy()
        data["number"] = ""
        form.data = data


# A service error about several inputs is shown next to the first of them (issue 11 §4).
FIELD_OF_ERROR = {"agent": "agent_name", "facility": "facility_name", "identity": "identity_documents"}


def _add_error(form: NotificationForm | DecisionForm, exc: NotificationError) -> None:
    field = FIELD_OF_ERROR.get(exc.field, exc.field)
    form.add_error(
        field if field in form.fields and (field in FORM_FIELDS_OF_ERROR or exc.field in FIELD_OF_ERROR)
        else None,
        exc.reason,
    )


def _lookup_choices(request: HttpRequest, kept: int | None = None) -> list[tuple[int, str]]:
    """The signed-in member's 住基ネット lookups of today that found one person (IN-09), and the one the
    notification already cites (a re-entry keeps it)."""
    user = staff_user(request)
    assert user is not None
    rows = verifying_lookups(user.pk, timezone.localdate())
    choices = [(r.pk, f"照会番号 {r.pk}({timezone.localtime(r.at):%H時%M分}・{r.get_search_kind_display()})")
               for r in rows]
    if kept is not None and kept not in {pk for pk, _ in choices}:
        choices.insert(0, (kept, f"照会番号 {kept}(この届出で確認済み)"))
    return choices


@staff_view(permission=Perm.ENTER_NOTIFICATION, business_function=Jimu.ELIGIBILITY, methods=("GET",))
def notification_list_view(request: HttpRequest) -> HttpResponse:
    form = StatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_valid() else ""
    person_id = request.GET.get("person", "")
    listed = page_of(request, selectors.notification_list(
        status=status, person_id=int(person_id) if person_id.isdigit() else None
    ), per_page=LIST_PAGE)  # counted and paged in the database (issue 16 §5)
    rows = listed.rows
    people = person_labels(n.person_id for n in rows)  # the name beside the 宛名番号
    return render(request, "web/notifications_list.html", {
        "form": form, "rows": rows, "people": people, "page": listed.page, "page_query": listed.query,
    })  # fmt: skip


def _entry_initial() -> dict[str, str]:
    """Today's date for 受付日 and 異動日. The 届出書記載 kana and birth date are NOT prefilled from the
    register: they are typed from the form, to be compared with the register (IN-08)."""
    today = format_wareki_input(timezone.localdate())
    return {"received_on": today, "effective_date": today}


def _mismatch_unaccepted(form: NotificationForm, person_id: int) -> str:
    """IN-08 at entry: the stated kana / birth date's difference from the register, unless the clerk has
    already seen it and ticked 「確認のうえ入力する」 ("" = go ahead)."""
    d = form.cleaned_data
    difference = entry_mismatch(person_id, d["stated_kana"], d["stated_birth"], d["effective_date"])
    return "" if d.get("accept_mismatch") else difference


@staff_view(permission=Perm.ENTER_NOTIFICATION, business_function=Jimu.ELIGIBILITY)
def notification_new_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    current = _person_or_404(person_id)
    with_number = may_show_personal_numbers(request, Perm.REGISTER_PERSONAL_NUMBER)
    form = NotificationForm(request.POST or None, initial=_entry_initial(), with_number=with_number,
                            lookups=_lookup_choices(request))
    warning = ""
    if request.method == "POST" and form.is_valid():
        warning = _mismatch_unaccepted(form, person_id)
    if request.method == "POST" and form.is_valid() and not warning:
        try:
            n = notification_enter(
                actor=actor_for(request),
                data=form.to_input(person_id),
                number=form.cleaned_data.get("number", ""),
            )
        except NotificationError as exc:
            _add_error(form, exc)
        except InvalidNumber:
            form.add_error(
                "number" if with_number else None, "個人番号の桁数または検査用数字が正しくありません"
            )
        else:
            messages.success(
                request, f"届出 {n.notification_no} を入力しました。別の職員の確認(再鑑)で有効になります"
            )
            if n.entry_mismatch:
                messages.warning(
                    request, "届出書の記載が住民記録と異なることを記録しました(再鑑で確認されます)"
                )
            return redirect("web:notification_detail", notification_id=n.pk)
    _without_number(form)
    return render(
        request,
        "web/notifications_form.html",
        {
            "form": form,
            "current": current,
            "person": current.person,
            "with_number": with_number,
            "notification": None,
            "mismatch_warning": warning,
        },
    )


@staff_view(permission=Perm.ENTER_NOTIFICATION, business_function=Jimu.ELIGIBILITY)
def notification_edit_view(request: HttpRequest, notification_id: int) -> HttpResponseBase:
    n = _notification_or_404(notification_id)
    current = _person_or_404(n.person_id)
    if n.status != Status.RETURNED:  # a POST here comes from a page opened while it was returned
        stale = request.method == "POST"
        messages.error(request, STALE_MESSAGE if stale else "差戻し中の届出だけを修正できます")
        return redirect("web:notification_detail", notification_id=n.pk)
    with_number = may_show_personal_numbers(request, Perm.REGISTER_PERSONAL_NUMBER)
    initial = {
        "notification_type": n.notification_type,
        "effective_date": format_wareki_input(n.effective_date),
        "received_on": format_wareki_input(n.received_on),
        "stated_kana": n.stated_kana,
        "stated_birth": format_wareki_input(n.stated_birth_date),
        "applicant": n.applicant,
        "identity_documents": n.identity_documents,
        "notification_card_matches": n.notification_card_matches,
        "resident_network_lookup": n.resident_network_lookup_id or "",
        "agent_kind": n.agent_kind,
        "agent_name": n.agent_name,
        "agent_relationship": n.agent_relationship,
        "agent_documents": n.agent_documents,
        "authority_documents": n.authority_documents,
        "facility_name": n.facility_name,
        "facility_address": n.facility_address,
        "note": n.note,
        "version": n.version,
    }
    form = NotificationForm(request.POST or None, initial=initial, with_number=with_number,
                            lookups=_lookup_choices(request, n.resident_network_lookup_id))
    form.fields["version"] = VersionField()  # a correction from a stale page is refused (issue 16 §5)
    warning = ""
    if request.method == "POST" and form.is_valid():
        warning = _mismatch_unaccepted(form, n.person_id)
    if request.method == "POST" and form.is_valid() and not warning:
        try:
            notification_reenter(
                actor=actor_for(request),
                notification_id=n.pk,
                data=form.to_input(n.person_id),
                number=form.cleaned_data.get("number", ""),
                seen_version=form.cleaned_data["version"],
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        except NotificationError as exc:
            _add_error(form, exc)
        except InvalidNumber:
            form.add_error(
                "number" if with_number else None, "個人番号の桁数または検査用数字が正しくありません"
            )
        else:
            messages.success(request, "修正しました。別の職員の確認(再鑑)で有効になります")
            return redirect("web:notification_detail", notification_id=n.pk)
    _without_number(form)
    return render(
        request,
        "web/notifications_form.html",
        {
            "form": form,
            "current": current,
            "person": current.person,
            "with_number": with_number,
            "notification": n,
            "mismatch_warning": warning,
        },
    )


def _labels(codes: list[str], labels: dict[str, str]) -> list[str]:
    return [labels.get(c, c) for c in codes]


@staff_view(permission=Perm.ENTER_NOTIFICATION, business_function=Jimu.ELIGIBILITY, methods=("GET",))
def notification_detail_view(request: HttpRequest, notification_id: int) -> HttpResponse:
    n = _notification_or_404(notification_id)
    user = staff_user(request)
    assert user is not None
    entered_by_me = user.pk in enterer_ids(n.pk)
    may_confirm = user.has_kouki_perm(Perm.CONFIRM_NOTIFICATION)
    can_decide = n.status == Status.ENTERED and may_confirm and not entered_by_me
    doc_labels = {str(k): v for k, v in DOCUMENT_LABELS.items()}
    context = {
        "n": n,
        "current": person_current(n.person_id),
        "steps": selectors.notification_steps(n.pk),
        "identity_documents": _labels(n.identity_documents, doc_labels),
        "agent_documents": _labels(n.agent_documents, doc_labels),
        "authority_documents": _labels(
            n.authority_documents, {str(k): v for k, v in AUTHORITY_LABELS.items()}
        ),
        "agent_kind_label": AGENT_KIND_LABELS.get(AgentKind(n.agent_kind)) if n.agent_kind else "",
        "can_decide": can_decide,
        "entered_by_me": entered_by_me,
        "may_confirm": may_confirm,
        "can_edit": n.status == Status.RETURNED,
        "decision_form": DecisionForm(
            initial={"version": n.version},
            with_number=n.has_number and may_show_personal_numbers(request, Perm.REGISTER_PERSONAL_NUMBER),
        ),
        "mismatches": selectors.mismatches_of(n.pk),
    }
    return render(request, "web/notifications_detail.html", context)


def _decide(request: HttpRequest, notification_id: int, *, confirm: bool) -> HttpResponseBase:
    n = _notification_or_404(notification_id)
    with_number = (
        confirm and n.has_number and may_show_personal_numbers(request, Perm.REGISTER_PERSONAL_NUMBER)
    )
    form = DecisionForm(request.POST, with_number=with_number)
    if not form.is_valid():
        messages.error(
            request,
            "判断の根拠を入力してください" if "note" in form.errors
            else STALE_MESSAGE if "version" in form.errors
            else "個人番号の桁数または検査用数字が正しくありません",
        )  # fmt: skip
        return redirect("web:notification_detail", notification_id=n.pk)
    seen = form.cleaned_data["version"]
    try:
        if confirm:
            notification_confirm(
                actor=actor_for(request),
                notification_id=n.pk,
                note=form.cleaned_data["note"],
                number=form.cleaned_data.get("number", ""),
                seen_version=seen,
            )
        else:
            notification_return(
                actor=actor_for(request), notification_id=n.pk, note=form.cleaned_data["note"],
                seen_version=seen,
            )
    except StaleEdit as exc:
        messages.error(request, str(exc))
    except NotificationError as exc:
        messages.error(request, f"処理できませんでした: {exc.reason}")
    except InvalidNumber:
        messages.error(request, "個人番号の桁数または検査用数字が正しくありません")
    else:
        messages.success(request, "確認しました。届出は有効になりました" if confirm else "差し戻しました")
    return redirect("web:notification_detail", notification_id=n.pk)


@staff_view(permission=Perm.CONFIRM_NOTIFICATION, business_function=Jimu.ELIGIBILITY, methods=("POST",))
def notification_confirm_view(request: HttpRequest, notification_id: int) -> HttpResponseBase:
    return _decide(request, notification_id, confirm=True)


@staff_view(permission=Perm.CONFIRM_NOTIFICATION, business_function=Jimu.ELIGIBILITY, methods=("POST",))
def notification_return_view(request: HttpRequest, notification_id: int) -> HttpResponseBase:
    return _decide(request, notification_id, confirm=False)


@staff_view(permission=Perm.CONFIRM_NOTIFICATION, business_function=Jimu.ELIGIBILITY, methods=("GET",))
def mismatch_list_view(request: HttpRequest) -> HttpResponse:
    rows = []
    for m in selectors.open_mismatches()[:LIST_LIMIT]:
        rows.append({"m": m, "current": person_current(m.person_id)})
    return render(
        request,
        "web/notifications_mismatches.html",
        {"rows": rows, "form": ResolveForm(), "today": timezone.localdate()},
    )


@staff_view(permission=Perm.CONFIRM_NOTIFICATION, business_function=Jimu.ELIGIBILITY, methods=("POST",))
def mismatch_run_view(request: HttpRequest) -> HttpResponseBase:
    on: date = timezone.localdate()
    added = matching_run(actor=actor_for(request), on=on)
    messages.success(request, f"突合を実行しました(基準日 {format_wareki(on)}、新たな不一致 {added} 件)")
    return redirect("web:mismatch_list")


@staff_view(permission=Perm.CONFIRM_NOTIFICATION, business_function=Jimu.ELIGIBILITY, methods=("POST",))
def mismatch_resolve_view(request: HttpRequest, mismatch_id: int) -> HttpResponseBase:
    form = ResolveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "処理内容を入力してください")
        return redirect("web:mismatch_list")
    try:
        mismatch_resolve(actor=actor_for(request), mismatch_id=mismatch_id, note=form.cleaned_data["note"])
    except NotificationError as exc:
        messages.error(request, f"処理できませんでした: {exc.reason}")
    else:
        messages.success(request, "処理済みにしました")
    return redirect("web:mismatch_list")
