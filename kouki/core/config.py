"""The installation's configuration, typed and read once: `city_config()` and `access_config()`.

Every KOUKI_* setting the apps use is read here from django.conf.settings (which takes them from the
environment, kouki/settings.py) and nowhere else; the defaults that existed before stay the defaults here.
A value that no public source gives ([NF] in the domain facts, e.g. the city's direct-payment months)
has no default: it stays None until the installation sets it, and the code that needs it says so.

The two accessors cache their object. A change of any KOUKI_* setting (override_settings, the pytest
`settings` fixture: both send Django's `setting_changed`) drops the cache, so the next call reads the
new value. The personal-number keyring (KOUKI_KEYRING) is not here: kouki.privacy.keys re-reads its path
and file on every use (key rotation, and the CLI sets it at run time).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed

from kouki.rules.arrears import REMINDER_DEADLINE_DAYS, REMINDER_WINDOW_DAYS
from kouki.rules.collection.late_charge import LateChargeRules, SpecialRate
from kouki.rules.collection.late_charge_rates import rules_for
from kouki.rules.disclosure_deadlines import (
    AGENT_DOCUMENT_DAYS,
    DECISION_DAYS,
    EXTENSION_DAYS,
    FOLLOW_UP_WINDOW_DAYS,
    NEAR_DUE_DAYS,
    DeadlineRules,
)
from kouki.rules.gs1 import DEFAULT_BILLER_CODE, DEFAULT_FREE_FIELD
from kouki.rules.office_hours import OfficeHours, OfficeHoursError, parse_office_hours

DEFAULT_CITY_NAME = "さいたま市"
DEFAULT_MUNICIPALITY_CODE = "11100"  # さいたま市 (全国地方公共団体コード without the check digit)
DEFAULT_INSURER_NAME = "埼玉県後期高齢者医療広域連合"
DEFAULT_STORE_CONFIRM_DAYS = 14  # ADR 0010: agents send the 確報 within a few business days
NONRESIDENT_PREFIX_DEFAULT = "9"
NONRESIDENT_DIGITS_DEFAULT = 10
DEFAULT_ZENGIN_BANK = "sandbox"
DEFAULT_TERMINAL_HEADER = "X-Kouki-Terminal"
# What a union file import does with a 被保険者番号 whose 8th digit is not the ×2/×1 check digit: the rule is
# not officially confirmed for 被保険者番号 (kouki.rules.numbers), so the default only warns.
INSURED_NO_CHECK_DIGIT_POLICIES = ("warn", "reject")
DEFAULT_INSURED_NO_CHECK_DIGIT = "warn"


class ConfigError(ValueError):
    """A KOUKI_* setting is not usable; the message names the setting."""


def parse_months(raw: object) -> tuple[int, ...] | None:
    """KOUKI_DIRECT_MONTHS as set ("7,8,9" or a sequence of ints); None when unset or empty.

    Only the form is checked here; that they are distinct months in fiscal-year order is the planner's
    check (it applies to an explicit `direct_months` argument too).
    """
    if raw is None or raw == "" or raw == ():
        return None
    try:
        items = raw.split(",") if isinstance(raw, str) else list(raw)  # type: ignore[call-overload]
        return tuple(int(m) for m in items)
    except (TypeError, ValueError):
        raise ConfigError(f"KOUKI_DIRECT_MONTHS: not a list of months 1–12: {raw!r}") from None


def parse_special_rates(raw: object) -> tuple[SpecialRate, ...]:
    """KOUKI_LATE_CHARGE_SPECIAL_RATES: "2027:1.9,2028:2.0" (year: 延滞金特例基準割合 %), added to or
    replacing the published years of kouki.rules.collection.late_charge_rates."""
    if raw is None or raw == "":
        return ()
    out = []
    for item in str(raw).split(","):
        try:
            year, percent = item.split(":")
            out.append(SpecialRate(int(year), Decimal(percent.strip()), "KOUKI_LATE_CHARGE_SPECIAL_RATES"))
        except (ValueError, ArithmeticError):
            raise ConfigError(f"KOUKI_LATE_CHARGE_SPECIAL_RATES: not 'year:percent,…': {raw!r}") from None
    return tuple(out)


def _optional_int(name: str) -> int | None:
    value = _setting(name, None)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: not a whole number: {value!r}") from None


@dataclass(frozen=True)
class CityConfig:
    """Who the city is, on letters and in files, and the knobs of its collection work."""

    city_name: str  # KOUKI_CITY_NAME: the issuer of notices is its mayor (…市長)
    municipality_code: str  # KOUKI_MUNICIPALITY_CODE: 市町村コード in every union file
    insurer_name: str  # KOUKI_INSURER_NAME: the 広域連合 (the insurer) printed on letters and cards
    certificate_phone: str  # KOUKI_CERTIFICATE_PHONE: contact number on mailings ("" = none printed)
    direct_months_setting: object  # KOUKI_DIRECT_MONTHS as set: see `direct_months`
    # KOUKI_PENSION_STOP_LEAD_MONTHS ([NF], no default): a stop of 特別徴収 notified in month m reaches
    # the pension payments from month m + this on (介護保険法 §138 via 高確法 §110; ADR 0006 §6)
    pension_stop_lead_months: int | None
    slip_biller_code: str  # KOUKI_SLIP_BILLER_CODE (ADR 0007; checked by kouki.slips.codes)
    slip_free_field: str  # KOUKI_SLIP_FREE_FIELD layout spec (checked by kouki.slips.codes)
    reminder_window_days: int  # KOUKI_REMINDER_WINDOW_DAYS: 督促 within this many days after the due date
    reminder_deadline_days: int  # KOUKI_REMINDER_DEADLINE_DAYS: 指定期限 = issue date + this
    store_confirm_days: int  # KOUKI_STORE_CONFIRM_DAYS: a 速報 without 確報 after this is flagged
    nonresident_prefix: str  # KOUKI_NONRESIDENT_ADDRESSEE_PREFIX: 住登外 宛名番号 range
    nonresident_digits: int  # KOUKI_NONRESIDENT_ADDRESSEE_DIGITS
    zengin_bank: str  # KOUKI_ZENGIN_BANK: key of the collecting bank's settings
    zengin_banks: Mapping[str, Mapping[str, Any]]  # KOUKI_ZENGIN_BANKS: added / overriding bank entries
    insured_no_check_digit: str = DEFAULT_INSURED_NO_CHECK_DIGIT  # KOUKI_INSURED_NO_CHECK_DIGIT: warn/reject
    # 延滞金 (ADR 0006 §4): months of the early (lower) rate after the due date in the city's 条例 — None
    # until KOUKI_LATE_CHARGE_EARLY_MONTHS is set (さいたま市's article not found); then extra years' rates
    late_charge_early_months: int | None = None
    late_charge_special_rates: tuple[SpecialRate, ...] = ()
    # KOUKI_INTEGRATED_ADDRESSEE_DIGITS ([NF], no default): width of the 団体内統合宛名番号 handed to the
    # 中間サーバ side (domain-facts §6, 共通機能標準仕様書); numbers are assigned regardless, the mapping
    # refuses while this is unset (ADR 0006, issue 13 §1)
    integrated_addressee_digits: int | None = None

    @property
    def late_charge_rules(self) -> LateChargeRules:
        """The 延滞金 rule's values (early_months None: not configured, nothing is charged)."""
        return rules_for(self.late_charge_early_months, self.late_charge_special_rates)

    @property
    def issuer(self) -> str:
        """発行者 of the city's letters: the mayor (the city collects; the union assessed)."""
        return f"{self.city_name}長"

    @property
    def union_name(self) -> str:
        """The 広域連合 (the insurer)."""
        return self.insurer_name

    @property
    def direct_months(self) -> tuple[int, ...] | None:
        """The regular 普通徴収 months ([NF]: not published): None until KOUKI_DIRECT_MONTHS is set."""
        return parse_months(self.direct_months_setting)


