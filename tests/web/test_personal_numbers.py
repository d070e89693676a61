"""個人番号 on the screens: reveal with a purpose (SEC-10, SEC-11), number search by POST only,
nothing for the counter clerk (SEC-07), 確認リスト confirm/reject (IN-04), 参照記録 for auditors (SEC-12).

Numbers are checked with booleans only, so a failing assertion never prints one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from kouki.accounts.permissions import Role
from kouki.privacy.models import PersonalNumberPending, ReferenceLog
from kouki.privacy.redaction import contains_personal_number
from kouki.privacy.selectors import has_personal_number

from .conftest import Family, Numbers
from .test_access_matrix import sample_kwargs, walk

pytestmark = pytest.mark.django_db


GROUPED = re.compile(r"(?<!\d)(\d{4})[ \-](\d{4})[ \-](\d{4})(?!\d)")


def shows(page: str, number: str) -> bool:
    return number in page or number in {"".join(m.groups()) for m in GROUPED.finditer(page)}


def leaks_any_number(page: str) -> bool:
    """A valid number, plain or grouped 4-4-4 as on the card."""
    grouped = " ".join("".join(m.groups()) for m in GROUPED.finditer(page))
    return contains_personal_number(page) or contains_personal_number(grouped)


def reveal(client: Client, person_id: int, **data: str) -> Client:
    return client.post(reverse("web:personal_number_reveal", args=[person_id]),  # type: ignore[return-value]
                       {"source": "person_detail", **data})


def test_reveal_needs_a_purpose_then_shows_the_number_beside_name_birth_and_address(
        family: Family, numbers: Numbers, client_as: Callable[[Role], Client], settings: Any) -> None:
    settings.KOUKI_TRUSTED_PROXIES = "127.0.0.1"  # the terminal header counts from the proxy only
    client = client_as(Role.NUMBER_CLERK)
    form = client.get(reverse("web:personal_number_reveal", args=[family.taro.pk]))
    assert form.status_code == 200 and "参照理由" in form.content.decode()
    assert leaks_any_number(form.content.decode()) is False

    refused = reveal(client, family.taro.pk, purpose="")
    assert refused.status_code == 200 and shows(refused.content.decode(), numbers.taro) is False
    assert ReferenceLog.objects.count() == 0

    other_without_note = reveal(client, family.taro.pk, purpose="other")
    assert "その他の場合は参照理由を記入してください" in other_without_note.content.decode()
    assert ReferenceLog.objects.count() == 0

    response = client.post(reverse("web:personal_number_reveal", args=[family.taro.pk]),
                           {"purpose": "identity", "source": "person_detail"},
                           headers={"X-Kouki-Terminal": "URAWA-07"})
    page = response.content.decode()
    assert response.status_code == 200
    assert shows(page, numbers.taro) is True
    card = page[page.index('id="number-card"'):]
    assert "山田 太郎" in card and "昭和21年5月1日" in card and "1946年5月1日" in card
    assert family.new_address in card
    assert "no-store" in response["Cache-Control"]
    in_url = numbers.taro in response.request["PATH_INFO"] + response.request.get("QUERY_STRING", "")
    assert in_url is False
    log = ReferenceLog.objects.get()
    assert (log.person_id, log.kind, log.terminal_id) == (family.taro.pk, "reveal", "URAWA-07")
    assert log.purpose == "本人確認(番号確認)" and "宛名詳細" in log.screen
    assert log.username == response.wsgi_request.user.username  # type: ignore[attr-defined]


def test_person_without_a_number(family: Family, numbers: Numbers,
                                 client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.NUMBER_CLERK)
    detail = client.get(reverse("web:person_detail", args=[family.jiro.pk])).content.decode()
    assert "未登録" in detail and 'id="reveal-number"' not in detail
    page = reveal(client, family.jiro.pk, purpose="identity").content.decode()
    assert "個人番号は登録されていません" in page and "鈴木 次郎" in page


def test_number_holder_sees_the_reveal_button_but_not_the_number(
        family: Family, numbers: Numbers, client_as: Callable[[Role], Client]) -> None:
    response = client_as(Role.SUPERVISOR).get(reverse("web:person_detail", args=[family.taro.pk]))
    page = response.content.decode()
    assert 'id="reveal-number"' in page and "登録あり" in page
    assert leaks_any_number(page) is False


def pdf_text(content: bytes) -> str:
    """The text of a PDF screen (the certificate download), via pdftotext from poppler-utils."""
    import subprocess

    done = subprocess.run(["pdftotext", "-", "-"], input=content, check=True, capture_output=True)
    return done.stdout.decode()


def test_counter_clerk_sees_no_number_controls_and_no_number_anywhere(
        family: Family, numbers: Numbers, client_as: Callable[[Role], Client]) -> None:
    """SEC-07: fetch every screen (every URL, sample objects) as the clerk; no number, no number control."""
    clerk = client_as(Role.COUNTER_CLERK)
    kwargs = sample_kwargs(family, numbers)
    pages: dict[str, str] = {}
    for name, _pattern in walk(get_resolver("kouki.urls").url_patterns):
        response = clerk.get(reverse(name, kwargs=kwargs.get(name)), follow=True)
        pages[name] = pdf_text(response.content) if response.get("Content-Type") == "application/pdf" \
            else response.content.decode()
    for person in (family.taro, family.hanako, family.jiro):
        response = clerk.get(reverse("web:person_detail", args=[person.pk]))
        pages[f"detail {person.pk}"] = response.content.decode()
    pages["search"] = clerk.get(reverse("web:person_search"), {"kana": "ヤマダ"}).content.decode()
    leaking = [name for name, page in pages.items() if leaks_any_number(page)]
    assert leaking == []
    controls = ["reveal-number", "/personal-number/", "個人番号を表示", "個人番号で検索",
                "/personal-numbers/pending/", "登録あり"]
    with_controls = {name: [c for c in controls if c in page] for name, page in pages.items()
                     if name != "web:person_search_by_number" and any(c in page for c in controls)}
    assert with_controls == {}
    refused = reveal(clerk, family.taro.pk, purpose="identity")
    assert refused.status_code == 403 and leaks_any_number(refused.content.decode()) is False
    assert ReferenceLog.objects.count() == 0


def test_search_by_number_is_post_only_and_logged(
        family: Family, numbers: Numbers, client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.NUMBER_CLERK)
    url = reverse("web:person_search_by_number")
    as_get = client.get(url, {"number": numbers.taro, "purpose": "identity"})
    assert as_get.status_code == 200 and "検索結果" not in as_get.content.decode()
    assert ReferenceLog.objects.count() == 0

    response = client.post(url, {"number": numbers.taro, "purpose": "acquisition"})
    page = response.content.decode()
    assert "山田 太郎" in page and "昭和21年5月1日" in page and family.new_address in page
    assert leaks_any_number(page) is False  # the typed number is not echoed back
    log = ReferenceLog.objects.get()
    assert (log.kind, log.person_id, log.screen) == ("search", family.taro.pk, "web.person_search_by_number")


def test_search_by_number_with_a_bad_check_digit(
        family: Family, numbers: Numbers, client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.NUMBER_CLERK)
    wrong = numbers.taro[:11] + str((int(numbers.taro[11]) + 1) % 10)
    page = client.post(reverse("web:person_search_by_number"), {"number": wrong, "purpose": "identity"})
    text = page.content.decode()
    assert "検査用数字が正しくありません" in text and (wrong in text) is False
    assert ReferenceLog.objects.count() == 0


def test_search_by_number_needs_a_purpose(
        family: Family, numbers: Numbers, client_as: Callable[[Role], Client]) -> None:
    client = client_as(Role.NUMBER_CLERK)
    page = client.post(reverse("web:person_search_by_number"), {"number": numbers.taro, "purpose": ""})
    assert "検索結果" not in page.content.decode() and ReferenceLog.objects.count() == 0


def test_search_by_number_not_found(family: Family, numbers: Numbers,
                                    client_as: Callable[[Role], Client]) -> None:
    from factories import personal_number

    client = client_as(Role.SUPERVISOR)
    page = client.post(reverse("web:person_search_by_number"),
                       {"number": personal_number(), "purpose": "identity"})
    assert "この個人番号の宛名はありません" in page.content.decode()
    assert ReferenceLog.objects.get().person_id is None


def test_pending_list_confirm_and_reject(family: Family, numbers: Numbers,
                                        client_as: Callable[[Role], Client]) -> None:
    supervisor = client_as(Role.SUPERVISOR)
    page = supervisor.get(reverse("web:pending_list")).content.decode()
    assert "山田 花子" in page and "既存の番号と異なる" in page and "住基異動" in page
    assert leaks_any_number(page) is False

    no_note = supervisor.post(reverse("web:pending_confirm", args=[numbers.pending.pk]), {"note": ""})
    assert no_note.status_code == 302
    assert PersonalNumberPending.objects.get(pk=numbers.pending.pk).status == "pending"

    supervisor.post(reverse("web:pending_confirm", args=[numbers.pending.pk]), {"note": "本人確認書類で確認"})
    decided = PersonalNumberPending.objects.get(pk=numbers.pending.pk)
    assert (decided.status, decided.decision_note) == ("confirmed", "本人確認書類で確認")
    assert decided.decided_by_id is not None
    assert "確認待ちはありません" in supervisor.get(reverse("web:pending_list"), follow=True).content.decode()

    again = supervisor.post(reverse("web:pending_reject", args=[numbers.pending.pk]), {"note": "二重"},
                            follow=True)
    assert "処理できませんでした" in again.content.decode()


def test_pending_reject_keeps_the_stored_number(family: Family, numbers: Numbers,
                                               client_as: Callable[[Role], Client]) -> None:
    supervisor = client_as(Role.SUPERVISOR)
    response = supervisor.post(reverse("web:pending_reject", args=[numbers.pending.pk]),
                               {"note": "届出内容の誤り"}, follow=True)
    assert "却下しました" in response.content.decode()
    assert PersonalNumberPending.objects.get(pk=numbers.pending.pk).status == "rejected"
    assert has_personal_number(family.hanako.pk)


def test_number_clerk_cannot_decide(family: Family, numbers: Numbers,
                                    client_as: Callable[[Role], Client]) -> None:
    clerk = client_as(Role.NUMBER_CLERK)
    response = clerk.post(reverse("web:pending_confirm", args=[numbers.pending.pk]), {"note": "x"})
    assert response.status_code == 403
    assert PersonalNumberPending.objects.get(pk=numbers.pending.pk).status == "pending"


def test_reference_log_for_auditors(family: Family, numbers: Numbers,
                                    client_as: Callable[[Role], Client]) -> None:
    clerk = client_as(Role.NUMBER_CLERK)
    reveal(clerk, family.taro.pk, purpose="benefit")
    reveal(clerk, family.taro.pk, purpose="other", purpose_note="高額療養費の照会")
    auditor = client_as(Role.AUDITOR)
    page = auditor.get(reverse("web:reference_log")).content.decode()
    assert page.count("<tr>") == 3  # header + 2 rows
    assert "給付申請の受付" in page and "その他(理由を記入): 高額療養費の照会" in page
    assert family.taro.addressee_no in page and leaks_any_number(page) is False
    by_person = auditor.get(reverse("web:reference_log"), {"addressee_no": family.jiro.addressee_no})
    assert "記録はありません" in by_person.content.decode()
    username = ReferenceLog.objects.first().username  # type: ignore[union-attr]
    by_user = auditor.get(reverse("web:reference_log"), {"username": username, "since": "R1.5.1"})
    assert by_user.content.decode().count("<tr>") == 3
    assert client_as(Role.SUPERVISOR).get(reverse("web:reference_log")).status_code == 403
