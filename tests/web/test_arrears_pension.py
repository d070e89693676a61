"""特別徴収の未徴収 worklist (issue 5 §2; ADR 0011 decision 6): the pension instalments the union reported
as not deducted; one button moves the person to direct payment — re-plan, new slips and the item closed
(issue 11 §3, audited); a role without Perm.VIEW_PERSON is refused (SEC-07)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from arrears.helpers import pension_person
from django.test import Client, override_settings
from django.urls import reverse
from factories import Staff

from kouki.accounts.permissions import Role
from kouki.arrears.models import ConversionStatus, PensionNonDeduction
from kouki.assessment.models import Instalment
from kouki.privacy.models import AuditEntry
from kouki.rules.wareki import wareki_month
from kouki.slips.models import PaymentSlip
from web.collection_samples import fix_today, not_deducted, person_with_plan
from web.conftest import Family

pytestmark = pytest.mark.django_db

WORKLIST = reverse("web:pension_worklist")


def test_open_items_are_listed_and_closed(family: Family, staff_of: Callable[[Role], Staff],
                                          client_as: Callable[[Role], Client],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    today = fix_today(monkeypatch)
    person, _plan = pension_person(90_000)
    rows = list(Instalment.objects.filter(plan__person=person, method="pension").order_by("due_date"))
    item = not_deducted(rows[3], reason="01")
    client = client_as(Role.COUNTER_CLERK)
    row = client.get(WORKLIST).content.decode().split(f'id="pension-item-{item.pk}"')[1].split("</tr>")[0]
    assert "死亡" in row and "令和7年度" in row and person.addressee_no in row
    assert wareki_month(rows[3].due_date.year, rows[3].due_date.month) in row  # 和暦 (issue 11 §4)
    assert reverse("web:collection_ledger", args=[person.pk]) in row
    with override_settings(KOUKI_PENSION_STOP_LEAD_MONTHS="2", KOUKI_DIRECT_MONTHS="7,8,9,10,11,12,1,2,3"):
        response = client.post(reverse("web:pension_done", args=[item.pk]), follow=True)
    html = response.content.decode()
    assert "普通徴収へ切り替えました" in html and "納付書 1枚を発行しました" in html
    assert 'id="no-pension-items"' in html
    # the FY2025 instalments moved fall due after today (2026-12-01): one direct instalment, its slip
    (direct,) = Instalment.objects.filter(plan__person=person, plan__superseded_at__isnull=True,
                                          method="direct")
    assert direct.due_date > today and PaymentSlip.objects.get(instalment=direct).amount == direct.amount
    item.refresh_from_db()
    assert (item.status, item.resolved_by, item.resolved_on) == (
        ConversionStatus.DONE, staff_of(Role.COUNTER_CLERK).user.username, today)
    assert AuditEntry.objects.filter(action="pension_conversion_done", target_id=str(item.pk)).exists()
    # closed items are not offered again
    assert client.post(reverse("web:pension_done", args=[item.pk])).status_code == 404


def test_refusals(family: Family, client_as: Callable[[Role], Client]) -> None:
    _person, rows = person_with_plan(family.taro)
    item = not_deducted(rows[0])
    auditor = client_as(Role.AUDITOR)
    assert auditor.get(WORKLIST).status_code == 403
    assert auditor.post(reverse("web:pension_done", args=[item.pk])).status_code == 403
    assert client_as(Role.COUNTER_CLERK).get(reverse("web:pension_done", args=[item.pk])).status_code == 405
    assert PensionNonDeduction.objects.get(pk=item.pk).status == ConversionStatus.OPEN


def test_the_new_slips_print_from_the_ledger(family: Family, client_as: Callable[[Role], Client],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    fix_today(monkeypatch)
    person, _plan = pension_person(90_000)
    rows = list(Instalment.objects.filter(plan__person=person, method="pension").order_by("due_date"))
    item = not_deducted(rows[3])
    client = client_as(Role.COUNTER_CLERK)
    ledger_url = reverse("web:collection_ledger", args=[person.pk]) + "?fy=2025"
    assert 'id="slips-link"' not in client.get(ledger_url).content.decode()
    with override_settings(KOUKI_PENSION_STOP_LEAD_MONTHS="2", KOUKI_DIRECT_MONTHS="7,8,9,10,11,12,1,2,3"):
        client.post(reverse("web:pension_done", args=[item.pk]))
    assert 'id="slips-link"' in client.get(ledger_url).content.decode()
    pdf = client.get(reverse("web:slips_pdf", args=[person.pk]), {"fy": 2025})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert f"nofusho-2025-{person.addressee_no}.pdf" in pdf["Content-Disposition"]
    assert client.get(reverse("web:slips_pdf", args=[person.pk]), {"fy": 2024}).status_code == 404
