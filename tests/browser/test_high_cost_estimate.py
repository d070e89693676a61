"""高額療養費の試算 in a real browser: a counter clerk opens it from the menu, enters the issue's example
(一般Ⅰ, 外来 250,000円 in 令和7年7月) and reads what comes back (7,000円); a cost not in 10円 units is
refused next to the field."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from factories import Staff
from playwright.sync_api import Page

from browser.browser_signin import sign_in
from kouki.accounts.permissions import Role

pytestmark = pytest.mark.browser


def test_clerk_estimates_what_comes_back(
    transactional_db: None, live_server: object, page: Page, staff_of: Callable[[Role], Staff]
) -> None:
    base = str(live_server)
    sign_in(page, base, staff_of(Role.COUNTER_CLERK))
    page.click("ul.menu >> text=高額療養費の試算")
    page.wait_for_url("**/high-cost/estimate/")
    page.select_option("#id_month", label="令和7年7月")
    page.select_option("#id_income_class", value="general_1")
    page.fill("#id_m-0-label", "本人")
    page.fill("#id_m-0-outpatient_cost", "250005")
    page.click("#high-cost-form button[type=submit]")
    assert "10円単位で入力してください" in page.inner_text("#members")
    page.fill("#id_m-0-outpatient_cost", "250000")
    page.click("#high-cost-form button[type=submit]")
    assert page.inner_text("#refund-total") == "7,000円"
    result = page.inner_text("#result")
    assert "本人" in result and "25,000円" in result and "18,000円" in result
