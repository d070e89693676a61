"""Signing in and out through the real login pages (password, then the TOTP code), shared by the browser
tests."""

from __future__ import annotations

from factories import Staff
from playwright.sync_api import Page


def sign_in_with(page: Page, base: str, username: str, password: str, code: str) -> None:
    """Sign in as `username`; `code` is the TOTP code of the moment (the login refuses a reused one)."""
    page.goto(base + "/")
    assert "/login/" in page.url
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url("**/login/totp/")
    page.fill("#id_code", code)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def sign_in(page: Page, base: str, staff: Staff) -> None:
    sign_in_with(page, base, staff.user.username, staff.password, staff.code())


def sign_out(page: Page) -> None:
    page.click("header button[type=submit]")
    page.wait_for_url("**/login/")
