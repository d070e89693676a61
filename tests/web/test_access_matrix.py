"""Every URL × every role (and anonymous): declared, and the outcome the declaration promises.

SEC-07 (no permission → 403), BF-01 (a screen touching personal numbers is tagged with a numbered 事務),
SEC-01/SEC-03 (no screen without a signed-in, two-factor session unless it is the sign-in itself).
A new URL without a sample below fails the test on purpose: add its sample and its expectation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from factories import Staff

from kouki.accounts.permissions import ROLE_PERMISSIONS, Perm, Role
from kouki.addressees.models import Person
from kouki.applications.models import Application
from kouki.banking.models import BankAccount, FailedDebit
from kouki.notifications.models import MatchingMismatch, Notification
from kouki.privacy.models import PersonalNumberPending, ReferenceLog
from kouki.reviews.models import AuditReview
from kouki.stores.models import StoreWorkItem
from kouki.web.access import (
    NUMBER_BUSINESS_FUNCTIONS,
    NUMBER_PERMISSIONS,
    AccessDeclaration,
    declaration_of,
    may_show_personal_numbers,
    staff_view,
)

from .conftest import Family, Numbers, sign_in

pytestmark = pytest.mark.django_db


def walk(patterns: list[URLPattern | URLResolver], namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, ns)
        else:
            yield f"{namespace}{p.name}", p


def all_patterns() -> list[tuple[str, URLPattern]]:
    return list(walk(get_resolver("kouki.urls").url_patterns))


# What the public (sign-in) screens do, which no permission describes.
PUBLIC_EXPECTED: dict[str, dict[str, int]] = {
    # name: {"anonymous": status for GET, "signed_in": status for GET}
    "web:login": {"anonymous": 200, "signed_in": 302},
    "web:login_totp": {"anonymous": 302, "signed_in": 302},
    "web:logout": {"anonymous": 405, "signed_in": 405},
    "web:enrol": {"anonymous": 200, "signed_in": 302},
    "web:enrol_setup": {"anonymous": 302, "signed_in": 302},
    "web:health": {"anonymous": 200, "signed_in": 200},  # issue 16 §1: the health check signs nobody in
    "web:login_webauthn": {"anonymous": 302, "signed_in": 302},
}


def sample_kwargs(family: Family, numbers: Numbers) -> dict[str, dict[str, int]]:
    return {
        "web:person_detail": {"person_id": family.taro.pk},
        "web:personal_number_reveal": {"person_id": family.taro.pk},
        "web:pending_confirm": {"pending_id": numbers.pending.pk},
        "web:pending_reject": {"pending_id": numbers.pending.pk},
        "web:inquiry_result": {"record_id": inquiry_without_result(family)},  # the page says it is gone
        "web:alert_acknowledge": {"alert_id": sample_alert()},
        "web:audit_review_month": {"month": "2025-11"},  # the monthly review (issue 15 §1)
        "web:audit_review_report": {"month": "2025-11"},
        "web:audit_review_record": {"month": "2025-11"},
        "web:audit_person": {"person_id": family.taro.pk},  # the auditor's desk (issue 15 §1)
        **certificate_samples(family),
        **notification_samples(family),
        **operator_samples(),
        **collection_samples(family.hanako),
        **banking_samples(family.jiro),
        **application_samples(family.jiro),
        **rights_samples(family),
        **disclosure_samples(family),
    }


def inquiry_without_result(family: Family) -> int:
    """An inquiry whose answer is gone (issue 13 §2; one never recorded is a 404, issue 16 §4)."""
    from datetime import date

    from django.utils import timezone
    from factories import make_staff

    from kouki.inquiries.models import InquiryRecord

    clerk = make_staff(Role.INQUIRY_CLERK).user
    return InquiryRecord.objects.create(
        person=family.taro, kind="pension", inquirer="市", provider="年金", jimu="後期", item="年金",
        basis="番号法", request_id="REQ-MATRIX-1", status="provided", requested_at=timezone.now(), user=clerk,
        username=clerk.username, terminal_id="t", screen="s", purpose_code="p", purpose="p",
        retain_until=date(2032, 3, 31),
    ).pk


def disclosure_samples(family: Family) -> dict[str, dict[str, int]]:
    """開示請求 about Taro: one disclosed (its package downloads), one extended (its notice prints)."""
    from disclosure.samples import actor_of, disclosed, receive
    from django.utils import timezone
    from factories import make_staff

    from kouki.disclosure.services import disclosure_request_extend

    clerk, boss = make_staff(Role.COUNTER_CLERK).user, make_staff(Role.SUPERVISOR).user
    request = disclosed(clerk, boss, family.taro.addressee_no)
    extended = receive(clerk, family.taro.addressee_no)
    disclosure_request_extend(actor=actor_of(clerk), user=clerk, request_id=extended.pk, days=30,
                              reason="記録が大量のため", today=timezone.localdate())
    ids = {"request_id": request.pk}
    return {f"web:disclosure_{name}": ids for name in (
        "detail", "prepare", "approve", "extend", "package", "package_pdf", "carry_out")} | {
        "web:disclosure_extension_notice": {"request_id": extended.pk},
        "web:disclosure_decision_notice": ids}


def rights_samples(family: Family) -> dict[str, dict[str, int]]:
    """A 受付票 about Taro, recorded by a counter clerk (issue 15 §4)."""
    from factories import make_staff
    from rights.samples import make_inquiry

    clerk = make_staff(Role.COUNTER_CLERK).user
    return {"web:privacy_inquiry_detail": {"inquiry_id": make_inquiry(clerk, family.taro.addressee_no).pk}}


def sample_alert() -> int:
    """An open alert for the auditors (監査警告, issue 14 §6)."""
    from django.utils import timezone

    from kouki.privacy.models import Alert

    now = timezone.now()
    return Alert.objects.create(kind="reveal_burst", username="", window_start=now, window_end=now, count=20,
                                details={}, raised_at=now).pk


def application_samples(person: Person) -> dict[str, dict[str, int]]:
    from applications.samples import application_samples as samples

    return samples(person)


def banking_samples(person: Person) -> dict[str, dict[str, int]]:
    from web.banking_samples import banking_samples as samples

    return samples(person)


def collection_samples(person: Person) -> dict[str, dict[str, int]]:
    from web.collection_samples import collection_samples as samples

    return samples(person)


def notification_samples(family: Family) -> dict[str, dict[str, int]]:
    from datetime import date

    from notifications.samples import walk_samples

    return walk_samples(family.taro, "ヤマダ タロウ", date(1946, 5, 1)).kwargs()


def certificate_samples(family: Family) -> dict[str, dict[str, int]]:
    from certificates.samples import sample_issue

    issue = sample_issue(family.jiro)
    return {
        "web:certificate_list": {"person_id": family.jiro.pk},
        "web:certificate_issue": {"person_id": family.jiro.pk},
        "web:certificate_pdf": {"issue_id": issue.pk},
        "web:certificate_handover": {"issue_id": issue.pk},
        "web:certificate_return": {"issue_id": issue.pk},
        "web:certificate_resend": {"issue_id": issue.pk},
    }


def operator_samples() -> dict[str, dict[str, int]]:
    """The administrator's account screen needs an account to show (a clerk's, made here)."""
    from factories import make_staff

    from kouki.accounts.models import AccountRequest

    clerk = make_staff(Role.COUNTER_CLERK).user
    record = AccountRequest.objects.get(account=clerk)
    return {"web:staff_account": {"user_id": clerk.pk}, "web:staff_request_decide": {"request_id": record.pk}}


def test_every_url_is_declared_and_names_are_unique() -> None:
    names = [name for name, _p in all_patterns()]
    assert len(names) == len(set(names))
    undeclared = [name for name, p in all_patterns() if declaration_of(p.callback) is None]
    assert undeclared == []


def test_every_number_screen_is_tagged_with_a_numbered_business_function() -> None:
    for name, pattern in all_patterns():
        decl = declaration_of(pattern.callback)
        assert decl is not None
        if decl.permission in NUMBER_PERMISSIONS:
            assert decl.business_function in NUMBER_BUSINESS_FUNCTIONS, name
        if decl.public:
            assert name in PUBLIC_EXPECTED, name


@pytest.mark.parametrize("role", [None, *Role])
def test_matrix(role: Role | None, family: Family, numbers: Numbers,
                staff_of: Callable[[Role], Staff]) -> None:
    kwargs = sample_kwargs(family, numbers)
    client = Client()
    if role is not None:
        sign_in(client, staff_of(role).user)
    outcomes: dict[str, tuple[int, int]] = {}
    for name, pattern in all_patterns():
        decl = declaration_of(pattern.callback)
        assert isinstance(decl, AccessDeclaration)
        needs_args = bool(pattern.pattern.converters)
        assert not needs_args or name in kwargs, f"{name}: add a sample object to sample_kwargs"
        url = reverse(name, kwargs=kwargs.get(name))
        got = client.get(url)
        if decl.public:
            expected = PUBLIC_EXPECTED[name]["anonymous" if role is None else "signed_in"]
        elif role is None:
            expected = 302
            assert got["Location"].startswith("/login/?next="), name
        elif decl.permission is not None and decl.permission not in ROLE_PERMISSIONS[role]:
            expected = 403
        else:
            expected = 200 if "GET" in decl.methods else 405
        outcomes[name] = (got.status_code, expected)
        if not decl.public and "POST" in decl.methods and role is not None and expected == 403:
            # a refused POST is refused before anything happens
            assert client.post(url, {"note": "x", "purpose": "identity"}).status_code == 403, name
        if not decl.public and "POST" in decl.methods and role is None:
            assert client.post(url, {"note": "x"}).status_code == 302, name
    wrong = {name: pair for name, pair in outcomes.items() if pair[0] != pair[1]}
    assert wrong == {}
    # nothing above was decided or revealed
    assert PersonalNumberPending.objects.get(pk=numbers.pending.pk).status == "pending"
    assert ReferenceLog.objects.count() == 0
    assert Notification.objects.get().status == "returned"  # nothing above was confirmed or returned
    assert MatchingMismatch.objects.get().status == "open"
    # no account was registered or ended, no slip issued, no store work item closed
    assert list(BankAccount.objects.values_list("valid_to", flat=True)) == [None]
    assert FailedDebit.objects.filter(slip_id__isnull=True).count() == 1
    assert StoreWorkItem.objects.get().status == "open"
    assert Application.objects.get().status == "received"  # nothing above was confirmed or withdrawn
    assert not AuditReview.objects.exists()  # no monthly review was recorded


def test_no_permission_responses_are_audited(family: Family, client_as: Callable[[Role], Client]) -> None:
    from kouki.privacy.models import AuditEntry

    client = client_as(Role.COUNTER_CLERK)
    assert client.get(reverse("web:personal_number_reveal", args=[family.taro.pk])).status_code == 403
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.target_id == "web:personal_number_reveal"
    assert entry.detail["permission"] == Perm.VIEW_PERSONAL_NUMBER


def test_staff_pages_are_never_cached(family: Family, client_as: Callable[[Role], Client]) -> None:
    response = client_as(Role.COUNTER_CLERK).get(reverse("web:person_detail", args=[family.taro.pk]))
    assert "no-store" in response["Cache-Control"]


# --- BF-01 -------------------------------------------------------------------------------------------


def _probe(request: HttpRequest) -> HttpResponse:
    return HttpResponse("yes" if may_show_personal_numbers(request) else "no")


@pytest.mark.parametrize("perm", sorted(NUMBER_PERMISSIONS))
def test_bf01_number_permission_on_an_unnumbered_business_function_is_refused_at_import(perm: Perm) -> None:
    with pytest.raises(ImproperlyConfigured, match="BF-01"):
        staff_view(permission=perm, business_function=7)  # 7 = 葬祭費 (funeral expenses)
    with pytest.raises(ImproperlyConfigured, match="BF-01"):
        staff_view(permission=perm, business_function=None)


@pytest.mark.parametrize("function", sorted(NUMBER_BUSINESS_FUNCTIONS))
def test_bf01_numbered_business_functions_are_accepted(function: int) -> None:
    decorated = staff_view(permission=Perm.VIEW_PERSONAL_NUMBER, business_function=function)(_probe)
    assert declaration_of(decorated) == AccessDeclaration(Perm.VIEW_PERSONAL_NUMBER, function)


def test_bf01_a_funeral_expense_screen_cannot_show_the_number_field(
        staff_of: Callable[[Role], Staff]) -> None:
    """Even a supervisor, who may see numbers, sees no number field on a screen tagged 7."""
    supervisor = staff_of(Role.SUPERVISOR).user
    funeral = staff_view(permission=Perm.VIEW_PERSON, business_function=7)(_probe)
    registry = staff_view(permission=Perm.VIEW_PERSON, business_function=15)(_probe)
    for view, expected in ((funeral, b"no"), (registry, b"yes")):
        client = sign_in(Client(), supervisor)
        request = RequestFactory().get("/probe/")
        request.session = client.session
        request.user = supervisor
        assert view(request).content == expected


def test_business_function_out_of_range_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured):
        staff_view(permission=Perm.VIEW_PERSON, business_function=16)
    with pytest.raises(ImproperlyConfigured):
        staff_view(permission=Perm.VIEW_PERSON, business_function=None, public=True)
