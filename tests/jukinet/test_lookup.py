"""住基ネット 本人確認情報照会 (issue 13 §3, IN-09): permission, purpose, one log row per lookup (who, when,
terminal, purpose, kind, hits; never the number or the result), results kept nowhere, the CS reached only
through its interface. Assertions compare booleans and counts, never numbers."""

from __future__ import annotations

from datetime import date

import pytest
from jukinet_samples import Register
from jukinet_samples import register as register  # the fixture
from privacy.helpers import all_text_and_binary_values, value_holds

from kouki.accounts.models import StaffUser
from kouki.core.audit_vocabulary import AuditAction
from kouki.jukinet.cs import CsError, CsOperator, CsOperatorRefused, FourItems, connect
from kouki.jukinet.models import Lookup, SearchKind
from kouki.jukinet.services import (
    InvalidLookup,
    JukinetAccessDenied,
    jukinet_lookup_by_four_items,
    jukinet_lookup_by_number,
)
from kouki.privacy.models import AuditEntry
from kouki.privacy.redaction import contains_personal_number
from kouki.sandbox.jukinet.simulator import OPERATIONS_LOG, SimulatedCS

pytestmark = pytest.mark.django_db
WHERE = {"screen": "住基ネット照会", "terminal_id": "T-0101"}


def _operations(register: Register) -> list[str]:
    path = register.directory / OPERATIONS_LOG
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []


def test_lookup_by_number_returns_the_person_and_logs_one_row_without_the_result(
    register: Register, number_clerk: StaffUser
) -> None:
    person = register.resident
    outcome = jukinet_lookup_by_number(
        user=number_clerk, number=person.personal_number, purpose="identity", **WHERE
    )
    assert [
        (r.name, r.resident_code, r.personal_number == person.personal_number) for r in outcome.records
    ] == [(person.name, person.resident_code, True)]
    row = Lookup.objects.get()
    assert (
        row.pk,
        row.user_id,
        row.username,
        row.terminal_id,
        row.screen,
        row.purpose_code,
        row.search_kind,
        row.hit_count,
    ) == (
        outcome.lookup_id,
        number_clerk.pk,
        number_clerk.username,
        "T-0101",
        "住基ネット照会",
        "identity",
        SearchKind.PERSONAL_NUMBER,
        1,
    )
    audit = AuditEntry.objects.get(action=AuditAction.JUKINET_LOOKUP)
    assert audit.target_id == str(row.pk) and audit.detail["hits"] == 1
    # nothing of what was asked or found is kept: not the number, the 住民票コード, the name or the address
    kept = [person.personal_number, person.resident_code, person.name, person.address]
    assert not any(value_holds(v, kept) for _, _, v in all_text_and_binary_values())
    assert len(_operations(register)) == 1 and not contains_personal_number("\n".join(_operations(register)))


def test_lookup_by_four_items_finds_a_person_moving_in(register: Register, supervisor: StaffUser) -> None:
    person = register.outsider
    outcome = jukinet_lookup_by_four_items(
        user=supervisor,
        name=person.name_kana.replace("　", " "),
        birth_date=date.fromisoformat(person.birth_date),
        sex=person.sex,
        address=person.address[:6],
        purpose="move_in",
        **WHERE,
    )
    assert person.resident_code in {r.resident_code for r in outcome.records}
    row = Lookup.objects.get()
    assert (row.search_kind, row.purpose_code, row.hit_count) == (
        SearchKind.FOUR_ITEMS,
        "move_in",
        len(outcome.records),
    )


def test_unknown_person_is_a_logged_lookup_with_no_hits(register: Register, number_clerk: StaffUser) -> None:
    unknown = "123456789018"  # valid check digit (domain-facts §6 test vector), in no synthetic register
    assert (
        jukinet_lookup_by_number(user=number_clerk, number=unknown, purpose="number", **WHERE).records == []
    )
    person = register.resident
    assert (
        jukinet_lookup_by_four_items(
            user=number_clerk,
            name=person.name,
            birth_date=date(1900, 1, 1),
            sex=person.sex,
            address=person.address,
            purpose="identity",
            **WHERE,
        ).records
        == []
    )
    assert list(Lookup.objects.order_by("pk").values_list("search_kind", "hit_count")) == [
        (SearchKind.PERSONAL_NUMBER, 0),
        (SearchKind.FOUR_ITEMS, 0),
    ]


@pytest.mark.parametrize("role_fixture", ["counter_clerk", "auditor", "system_admin"])
def test_roles_without_the_permission_are_refused_before_anything(
    register: Register, role_fixture: str, request: pytest.FixtureRequest
) -> None:
    user: StaffUser = request.getfixturevalue(role_fixture)
    with pytest.raises(JukinetAccessDenied):
        jukinet_lookup_by_number(
            user=user, number=register.resident.personal_number, purpose="identity", **WHERE
        )
    assert Lookup.objects.count() == 0 and _operations(register) == []


@pytest.mark.parametrize(
    ("purpose", "note", "field"),
    [
        ("", "", "purpose"),
        ("なんとなく", "", "purpose"),
        ("other", "", "purpose_note"),
    ],
)
def test_a_lookup_needs_a_purpose(
    register: Register, number_clerk: StaffUser, purpose: str, note: str, field: str
) -> None:
    with pytest.raises(InvalidLookup) as refused:
        jukinet_lookup_by_number(
            user=number_clerk,
            number=register.resident.personal_number,
            purpose=purpose,
            purpose_note=note,
            **WHERE,
        )
    assert refused.value.field == field
    assert Lookup.objects.count() == 0 and _operations(register) == []


def test_malformed_number_and_incomplete_four_items_are_refused_without_echo(
    register: Register, number_clerk: StaffUser
) -> None:
    typo = register.resident.personal_number[:11] + str((int(register.resident.personal_number[11]) + 1) % 10)
    with pytest.raises(InvalidLookup) as refused:
        jukinet_lookup_by_number(user=number_clerk, number=typo, purpose="identity", **WHERE)
    assert refused.value.field == "personal_number" and typo not in str(refused.value)
    with pytest.raises(InvalidLookup) as missing:
        jukinet_lookup_by_four_items(
            user=number_clerk,
            name="ヤマダ タロウ",
            birth_date=None,
            sex="1",
            address="埼玉県",
            purpose="identity",
            **WHERE,
        )
    assert missing.value.field == "birth_date"
    assert Lookup.objects.count() == 0


def test_the_simulator_authenticates_its_operators_and_needs_its_register(
    register: Register, tmp_path: object, settings: object
) -> None:
    cs = connect()
    assert isinstance(cs, SimulatedCS)
    query = FourItems(name="ヤマダタロウ", birth_date=date(1946, 5, 1), sex="1", address="埼玉県")
    with pytest.raises(CsOperatorRefused):
        cs.by_four_items(query, CsOperator(operator_id="kouki:counter_clerk", staff_id="c1", terminal_id="T"))
    with pytest.raises(CsError):
        SimulatedCS(register.directory / "none").by_personal_number(
            register.resident.personal_number, CsOperator("kouki:number_clerk", "n1", "T")
        )
    settings.KOUKI_JUKINET_CS = "builtins.object"  # type: ignore[attr-defined]
    with pytest.raises(CsError, match="does not speak"):
        connect()
    settings.KOUKI_JUKINET_CS = "kouki.sandbox.jukinet.nowhere.CS"  # type: ignore[attr-defined]
    with pytest.raises(CsError, match="cannot load"):
        connect()
