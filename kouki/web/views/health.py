"""`/healthz/`: is this server able to serve? (issue 16 §1)

For the load balancer, systemd's watchdog scripts and the operator: the database answers a query and the
keyring can be read and parsed (without it no personal number can be sealed or found). Public, because a
health checker does not sign in; it says only "ok" or which part failed, never a path, a key id or an error
text, and it is never cached.
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils.cache import add_never_cache_headers

from kouki.privacy.keys import KeyringError, load_keyring
from kouki.web.access import staff_view

log = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return bool(cursor.fetchone() == (1,))
    except Exception:  # any failure means "not healthy"; the error log gets the details
        log.exception("health check: the database does not answer")
        return False


def _keyring_ok() -> bool:
    try:
        load_keyring()
    except (KeyringError, OSError, ValueError) as e:
        log.error("health check: the keyring cannot be used: %s", e)
        return False
    return True


@staff_view(permission=None, business_function=None, public=True, methods=("GET",))
def health_view(request: HttpRequest) -> JsonResponse:
    checks = {"database": _database_ok(), "keyring": _keyring_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable"}
    body |= {part: "ok" if ok else "failed" for part, ok in checks.items()}
    response = JsonResponse(body, status=200 if healthy else 503)
    add_never_cache_headers(response)
    return response
