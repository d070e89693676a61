"""The round trip of a 葬祭費 (issue 12 §2) ending in a real browser (Debian chromium through Playwright):
a clerk's application confirmed by a supervisor, the send batch writes 申請情報, the simulated union
decides, the import and the decisions step bring the decision back; the clerk opens the application,
prints the 支給決定通知書 and records it handed over at the counter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.utils import timezone
from factories import Staff, make_person
from playwright.sync_api import Page

from browser.browser_signin import sign_in
from kouki.accounts.permissions import Role
from kouki.addressees.models import PersonStatus
from kouki.applications.decisions import applications_decisions_apply
from kouki.applications.models import Application, Status
from kouki.applications.services import ApplicationInput, application_confirm, application_receive
from kouki.applications.union_send import applications_send
from kouki.eligibility.models import InsuredPeriod
from kouki.interfaces.benefit_decisions import import_benefit_decision
from kouki.privacy.context import Actor
from kouki.rules.applications import Applicant, ApplicationKind
from kouki.rules.identity_check import IdentityDocument
from kouki.sandbox.union.benefits import UnionBenefits

pytestmark = pytest.mark.browser


def _actor(staff: Staff) -> Actor:
    return Actor(username=staff.user.username, terminal_id="T-01", user_id=staff.user.pk)


def test_the_union_decides_and_the_clerk_hands_the_notice_over(
    transactional_db: None, live_server: object, page: Page, staff_of: Callable[[Role], Staff], tmp_path: Path
) -> None:
    base = str(live_server)
    clerk, supervisor = staff_of(Role.COUNTER_CLERK), staff_of(Role.SUPERVISOR)
    operator = staff_of(Role.SYSTEM_ADMIN)
    deceased = make_person(family_name="佐藤", given_name="一郎", family_name_kana="サトウ",
                           given_name_kana="イチロウ", birth_date=date(1940, 6, 1),
                           status=PersonStatus.DECEASED)  # fmt: skip
    InsuredPeriod.objects.create(
        person=deceased, insured_no="12345678", insurer_no="39110014", acquired_on=date(2020, 4, 1),
        acquisition_reason="01", copay_rate=10, copay_from=date(2020, 4, 1), decided_on=date(2020, 4, 1),
        recorded_at="2020-04-01T00:00:00+09:00",
    )  # fmt: skip
    data = ApplicationInput(
        person_id=deceased.pk, kind=ApplicationKind.FUNERAL, received_on=date(2026, 4, 10),
        applicant=Applicant.MOURNER,
        details={"funeral_date": date(2026, 3, 20), "mourner_name": "佐藤 和子", "mourner_relationship": "妻",
                 "former_insurance": "no"},
        documents=frozenset({"form", "card", "funeral_letter", "account"}),
        identity_documents=frozenset({IdentityDocument.DRIVERS_LICENCE}),
    )  # fmt: skip
    a = application_receive(actor=_actor(clerk), data=data)
    application_confirm(actor=_actor(supervisor), application_id=a.pk, note="会葬礼状と照合")
    today = timezone.localdate()
    sent = applications_send(actor=_actor(operator), on=today, outbox=tmp_path)
    assert sent.sent is not None and sent.sent.record_count == 1
    union = UnionBenefits(tmp_path / "union")
    union.receive(sent.sent.path)
    (path,) = union.write_decisions(union.decide(today), today, tmp_path / "inbox")
    import_benefit_decision(actor=_actor(operator), path=path)
    assert applications_decisions_apply(actor=_actor(operator)).decided == 1

    sign_in(page, base, clerk)
    page.goto(f"{base}/applications/?status=decided")
    page.click(f"text={a.application_no}")
    page.wait_for_url(f"**/applications/{a.pk}/")
    assert "決定済(通知未交付)" in page.inner_text("#status")
    assert "支給 50,000円" in page.inner_text("#decision")
    notice = page.request.get(f"{base}/applications/{a.pk}/notice.pdf")
    assert notice.status == 200 and notice.headers["content-type"] == "application/pdf"
    assert notice.body().startswith(b"%PDF")
    page.check("input[name=how][value=handed_over]")
    page.click("#notice-deliver-button")
    page.wait_for_selector("text=通知書の交付を記録しました")
    assert "通知書交付済" in page.inner_text("#status")
    assert clerk.user.staff_name in page.inner_text("#steps")
    a.refresh_from_db()
    assert (a.status, a.notice_on) == (Status.HANDED_OVER, today)
    assert Application.objects.count() == 1
