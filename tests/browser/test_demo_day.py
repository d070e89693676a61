"""A day at the city office on the demo (issue 11 §5, "Done when"): `kouki demo --no-serve` builds a city
that has lived FY2025, `kouki serve` serves it, and Debian chromium (through Playwright) signs in through
the real login as the demo's staff:

- the counter clerk finds the person in arrears through 宛名検索, reads eligibility and money on the person
  page, takes a payment at the counter (the instalment turns 完納, the 領収証書 PDF downloads), registers
  a 口座振替依頼書, issues a 資格確認書 (PDF) and enters a 届出 for 再鑑;
- the supervisor confirms that 届出 and the demo's pending one, approves the pending 不納欠損 and decides
  the refund of the open overpayment;
- the operator takes in a convenience store's 速報・確報 for one of the demo's slips (made by the simulated
  payment agent), sees it in the import history under their name, and stops and restarts the auditor's
  account.

Each step is checked on the page and in the demo's database (who recorded what). No page any of them
reads shows a personal number."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page
from web.test_screen_conventions import findings, visible_text

from browser.browser_signin import sign_in_with
from browser.demo_server import Demo, build_demo, serving
from kouki.privacy.redaction import contains_personal_number
from kouki.rules.wareki import format_wareki
from kouki.sandbox.stores.agent import PaymentAgent

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FY = 2025


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return build_demo(tmp_path_factory.mktemp("demo") / "city", residents=3000, days=3)


@pytest.fixture(scope="module")
def base(demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(demo, tmp_path_factory.mktemp("serve") / "serve.log") as url:
        yield url


class Screens:
    """What the staff read: every page is kept, to be checked at the end for personal numbers and for
    words that are not the office's language (the screen-conventions check, on the demo's data)."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.unsaid: list[tuple[str, list[str]]] = []

    def read(self, page: Page, selector: str = "main") -> str:
        self.texts.append(page.inner_text("body"))
        found = findings(visible_text(page.content()), file_names_allowed="/imports/" in page.url)
        if found:
            self.unsaid.append((page.url, found))
        return page.inner_text(selector)


