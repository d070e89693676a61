"""振替不能 worklist (issue 11 §2): failed debits still without a payment slip are listed with the person
and the instalment; staff issue the slip of one row (or all) through kouki.banking.failures.issue_slips,
audited under their name. An unknown row changes nothing; a role without Perm.VIEW_PERSON is refused."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from collection_factories import instalments, make_direct_plan
from django.test import Client
from django.urls import reverse
from factories import Staff

from kouki.accounts.permissions import Role
from kouki.banking.models import FailedDebit
from kouki.privacy.models import AuditEntry
from kouki.slips.models import PaymentSlip
from web.banking_samples import debit_account, failed_debit
from web.collection_samples import fix_today
from web.conftest import Family

pytestmark = pytest.mark.django_db
WORKLIST = reverse("web:failed_debit_worklist")
ISSUE = reverse("web:failed_debit_issue")


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    return fix_today(monkeypatch, date(2025, 8, 5))


def two_failures(family: Family) -> tuple[FailedDebit, FailedDebit]:
    out = []
    for person in (family.taro, family.jiro):
        person, plan = make_direct_plan(90_000, 2025, person=person)
        out.append(failed_debit(person, debit_account(person), instalments(plan)[0]))
    return out[0], out[1]


def test_worklist_lists_failures_with_name_and_wareki(family: Family,
                                                      client_as: Callable[[Role], Client]) -> None:
    first, _second = two_failures(family)
    page = client_as(Role.COUNTER_CLERK).get(WORKLIST).content.decode()
    assert f'id="failed-debit-{first.pk}"' in page
    assert "山田 太郎" in page and family.taro.addressee_no in page
    assert "令和7年7月31日" in page and "令和7年度" in page and "資金不足" in page and "第1期" in page


def test_clerk_issues_the_slip_of_one_failure(family: Family, client_as: Callable[[Role], Client],
                                             staff_of: Callable[[Role], Staff]) -> None:
    first, second = two_failures(family)
    client = client_as(Role.COUNTER_CLERK)
    response = client.post(ISSUE, {"line": str(first.line_id)})
    assert response.status_code == 302 and response["Location"] == WORKLIST
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.slip_id is not None and second.slip_id is None
    assert PaymentSlip.objects.get(pk=first.slip_id).instalment_id == first.instalment_id
    audit = AuditEntry.objects.get(action="failed_debit_slips")
    assert audit.actor == staff_of(Role.COUNTER_CLERK).user.username and audit.detail["slips"] == 1
    page = client.get(WORKLIST).content.decode()
    assert "1件の納付書を発行しました" in page
    assert f'id="failed-debit-{first.pk}"' not in page and f'id="failed-debit-{second.pk}"' in page
    assert f'id="issued-{first.pk}"' in page
    pdf = client.get(reverse("web:failed_debit_slip_pdf", args=[first.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    no_slip_yet = reverse("web:failed_debit_slip_pdf", args=[second.pk])
    assert client.get(no_slip_yet).status_code == 404


def test_issue_all(family: Family, client_as: Callable[[Role], Client]) -> None:
    two_failures(family)
    client_as(Role.COUNTER_CLERK).post(ISSUE, {})
    assert not FailedDebit.objects.filter(slip_id__isnull=True).exists()


def test_an_unknown_row_changes_nothing(family: Family, client_as: Callable[[Role], Client]) -> None:
    two_failures(family)
    assert client_as(Role.COUNTER_CLERK).post(ISSUE, {"line": "999999"}).status_code == 404
    assert client_as(Role.COUNTER_CLERK).post(ISSUE, {"line": "x"}).status_code == 404
    assert FailedDebit.objects.filter(slip_id__isnull=True).count() == 2
    assert not PaymentSlip.objects.exists() and not AuditEntry.objects.filter(action="failed_debit_slips")


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSTEM_ADMIN])
def test_roles_without_view_person_are_refused(family: Family, client_as: Callable[[Role], Client],
                                               role: Role) -> None:
    two_failures(family)
    client = client_as(role)
    assert client.get(WORKLIST).status_code == 403
    assert client.post(ISSUE, {}).status_code == 403
    assert FailedDebit.objects.filter(slip_id__isnull=True).count() == 2 and not PaymentSlip.objects.exists()


def test_the_person_accounts_page_shows_the_failures(family: Family,
                                                     client_as: Callable[[Role], Client]) -> None:
    first, _second = two_failures(family)
    page = client_as(Role.COUNTER_CLERK).get(reverse("web:bank_accounts", args=[family.taro.pk]))
    html = page.content.decode()
    assert f'id="failed-debit-{first.pk}"' in html and "未発行" in html
