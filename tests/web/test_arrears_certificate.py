"""保険料納付確認書 from the 収納状況 screen (collection function (3)⑤): a button issues the PDF of a
calendar year through kouki.arrears.certificates.payment_certificate_issue, which audits it; the IPAex
font is embedded and the text carries the title and the year's payments; no personal number (BF-01)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from documents.pdftools import pdffonts, pdftotext

from kouki.accounts.permissions import Role
from kouki.privacy.models import AuditEntry
from web.collection_samples import FY, fix_today, pay, person_with_plan
from web.conftest import Family, Numbers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    return fix_today(monkeypatch)


def cert_url(person_id: int) -> str:
    return reverse("web:payment_certificate", args=[person_id])


def test_the_ledger_offers_the_certificate_for_recent_years(
        family: Family, client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro)
    page = client_as(Role.COUNTER_CLERK).get(reverse("web:collection_ledger", args=[person.pk]))
    html = page.content.decode()
    form = html.split('id="payment-certificate-form"')[1].split("</form>")[0]
    assert cert_url(person.pk) in html and '<option value="2025" selected>' in form
    assert page.context["certificate_years"] == [2026, 2025, 2024, 2023, 2022, 2021]
    assert reverse("web:arrears_detail", args=[person.pk]) in form


def test_a_clerk_downloads_the_certificate_and_it_is_audited(
        family: Family, numbers: Numbers, client_as: Callable[[Role], Client], tmp_path: Path) -> None:
    person, rows = person_with_plan(family.taro)
    pay(person, rows[0].amount, instalment=rows[0], paid_on=date(2025, 7, 20))
    pay(person, 12_345, paid_on=date(2026, 1, 10))  # another calendar year
    response = client_as(Role.COUNTER_CLERK).post(cert_url(person.pk), {"year": "2025"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="nofu-kakuninsho-2025-{family.taro.addressee_no}.pdf"')
    assert "no-store" in response["Cache-Control"]
    path = tmp_path / "cert.pdf"
    path.write_bytes(response.content)
    assert all("IPAex" in f["name"] and f["emb"] == "yes" for f in pdffonts(path))
    text = pdftotext(path)
    assert "納付確認書" in text and f"{rows[0].amount:,}" in text and "12,345" not in text
    assert numbers.taro not in text
    entry = AuditEntry.objects.get(action="payment_certificate_issue")
    assert entry.target_id == str(person.pk) and entry.detail["year"] == 2025
    assert entry.detail["certified"] == rows[0].amount


@pytest.mark.parametrize("year", ["", "2027", "abc", "1999"])
def test_a_bad_year_issues_nothing(family: Family, client_as: Callable[[Role], Client], year: str) -> None:
    person, _rows = person_with_plan(family.taro)
    page = client_as(Role.COUNTER_CLERK).post(cert_url(person.pk), {"year": year}, follow=True)
    assert page.redirect_chain[-1][0] == reverse("web:collection_ledger", args=[person.pk])
    assert "納付確認書を発行できませんでした" in page.content.decode()
    assert not AuditEntry.objects.filter(action="payment_certificate_issue").exists()


def test_refusals(family: Family, client_as: Callable[[Role], Client]) -> None:
    person, _rows = person_with_plan(family.taro)
    assert client_as(Role.COUNTER_CLERK).get(cert_url(person.pk)).status_code == 405
    assert client_as(Role.AUDITOR).post(cert_url(person.pk), {"year": FY}).status_code == 403
    assert client_as(Role.COUNTER_CLERK).post(cert_url(999_999), {"year": FY}).status_code == 404
    assert not AuditEntry.objects.filter(action="payment_certificate_issue").exists()
