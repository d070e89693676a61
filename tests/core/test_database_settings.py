"""KOUKI_DATABASE_URL → Django's DATABASES entry (kouki.settings.database_from_url)."""

from __future__ import annotations

import pytest

from kouki.settings import database_from_url


def test_postgresql_connections_are_kept_between_requests_and_checked_before_reuse(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KOUKI_DB_CONN_MAX_AGE", raising=False)
    entry = database_from_url("postgres://kouki_app:pw@db.internal:5433/kouki")
    assert [entry[k] for k in ("NAME", "USER", "HOST", "PORT")] == ["kouki", "kouki_app", "db.internal",
                                                                   "5433"]
    assert entry["CONN_MAX_AGE"] == 600 and entry["CONN_HEALTH_CHECKS"] is True
    monkeypatch.setenv("KOUKI_DB_CONN_MAX_AGE", "0")  # a new connection per request, as Django's default
    assert database_from_url("postgres://db.internal/kouki")["CONN_MAX_AGE"] == 0


def test_an_unknown_scheme_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported scheme 'mysql'"):
        database_from_url("mysql://db.internal/kouki")
