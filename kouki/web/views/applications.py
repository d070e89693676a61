"""申請 screens: choose the kind from the person page, the kind's form (checklist, warnings), the
worklist, the detail with 再鑑 and 取下げ, and the 受付票(控え) PDF.

BF-01: each kind's form is its own screen tagged with the kind's 事務 (葬祭費 7, 療養費 and the other
benefits 4, 徴収猶予 9, 減免 11, 簡易申告 13), so a 葬祭費 screen can never show the personal number
field (kouki.web.access.may_show_personal_numbers). The worklist, the detail, 再鑑, 取下げ and the
受付票 are the 付随する事務 (15); they show a number field only to re-key the number of an application
that carries one, and never show a number.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from kouki.accounts.permissions import Jimu, Perm
from kouki.addressees.models import PersonVersion
from kouki.addressees.selectors import person_current
from kouki.applications import selectors
from kouki.applications.models import Application, Status
from kouki.applications.notices import (
    DELIVERABLE,
    application_notice_delivered,
    application_notice_printed,
    application_notice_undelivered,
    notice_document,
)
from kouki.applications.services import (
    WITHDRAWABLE,
    ApplicationError,
    ApplicationWarnings,
    application_confirm,
    application_correct,
    application_receipt_printed,
    application_receive,
    application_return,
    application_withdraw,
    receiver_ids,
)
from kouki.banking import selectors as banking_selectors
from kouki.collection.web_selectors import person_labels
from kouki.core.paging import page_of
from kouki.documents.application_receipt import KIND as RECEIPT_KIND
from kouki.rules.applications import SPECS, ApplicationKind, spec_of
from kouki.rules.identity_check import AGENT_KIND_LABELS, AUTHORITY_LABELS, DOCUMENT_LABELS, AgentKind
from kouki.rules.numbers import InvalidNumber
from kouki.rules.wareki import format_wareki_input
from kouki.web.access import actor_for, may_show_personal_numbers, staff_user, staff_view
from kouki.web.application_forms import (
    PREFIX,
    ApplicationDecisionForm,
    ApplicationFilterForm,
    ApplicationForm,
    NoticeDeliveryForm,
    NoticeUndeliveredForm,
    WithdrawForm,
    initial_of,
)

LIST_PAGE = 100
# The form screen of each 事務 (URL name); a benefit's kind is part of its URL.
NEW_VIEW_OF_JIMU: dict[int, str] = {
    Jimu.FUNERAL_EXPENSES: "web:application_new_funeral",
    Jimu.BENEFIT_APPLICATIONS: "web:application_new_benefit",
    Jimu.DEFERRAL_APPLICATIONS: "web:application_new_deferral",
    Jimu.REDUCTION_APPLICATIONS: "web:application_new_reduction",
    Jimu.DECLARATIONS: "web:application_new_declaration",
}
# A service error about several inputs is shown next to the first of them.
FIELD_OF_ERROR = {"agent": "agent_name", "identity": "identity_documents"}
FORM_FIELDS = {"received_on", "applicant", "documents", "instalments", "note", "number", "agent_name",
               "agent_relationship", "identity_documents", "bank_code", "branch_code", "deposit_type",
               "account_number", "holder_kana"}  # fmt: skip


def new_url(kind: ApplicationKind, person_id: int) -> str:
    name = NEW_VIEW_OF_JIMU[spec_of(kind).jimu]
    url = reverse(name, kwargs={"person_id": person_id})
    return f"{url}?kind={kind.value}" if name == "web:application_new_benefit" else url


def _person_or_404(person_id: int) -> PersonVersion:
    current = person_current(person_id)
    if current is None:
        raise Http404("宛名がありません")
    return current


def _application_or_404(application_id: int) -> Application:
    a = selectors.application_get(application_id)
    if a is None:
        raise Http404("申請がありません")
    return a


def _kinds(request: HttpRequest, person_id: int, jimu: Jimu | None) -> HttpResponse:
    current = _person_or_404(person_id)
    kinds = [(spec.label, new_url(kind, person_id), spec.note) for kind, spec in SPECS.items()
             if jimu is None or spec.jimu == jimu]  # fmt: skip
    return render(request, "web/applications_kind.html",
                  {"current": current, "person": current.person, "kinds": kinds})  # fmt: skip


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.INCIDENTAL, methods=("GET",))
def application_kind_view(request: HttpRequest, person_id: int) -> HttpResponse:
    return _kinds(request, person_id, None)


def _add_error(form: ApplicationForm, exc: ApplicationError) -> None:
    field = FIELD_OF_ERROR.get(exc.field, exc.field)
    if PREFIX + field in form.fields:
        field = PREFIX + field
    elif field not in FORM_FIELDS or field not in form.fields:
        field = ""
    form.add_error(field or None, exc.reason)


def _without_number(form: ApplicationForm | ApplicationDecisionForm) -> None:
    if isinstance(form.data, QueryDict) and "number" in form.data:
        data = form.data.copy()
        data["number"] = ""
        form.data = data


def correct_url(a: Application) -> str:
    url = new_url(ApplicationKind(a.kind), a.person_id)
    return f"{url}{'&' if '?' in url else '?'}correct={a.pk}"


def _correcting(request: HttpRequest, person_id: int, kind: ApplicationKind) -> Application | None:
    """The returned application this form corrects (?correct=<id>), else None (a new one)."""
    raw = request.GET.get("correct", "")
    if not raw:
        return None
    a = selectors.application_get(int(raw)) if raw.isdigit() and len(raw) < 19 else None
    if a is None or a.person_id != person_id or a.kind != kind:
        raise Http404("申請がありません")
    return a


def _new(request: HttpRequest, person_id: int, kind: ApplicationKind) -> HttpResponseBase:
    """The kind's form: a new application, or (?correct=<id>) the correction of a returned one."""
    current = _person_or_404(person_id)
    spec = spec_of(kind)
    correcting = _correcting(request, person_id, kind)
    if correcting is not None and correcting.status != Status.RETURNED:
        messages.error(request, "差戻し中の申請だけを修正できます")
        return redirect("web:application_detail", application_id=correcting.pk)
    with_number = may_show_personal_numbers(request, Perm.REGISTER_PERSONAL_NUMBER) and spec.number_allowed
    today = timezone.localdate()
    if correcting is not None:
        initial = initial_of(correcting)
    else:
        initial = {"received_on": format_wareki_input(today), "applicant": spec.applicants[0].value}
    form = ApplicationForm(request.POST or None, initial=initial, kind=kind, with_number=with_number,
                           instalment_options=selectors.instalment_options(person_id, today),
                           with_account=correcting is None)  # fmt: skip
    warnings: tuple[str, ...] = ()
    if request.method == "POST" and form.is_valid():
        actor, data, number = (
            actor_for(request),
            form.to_input(person_id),
            form.cleaned_data.get("number", ""),
        )
        try:
            if correcting is not None:
                a = application_correct(actor=actor, application_id=correcting.pk, data=data, number=number)
            else:
                a = application_receive(actor=actor, data=data, number=number)
        except ApplicationWarnings as exc:
            warnings = exc.warnings.messages
        except ApplicationError as exc:
            _add_error(form, exc)
        except InvalidNumber:
            form.add_error(
                "number" if with_number else None, "個人番号の桁数または検査用数字が正しくありません"
            )
        else:
            done = (
                "修正しました"
                if correcting is not None
                else f"申請を受け付けました(受付番号 {a.application_no})"
            )
            messages.success(request, f"{done}。別の職員の再鑑が必要です")
            return redirect("web:application_detail", application_id=a.pk)
    _without_number(form)
    return render(
        request,
        "web/applications_form.html",
        {"form": form, "current": current, "person": current.person, "spec": spec, "kind": kind,
         "with_number": with_number, "warnings": warnings, "without_numbers": not spec.number_allowed,
         "correcting": correcting},
    )  # fmt: skip


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.FUNERAL_EXPENSES)
def application_new_funeral_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    return _new(request, person_id, ApplicationKind.FUNERAL)


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.BENEFIT_APPLICATIONS)
def application_new_benefit_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    """One of the 医療給付 kinds (事務 4), named by ?kind=; without it, the list of those kinds."""
    kind = request.GET.get("kind", "")
    if not kind:
        return _kinds(request, person_id, Jimu.BENEFIT_APPLICATIONS)
    try:
        k = ApplicationKind(kind)
    except ValueError:
        raise Http404("申請の種類がありません") from None
    if spec_of(k).jimu != Jimu.BENEFIT_APPLICATIONS:
        raise Http404("申請の種類がありません")
    return _new(request, person_id, k)


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.DEFERRAL_APPLICATIONS)
def application_new_deferral_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    return _new(request, person_id, ApplicationKind.PREMIUM_DEFERRAL)


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.REDUCTION_APPLICATIONS)
def application_new_reduction_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    return _new(request, person_id, ApplicationKind.PREMIUM_REDUCTION)


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.DECLARATIONS)
def application_new_declaration_view(request: HttpRequest, person_id: int) -> HttpResponseBase:
    return _new(request, person_id, ApplicationKind.SIMPLE_DECLARATION)


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.INCIDENTAL, methods=("GET",))
def application_list_view(request: HttpRequest) -> HttpResponse:
    form = ApplicationFilterForm(request.GET or None)
    status = kind = ""
    if form.is_valid():
        status, kind = form.cleaned_data["status"], form.cleaned_data["kind"]
    person_id = request.GET.get("person", "")
    listed = page_of(request, selectors.application_list(
        status=status, kind=kind, person_id=int(person_id) if person_id.isdigit() else None
    ), per_page=LIST_PAGE)  # counted and paged in the database (issue 16 §5)
    rows = listed.rows
    people = person_labels(a.person_id for a in rows)  # the name beside the 宛名番号
    waiting = selectors.application_list(status=Status.RECEIVED).count()
    context = {"form": form, "rows": rows, "people": people, "waiting": waiting,
               "page": listed.page, "page_query": listed.query}
    return render(request, "web/applications_list.html", context)


