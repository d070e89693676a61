"""The load test's set-up (benchmarks/load/insured.py) gives a resident what the counter's payment and
certificate screens need, and the load clerks' readings of those pages (benchmarks/load/pages.py) find
what they look for on the real pages. No locust here: the pages go through Django's test client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from django.test import Client
from factories import make_person

from benchmarks.load.insured import FY, insure, insured_sample, payers
from benchmarks.load.pages import CERTIFICATE_PDF, DIRECT_UNPAID, ISSUE_ON, ISSUED, PAID_ON, first
from kouki.accounts.permissions import Role
from kouki.certificates.models import CertificateIssue
from kouki.collection.models import Channel, Receipt
from kouki.eligibility.models import InsuredPeriod
from web.collection_samples import fix_today

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 1)


def test_only_residents_aged_75_or_more_are_sampled() -> None:
    old = make_person(birth_date=date(1945, 5, 1))
    make_person(birth_date=date(1960, 5, 1))
    assert insured_sample(10, TODAY) == [old.pk]


def test_the_set_up_is_done_once_per_person() -> None:
    person = make_person(birth_date=date(1945, 5, 1))
    assert insure([person.pk]) == [person.pk]
    assert insure([person.pk]) == []
    period = InsuredPeriod.objects.get(person=person)
    assert period.acquired_on == date(2020, 5, 1)  # the 75th birthday


def test_a_clerk_takes_a_payment_as_the_load_test_does(monkeypatch: pytest.MonkeyPatch,
                                                       client_as: Callable[[Role], Client]) -> None:
    fix_today(monkeypatch, TODAY)
    person = make_person(birth_date=date(1945, 5, 1))  # no pension on record: every instalment direct
    insure([person.pk])
    assert payers([person.pk]) == [person.pk]
    client = client_as(Role.NUMBER_CLERK)
    ledger = client.get(f"/collection/persons/{person.pk}/", {"fy": FY}).content.decode()
    unpaid = DIRECT_UNPAID.search(ledger)
    assert unpaid is not None and first(PAID_ON, ledger)
    done = client.post(f"/collection/persons/{person.pk}/receipts/", {
        "fy": FY, "amount": unpaid.group(2).replace(",", ""), "paid_on": first(PAID_ON, ledger),
        "instalment": unpaid.group(1)}, follow=True)
    receipt = Receipt.objects.get(person=person)
    assert (receipt.channel, receipt.instalment_id, receipt.paid_on) == (
        Channel.COUNTER, int(unpaid.group(1)), TODAY)
    assert first(ISSUED, done.redirect_chain[-1][0]) == str(receipt.pk)  # type: ignore[attr-defined]
    assert "収納しました" in done.content.decode()
    following = DIRECT_UNPAID.search(done.content.decode())
    assert following is not None and following.group(1) != unpaid.group(1)


def test_a_clerk_issues_a_certificate_as_the_load_test_does(monkeypatch: pytest.MonkeyPatch,
                                                            client_as: Callable[[Role], Client]) -> None:
    fix_today(monkeypatch, TODAY)
    person = make_person(birth_date=date(1945, 5, 1))
    insure([person.pk])
    client = client_as(Role.NUMBER_CLERK)
    url = f"/persons/{person.pk}/certificates/issue/"
    form = client.get(url).content.decode()
    assert "基準日に被保険者資格がありません" not in form and first(ISSUE_ON, form)
    done = client.post(url, {"kind": "1", "reason": "5", "on": first(ISSUE_ON, form), "limit_category": ""},
                       follow=True)
    issue = CertificateIssue.objects.get(person=person)
    assert "発行しました" in done.content.decode()
    assert CERTIFICATE_PDF.findall(done.content.decode()) == [str(issue.pk)]
    assert issue.valid_from == TODAY
    assert issue.insured_no == InsuredPeriod.objects.get(person=person).insured_no
