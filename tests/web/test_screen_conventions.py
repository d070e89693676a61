"""Japanese offices' conventions on every screen (issue 11 §4): every GET screen of the access matrix, for
every role, shows dates in 和暦 (no ISO 2026-04-01 in the visible text) and no English or internal words.

Visible text = the text a person reads: element text outside <script>/<style>/<textarea> and outside the
input hints (class "helptext", where 西暦 input is explained). Attribute values (input values, placeholders,
links) are not text. A new screen is covered as soon as it has an access-matrix sample.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from factories import Staff

from kouki.accounts.permissions import Perm, Role
from kouki.certificates.models import CertificateIssue
from kouki.rules.applications import SPECS
from kouki.web.access import AccessDeclaration, declaration_of

from .conftest import Family, Numbers, sign_in
from .person_samples import Day
from .person_samples import day as day  # the fixture
from .test_access_matrix import all_patterns, sample_kwargs

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# Words that must never reach a clerk's eyes: internal states, test/synthetic markers, Python values,
# permission codes, screen (URL) ids, anonymous batch actors. Matched as whole ASCII words.
FORBIDDEN_WORDS: tuple[str, ...] = (
    "unchanged",
    "synth",
    "synthetic",
    "None",
    "True",
    "False",
    "pending",
    "returned",
    "confirmed",
    "entered",
    "resolved",
    "open",
    "counter_clerk",
    "number_clerk",
    "supervisor",
    "system_admin",
    "auditor",
    *(p.value for p in Perm),
)
FORBIDDEN_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\bweb:[a-z_]+"),  # a screen id (URL name)
    re.compile(r"\bsystem:"),  # an anonymous batch actor
    re.compile(r"\bKOUKI_[A-Z_]+"),  # a setting's name
)
FILE_NAME = re.compile(r"\b[\w-]+\.(?:csv|txt|dat|zip|pdf)\b")  # a batch file name
# The 取込 history lists the file each operator took in, by the name they chose: that name is how they
# recognise it, not an internal word. Every other screen names files in Japanese (印刷ファイル1 …).
FILE_NAMES_SHOWN_ON = {"web:import_history"}
SKIPPED_TAGS = {"script", "style", "textarea"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
             "wbr"}  # fmt: skip


class VisibleText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: is its content hidden from this check?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            return
        classes = (dict(attrs).get("class") or "").split()
        hidden = tag in SKIPPED_TAGS or "helptext" in classes
        self.stack.append(hidden or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID_TAGS and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def findings(text: str, *, file_names_allowed: bool = False) -> list[str]:
    found = [m.group(0) for m in ISO_DATE.finditer(text)]
    if not file_names_allowed:
        found += [m.group(0) for m in FILE_NAME.finditer(text)]
    for word in FORBIDDEN_WORDS:
        found += re.findall(rf"(?<![A-Za-z0-9_.]){re.escape(word)}(?![A-Za-z0-9_])", text)
    for pattern in FORBIDDEN_PATTERNS:
        found += [m.group(0) for m in pattern.finditer(text)]
    return found


def test_the_check_finds_what_it_looks_for() -> None:
    html = ('<p>受付日 2026-04-01 <span class="helptext">R8.4.1 または 2026-04-01</span>'
            '<input value="2026-04-01"><textarea>2026-04-01</textarea>'
            ' unchanged collection.decide</p>')  # fmt: skip
    assert findings(visible_text(html)) == ["2026-04-01", "unchanged", "collection.decide"]
    assert findings(visible_text("<p>令和8年4月1日(2026年4月1日) 宛名番号 000000001</p>")) == []
    assert findings("第1回 certificates_0001.pdf") == ["certificates_0001.pdf"]
    assert findings("sample.txt", file_names_allowed=True) == []


# Each 医療給付 kind has its own form on one screen (?kind=): all of them are swept.
BENEFIT_KINDS = tuple(k.value for k, spec in SPECS.items() if spec.jimu == 4)
EXTRA_GETS: tuple[tuple[str, dict[str, str]], ...] = (
    ("web:person_search", {"kana": "ヤマダ"}),
    ("web:collection_search", {"kana": "ヤマダ"}),
    ("web:notification_list", {}),
    ("web:application_list", {"status": "received"}),
    ("web:reference_log", {"username": "x"}),
)


@pytest.mark.parametrize("role", list(Role))
def test_every_get_screen_speaks_the_office_language(
        role: Role, family: Family, numbers: Numbers, day: Day, staff_of: Callable[[Role], Staff]) -> None:
    kwargs = sample_kwargs(family, numbers)
    CertificateIssue.objects.filter(printed={}).delete()  # the day fixture's stub has no printed snapshot
    client = sign_in(Client(), staff_of(role).user)
    bad: dict[str, list[str]] = {}
    seen = 0
    urls = []
    for name, pattern in all_patterns():
        decl = declaration_of(pattern.callback)
        assert isinstance(decl, AccessDeclaration)
        if decl.public or "GET" not in decl.methods:
            continue
        urls.append((name, reverse(name, kwargs=kwargs.get(name))))
    urls += [(name, f"{reverse(name)}?{urlencode(q)}") for name, q in EXTRA_GETS]
    urls.append(("person_detail(day)", reverse("web:person_detail", args=[family.taro.pk])))
    benefit = reverse("web:application_new_benefit", kwargs=kwargs["web:application_new_benefit"])
    urls += [(f"application_new_benefit({k})", f"{benefit}?kind={k}") for k in BENEFIT_KINDS]
    for name, url in urls:
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        seen += 1
        text = visible_text(response.content.decode())
        found = findings(text, file_names_allowed=name in FILE_NAMES_SHOWN_ON)
        if found:
            bad[f"{name} {url}"] = sorted(set(found))
    assert seen >= 2
    assert bad == {}, "\n".join(f"{k}: {v}" for k, v in bad.items())
