"""The period each kind of record is kept, as this installation sets it (KOUKI_RETENTION) over the registry.

A setting that names an unknown kind, a kind never purged, a kind with its own setting, or a period shorter
than the kind's legal minimum is refused (RetentionConfigError names the part): nothing is then purged.
"""

from __future__ import annotations

from kouki.core.config import ConfigError, inquiry_result_days, retention_setting
from kouki.retention.registry import KINDS, KINDS_BY_KEY, KOUKI_RETENTION, Kind
from kouki.rules.retention import Period, RetentionSettingError, parse_setting


class RetentionConfigError(ConfigError):
    """KOUKI_RETENTION (or KOUKI_INQUIRY_RESULT_DAYS) cannot be used; nothing is purged."""


def configured_periods() -> dict[str, Period | None]:
    """Every kind's period (None: not configured, or never purged)."""
    try:
        setting = parse_setting(retention_setting())
    except RetentionSettingError as exc:
        raise RetentionConfigError(f"{KOUKI_RETENTION}: {exc}") from None
    for key, period in setting.items():
        kind = KINDS_BY_KEY.get(key)
        if kind is None:
            raise RetentionConfigError(f"{KOUKI_RETENTION}: no kind of record is called {key!r} "
                                       f"(kinds: {', '.join(k.key for k in KINDS)})")
        if kind.never:
            raise RetentionConfigError(
                f"{KOUKI_RETENTION}: {key} ({kind.label}) is never purged: {kind.basis}")
        if kind.setting != KOUKI_RETENTION:
            raise RetentionConfigError(f"{KOUKI_RETENTION}: {key} is set by {kind.setting}, not here")
        if kind.minimum is not None and not period.at_least(kind.minimum):
            raise RetentionConfigError(f"{KOUKI_RETENTION}: {key}={period} is shorter than the "
                                       f"{kind.minimum.label} the law requires ({kind.source})")
    return {kind.key: _period(kind, setting) for kind in KINDS}


def _period(kind: Kind, setting: dict[str, Period]) -> Period | None:
    if kind.never:
        return None
    if kind.setting != KOUKI_RETENTION:  # the inquiry results: KOUKI_INQUIRY_RESULT_DAYS
        try:
            days = inquiry_result_days()
        except ConfigError as exc:
            raise RetentionConfigError(str(exc)) from None
        return Period(days, "d") if days is not None and days >= 0 else None
    return setting.get(kind.key, kind.default)