@contextmanager
def signed_in(browser: Browser, base: str, demo: Demo, username: str) -> Iterator[Page]:
    """A fresh browser for one member of staff, signed in once with the code of the moment."""
    context = browser.new_context(locale="ja-JP", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(20_000)
    account = demo.accounts[username]
    try:
        sign_in_with(page, base, account.username, account.password, account.code())
        yield page
    finally:
        context.close()


def tokyo_today() -> date:
    return datetime.now(ZoneInfo("Asia/Tokyo")).date()


def staff_name(demo: Demo, username: str) -> str:
    return str(demo.one("select staff_name from accounts_staffuser where username=?", username)[0])


def addressee_no(demo: Demo, person_id: int) -> str:
    return str(demo.one("select addressee_no from addressees_person where id=?", person_id)[0])


def name_and_kana(demo: Demo, person_id: int) -> tuple[str, str, str]:
    """氏名, カナ and 生年月日 (ISO) of the person's current register version."""
    family, given, family_kana, given_kana, birth = demo.one(
        "select family_name, given_name, family_name_kana, given_name_kana, birth_date "
        "from addressees_personversion where person_id=? and is_current",
        person_id,
    )
    return f"{family} {given}", f"{family_kana} {given_kana}", birth


def pending_write_off(demo: Demo) -> tuple[int, int, int]:
    """(request id, instalment id, person id) of the one write-off the demo left awaiting a decision."""
    request, instalment, person = demo.one(
        "select id, instalment_id, person_id from arrears_writeoffrequest where status='requested'"
    )
    return int(request), int(instalment), int(person)


def unpaid_instalments(page: Page, excluding: int) -> list[int]:
    """The instalments the ledger on screen shows as wholly 未納 (oldest first), but `excluding`."""
    ids = []
    for row in page.locator("#instalments tbody tr[id^=instalment-]").all():
        pk = int((row.get_attribute("id") or "").removeprefix("instalment-"))
        if row.locator(".state").inner_text().strip() == "未納" and pk != excluding:
            ids.append(pk)
    return ids


def instalment_amount(demo: Demo, instalment_id: int) -> int:
    return int(demo.one("select amount from assessment_instalment where id=?", instalment_id)[0])


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def test_a_day_at_the_city_office_on_the_demo(
    demo: Demo, base: str, browser: Browser, tmp_path: Path
) -> None:
    screens = Screens()
    today = tokyo_today()
    request_id, written_off, owing = pending_write_off(demo)
    paid_at_counter, paid_at_store = counter_clerks_day(demo, base, browser, screens, tmp_path, written_off)
    supervisors_day(demo, base, browser, screens, request_id, written_off, owing)
    operators_day(demo, base, browser, screens, tmp_path, paid_at_store, today)
    assert demo.rows(
        "select recorded_by from collection_receipt where instalment_id=? and channel='counter' "
        "and cancelled_at is null",
        paid_at_counter,
    ) == [("clerk.sato",)]
    assert screens.texts and not any(contains_personal_number(t) for t in screens.texts)
    assert screens.unsaid == []


# ---- the counter clerk ---------------------------------------------------------------------------------
def counter_clerks_day(
    demo: Demo, base: str, browser: Browser, screens: Screens, tmp_path: Path, written_off: int
) -> tuple[int, int]:
    """Returns the instalment paid at the counter and the one left for the convenience store."""
    person = demo.in_arrears
    name, kana, _birth = name_and_kana(demo, person)
    today = tokyo_today()
    with signed_in(browser, base, demo, "clerk.sato") as page:
        assert staff_name(demo, "clerk.sato") in screens.read(page, "header")
        # 宛名検索 by kana: the results mark who is 被保険者
        page.click("ul.menu >> text=宛名検索")
        page.fill("#id_kana", kana)
        page.click("main form button[type=submit]")
        page.wait_for_selector("main table")
        row = page.locator(f"main table tr:has-text('{addressee_no(demo, person)}')")
        assert name in row.inner_text() and "被保険者" in row.locator("td.insured").inner_text()
        screens.read(page)
        row.locator(f"text={name}").click()
        page.wait_for_url(f"**/persons/{person}/")

        # eligibility and money at a glance
        insured_no, acquired_on = demo.one(
            "select insured_no, acquired_on from eligibility_insuredperiod where person_id=? "
            "and superseded_at is null",
            person,
        )
        assert screens.read(page, "#insured-no") == insured_no
        eligibility = page.inner_text("#section-eligibility")
        assert f"資格取得日\n{format_wareki(date.fromisoformat(acquired_on))}" in eligibility
        assert "割" in page.inner_text("#copay")
        money = page.locator(f"#collection-{FY}")
        assert (
            money.locator(".unpaid").inner_text() != "0円"
            and money.locator(".overpaid").inner_text() == "なし"
        )
        assert "未納" in money.inner_text() and "円" in page.inner_text("#arrears-total")
        assert "保険料額(年額)" in page.inner_text("#section-premium")

        # the counter: pay the oldest instalment wholly unpaid; it turns 完納 and the receipt prints
        page.click(f"#collection-{FY} >> text=収納状況・窓口収納")
        page.wait_for_url(f"**/collection/persons/{person}/?fy={FY}")
        unpaid = unpaid_instalments(page, excluding=written_off)
        assert len(unpaid) >= 2, screens.read(page, "#instalments")
        first, second = unpaid[:2]
        amount = instalment_amount(demo, first)
        page.fill("#id_amount", f"{amount:,}")
        page.select_option("#id_instalment", str(first))
        page.click("#take-payment")
        page.wait_for_selector("text=収納しました")
        assert "完納" in screens.read(page, f"#instalment-{first} .state")
        assert page.locator(f"#instalment-{first} .unpaid").inner_text() == "0"
        with page.expect_download() as download:
            page.click("#receipt-pdf")
        receipt = tmp_path / "ryoshu.pdf"
        download.value.save_as(receipt)
        text = pdf_text(receipt)
        assert "領収証書" in text and f"{amount:,}" in text and not contains_personal_number(text)

        # a 口座振替依頼書 for the rest of her instalments
        page.goto(f"{base}/persons/{person}/")
        page.click("#section-collection >> text=口座振替・還付口座")
        page.wait_for_url(f"**/banking/persons/{person}/")
        assert "口座振替の登録はありません" in screens.read(page)
        page.click("#register-debit")
        page.fill("#id_bank_code", "0001")
        page.fill("#id_branch_code", "001")
        page.fill("#id_account_number", "7654321")
        page.fill("#id_holder_kana", kana)
        valid_from = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        page.fill("#id_applied_on", today.isoformat())
        page.fill("#id_valid_from", valid_from.isoformat())
        page.click("#register-account")
        page.wait_for_selector("text=保険料引落口座を登録しました")
        account_id, recorded_by = demo.one(
            "select id, recorded_by from banking_bankaccount where person_id=? and purpose='debit'", person
        )
        assert recorded_by == "clerk.sato"
        assert format_wareki(valid_from) in screens.read(page, f"#account-{account_id}")

        # a 資格確認書 at the counter, printed as a PDF
        page.goto(f"{base}/persons/{person}/")
        page.click("#certificates")
        page.wait_for_url(f"**/persons/{person}/certificates/")
        page.click("#issue-single")
        assert insured_no in screens.read(page, "#preview")
        page.click("main form button[type=submit]")
        page.wait_for_selector("text=資格確認書を発行しました")
        issued = page.locator("#issues tbody tr").first
        assert (
            "窓口" in screens.read(page, "#issues") and staff_name(demo, "clerk.sato") in issued.inner_text()
        )
        pdf = page.request.get(base + (issued.locator("a:has-text('PDF')").get_attribute("href") or ""))
        assert pdf.ok and pdf.body().startswith(b"%PDF")
        (tmp_path / "kakuninsho.pdf").write_bytes(pdf.body())
        certificate = pdf_text(tmp_path / "kakuninsho.pdf")
        assert insured_no in certificate and not contains_personal_number(certificate)
        assert demo.rows(
            "select issued_by from certificates_certificateissue where person_id=? and batch_id is null",
            person,
        ) == [("clerk.sato",)]

        # a 届出 (資格確認書の交付申請) for the person with the overpayment, left for 再鑑
        other = demo.overpaid
        _name, other_kana, other_birth = name_and_kana(demo, other)
        page.goto(f"{base}/persons/{other}/")
        overpaid = screens.read(page, f"#collection-{FY} .overpaid")
        assert overpaid.endswith("円") and overpaid != "0円"
        page.click("#enter-notification")
        page.wait_for_url(f"**/notifications/new/{other}/")
        page.select_option("#id_notification_type", "certificate_application")
        page.fill("#id_effective_date", today.isoformat())
        page.fill("#id_received_on", today.isoformat())
        page.fill("#id_stated_kana", other_kana)
        page.fill("#id_stated_birth", other_birth)
        page.check("input[name=identity_documents][value=drivers_licence]")
        page.fill("#id_note", "要配慮者として交付を申請")
        screens.read(page)
        page.click("#submit-notification")
        page.wait_for_url("**/notifications/*/")
        assert "入力済(再鑑待ち)" in screens.read(page, "#status")
        assert page.locator("#confirm-button").count() == 0
        assert demo.rows(
            "select n.status, u.username from notifications_notification n join "
            "accounts_staffuser u on u.id=n.entered_by_id where n.person_id=?",
            other,
        ) == [("entered", "clerk.sato")]
    return first, second


# ---- the supervisor ------------------------------------------------------------------------------------
def supervisors_day(
    demo: Demo, base: str, browser: Browser, screens: Screens, request_id: int, written_off: int, owing: int
) -> None:
    with signed_in(browser, base, demo, "chief.takahashi") as page:
        # 再鑑: today's 届出 and the one the demo left
        waiting = demo.rows(
            "select id, notification_no, person_id from notifications_notification where status='entered' "
            "order by id"
        )
        assert {p for _i, _n, p in waiting} == {demo.awaiting_review, demo.overpaid}
        for pk, number, _person in waiting:
            page.goto(base + "/")
            page.click("ul.menu >> text=届出(資格取得・喪失・変更)")
            page.wait_for_url("**/notifications/")
            assert "入力済(再鑑待ち)" in screens.read(page)
            page.click(f"text={number}")
            page.wait_for_url(f"**/notifications/{pk}/")
            page.fill("#id_note", "届出書と本人確認書類を照合")
            page.click("#confirm-button")
            page.wait_for_selector("text=確認しました")
            assert "確認済(有効)" in screens.read(page, "#status")
            steps = page.inner_text("#steps")
            assert staff_name(demo, "clerk.sato") in steps and staff_name(demo, "chief.takahashi") in steps
        assert (
            demo.rows(
                "select n.status, u.username from notifications_notification n join "
                "accounts_staffuser u on u.id=n.confirmed_by_id where n.id in (?, ?)",
                *(pk for pk, _n, _p in waiting),
            )
            == [("confirmed", "chief.takahashi")] * 2
        )

        # the 不納欠損 the demo left 承認待ち
        page.goto(base + "/")
        page.click("ul.menu >> text=不納欠損の決裁")
        page.wait_for_url("**/arrears/write-offs/")
        row = page.locator(f"#write-off-{request_id}")
        assert addressee_no(demo, owing) in screens.read(page, f"#write-off-{request_id}")
        assert staff_name(demo, "clerk.sato") in row.inner_text()
        row.locator("input[name=note]").fill("財産調査の結果を確認")
        row.locator("button.approve").click()
        page.wait_for_selector("text=承認しました")
        status, decided_by, write_off = demo.one(
            "select status, decided_by, write_off_id from arrears_writeoffrequest where id=?", request_id
        )
        assert (status, decided_by) == ("approved", "chief.takahashi")
        assert demo.one(
            "select requested_by, approved_by from collection_writeoff where id=?", write_off
        ) == (
            "clerk.sato",
            "chief.takahashi",
        )
        page.goto(f"{base}/collection/persons/{owing}/?fy={FY}")
        assert "不納欠損" in screens.read(page, f"#instalment-{written_off} .state")

        # the refund of the open overpayment
        person = demo.overpaid
        page.goto(base + "/")
        page.click("ul.menu >> text=過誤納金の処理(還付・充当)")
        page.wait_for_url("**/collection/overpayments/")
        screens.read(page)
        page.click(f"#overpayment-{person}-{FY} a:has-text('処理')")
        page.wait_for_url(f"**/collection/overpayments/{person}/{FY}/")
        amount = int(page.input_value("#refund-form #id_amount").replace(",", ""))
        (before,) = demo.one("select coalesce(max(id), 0) from collection_refund")
        assert amount > 0 and f"{amount:,}円" in screens.read(page)
        page.fill("#refund-form #id_reason", "還付請求書を受理、指定口座へ振込")
        page.click("#decide-refund")
        page.wait_for_selector("text=還付を決定しました")
        assert staff_name(demo, "chief.takahashi") in screens.read(page, "#decisions")
        assert demo.rows(
            "select amount, decided_by from collection_refund where person_id=? and fiscal_year=? and id > ?",
            person,
            FY,
            before,
        ) == [(amount, "chief.takahashi")]
        page.goto(f"{base}/persons/{person}/")
        assert screens.read(page, f"#collection-{FY} .overpaid") == "なし"


# ---- the operator --------------------------------------------------------------------------------------
def operators_day(
    demo: Demo, base: str, browser: Browser, screens: Screens, tmp_path: Path, instalment: int, today: date
) -> None:
    (barcode,) = demo.one(
        "select barcode from slips_paymentslip where instalment_id=? and superseded_at is null", instalment
    )
    agent = PaymentAgent(seed=20251)
    day = agent.day([barcode], paid_on=today, twice=0, cancel=0, unknown=0)
    stamp = today.strftime("%Y%m%d")
    files = [tmp_path / f"CVS_SOKUHO_12345_{stamp}.dat", tmp_path / f"CVS_KAKUHO_12345_{stamp}.dat"]
    files[0].write_bytes(agent.preliminary(day))
    files[1].write_bytes(agent.final(day, processed_on=today, transfer_on=today + timedelta(days=5)))
    operator = staff_name(demo, "sysop.tanaka")

    with signed_in(browser, base, demo, "sysop.tanaka") as page:
        for path in files:
            page.goto(base + "/")
            page.click("ul.menu >> text=ファイル取込")
            page.wait_for_url("**/imports/")
            page.select_option("#id_kind", label="コンビニ収納 速報・確報")
            page.set_input_files("#id_file", str(path))
            page.click("#import-form button[type=submit]")
            page.wait_for_selector("#import-result")
            result = screens.read(page, "#import-result")
            assert "取り込みました" in result and path.name in result, result
            assert page.inner_text("#applied-count") == "1"
            page.click("main >> text=取込履歴")
            page.wait_for_url("**/imports/history/")
            latest = page.locator("main table tbody tr").first.inner_text()
            assert path.name in latest and operator in latest and "取込済" in latest
            screens.read(page)
        assert demo.rows(
            "select amount, recorded_by from collection_receipt where instalment_id=? and channel='store' "
            "and cancelled_at is null",
            instalment,
        ) == [(instalment_amount(demo, instalment), "sysop.tanaka")]
        assert demo.one(
            "select count(*) from interfaces_importrecord where file_name in (?, ?) and "
            "imported_by='sysop.tanaka' and status='applied'",
            *(p.name for p in files),
        ) == (2,)

        # the staff accounts: stop the auditor's account and start it again, each with its reason
        page.goto(base + "/")
        page.click("ul.menu >> text=職員アカウント一覧(棚卸)")
        page.wait_for_url("**/staff/")
        row = page.locator("main table tr:has-text('audit.watanabe')")
        assert "有効" in screens.read(page, "main table tr:has-text('audit.watanabe')")
        row.locator("text=操作").click()
        page.wait_for_url("**/staff/*/")
        auditor = staff_name(demo, "audit.watanabe")
        for action, reason, done, state in (
            ("disable", "長期休暇のため一時停止", "利用停止しました", "利用停止"),
            ("enable", "休暇から復帰", "利用を再開しました", "有効"),
        ):
            form = page.locator(f"#form-{action}")
            form.locator("input[name=reason]").fill(reason)
            form.locator("input[name=confirm]").check()
            form.locator("button[type=submit]").click()
            page.wait_for_selector(f"text={auditor}さんのアカウントを{done}")
            assert state in screens.read(page, "#state")
        assert demo.one("select is_active from accounts_staffuser where username='audit.watanabe'") == (1,)
        assert demo.rows(
            "select action, actor, json_extract(detail, '$.reason') from privacy_auditentry "
            "where action in ('staff.disable', 'staff.enable') order by seq"
        ) == [
            ("staff.disable", "sysop.tanaka", "長期休暇のため一時停止"),
            ("staff.enable", "sysop.tanaka", "休暇から復帰"),
        ]