def _labels(codes: list[str], labels: dict[str, str]) -> list[str]:
    return [labels.get(c, c) for c in codes]


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.INCIDENTAL, methods=("GET",))
def application_detail_view(request: HttpRequest, application_id: int) -> HttpResponse:
    a = _application_or_404(application_id)
    user = staff_user(request)
    assert user is not None
    received_by_me = user.pk in receiver_ids(a.pk)
    may_confirm = user.has_kouki_perm(Perm.CONFIRM_APPLICATION)
    doc_labels = {str(k): v for k, v in DOCUMENT_LABELS.items()}
    with_number = a.has_number and may_show_personal_numbers(request, Perm.REGISTER_PERSONAL_NUMBER)
    today = format_wareki_input(timezone.localdate())
    context = {
        "a": a,
        "spec": spec_of(a.kind),
        "current": person_current(a.person_id),
        "steps": selectors.application_steps(a.pk),
        "details": selectors.detail_lines(a),
        "documents": selectors.document_lines(a),
        "instalments": selectors.instalment_lines(a),
        "identity_documents": _labels(a.identity_documents, doc_labels),
        "agent_documents": _labels(a.agent_documents, doc_labels),
        "authority_documents": _labels(
            a.authority_documents, {str(k): v for k, v in AUTHORITY_LABELS.items()}
        ),
        "agent_kind_label": AGENT_KIND_LABELS.get(AgentKind(a.agent_kind)) if a.agent_kind else "",
        "can_decide": a.status == Status.RECEIVED and may_confirm and not received_by_me,
        "received_by_me": received_by_me,
        "may_confirm": may_confirm,
        "can_withdraw": a.status in WITHDRAWABLE,
        "correct_url": correct_url(a) if a.status == Status.RETURNED else "",
        "decision_form": ApplicationDecisionForm(with_number=with_number),
        "withdraw_form": WithdrawForm(),
        "awaits_transfer": bool(spec_of(a.kind).transfer_to)
        and a.status == Status.CONFIRMED
        and not a.transferred_on,
        "account": banking_selectors.account(a.bank_account_id) if a.bank_account_id else None,
        "decision_label": selectors.decision_label(a),
        "can_deliver": a.status in DELIVERABLE,
        "can_undeliver": a.status == Status.MAILED,
        "has_notice": bool(a.decision_result),
        "delivery_form": NoticeDeliveryForm(initial={"how": "handed_over", "on": today}),
        "undelivered_form": NoticeUndeliveredForm(initial={"on": today}),
    }
    return render(request, "web/applications_detail.html", context)


