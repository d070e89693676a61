"""Overlong or out-of-range ids and fiscal years in a URL are a 404, never a 500 (issue 11 §3).

Found in a browser walk-through: /persons/99999999999999999999999/ overflowed the SQLite integer and
/collection/overpayments/<id>/1/ failed converting year 1 to 和暦. Every pattern uses the shared
converters of kouki.web.converters; a plain `<int:...>` is refused here so a new screen cannot bring the
500 back."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from kouki.accounts.permissions import Role
from kouki.web.converters import MAX_ID, FiscalYearConverter, IdConverter, MonthConverter
from web.conftest import Family

pytestmark = pytest.mark.django_db


def _patterns(patterns: list[URLPattern | URLResolver], prefix: str = "") -> list[tuple[str, URLPattern]]:
    found: list[tuple[str, URLPattern]] = []
    for p in patterns:
        if isinstance(p, URLResolver):
            found += _patterns(p.url_patterns, prefix + str(p.pattern))
        else:
            found.append((prefix + str(p.pattern), p))
    return found


def test_every_number_in_a_url_uses_the_shared_converters() -> None:
    plain = []
    for route, pattern in _patterns(get_resolver("kouki.urls").url_patterns):
        for name, conv in pattern.pattern.converters.items():
            if not isinstance(conv, IdConverter | FiscalYearConverter | MonthConverter):
                plain.append(f"{route} ({name}: {type(conv).__name__})")
    assert plain == []


def _fill(route: str, value: str) -> str:
    import re

    return "/" + re.sub(r"<\w+:(\w+)>", lambda m: "2025" if m.group(1) == "fiscal_year" else value, route)


@pytest.mark.parametrize("value", ["99999999999999999999999", str(MAX_ID + 1), str(2**64 + 1), "0"])
def test_an_out_of_range_id_is_a_404_on_every_screen(family: Family, client_as: Callable[[Role], Client],
                                                     value: str) -> None:
    client = client_as(Role.SUPERVISOR)
    routes = [r for r, p in _patterns(get_resolver("kouki.urls").url_patterns) if p.pattern.converters]
    assert routes
    for route in routes:
        if "<id:" not in route:
            continue
        url = _fill(route, value)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


@pytest.mark.parametrize("year", ["1", "0001", "2007", "2101", "99999999999999999999"])
def test_a_fiscal_year_out_of_the_scheme_is_a_404(family: Family, client_as: Callable[[Role], Client],
                                                   year: str) -> None:
    client = client_as(Role.SUPERVISOR)
    url = f"/collection/overpayments/{family.taro.pk}/{year}/"
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "2007-12", "2101-01", "99999999999999999999-01"])
def test_a_month_out_of_range_is_a_404(client_as: Callable[[Role], Client], month: str) -> None:
    routes = [r for r, p in _patterns(get_resolver("kouki.urls").url_patterns) if "<ym:" in r]
    assert routes
    client = client_as(Role.AUDITOR)  # the monthly review's readers
    for route in routes:
        url = "/" + route.replace("<ym:month>", month)
        assert client.get(url).status_code == 404, url


def test_the_largest_id_is_looked_up_and_simply_not_found(client_as: Callable[[Role], Client]) -> None:
    assert client_as(Role.SUPERVISOR).get(f"/persons/{MAX_ID}/").status_code == 404


def test_converters_round_trip() -> None:
    assert IdConverter().to_python("42") == 42 and IdConverter().to_url(42) == "42"
    assert FiscalYearConverter().to_python("2025") == 2025
    for bad in ("0", str(MAX_ID + 1)):
        with pytest.raises(ValueError):
            IdConverter().to_python(bad)
    with pytest.raises(ValueError):
        FiscalYearConverter().to_python("2007")



def test_the_largest_id_is_a_404_or_a_refusal_on_every_screen_for_every_role_never_a_500(
    family: Family, client_as: Callable[[Role], Client]
) -> None:
    """Issue 16 §4: the values past 2⁶³ never reach a view (the converter, above); the largest id does.
    Every pattern with an id is requested by every role (so each view is reached by a role holding its
    permission: the union of all rights) with GET and POST. The test client re-raises a server error, so a
    500 fails here with its traceback; a view that let a role in answers 404 (a POST-only form may send
    its list back with a message instead)."""
    routes = [r for r, p in _patterns(get_resolver("kouki.urls").url_patterns) if "<id:" in r]
    assert routes
    clients = {role: client_as(role) for role in Role}
    reached: dict[str, set[tuple[str, int]]] = {}  # (method, status) of the roles the view let in
    for route in routes:
        url = _fill(route, str(MAX_ID))
        for role, client in clients.items():
            for method in ("get", "post"):
                status = getattr(client, method)(url).status_code
                # refused (403), the wrong method (405), a POST form sent back with a message (302), or
                # looked up and not found (404)
                assert status in (302, 403, 404, 405), (url, role, method, status)
                if status not in (403, 405):
                    reached.setdefault(route, set()).add((method, status))
    assert sorted(reached) == sorted(routes)  # every view was let in by some role
    wrong = {r: got for r, got in reached.items() if not any(s == 404 for _, s in got)
             and not all(m == "post" and s == 302 for m, s in got)}  # fmt: skip
    assert wrong == {}
