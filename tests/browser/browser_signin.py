"""Signing in through the real login pages (password, then the TOTP code), shared by the browser tests."""

from __future__ import annotations

from factories import Staff
from playwright.sync_api import Page


def sign_in(page: Page, base: str, staff: Staff) -> None:
    page.goto(base + "/")
    assert "/login/" in page.url
    page.fill("#id_username", staff.user.username)
    page.fill("#id_password", staff.password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/login/totp/")
    page.fill("#id_code", staff.code())
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")
