"""The person lookups the money screens share: the current version of a person from a URL id, and the
宛名検索 form whose results lead to a screen of the caller's choice (収納状況, 口座)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from kouki.addressees.models import PersonVersion
from kouki.addressees.selectors import person_current, search_current
from kouki.web.forms import PersonSearchForm

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class SearchScreen:
    """What one screen's 宛名検索 says and where its results lead (URL names take the person id)."""

    title: str
    search_url: str
    form_id: str
    note: str
    result_url: str
    result_label: str


def person_or_404(person_id: int) -> PersonVersion:
    """The person's current version; 404 when there is none (ids out of range never reach here: the URL
    converters of kouki.web.converters refuse them)."""
    current = person_current(person_id)
    if current is None:
        raise Http404("宛名がありません")
    return current


def person_search_page(request: HttpRequest, screen: SearchScreen) -> HttpResponse:
    """宛名検索 (カナ・生年月日・宛名番号) for `screen`, at most SEARCH_LIMIT results."""
    searched = bool(request.GET)
    form = PersonSearchForm(request.GET or None)
    results: list[PersonVersion] = []
    if searched and form.is_valid():
        results = list(search_current(kana=form.cleaned_data["kana"], birth_date=form.cleaned_data["birth"],
                                      addressee_no=form.cleaned_data["addressee_no"], limit=SEARCH_LIMIT + 1))
    return render(request, "web/person_search_for.html", {
        "screen": screen, "form": form, "results": results[:SEARCH_LIMIT],
        "searched": searched and form.is_valid(), "truncated": len(results) > SEARCH_LIMIT,
    })  # fmt: skip