def _decide(request: HttpRequest, application_id: int, *, confirm: bool) -> HttpResponseBase:
    a = _application_or_404(application_id)
    with_number = (
        confirm and a.has_number and may_show_personal_numbers(request, Perm.REGISTER_PERSONAL_NUMBER)
    )
    form = ApplicationDecisionForm(request.POST, with_number=with_number)
    if not form.is_valid():
        messages.error(
            request,
            "判断の根拠を入力してください"
            if "note" in form.errors
            else "個人番号の桁数または検査用数字が正しくありません",
        )
        return redirect("web:application_detail", application_id=a.pk)
    try:
        if confirm:
            application_confirm(
                actor=actor_for(request), application_id=a.pk, note=form.cleaned_data["note"],
                number=form.cleaned_data.get("number", ""),
            )  # fmt: skip
        else:
            application_return(actor=actor_for(request), application_id=a.pk, note=form.cleaned_data["note"])
    except ApplicationError as exc:
        messages.error(request, f"処理できませんでした: {exc.reason}")
    except InvalidNumber:
        messages.error(request, "個人番号の桁数または検査用数字が正しくありません")
    else:
        messages.success(request, "再鑑しました" if confirm else "差し戻しました")
    return redirect("web:application_detail", application_id=a.pk)


@staff_view(permission=Perm.CONFIRM_APPLICATION, business_function=Jimu.INCIDENTAL, methods=("POST",))
def application_confirm_view(request: HttpRequest, application_id: int) -> HttpResponseBase:
    return _decide(request, application_id, confirm=True)


