"""The disclosure package (issue 15 §3): one PDF with every section, third parties masked, the embedded
font, the page count and fee, who referred to the number (by office), and never the personal number."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone
from documents.pdftools import page_count, pdffonts, pdftotext
from factories import Staff, make_staff
from web.conftest import Family, Numbers

from disclosure.samples import actor_of, disclosed, receive
from kouki.accounts.permissions import Role
from kouki.disclosure.models import DisclosureRequest
from kouki.disclosure.package import SECTIONS, package_data
from kouki.disclosure.services import InvalidRequest, disclosure_package_generate, disclosure_package_open
from kouki.documents.disclosure_package import (
    MASKED,
    DisclosurePackageData,
    PackageSection,
    fee_of,
    render_package,
)
from kouki.documents.disclosure_package import page_count as layout_pages
from kouki.privacy.gate import reveal_personal_number
from kouki.privacy.models import AuditEntry
from kouki.rules.disclosure_fees import DisclosureMethod

pytestmark = pytest.mark.django_db
SECTION_TITLES = ("本人の宛名情報", "世帯の履歴", "個人番号", "被保険者資格", "保険料(賦課)",
                  "期割・納付状況", "収納(納付)の記録", "申請", "届出", "資格確認書等の交付",
                  "個人番号の参照記録", "特定個人情報の移転", "情報提供等記録")


def _reveal(family: Family) -> None:
    clerk = make_staff(Role.NUMBER_CLERK, staff_name="参照 一郎", office="大宮区保険年金課").user
    assert reveal_personal_number(user=clerk, person_id=family.taro.pk, purpose="identity",
                                  screen="宛名詳細", terminal_id="T-01") is not None


def test_the_package_shows_every_section_masks_third_parties_and_never_the_number(
        family: Family, numbers: Numbers, staff_of: Callable[[Role], Staff], tmp_path: Path,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _reveal(family)
    clerk, supervisor = staff_of(Role.COUNTER_CLERK).user, staff_of(Role.SUPERVISOR).user
    request = disclosed(clerk, supervisor, family.taro.addressee_no)
    pdf = tmp_path / "package.pdf"
    name, content = disclosure_package_open(actor=actor_of(clerk), request_id=request.pk)
    pdf.write_bytes(content)
    assert name.endswith(".pdf") and "kaiji" in name
    text = pdftotext(pdf)
    flat = "".join(text.split())
    for title in SECTION_TITLES:
        assert title in flat, title
    assert len(SECTIONS) == len(SECTION_TITLES)
    assert "山田太郎" in flat.replace("\u3000", "") and request.request_no in flat
    assert "花子" not in text and "ハナコ" not in text  # the spouse: a third party
    assert "".join(MASKED.split()) in flat
    assert "1950" not in text and "昭和25年" not in text  # nor her birth date
    assert "大宮区保険年金課" in flat and "参照一郎" not in flat  # the office, not the staff member's name
    digits = "".join(ch for ch in text if ch.isdigit())
    assert numbers.taro not in digits.replace(" ", "")  # the person's own number is not printed
    assert numbers.taro not in caplog.text
    assert all(font["emb"] == "yes" for font in pdffonts(pdf))
    pages = page_count(pdf)
    assert request.package_pages == pages and f"全{pages}枚" in flat
    assert request.package_fee == pages * 10 and f"{pages * 10}円" in flat  # 写しの交付, 10円 a page
    assert request.disclosed_on == timezone.localdate()
    generated = AuditEntry.objects.get(action="disclosure_package.generate")
    assert generated.detail["pages"] == pages
    assert set(generated.detail) == {"request_no", "pages", "fee", "sha256"}
    assert AuditEntry.objects.filter(action="disclosure_package.download").count() == 1


@override_settings(KOUKI_DISCLOSURE_STAFF_SHOWN="name", KOUKI_DISCLOSURE_COPY_FEE_YEN=20)
def test_staff_names_and_the_fee_are_configuration(family: Family, numbers: Numbers,
                                                   staff_of: Callable[[Role], Staff], tmp_path: Path) -> None:
    _reveal(family)
    clerk, supervisor = staff_of(Role.COUNTER_CLERK).user, staff_of(Role.SUPERVISOR).user
    request = disclosed(clerk, supervisor, family.taro.addressee_no, method=DisclosureMethod.VIEW)
    pdf = tmp_path / "package.pdf"
    pdf.write_bytes(bytes(request.package_pdf))
    flat = "".join(pdftotext(pdf).split())
    assert "参照一郎" in flat
    assert request.package_fee == 0 and "無料" in flat and "1枚20円" in flat
    data = package_data(request, timezone.localdate())
    assert fee_of(data) == 0 and layout_pages(data) == request.package_pages


def test_no_package_before_an_approved_disclosure(family: Family, staff_of: Callable[[Role], Staff]) -> None:
    clerk = staff_of(Role.COUNTER_CLERK).user
    request = receive(clerk, family.taro.addressee_no)
    with pytest.raises(InvalidRequest, match="承認された開示"):
        disclosure_package_generate(actor=actor_of(clerk), user=clerk, request_id=request.pk,
                                    today=timezone.localdate())
    with pytest.raises(InvalidRequest, match="まだ作成されていません"):
        disclosure_package_open(actor=actor_of(clerk), request_id=request.pk)


def test_a_long_history_flows_over_pages_and_the_fee_follows() -> None:
    rows = tuple((f"{i}", "x" * 10) for i in range(200))
    data = DisclosurePackageData("開令和8第0001号", "試験 太郎", "000000001", date(2026, 4, 1), "開示", "",
                                 DisclosureMethod.COPY, 10, date(2026, 4, 20), "さいたま市長", "国保年金課",
                                 (PackageSection("長い表", ("番号", "内容"), (1, 3), rows),))
    pages = layout_pages(data)
    assert pages > 3 and fee_of(data) == pages * 10
    assert render_package(data).count(b"/Type /Page\n") in (0, pages)  # compressed: not countable, or exact



def test_the_demo_sample_goes_through_the_services(family: Family, staff_of: Callable[[Role], Staff],
                                                   tmp_path: Path) -> None:
    from certificates.conftest import insure

    from kouki.disclosure.samples import SAMPLE_NAME, write_demo_package

    clerk, boss = actor_of(staff_of(Role.COUNTER_CLERK).user), actor_of(staff_of(Role.SUPERVISOR).user)
    with pytest.raises(ValueError, match="synthetic city"):  # nobody insured yet
        write_demo_package(tmp_path, clerk, boss)
    insure(family.jiro, insured_no="12345678")
    path = write_demo_package(tmp_path, clerk, boss)
    assert path.name == SAMPLE_NAME
    flat = "".join(pdftotext(path).split())
    assert "鈴木" in flat and "12345678" in flat and "年齢到達" in flat  # the eligibility section, labelled
    request = DisclosureRequest.objects.get()
    assert request.prepared_by.username == clerk.username and request.approved_by.username == boss.username