@dataclass(frozen=True)
class AccessConfig:
    """Sign-in and terminal settings (SEC-04, SEC-11, SEC-13)."""

    terminal_header: str  # KOUKI_TERMINAL_HEADER: header naming the workstation ("" = client address)
    trusted_proxies: frozenset[str]  # KOUKI_TRUSTED_PROXIES: the only senders whose forwarding headers count
    idle_logout_seconds: int  # KOUKI_IDLE_LOGOUT_SECONDS
    lockout_threshold: int  # KOUKI_LOCKOUT_THRESHOLD: consecutive failures before the lock
    lockout_seconds: int  # KOUKI_LOCKOUT_SECONDS
    address_failure_limit: int  # KOUKI_LOGIN_ADDRESS_LIMIT: failed steps per address and window
    address_window_seconds: int  # KOUKI_LOGIN_ADDRESS_WINDOW
    # KOUKI_LOCKOUT_ACCOUNT_LIMIT: consecutive failures of an account from all addresses together that lock
    # the account everywhere (KOUKI_LOCKOUT_THRESHOLD locks one account at one address; accounts.lockout)
    lockout_account_limit: int = 20
    password_history: int = 5  # KOUKI_PASSWORD_HISTORY: previous passwords that may not be used again
    dormant_days: int = 90  # KOUKI_DORMANT_DAYS: the inventory flags accounts without a sign-in for this long
    enrolment_hours: int = 72  # KOUKI_ENROLMENT_HOURS: how long a one-time enrolment code is valid
    # Issue 14 §5 (kouki.accounts.webauthn_ceremony, docs/operations/staff-accounts.md): the second factors
    # an account may use (KOUKI_SECOND_FACTORS), and the WebAuthn relying party: its ID (a host name, never an
    # IP address) and the origins the browser may report (scheme://host[:port], as the staff reach kouki)
    second_factors: frozenset[str] = frozenset({"webauthn", "totp"})
    webauthn_rp_id: str = "localhost"  # KOUKI_WEBAUTHN_RP_ID
    webauthn_rp_name: str = "kouki"  # KOUKI_WEBAUTHN_RP_NAME: shown by the browser while registering
    webauthn_origins: tuple[str, ...] = ("http://localhost:8000",)  # KOUKI_WEBAUTHN_ORIGINS
    webauthn_challenge_seconds: int = 300  # KOUKI_WEBAUTHN_CHALLENGE_SECONDS: a challenge's life

    @property
    def webauthn_allowed(self) -> bool:
        return "webauthn" in self.second_factors

    @property
    def totp_allowed(self) -> bool:
        return "totp" in self.second_factors