@staff_view(permission=Perm.CONFIRM_APPLICATION, business_function=Jimu.INCIDENTAL, methods=("POST",))
def application_return_view(request: HttpRequest, application_id: int) -> HttpResponseBase:
    return _decide(request, application_id, confirm=False)


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.INCIDENTAL, methods=("POST",))
def application_withdraw_view(request: HttpRequest, application_id: int) -> HttpResponseBase:
    a = _application_or_404(application_id)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "取下げの理由を入力してください")
        return redirect("web:application_detail", application_id=a.pk)
    try:
        application_withdraw(
            actor=actor_for(request), application_id=a.pk, reason=form.cleaned_data["reason"]
        )
    except ApplicationError as exc:
        messages.error(request, f"処理できませんでした: {exc.reason}")
    else:
        messages.success(request, "取下げを記録しました")
    return redirect("web:application_detail", application_id=a.pk)


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.INCIDENTAL, methods=("GET",))
def application_receipt_view(request: HttpRequest, application_id: int) -> HttpResponse:
    """The 受付票(控え) for the applicant (PDF, embedded font); the print is recorded."""
    a = _application_or_404(application_id)
    pdf = RECEIPT_KIND.render([selectors.receipt_data(a)])
    application_receipt_printed(actor=actor_for(request), application_id=a.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{RECEIPT_KIND.name}-{a.pk}.pdf"'
    return response


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.INCIDENTAL, methods=("GET",))
def application_notice_view(request: HttpRequest, application_id: int) -> HttpResponse:
    """The decision notice (支給・不支給・減免・徴収猶予) from the union's decision; the print is recorded."""
    a = _application_or_404(application_id)
    found = notice_document(a, timezone.localdate()) if a.decision_result else None
    if found is None:  # no decision yet: say so (the link shows only once one has come)
        return render(request, "web/applications_no_notice.html", {"a": a})
    pdf, name = found
    application_notice_printed(actor=actor_for(request), application_id=a.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}-{a.pk}.pdf"'
    return response


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.INCIDENTAL, methods=("POST",))
def application_notice_delivered_view(request: HttpRequest, application_id: int) -> HttpResponseBase:
    a = _application_or_404(application_id)
    form = NoticeDeliveryForm(request.POST)
    if not form.is_valid():
        messages.error(request, "交付の方法と日付を正しく入力してください")
        return redirect("web:application_detail", application_id=a.pk)
    how = form.cleaned_data["how"]
    try:
        application_notice_delivered(actor=actor_for(request), application_id=a.pk, how=how,
                                     on=form.cleaned_data["on"])  # fmt: skip
    except ApplicationError as exc:
        messages.error(request, f"処理できませんでした: {exc.reason}")
    else:
        done = "交付" if how == "handed_over" else "郵送"
        messages.success(request, f"通知書の{done}を記録しました")
    return redirect("web:application_detail", application_id=a.pk)


@staff_view(permission=Perm.ENTER_APPLICATION, business_function=Jimu.INCIDENTAL, methods=("POST",))
def application_notice_undelivered_view(request: HttpRequest, application_id: int) -> HttpResponseBase:
    a = _application_or_404(application_id)
    form = NoticeUndeliveredForm(request.POST)
    if not form.is_valid():
        messages.error(request, "返戻日を正しく入力してください")
        return redirect("web:application_detail", application_id=a.pk)
    try:
        application_notice_undelivered(
            actor=actor_for(request), application_id=a.pk, on=form.cleaned_data["on"]
        )
    except ApplicationError as exc:
        messages.error(request, f"処理できませんでした: {exc.reason}")
    else:
        messages.success(request, "通知書の返戻を記録しました")
    return redirect("web:application_detail", application_id=a.pk)
