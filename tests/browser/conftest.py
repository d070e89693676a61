"""Browser tests share the screen-test fixtures (synthetic household, staff, numbers)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from web.conftest import client_as, family, numbers, staff_of  # noqa: F401 (fixtures)
from web.person_samples import day  # noqa: F401 (fixture)

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make are ordinary
# synchronous calls, so Django's async-safety guard is told so.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium; never a browser downloaded by Playwright
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="ja-JP")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()
