"""不納欠損 with four eyes in a real browser (Debian chromium through Playwright; issue 5 §4, ADR 0011):
a counter clerk finds a person on the 滞納者一覧, requests the write-off of an instalment whose
limitation has passed; a supervisor approves it on the 不納欠損の決裁 worklist; the person's 収納状況
shows the 不納欠損 with who decided."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from factories import Staff
from playwright.sync_api import Page
from web.collection_samples import fix_today, person_with_plan
from web.conftest import Family

from browser.browser_signin import sign_in, sign_out
from kouki.accounts.permissions import Role
from kouki.arrears.models import WriteOffRequest, WriteOffStatus
from kouki.collection.models import WriteOff

pytestmark = pytest.mark.browser

REASON = "時効完成(高確法第160条)"


def test_clerk_requests_a_write_off_and_a_supervisor_approves_it(
        transactional_db: None, live_server: object, page: Page, monkeypatch: pytest.MonkeyPatch,
        staff_of: Callable[[Role], Staff], family: Family) -> None:
    fix_today(monkeypatch)  # 2026-12-01: the FY2023 instalments' limitation has run out
    base = str(live_server)
    clerk, supervisor = staff_of(Role.COUNTER_CLERK), staff_of(Role.SUPERVISOR)
    person, rows = person_with_plan(family.taro, 27_000, 2023)
    first = rows[0]

    sign_in(page, base, clerk)
    page.click("text=滞納者一覧・納付折衝")
    page.wait_for_url("**/arrears/")
    page.click(f"#arrears-{person.pk} a:has-text('詳細')")
    page.wait_for_url(f"**/arrears/persons/{person.pk}/")
    assert "時効到来" in page.inner_text(f"#unpaid-{first.pk}")
    page.select_option("#id_write_off_instalment", str(first.pk))
    page.select_option("#id_write_off_ground", "limitation")
    page.fill("#id_write_off_reason", REASON)
    page.click("#request-write-off")
    page.wait_for_selector("text=不納欠損を起案しました")
    assert "起案中" in page.inner_text("#write-off-requests")
    request = WriteOffRequest.objects.get(instalment_id=first.pk)
    assert request.requested_by == clerk.user.username and request.amount == first.amount
    sign_out(page)

    sign_in(page, base, supervisor)
    page.click("text=不納欠損の決裁")
    page.wait_for_url("**/arrears/write-offs/")
    row = page.locator(f"#write-off-{request.pk}")
    assert REASON in row.inner_text() and clerk.user.staff_name in row.inner_text()
    row.locator("input[name=note]").fill("時効完成を確認")
    row.locator("button.approve").click()
    page.wait_for_selector("text=承認しました")
    assert page.locator("#no-write-offs").count() == 1
    request.refresh_from_db()
    assert request.status == WriteOffStatus.APPROVED and request.decided_by == supervisor.user.username
    assert WriteOff.objects.get(pk=request.write_off_id).approved_by == supervisor.user.username

    page.goto(f"{base}/collection/persons/{person.pk}/?fy=2023")
    decisions = page.inner_text("#decisions")
    assert "不納欠損" in decisions and REASON in decisions and supervisor.user.staff_name in decisions
    cells = page.locator(f"#instalment-{first.pk} td").all_inner_texts()
    assert cells[5] == f"{first.amount:,}" and cells[6] == "0"  # 不納欠損額, 未納額
    assert cells[7] == "不納欠損"  # not 完納 (issue 11 §3)
