"""Which terminal a request comes from, for the logs (SEC-11, SEC-13).

The reverse proxy in front of the application sets a header naming the terminal (settings
KOUKI_TERMINAL_HEADER, default X-Kouki-Terminal); without it the client IP is used.
"""

from __future__ import annotations

import re

from django.http import HttpRequest

from kouki.core.config import access_config

_TERMINAL_CHARS = re.compile(r"[^A-Za-z0-9._:\-]")


def terminal_id(request: HttpRequest) -> str:
    header = access_config().terminal_header
    value = _TERMINAL_CHARS.sub("", request.headers.get(header, "") if header else "")[:64]
    if value:
        return value
    return _TERMINAL_CHARS.sub("", str(request.META.get("REMOTE_ADDR", "")))[:64] or "unknown"
