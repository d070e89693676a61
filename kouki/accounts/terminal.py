"""Which terminal and client address a request comes from, for the logs and sign-in throttling
(SEC-11, SEC-13; issue 14 §3).

The reverse proxy in front of the application names the terminal in a header (KOUKI_TERMINAL_HEADER,
default X-Kouki-Terminal) and the client in X-Forwarded-For. Both count only when the request comes from a
proxy listed in KOUKI_TRUSTED_PROXIES: a client cannot name its own terminal or address. Otherwise the
terminal is the client address (REMOTE_ADDR).
"""

from __future__ import annotations

import re

from django.http import HttpRequest

from kouki.core.config import access_config

_TERMINAL_CHARS = re.compile(r"[^A-Za-z0-9._:\-]")


def _clean(value: str) -> str:
    return _TERMINAL_CHARS.sub("", value)[:64]


def from_trusted_proxy(request: HttpRequest) -> bool:
    return str(request.META.get("REMOTE_ADDR", "")) in access_config().trusted_proxies


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy the nearest X-Forwarded-For hop that
    is not itself a trusted proxy."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    if from_trusted_proxy(request):
        trusted = access_config().trusted_proxies
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
        for hop in reversed(hops):
            if hop not in trusted:
                return _clean(hop) or "unknown"
    return _clean(remote) or "unknown"


def terminal_id(request: HttpRequest) -> str:
    header = access_config().terminal_header
    if header and from_trusted_proxy(request):
        value = _clean(request.headers.get(header, ""))
        if value:
            return value
    return client_address(request)
