"""Idle logout (SEC-05): a session unused for KOUKI_IDLE_LOGOUT_SECONDS is ended."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_SEEN = "kouki_last_seen"


class IdleLogoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_SEEN)
            if last is not None and now - float(last) > settings.KOUKI_IDLE_LOGOUT_SECONDS:
                logout(request)
                request.session["kouki_idle_logged_out"] = True
            else:
                request.session[LAST_SEEN] = now
        return self.get_response(request)
