"""The breached/common password list (issue 14 §3): kouki ships 40,101 (Django's 20,000 and zxcvbn's 30,000,
data/common-passwords-LICENSE.txt) and the password rules use it, whole and as the password's core."""

from __future__ import annotations

import gzip

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator, validate_password
from django.core.exceptions import ValidationError

from kouki.accounts.passwords import COMMON_PASSWORDS, CommonListValidator

# on zxcvbn's list of the most frequent breached passwords, not on Django's 20,000
ONLY_ON_THE_LARGER_LIST = ["whosyourdaddy", "iseedeadpeople", "contortionist", "websolutions"]


def _codes(password: str) -> set[str]:
    try:
        validate_password(password)
    except ValidationError as exc:
        return {e.code for e in exc.error_list if e.code}
    return set()


def test_the_shipped_list_is_larger_than_djangos_and_includes_it() -> None:
    with gzip.open(COMMON_PASSWORDS, "rt", encoding="utf-8") as fh:
        words = {line.strip() for line in fh}
    django_list = CommonPasswordValidator().passwords
    assert len(words) > 40_000 and django_list <= words
    assert all(w == w.lower() for w in words)  # compared lowercased
    assert (COMMON_PASSWORDS.parent / "common-passwords-LICENSE.txt").exists()


def test_the_settings_use_kouki_list_not_djangos() -> None:
    names = [v["NAME"] for v in settings.AUTH_PASSWORD_VALIDATORS]
    assert "kouki.accounts.passwords.CommonListValidator" in names
    assert "django.contrib.auth.password_validation.CommonPasswordValidator" not in names


@pytest.mark.parametrize("password", ONLY_ON_THE_LARGER_LIST)
def test_a_breached_password_djangos_list_misses_is_refused(password: str) -> None:
    CommonPasswordValidator().validate(password)  # Django's own list lets it through
    with pytest.raises(ValidationError):
        CommonListValidator().validate(password.upper())
    assert "password_too_common" in _codes(password)


@pytest.mark.django_db
def test_the_core_is_checked_against_the_larger_list() -> None:
    assert "password_common_core" in _codes("Iseedeadpeople2026!")
    assert _codes("ひまわり畑で3回転んだ朝") == set()  # a long passphrase passes every rule
