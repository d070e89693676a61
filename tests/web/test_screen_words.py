"""The filters and helpers that keep internal words off the screens (issue 11 §4): permissions, staff,
screens, number results and parameter keys by their Japanese names; English service messages replaced."""

from __future__ import annotations

import pytest
from factories import make_staff

from kouki.accounts.permissions import PERM_LABELS, Perm, Role
from kouki.rules.premium.parameter_labels import parameter_label
from kouki.rules.premium.parameters import LEVY_KEYS, REDUCTION_KEYS
from kouki.web.screen_text import FALLBACK, japanese_or
from kouki.web.templatetags.kouki_web import (
    number_result_label,
    number_source,
    perm_label,
    screen_label,
    wari,
    who,
)


def test_every_permission_has_a_japanese_label() -> None:
    assert set(PERM_LABELS) == set(Perm)
    assert perm_label(Perm.ENTER_NOTIFICATION.value) == "届出の入力"
    assert perm_label("no.such_permission") == "(不明な権限)"
    assert all(not any(c.isascii() and c.isalpha() for c in label) for label in PERM_LABELS.values())


@pytest.mark.django_db
def test_who_names_staff_and_batches() -> None:
    clerk = make_staff(Role.COUNTER_CLERK).user
    assert who(clerk.username) == clerk.staff_name != clerk.username
    assert who("system:certificates") == "システム処理"
    assert who("gone-account") == "gone-account"  # a removed account keeps its stored id
    assert who("") == ""


def test_screen_and_number_result_labels() -> None:
    assert screen_label("web.person_search_by_number") == "個人番号による検索"
    assert screen_label("web.personal_number_reveal(遷移元:宛名詳細)") == "個人番号の表示(遷移元:宛名詳細)"
    assert screen_label("web.something_else") == "(その他の画面)"
    assert number_result_label("unchanged") == "登録済みの番号と同じ(変更なし)"
    assert {number_result_label(r) for r in ("stored", "unchanged", "pending")}.isdisjoint({""})


@pytest.mark.parametrize("key", [*LEVY_KEYS, *(f"reduction.{k}" for k in REDUCTION_KEYS),
                                 *(f"child_support.{k}" for k in LEVY_KEYS), "child_support_from",
                                 "former_dependant.months", "low_income_rate.rate"])  # fmt: skip
def test_every_missing_parameter_has_a_japanese_name(key: str) -> None:
    label = parameter_label(key)
    assert "その他" not in label and not any(c.isascii() and c.isalpha() for c in label)


def test_english_service_messages_are_replaced() -> None:
    assert japanese_or("amount must be positive, got 0", FALLBACK) == FALLBACK
    assert japanese_or("household[0].birth_date: after as_of", FALLBACK) == FALLBACK
    assert japanese_or("受付日が未来の日付です", FALLBACK) == "受付日が未来の日付です"
    assert japanese_or("pension_stop_lead_months is not configured", FALLBACK) == FALLBACK
    assert japanese_or("KOUKI_DIRECT_MONTHS", FALLBACK) == FALLBACK
    assert japanese_or("NOTCONFIGURED", FALLBACK) == FALLBACK


@pytest.mark.parametrize("message", [
    "欠損額5,000円が令和7年度 普通徴収 第3期の未納額3,000円を超えています",
    "R8.4.1の納付予定額は1円以上を入力してください",
    "令和8年4月1日時点で督促状の発行対象ではありません",
    "(地方自治法第236条第2項)",
    "CSVの3行目: 金額がありません",
    "TOTPの確認コードが違います",
])
def test_japanese_service_messages_pass_through(message: str) -> None:
    """The services' refusals are written for the counter (issue 11 §4): shown as they stand."""
    assert japanese_or(message, FALLBACK) == message


@pytest.mark.parametrize(("percent", "shown"),
                         [(10, "1割"), (20, "2割"), (30, "3割"), (15, "15%"), (None, "")])
def test_copayment_rate_is_written_in_wari(percent: int | None, shown: str) -> None:
    """負担割合 「1割」 everywhere (issue 11 §4), as the 資格確認書 prints it
    (documents.drawing.COPAY_LABELS)."""
    assert wari(percent) == shown


@pytest.mark.parametrize(("source", "shown"), [
    ("synth", "模擬データ(デモ)"),
    ("住基異動 JK20260401.txt", "住基異動の取込"),  # never the file's name
    ("届出 0000000012", "届出 0000000012"),
    ("住登外登録", "住登外登録"),
    ("tests", "その他"),
])  # fmt: skip
def test_number_sources_are_named_in_japanese(source: str, shown: str) -> None:
    assert number_source(source) == shown
