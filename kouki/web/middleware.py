"""Idle logout (SEC-04): a session unused for KOUKI_IDLE_LOGOUT_SECONDS is ended and the sign-out logged.

After an idle logout the next page (the login screen) says so: the flag IDLE_FLAG is left in the new
session for it.

The time of the last request is written to the session only when the one stored is older than
`touch_seconds` (a tenth of the idle time, at most 60 s): most pages then read the session without writing
it back (a write is a transaction of its own on every page). The session therefore ends up to that much
*earlier* than a timer reset on every request would end it, never later.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

from kouki.accounts.models import StaffUser
from kouki.accounts.terminal import terminal_id
from kouki.core.config import access_config
from kouki.staff.services import login_actor, logout_record

LAST_SEEN = "kouki_last_seen"
IDLE_FLAG = "kouki_idle_logged_out"


def touch_seconds(idle_logout_seconds: int) -> float:
    """How old the stored time of the last request may get before a request writes it again."""
    return min(60.0, idle_logout_seconds / 10)


class IdleLogoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_SEEN)
            if last is not None and now - float(last) > access_config().idle_logout_seconds:
                user = request.user
                if isinstance(user, StaffUser):
                    actor = login_actor(user.username, terminal_id(request), user.pk)
                    logout_record(actor=actor, reason="idle")
                logout(request)
                request.session[IDLE_FLAG] = True
            elif last is None or now - float(last) >= touch_seconds(access_config().idle_logout_seconds):
                request.session[LAST_SEEN] = now
        return self.get_response(request)


# Issue 14/16: what a staff page may load. Scripts only from kouki's own static files (no inline script, no
# event attributes: tests/web/test_content_security_policy.py keeps the templates so); styles also inline
# (the screens' <style> blocks and style attributes); the favicon is a data: URI; no plugins, no framing,
# forms post only to kouki.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:",
    "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
))


class ContentSecurityPolicyMiddleware:
    """Sets Content-Security-Policy on every HTML page (not on PDFs and other downloads: a browser's PDF
    viewer runs under the document's policy)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
