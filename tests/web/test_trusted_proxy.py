"""Issue 14 §3: a client cannot name its own terminal or address — the terminal header and X-Forwarded-For
count only from a proxy in KOUKI_TRUSTED_PROXIES — and behind TLS the cookies are Secure with HSTS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

from django.test import RequestFactory

from kouki.accounts.terminal import client_address, terminal_id


def request(remote: str, **headers: str) -> Any:
    return RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)


def test_without_a_trusted_proxy_the_headers_are_ignored(settings: Any) -> None:
    settings.KOUKI_TRUSTED_PROXIES = ""
    forged = request("10.1.2.3", **{"X-Kouki-Terminal": "URAWA-07", "X-Forwarded-For": "10.9.9.9"})
    assert terminal_id(forged) == "10.1.2.3" and client_address(forged) == "10.1.2.3"


def test_from_the_trusted_proxy_they_count_and_from_elsewhere_not(settings: Any) -> None:
    settings.KOUKI_TRUSTED_PROXIES = "10.0.0.1, 10.0.0.2"
    hops = "6.6.6.6, 10.1.2.3, 10.0.0.2"
    via = request("10.0.0.1", **{"X-Kouki-Terminal": "URAWA-07", "X-Forwarded-For": hops})
    assert terminal_id(via) == "URAWA-07"
    assert client_address(via) == "10.1.2.3"  # the nearest hop that is not a proxy (the first is forgeable)
    direct = request("10.1.2.3", **{"X-Kouki-Terminal": "URAWA-07", "X-Forwarded-For": "10.9.9.9"})
    assert terminal_id(direct) == "10.1.2.3" and client_address(direct) == "10.1.2.3"
    unnamed = request("10.0.0.1", **{"X-Forwarded-For": "10.1.2.4"})
    assert terminal_id(unnamed) == "10.1.2.4"


def settings_with(**env: str) -> dict[str, Any]:
    code = ("import json, kouki.settings as s; print(json.dumps([s.SESSION_COOKIE_SECURE, "
            "s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER]))")  # fmt: skip
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KOUKI_")} | env
    out = subprocess.run([sys.executable, "-c", code], env=clean, check=True, capture_output=True, text=True)
    secure, csrf, hsts, proxy = json.loads(out.stdout)
    return {"secure": secure, "csrf": csrf, "hsts": hsts, "proxy": proxy}


def test_secure_cookies_and_hsts_only_when_set() -> None:
    assert settings_with() == {"secure": False, "csrf": False, "hsts": 0, "proxy": None}
    behind_tls = settings_with(KOUKI_SECURE_COOKIES="1", KOUKI_TRUSTED_PROXIES="10.0.0.1")
    assert behind_tls == {"secure": True, "csrf": True, "hsts": 31536000,
                          "proxy": ["HTTP_X_FORWARDED_PROTO", "https"]}  # fmt: skip
