"""Thresholds of the anomaly alerts (issue 15 §2; docs/operations/reading-alerts.md; the defaults are argued
in ADR 0006 "helper alerts15"). Each is a KOUKI_ALERT_* setting; a count of 0 turns that rule off.

The reveal burst/hourly/limit values of issue 14 are kouki.core.config.reading_limits; the out-of-hours
rule uses kouki.core.config.office_hours; the dormant-account rule KOUKI_DORMANT_DAYS (access_config).
"""

from __future__ import annotations

from dataclasses import dataclass

from kouki.core.config import ConfigError, _int, _setting


@dataclass(frozen=True)
class AlertThresholds:
    counter_window_minutes: int  # KOUKI_ALERT_COUNTER_WINDOW_MINUTES: counter work before/after a reveal
    outside_ward_per_day: int  # KOUKI_ALERT_OUTSIDE_WARD_PER_DAY: reveals of people of other wards
    own_family: bool  # KOUKI_ALERT_OWN_FAMILY ("1"/"0"): reveals of people with the user's family name
    reveals_per_day: int  # KOUKI_ALERT_REVEALS_PER_DAY
    person_views_per_day: int  # KOUKI_ALERT_PERSON_VIEWS_PER_DAY
    searches_per_hour: int  # KOUKI_ALERT_SEARCHES_PER_HOUR: personal-number searches
    searches_per_day: int  # KOUKI_ALERT_SEARCHES_PER_DAY
    out_of_hours_per_day: int  # KOUKI_ALERT_OUT_OF_HOURS_PER_DAY: actions out of hours per user and day
    out_of_hours_exempt: frozenset[str]  # KOUKI_ALERT_OUT_OF_HOURS_EXEMPT: staff IDs (batch user)
    new_terminal: bool  # KOUKI_ALERT_NEW_TERMINAL ("1"/"0"): sign-in from a terminal new for the user
    known_terminals: frozenset[str]  # KOUKI_ALERT_KNOWN_TERMINALS: when set, any other terminal is unknown
    refusals: int  # KOUKI_ALERT_REFUSALS: refusals per user within KOUKI_ALERT_REFUSALS_MINUTES
    refusals_minutes: int
    batch_roles: frozenset[str]  # KOUKI_ALERT_BATCH_ROLES: the roles expected to run batches
    batch_new_user: bool  # KOUKI_ALERT_BATCH_NEW_USER ("1"/"0"): first run of a batch by this user


def _names(name: str, default: str) -> frozenset[str]:
    raw = str(_setting(name, default) or "")
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def _flag(name: str, default: bool) -> bool:
    raw = str(_setting(name, "1" if default else "0")).strip()
    if raw not in ("0", "1"):
        raise ConfigError(f'{name}: "1" (on) or "0" (off), got {raw!r}')
    return raw == "1"


def alert_thresholds() -> AlertThresholds:
    """The KOUKI_ALERT_* settings with their defaults; negative counts are refused."""
    values = AlertThresholds(
        counter_window_minutes=_int("KOUKI_ALERT_COUNTER_WINDOW_MINUTES", 180),
        outside_ward_per_day=_int("KOUKI_ALERT_OUTSIDE_WARD_PER_DAY", 10),
        own_family=_flag("KOUKI_ALERT_OWN_FAMILY", True),
        reveals_per_day=_int("KOUKI_ALERT_REVEALS_PER_DAY", 200),
        person_views_per_day=_int("KOUKI_ALERT_PERSON_VIEWS_PER_DAY", 1000),
        searches_per_hour=_int("KOUKI_ALERT_SEARCHES_PER_HOUR", 30),
        searches_per_day=_int("KOUKI_ALERT_SEARCHES_PER_DAY", 100),
        out_of_hours_per_day=_int("KOUKI_ALERT_OUT_OF_HOURS_PER_DAY", 1),
        out_of_hours_exempt=_names("KOUKI_ALERT_OUT_OF_HOURS_EXEMPT", ""),
        new_terminal=_flag("KOUKI_ALERT_NEW_TERMINAL", True),
        known_terminals=_names("KOUKI_ALERT_KNOWN_TERMINALS", ""),
        refusals=_int("KOUKI_ALERT_REFUSALS", 5),
        refusals_minutes=_int("KOUKI_ALERT_REFUSALS_MINUTES", 30),
        batch_roles=_names("KOUKI_ALERT_BATCH_ROLES", "system_admin"),
        batch_new_user=_flag("KOUKI_ALERT_BATCH_NEW_USER", True),
    )
    counts = (values.counter_window_minutes, values.outside_ward_per_day, values.reveals_per_day,
              values.person_views_per_day, values.searches_per_hour, values.searches_per_day,
              values.out_of_hours_per_day, values.refusals, values.refusals_minutes)
    if min(counts) < 0:
        raise ConfigError("KOUKI_ALERT_*: thresholds must not be negative (0 turns a rule off)")
    return values