def _setting(name: str, default: object) -> Any:
    return getattr(settings, name, default)


def _int(name: str, default: int) -> int:
    value = _setting(name, default)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: not a whole number: {value!r}") from None


def _optional_months(name: str) -> int | None:
    """A number of months 0–12, None when unset or empty."""
    value = _setting(name, None)
    if value is None or value == "":
        return None
    months = _int(name, 0)
    if not 0 <= months <= 12:
        raise ConfigError(f"{name}: must be 0–12 months, got {months}")
    return months


SECOND_FACTORS = ("webauthn", "totp")
DEFAULT_SECOND_FACTORS = "webauthn,totp"


def parse_second_factors(raw: object) -> frozenset[str]:
    """KOUKI_SECOND_FACTORS: "webauthn", "totp" or both ("webauthn,totp", the default): at least one."""
    items = frozenset(a.strip().lower() for a in str(raw or DEFAULT_SECOND_FACTORS).split(",") if a.strip())
    if not items or not items <= set(SECOND_FACTORS):
        raise ConfigError(f"KOUKI_SECOND_FACTORS: webauthn, totp or both (comma-separated), got {raw!r}")
    return items


def _origins(raw: object) -> tuple[str, ...]:
    items = tuple(a.strip().rstrip("/") for a in str(raw or "").split(",") if a.strip())
    for origin in items:
        if not re.fullmatch(r"https?://[^/\s]+", origin):
            raise ConfigError(f"KOUKI_WEBAUTHN_ORIGINS: scheme://host[:port], comma-separated: {origin!r}")
    return items or ("http://localhost:8000",)


def _policy(name: str, default: str, allowed: tuple[str, ...]) -> str:
    value = str(_setting(name, default) or default)
    if value not in allowed:
        raise ConfigError(f"{name}: must be one of {', '.join(allowed)}, got {value!r}")
    return value


