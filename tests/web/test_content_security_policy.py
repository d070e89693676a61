"""Content-Security-Policy on the staff screens: scripts only from kouki's static files."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import Client

from kouki.accounts.permissions import Role
from kouki.web.middleware import CONTENT_SECURITY_POLICY, ContentSecurityPolicyMiddleware

KOUKI = Path(__file__).resolve().parents[2] / "kouki"
# a script element without src, other than a JSON data block (not executed)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


@pytest.mark.django_db
def test_html_pages_carry_the_policy() -> None:
    response = Client().get("/login/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    scripts = policy.split("script-src")[1].split(";")[0]
    assert scripts.strip() == "'self'"
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


def test_a_pdf_carries_no_policy(client_as: Callable[[Role], Client], family: object) -> None:
    clerk = client_as(Role.COUNTER_CLERK)
    response = clerk.get("/persons/")  # an HTML page of a signed-in clerk: the policy
    assert "Content-Security-Policy" in response


    def a_pdf(_request: object) -> HttpResponse:
        return HttpResponse(b"%PDF-1.4", content_type="application/pdf")

    assert "Content-Security-Policy" not in ContentSecurityPolicyMiddleware(a_pdf)(None)  # type: ignore[arg-type]


def test_no_template_has_inline_script_or_event_attributes() -> None:
    """The policy allows no inline script: every template keeps its scripts in static files."""
    templates = sorted(KOUKI.rglob("templates/**/*.html"))
    assert len(templates) > 50
    found = [f"{t.relative_to(KOUKI)}: {m.group(0)}" for t in templates
             for pattern in (INLINE_SCRIPT, EVENT_ATTRIBUTE) for m in pattern.finditer(t.read_text("utf-8"))]
    assert found == []
    assert not [t for t in templates if "javascript:" in t.read_text("utf-8")]
