"""The corpus signs its operator in with a fast password hasher: enrolling the named staff member for
every one of its cases with Argon2 would cost a second each (the hasher is not what these tests test)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def fast_password_hasher(settings: pytest.FixtureRequest) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