@cache
def city_config() -> CityConfig:
    """The city's configuration (read once; re-read after a KOUKI_* setting changes)."""
    banks = dict(_setting("KOUKI_ZENGIN_BANKS", {}))
    return CityConfig(
        city_name=str(_setting("KOUKI_CITY_NAME", DEFAULT_CITY_NAME)),
        municipality_code=str(_setting("KOUKI_MUNICIPALITY_CODE", DEFAULT_MUNICIPALITY_CODE)),
        insurer_name=str(_setting("KOUKI_INSURER_NAME", DEFAULT_INSURER_NAME)),
        certificate_phone=str(_setting("KOUKI_CERTIFICATE_PHONE", "")),
        direct_months_setting=_setting("KOUKI_DIRECT_MONTHS", None),
        pension_stop_lead_months=_optional_months("KOUKI_PENSION_STOP_LEAD_MONTHS"),
        slip_biller_code=str(_setting("KOUKI_SLIP_BILLER_CODE", "") or DEFAULT_BILLER_CODE),
        slip_free_field=str(_setting("KOUKI_SLIP_FREE_FIELD", "") or DEFAULT_FREE_FIELD.spec()),
        reminder_window_days=_int("KOUKI_REMINDER_WINDOW_DAYS", REMINDER_WINDOW_DAYS),
        reminder_deadline_days=_int("KOUKI_REMINDER_DEADLINE_DAYS", REMINDER_DEADLINE_DAYS),
        store_confirm_days=_int("KOUKI_STORE_CONFIRM_DAYS", DEFAULT_STORE_CONFIRM_DAYS),
        nonresident_prefix=str(_setting("KOUKI_NONRESIDENT_ADDRESSEE_PREFIX", NONRESIDENT_PREFIX_DEFAULT)),
        nonresident_digits=_int("KOUKI_NONRESIDENT_ADDRESSEE_DIGITS", NONRESIDENT_DIGITS_DEFAULT),
        zengin_bank=str(_setting("KOUKI_ZENGIN_BANK", DEFAULT_ZENGIN_BANK)),
        zengin_banks=MappingProxyType({str(k): MappingProxyType(dict(v)) for k, v in banks.items()}),
        insured_no_check_digit=_policy(
            "KOUKI_INSURED_NO_CHECK_DIGIT", DEFAULT_INSURED_NO_CHECK_DIGIT, INSURED_NO_CHECK_DIGIT_POLICIES
        ),
        late_charge_early_months=_optional_int("KOUKI_LATE_CHARGE_EARLY_MONTHS"),
        late_charge_special_rates=parse_special_rates(_setting("KOUKI_LATE_CHARGE_SPECIAL_RATES", None)),
        integrated_addressee_digits=_optional_int("KOUKI_INTEGRATED_ADDRESSEE_DIGITS"),
    )


@dataclass(frozen=True)
class WebServerConfig:
    """`kouki serve` (issue 16 §1): KOUKI_WEB_WORKERS, KOUKI_WEB_THREADS (None: sized to the machine / 4)."""

    workers: int | None
    threads: int | None


def web_server_config() -> WebServerConfig:
    return WebServerConfig(_optional_int("KOUKI_WEB_WORKERS"), _optional_int("KOUKI_WEB_THREADS"))


@cache
def access_config() -> AccessConfig:
    """Sign-in and terminal settings (read once; re-read after a KOUKI_* setting changes)."""
    return AccessConfig(
        terminal_header=str(_setting("KOUKI_TERMINAL_HEADER", DEFAULT_TERMINAL_HEADER) or ""),
        trusted_proxies=frozenset(
            a.strip() for a in str(_setting("KOUKI_TRUSTED_PROXIES", "") or "").split(",") if a.strip()
        ),
        idle_logout_seconds=_int("KOUKI_IDLE_LOGOUT_SECONDS", 900),
        lockout_threshold=_int("KOUKI_LOCKOUT_THRESHOLD", 5),
        lockout_seconds=_int("KOUKI_LOCKOUT_SECONDS", 1800),
        address_failure_limit=_int("KOUKI_LOGIN_ADDRESS_LIMIT", 20),
        address_window_seconds=_int("KOUKI_LOGIN_ADDRESS_WINDOW", 600),
        lockout_account_limit=_int("KOUKI_LOCKOUT_ACCOUNT_LIMIT", 20),
        password_history=max(0, _int("KOUKI_PASSWORD_HISTORY", 5)),
        dormant_days=_int("KOUKI_DORMANT_DAYS", 90),
        enrolment_hours=_int("KOUKI_ENROLMENT_HOURS", 72),
        second_factors=parse_second_factors(_setting("KOUKI_SECOND_FACTORS", DEFAULT_SECOND_FACTORS)),
        webauthn_rp_id=str(_setting("KOUKI_WEBAUTHN_RP_ID", "") or "localhost").strip().lower(),
        webauthn_rp_name=str(_setting("KOUKI_WEBAUTHN_RP_NAME", "") or "kouki"),
        webauthn_origins=_origins(_setting("KOUKI_WEBAUTHN_ORIGINS", "")),
        webauthn_challenge_seconds=_int("KOUKI_WEBAUTHN_CHALLENGE_SECONDS", 300),
    )


