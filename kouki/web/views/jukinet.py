"""住基ネット照会 (IN-09; issue 13 §3): 本人確認情報 by 個人番号 or by the 4 items, for the counter's identity
check when no card is presented and for people moving in.

The result is rendered into the POST response only (never stored, never in a URL, not cached: the access
decorator sends no-store); the typed number is never rendered back. Each lookup is one log row
(kouki.jukinet.models.Lookup); its 照会番号 is what the notification form cites.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kouki.accounts.permissions import Jimu, Perm
from kouki.jukinet.cs import CsError, CsOperatorRefused
from kouki.jukinet.models import SearchKind
from kouki.jukinet.services import (
    InvalidLookup,
    JukinetAccessDenied,
    LookupOutcome,
    jukinet_lookup_by_four_items,
    jukinet_lookup_by_number,
)
from kouki.web.access import forbidden, staff_user, staff_view
from kouki.web.jukinet_forms import JukinetLookupForm
from kouki.web.views.numbers import group_number

SCREEN = "web.jukinet_lookup"


def _lookup(request: HttpRequest, form: JukinetLookupForm) -> LookupOutcome:
    user = staff_user(request)
    assert user is not None
    d = form.cleaned_data
    terminal: str = request.kouki_terminal_id  # type: ignore[attr-defined]
    if d["search_kind"] == SearchKind.PERSONAL_NUMBER:
        return jukinet_lookup_by_number(
            user=user,
            number=d["personal_number"],
            purpose=d["purpose"],
            purpose_note=d["purpose_note"],
            screen=SCREEN,
            terminal_id=terminal,
        )
    return jukinet_lookup_by_four_items(
        user=user,
        name=d["name"],
        birth_date=d["birth_date"],
        sex=d["sex"] or "",
        address=d["address"],
        purpose=d["purpose"],
        purpose_note=d["purpose_note"],
        screen=SCREEN,
        terminal_id=terminal,
    )


@staff_view(permission=Perm.JUKINET_LOOKUP, business_function=Jimu.ELIGIBILITY)
def jukinet_lookup_view(request: HttpRequest) -> HttpResponse:
    form = JukinetLookupForm(request.POST or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST":
        if form.is_valid():
            try:
                outcome = _lookup(request, form)
            except JukinetAccessDenied:
                return forbidden(request)
            except InvalidLookup as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
            except CsOperatorRefused:
                form.add_error(
                    None, "住基ネットCSが操作者を認証しませんでした。アクセス管理責任者に確認してください"
                )
            except CsError:
                form.add_error(None, "住基ネットCSに接続できませんでした。時間をおいて再度照会してください")
            else:
                context.update(
                    {
                        "outcome": outcome,
                        "records": [(r, group_number(r.personal_number)) for r in outcome.records],
                    }
                )
        # the typed number is never rendered back into the page
        without_number = request.POST.copy()
        without_number["personal_number"] = ""
        form.data = without_number
    return render(request, "web/jukinet_lookup.html", context)
