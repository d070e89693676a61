"""kouki.core.config: the KOUKI_* settings read once, typed, and re-read when a test overrides them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from kouki.core.config import ConfigError, access_config, city_config, municipality_code, parse_months

KOUKI = Path(__file__).resolve().parents[2] / "kouki"


def test_defaults_are_the_ones_the_apps_had() -> None:
    with override_settings(KOUKI_DIRECT_MONTHS=None):
        config = city_config()
    assert config.city_name == "さいたま市" and config.issuer == "さいたま市長"
    assert config.municipality_code == "11100" == municipality_code()
    assert config.insurer_name == config.union_name == "埼玉県後期高齢者医療広域連合"
    assert config.certificate_phone == ""
    assert config.direct_months is None  # [NF]: no guessed default
    assert config.slip_biller_code == "900000"
    assert config.reminder_window_days == 20 and config.reminder_deadline_days == 10
    assert config.store_confirm_days == 14
    assert (config.nonresident_prefix, config.nonresident_digits) == ("9", 10)
    assert config.zengin_bank == "sandbox" and dict(config.zengin_banks) == {}
    access = access_config()
    assert access.terminal_header == "X-Kouki-Terminal"
    assert (access.idle_logout_seconds, access.lockout_threshold, access.lockout_seconds) == (900, 5, 1800)


def test_read_once_and_again_after_an_override() -> None:
    assert city_config() is city_config()
    before = city_config()
    overrides = {"KOUKI_CITY_NAME": "川口市", "KOUKI_MUNICIPALITY_CODE": "11203",
                 "KOUKI_LOCKOUT_THRESHOLD": 3}
    with override_settings(**overrides):
        assert city_config().issuer == "川口市長" and municipality_code() == "11203"
        assert access_config().lockout_threshold == 3
    assert city_config() == before and access_config().lockout_threshold == 5


def test_the_settings_fixture_is_seen(settings: object) -> None:
    setattr(settings, "KOUKI_DIRECT_MONTHS", "7,8,9,10,11,12,1,2,3")  # noqa: B010
    assert city_config().direct_months == (7, 8, 9, 10, 11, 12, 1, 2, 3)


def test_empty_slip_settings_fall_back_to_the_defaults() -> None:
    with override_settings(KOUKI_SLIP_BILLER_CODE="", KOUKI_SLIP_FREE_FIELD=""):
        assert city_config().slip_biller_code == "900000"
        assert "slip_no" in city_config().slip_free_field


@given(st.lists(st.integers(min_value=1, max_value=12), min_size=1, max_size=12))
def test_months_parse_from_text_and_from_a_sequence(months: list[int]) -> None:
    assert parse_months(",".join(map(str, months))) == tuple(months) == parse_months(months)


@pytest.mark.parametrize("raw", [None, "", ()])
def test_unset_months_are_none(raw: object) -> None:
    assert parse_months(raw) is None


@pytest.mark.parametrize("raw", ["7,8,x", 7, "7;8"])
def test_unreadable_months_name_the_setting(raw: object) -> None:
    with pytest.raises(ConfigError, match="KOUKI_DIRECT_MONTHS: not a list of months"):
        parse_months(raw)


def test_direct_months_come_from_the_environment() -> None:
    code = "import django, os; django.setup(); from kouki.core.config import city_config; " \
           "print(city_config().direct_months)"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "kouki.settings"}
    env["KOUKI_DIRECT_MONTHS"] = "7,8,9,10,11,12,1,2,3"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "(7, 8, 9, 10, 11, 12, 1, 2, 3)"
    env.pop("KOUKI_DIRECT_MONTHS")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"


def test_no_module_but_config_reads_a_kouki_setting() -> None:
    """KOUKI_* settings come from kouki.core.config (but the keyring path: kouki.privacy.keys re-reads it)."""
    reads = re.compile(r"getattr\(settings,\s*\"KOUKI_|settings\.KOUKI_(?!KEYRING)")
    allowed = {KOUKI / "core" / "config.py", KOUKI / "settings.py"}
    offenders = [
        str(path.relative_to(KOUKI.parent))
        for path in sorted(KOUKI.rglob("*.py"))
        if path not in allowed and reads.search(path.read_text())
    ]
    assert offenders == []


def test_pension_stop_lead_has_no_default_and_is_checked() -> None:
    """KOUKI_PENSION_STOP_LEAD_MONTHS is [NF] (ADR 0006 §6): None until set; 0–12 months."""
    with override_settings(KOUKI_PENSION_STOP_LEAD_MONTHS=None):
        assert city_config().pension_stop_lead_months is None
    with override_settings(KOUKI_PENSION_STOP_LEAD_MONTHS="2"):
        assert city_config().pension_stop_lead_months == 2
    for bad in ("x", "13", "-1"):
        with (
            override_settings(KOUKI_PENSION_STOP_LEAD_MONTHS=bad),
            pytest.raises(ConfigError, match="KOUKI_PENSION_STOP_LEAD_MONTHS"),
        ):
            city_config()