DEFAULT_IMPORT_MAX_BYTES = 32 * 1024 * 1024  # a daily or monthly counterpart file is far smaller


def import_upload_max_bytes() -> int:
    """KOUKI_IMPORT_MAX_BYTES: the largest upload the 取込 screen takes (a full extract goes by command)."""
    value = _int("KOUKI_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES)
    if value <= 0:
        raise ConfigError(f"KOUKI_IMPORT_MAX_BYTES: must be positive, got {value}")
    return value


def import_upload_dir() -> str:
    """KOUKI_IMPORT_UPLOAD_DIR: where an upload waits while it is taken in ("" = the system's temp)."""
    return str(_setting("KOUKI_IMPORT_UPLOAD_DIR", "") or "")


def municipality_code() -> str:
    """市町村コード of this city (KOUKI_MUNICIPALITY_CODE, default 11100 さいたま市)."""
    return city_config().municipality_code


DEFAULT_JUKINET_CS = "kouki.sandbox.jukinet.simulator.SimulatedCS"


def jukinet_cs_path() -> str:
    """KOUKI_JUKINET_CS: dotted path of the class that speaks to the 住基ネット CS (kouki.jukinet.cs)."""
    return str(_setting("KOUKI_JUKINET_CS", "") or DEFAULT_JUKINET_CS)


def jukinet_sim_dir() -> str:
    """KOUKI_JUKINET_SIM_DIR: the simulated CS's national register directory (sandbox only)."""
    return str(_setting("KOUKI_JUKINET_SIM_DIR", "") or "jukinet-sim")


DEFAULT_CHUKAN_SERVER = "kouki.sandbox.chukan.platform.SimulatedChukanServer"


def chukan_server_path() -> str:
    """KOUKI_CHUKAN_SERVER: the class that speaks to the 中間サーバ (kouki.inquiries.network)."""
    return str(_setting("KOUKI_CHUKAN_SERVER", "") or DEFAULT_CHUKAN_SERVER)


def chukan_sim_dir() -> str:
    """KOUKI_CHUKAN_SIM_DIR: the simulated 中間サーバ platform's state directory (sandbox only)."""
    return str(_setting("KOUKI_CHUKAN_SIM_DIR", "") or "chukan-sim")


def inquiry_key_path() -> str:
    """KOUKI_INQUIRY_KEY: the city's 中間サーバ result key file (X25519, mode 0600); "" when unset."""
    return str(_setting("KOUKI_INQUIRY_KEY", "") or "")


def inquiry_result_days() -> int | None:
    """KOUKI_INQUIRY_RESULT_DAYS: days an inquiry result is kept before `kouki inquiries purge` deletes it
    (SEC-31; the period is [NF] in the PIA, L2862–2865): None while unset, and the purge refuses."""
    return _optional_int("KOUKI_INQUIRY_RESULT_DAYS")


@cache
def premium_parameter_overrides() -> Mapping[int, Mapping[str, Any]]:
    """KOUKI_PREMIUM_PARAMETERS: a JSON file with the union's premium parameters for fiscal years the
    presets (kouki.rules.premium.presets) do not hold, e.g. FY2026 whose Saitama rates were not found:
    {"2026": {"source": "where the values come from", "parameters": {...}}} — the parameters as
    `resolve_parameters` takes them. Each year must name its source. Empty when not set."""
    import json
    from pathlib import Path

    path = str(_setting("KOUKI_PREMIUM_PARAMETERS", "") or "")
    if not path:
        return MappingProxyType({})
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"KOUKI_PREMIUM_PARAMETERS: {path}: {exc}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"KOUKI_PREMIUM_PARAMETERS: {path}: a JSON object by fiscal year is expected")
    years: dict[int, Mapping[str, Any]] = {}
    for key, entry in data.items():
        if not (isinstance(key, str) and key.isdigit() and len(key) == 4):
            raise ConfigError(f"KOUKI_PREMIUM_PARAMETERS: {path}: {key!r} is not a fiscal year (YYYY)")
        if not isinstance(entry, dict) or not str(entry.get("source", "")).strip():
            raise ConfigError(f"KOUKI_PREMIUM_PARAMETERS: {path}: {key}: \"source\" (where the values come "
                              "from) is required")  # fmt: skip
        if not isinstance(entry.get("parameters"), dict):
            raise ConfigError(f"KOUKI_PREMIUM_PARAMETERS: {path}: {key}: \"parameters\" must be an object")
        years[int(key)] = MappingProxyType(entry["parameters"])
    return MappingProxyType(years)


@cache
def high_cost_tables() -> tuple[Any, ...]:
    """KOUKI_HIGH_COST_PARAMETERS: a JSON file of 高額療養費 limit tables for the months the built-in table
    (kouki.rules.benefits.high_cost.TABLES, 2022-10 … 2026-07) does not hold, keyed by each table's first
    month, each naming its source (kouki.rules.benefits.high_cost_tables). Returns the built-in tables and
    the configured ones, in month order (LimitTable values); only the built-in ones when not set."""
    import json
    from pathlib import Path

    from kouki.rules.benefits.high_cost import TABLES
    from kouki.rules.benefits.high_cost_tables import TablesInvalid, configured_tables

    path = str(_setting("KOUKI_HIGH_COST_PARAMETERS", "") or "")
    if not path:
        return TABLES
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return configured_tables(data)
    except (OSError, ValueError) as exc:  # TablesInvalid is a ValueError
        kind = "" if isinstance(exc, TablesInvalid) else "cannot read: "
        raise ConfigError(f"KOUKI_HIGH_COST_PARAMETERS: {path}: {kind}{exc}") from None


# The ward offices' opening hours (さいたま市の区役所: 平日 8:30–17:15, the city's public opening hours; an
# installation with other hours sets KOUKI_OFFICE_HOURS). Used to count and flag out-of-hours activity.
DEFAULT_OFFICE_HOURS = "08:30-17:15"


def office_hours() -> OfficeHours:
    """KOUKI_OFFICE_HOURS ("HH:MM-HH:MM", local time; default DEFAULT_OFFICE_HOURS)."""
    raw = str(_setting("KOUKI_OFFICE_HOURS", "") or DEFAULT_OFFICE_HOURS)
    try:
        return parse_office_hours(raw)
    except OfficeHoursError as exc:
        raise ConfigError(f"KOUKI_OFFICE_HOURS: {exc}") from None


def retention_setting() -> str:
    """KOUKI_RETENTION: "kind=7y,kind=400d", the installation's retention periods (kouki.retention)."""
    return str(_setting("KOUKI_RETENTION", "") or "")


def outbox_dirs() -> tuple[str, ...]:
    """KOUKI_OUTBOX_DIRS: the folders whose sent files the retention purge may delete (SEC-22)."""
    return tuple(d.strip() for d in str(_setting("KOUKI_OUTBOX_DIRS", "") or "").split(",") if d.strip())


def audit_checkpoint_file() -> str:
    """KOUKI_AUDIT_CHECKPOINT_FILE: the append-only file of sealed audit checkpoints ("" = none)."""
    return str(_setting("KOUKI_AUDIT_CHECKPOINT_FILE", "") or "")


def t03_legal_basis() -> tuple[str, str] | None:
    """KOUKI_T03_LEGAL_BASIS ([NF]): (basis, source) of transfer T03, "basis | source"; None when unset.
    A value without its source is refused: the catalogue must say where each value comes from."""
    raw = str(_setting("KOUKI_T03_LEGAL_BASIS", "") or "").strip()
    if not raw:
        return None
    basis, sep, source = (part.strip() for part in raw.partition("|"))
    if not sep or not basis or not source:
        raise ConfigError('KOUKI_T03_LEGAL_BASIS: "根拠 | 出典" (the basis and its source) is required')
    return basis, source


# 開示請求 (issue 15 §3; docs/operations/disclosure.md). Each default with its source; a 条例 may shorten the
# periods (APPI §83, §108), so each is configuration.
DISCLOSURE_COPY_FEE_YEN = 10  # 写しの交付 1枚10円 [PIA L3336–3338; requirements SEC-37]
STAFF_SHOWN = ("office", "name")  # how the package names staff in the reference log (ADR 0006, disclosure15)


@dataclass(frozen=True)
class DisclosureConfig:
    deadlines: DeadlineRules
    copy_fee_yen: int
    staff_shown: str  # "office" (the department, APPI practice) or "name"


def _days(name: str, default: int, upper: int) -> int:
    days = _int(name, default)
    if not 1 <= days <= upper:
        raise ConfigError(f"{name}: must be 1–{upper} days, got {days}")
    return days


def disclosure_config() -> DisclosureConfig:
    """KOUKI_DISCLOSURE_DECISION_DAYS (30, APPI §83①), _EXTENSION_DAYS (30, §83②: never more),
    _FOLLOW_UP_DAYS (90, §98③/§99③), _AGENT_DOCUMENT_DAYS (30, R45/R46), _NEAR_DUE_DAYS (7, the
    worklist's warning), _COPY_FEE_YEN (10, PIA L3336–3338), _STAFF_SHOWN ("office" | "name")."""
    fee = _int("KOUKI_DISCLOSURE_COPY_FEE_YEN", DISCLOSURE_COPY_FEE_YEN)
    if fee < 0:
        raise ConfigError(f"KOUKI_DISCLOSURE_COPY_FEE_YEN: must be 0 or more, got {fee}")
    rules = DeadlineRules(
        decision_days=_days("KOUKI_DISCLOSURE_DECISION_DAYS", DECISION_DAYS, DECISION_DAYS),
        extension_days=_days("KOUKI_DISCLOSURE_EXTENSION_DAYS", EXTENSION_DAYS, EXTENSION_DAYS),
        follow_up_window_days=_days("KOUKI_DISCLOSURE_FOLLOW_UP_DAYS", FOLLOW_UP_WINDOW_DAYS, 366),
        agent_document_days=_days("KOUKI_DISCLOSURE_AGENT_DOCUMENT_DAYS", AGENT_DOCUMENT_DAYS, 366),
        near_due_days=_days("KOUKI_DISCLOSURE_NEAR_DUE_DAYS", NEAR_DUE_DAYS, 60),
    )
    return DisclosureConfig(rules, fee, _policy("KOUKI_DISCLOSURE_STAFF_SHOWN", "office", STAFF_SHOWN))


def clear_config_cache() -> None:
    city_config.cache_clear()
    access_config.cache_clear()
    premium_parameter_overrides.cache_clear()
    high_cost_tables.cache_clear()


def _on_setting_changed(*, setting: str, **_: object) -> None:
    if setting.startswith("KOUKI_"):
        clear_config_cache()


setting_changed.connect(_on_setting_changed, dispatch_uid="kouki.core.config")


@dataclass(frozen=True)
class ReadingLimits:
    """Per-user limits on one kind of reading (issue 14 §6; docs/operations/reading-alerts.md).

    `alert_per_hour`: reaching it within the last 60 minutes raises an alert and reads on; `limit_per_hour`:
    reaching it refuses further readings until older ones fall out of the window (and raises an alert);
    `burst`/`burst_seconds`: that many within that many seconds raises an alert (a scripted burst).
    """

    alert_per_hour: int
    limit_per_hour: int
    burst: int
    burst_seconds: int


# Defaults: a counter clerk serves at most some 20–30 people an hour with one or two reveals each; a
# clerk browsing 宛名詳細 opens several screens per person. Each limit is a multiple of that pace.
READING_DEFAULTS: dict[str, ReadingLimits] = {
    "reveal": ReadingLimits(alert_per_hour=60, limit_per_hour=120, burst=20, burst_seconds=60),
    "person_view": ReadingLimits(alert_per_hour=300, limit_per_hour=600, burst=60, burst_seconds=60),
}


def reading_limits(reading: str) -> ReadingLimits:
    """KOUKI_<READING>_ALERT_PER_HOUR, _LIMIT_PER_HOUR, _BURST, _BURST_SECONDS (READING = REVEAL or
    PERSON_VIEW); READING_DEFAULTS where unset. A limit of 0 turns that check off."""
    default = READING_DEFAULTS[reading]
    prefix = f"KOUKI_{reading.upper()}"
    limits = ReadingLimits(
        alert_per_hour=_int(f"{prefix}_ALERT_PER_HOUR", default.alert_per_hour),
        limit_per_hour=_int(f"{prefix}_LIMIT_PER_HOUR", default.limit_per_hour),
        burst=_int(f"{prefix}_BURST", default.burst),
        burst_seconds=_int(f"{prefix}_BURST_SECONDS", default.burst_seconds),
    )
    if min(limits.alert_per_hour, limits.limit_per_hour, limits.burst, limits.burst_seconds) < 0:
        raise ConfigError(f"{prefix}_*: reading limits must not be negative")
    return limits
