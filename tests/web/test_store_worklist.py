"""コンビニ収納 要確認一覧 (issue 11 §2; ADR 0010): the open work items of the payment agent's reports are
listed with what to do and links to the person where known; staff close one with a note of what was done
(kouki.stores.services.work_item_resolve, audited under their name). An empty note is shown next to the
row's field and changes nothing; a role without Perm.VIEW_PERSON is refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from factories import Staff
from stores.helpers import ACTOR, payment, person_with_slips, write

from kouki.accounts.permissions import Role
from kouki.documents.payment_slip_data import slip_number_text
from kouki.interfaces.stores.records import ReportKind
from kouki.privacy.models import AuditEntry
from kouki.stores.importers import import_store_report
from kouki.stores.models import StoreWorkItem, WorkKind, WorkStatus
from web.banking_samples import store_work_item

pytestmark = pytest.mark.django_db
WORKLIST = reverse("web:store_worklist")


def resolve(item_id: int) -> str:
    return reverse("web:store_work_item_resolve", args=[item_id])


def test_a_duplicate_payment_links_to_the_person_and_the_overpayment(
        tmp_path: Path, client_as: Callable[[Role], Client]) -> None:
    person, slips = person_with_slips()
    records = [payment(slips[0].barcode), payment(slips[0].barcode, minute=700)]
    import_store_report(actor=ACTOR, path=write(tmp_path, "k.dat", ReportKind.FINAL, records))
    item = StoreWorkItem.objects.get()
    page = client_as(Role.COUNTER_CLERK).get(WORKLIST).content.decode()
    assert f'id="store-item-{item.pk}"' in page and "二重納付" in page
    assert person.addressee_no in page and "令和7年度" in page and "令和7年7月20日" in page
    assert reverse("web:overpayment_detail", args=[person.pk, 2025]) in page
    assert "過誤納金の処理で還付または充当を決定" in page
    # the 納付書番号 as printed on the slip (groups of three), never a bare 12-digit run
    assert f"納付書番号 {slip_number_text(slips[0].slip_no)}" in page


def test_clerk_closes_an_item_with_a_note(client_as: Callable[[Role], Client],
                                         staff_of: Callable[[Role], Staff]) -> None:
    item = store_work_item()
    other = store_work_item(WorkKind.NEVER_CONFIRMED, minute=700)
    client = client_as(Role.COUNTER_CLERK)
    page = client.get(WORKLIST).content.decode()
    assert "該当納付書なし" in page and "不明" in page and "収納代行業者に照会" in page
    response = client.post(resolve(item.pk), {"note": "業者に照会し納付者を特定、窓口収納で記録"})
    assert response.status_code == 302 and response["Location"] == WORKLIST
    item.refresh_from_db()
    clerk = staff_of(Role.COUNTER_CLERK).user.username
    assert (item.status, item.resolved_by, item.note) == (WorkStatus.RESOLVED, clerk,
                                                          "業者に照会し納付者を特定、窓口収納で記録")
    assert AuditEntry.objects.get(action="store_work_item_resolve").actor == clerk
    page = client.get(WORKLIST).content.decode()
    assert f'id="store-item-{item.pk}"' not in page and f'id="store-item-{other.pk}"' in page
    assert client.post(resolve(item.pk), {"note": "again"}).status_code == 404  # closed: not offered


def test_an_empty_note_is_shown_on_its_row_and_changes_nothing(client_as: Callable[[Role], Client]) -> None:
    item = store_work_item()
    other = store_work_item(WorkKind.NEVER_CONFIRMED, minute=700)
    response = client_as(Role.COUNTER_CLERK).post(resolve(item.pk), {"note": "   "})
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index(f'id="resolve-{item.pk}"'):html.index(f'id="store-item-{other.pk}"')]
    assert "処理内容を入力してください" in row
    assert html.count("処理内容を入力してください") == 1
    assert StoreWorkItem.objects.filter(status=WorkStatus.OPEN).count() == 2
    assert not AuditEntry.objects.filter(action="store_work_item_resolve").exists()


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSTEM_ADMIN])
def test_roles_without_view_person_are_refused(client_as: Callable[[Role], Client], role: Role) -> None:
    item = store_work_item()
    client = client_as(role)
    assert client.get(WORKLIST).status_code == 403
    assert client.post(resolve(item.pk), {"note": "x"}).status_code == 403
    item.refresh_from_db()
    assert item.status == WorkStatus.OPEN


def test_the_menu_links_both_worklists(client_as: Callable[[Role], Client]) -> None:
    menu = client_as(Role.COUNTER_CLERK).get(reverse("web:menu")).content.decode()
    assert WORKLIST in menu and reverse("web:failed_debit_worklist") in menu
    assert WORKLIST not in client_as(Role.AUDITOR).get(reverse("web:menu")).content.decode()
