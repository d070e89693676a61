"""個人番号表示 (purpose first, SEC-10/SEC-11) and 個人番号確認リスト (IN-04) with confirm / reject.

The revealed number is rendered into the POST response only: never in a URL, never cached (the
access decorator sends Cache-Control: no-store), always beside 氏名・生年月日・住所.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render

from kouki.accounts.permissions import Jimu, Perm
from kouki.addressees.selectors import person_current
from kouki.privacy import selectors as privacy_selectors
from kouki.privacy.gate import InvalidPurpose, PersonalNumberAccessDenied, reveal_personal_number
from kouki.privacy.reading import ReadingLimitExceeded
from kouki.privacy.services import (
    PendingDecisionError,
    personal_number_pending_confirm,
    personal_number_pending_reject,
)
from kouki.web.access import actor_for, forbidden, reading_limited, staff_user, staff_view
from kouki.web.forms import PendingDecisionForm, PurposeForm

SOURCE_SCREENS = {
    "person_detail": "宛名詳細",
    "person_search": "宛名検索",
    "pending_list": "個人番号確認リスト",
}


def group_number(number: str) -> str:
    """1234 5678 9012: how the number is printed on the card, easier to read aloud and compare."""
    return " ".join(number[i:i + 4] for i in range(0, len(number), 4))


@staff_view(permission=Perm.VIEW_PERSONAL_NUMBER, business_function=Jimu.INCIDENTAL)
def personal_number_reveal_view(request: HttpRequest, person_id: int) -> HttpResponse:
    user = staff_user(request)
    assert user is not None
    current = person_current(person_id)
    if current is None:
        raise Http404("宛名がありません")
    source = request.POST.get("source") or request.GET.get("from", "")
    source = source if source in SOURCE_SCREENS else "person_detail"
    form = PurposeForm(request.POST or None)
    context: dict[str, object] = {"current": current, "person": current.person, "source": source}
    if request.method == "POST" and form.is_valid():
        try:
            number = reveal_personal_number(
                user=user, person_id=person_id, purpose=form.cleaned_data["purpose"],
                purpose_note=form.cleaned_data["purpose_note"],
                screen=f"web.personal_number_reveal(遷移元:{SOURCE_SCREENS[source]})",
                terminal_id=request.kouki_terminal_id,  # type: ignore[attr-defined]
            )
        except PersonalNumberAccessDenied:
            return forbidden(request)
        except ReadingLimitExceeded as exc:
            return reading_limited(request, str(exc))
        except InvalidPurpose as exc:
            form.add_error("purpose", str(exc))
        else:
            context.update({"revealed": True, "number": group_number(number) if number else None})
            return render(request, "web/personal_number_shown.html", context)
    context["form"] = form
    return render(request, "web/personal_number_reveal.html", context)


@staff_view(permission=Perm.CONFIRM_PERSONAL_NUMBER, business_function=Jimu.INCIDENTAL, methods=("GET",))
def pending_list_view(request: HttpRequest) -> HttpResponse:
    rows = []
    for pending in privacy_selectors.pending_list()[:200]:
        rows.append({"pending": pending, "current": person_current(pending.person_id)})
    return render(request, "web/pending_list.html", {"rows": rows, "form": PendingDecisionForm()})


def _decide(request: HttpRequest, pending_id: int, *, confirm: bool) -> HttpResponseBase:
    form = PendingDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "判断理由を入力してください")
        return redirect("web:pending_list")
    decide = personal_number_pending_confirm if confirm else personal_number_pending_reject
    try:
        decide(actor=actor_for(request), pending_id=pending_id, note=form.cleaned_data["note"])
    except PendingDecisionError as exc:
        messages.error(request, f"処理できませんでした: {exc}")
    except ValueError:
        messages.error(request, "判断理由に使えない内容が含まれています(個人番号は書かないでください)")
    else:
        messages.success(request, "反映しました" if confirm else "却下しました(登録済みの番号を維持)")
    return redirect("web:pending_list")


@staff_view(permission=Perm.CONFIRM_PERSONAL_NUMBER, business_function=Jimu.INCIDENTAL, methods=("POST",))
def pending_confirm_view(request: HttpRequest, pending_id: int) -> HttpResponseBase:
    return _decide(request, pending_id, confirm=True)


@staff_view(permission=Perm.CONFIRM_PERSONAL_NUMBER, business_function=Jimu.INCIDENTAL, methods=("POST",))
def pending_reject_view(request: HttpRequest, pending_id: int) -> HttpResponseBase:
    return _decide(request, pending_id, confirm=False)
