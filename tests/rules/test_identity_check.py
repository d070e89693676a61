"""IN-07 / IN-08 / IN-09: which documents confirm the number, the person and the agent's authority."""

from __future__ import annotations

import pytest

from kouki.rules.identity_check import (
    NOTIFICATION_CARD_ISSUANCE_ENDED,
    AgentKind,
    AuthorityDocument,
    IdentityCheckInput,
    IdentityDocument,
    check_identity,
    identity_by_documents,
)

D = IdentityDocument
A = AuthorityDocument

# (documents, card details match, 住基ネット lookup, number provided) -> (number ok, identity ok)
SELF_TABLE = [
    # IN-07: the card alone does both
    ({D.MY_NUMBER_CARD}, False, False, True, (True, True)),
    # IN-07: 通知カード + 運転免許証 / 旅券, only while the card's details match the register
    ({D.NOTIFICATION_CARD, D.DRIVERS_LICENCE}, True, False, True, (True, True)),
    ({D.NOTIFICATION_CARD, D.PASSPORT}, True, False, True, (True, True)),
    ({D.NOTIFICATION_CARD, D.PASSPORT}, False, False, True, (False, True)),
    # 通知カード alone never shows who is at the counter
    ({D.NOTIFICATION_CARD}, True, False, True, (True, False)),
    # 施行規則 第3条第3項 combinations: number document + photo, or + two non-photo documents
    ({D.RESIDENT_RECORD_WITH_NUMBER, D.RESIDENCE_CARD}, False, False, True, (True, True)),
    (
        {D.RESIDENT_RECORD_WITH_NUMBER, D.ELIGIBILITY_CERTIFICATE, D.PENSION_CERTIFICATE},
        False,
        False,
        True,
        (True, True),
    ),
    ({D.NOTIFICATION_CARD, D.ELIGIBILITY_CERTIFICATE}, True, False, True, (True, False)),
    # a photo document proves identity, not the number
    ({D.DRIVERS_LICENCE}, False, False, True, (False, True)),
    # IN-09: nothing presented, the 住基ネット CS terminal stands in
    (set(), False, True, True, (True, True)),
    ({D.DRIVERS_LICENCE}, False, True, True, (True, True)),
    ({D.NOTIFICATION_CARD}, False, True, True, (True, True)),
    # nothing at all
    (set(), False, False, True, (False, False)),
    # no number on the form: only the person needs confirming
    ({D.DRIVING_RECORD_CERTIFICATE}, False, False, False, (True, True)),
    ({D.ELIGIBILITY_CERTIFICATE}, False, False, False, (True, False)),
    ({D.ELIGIBILITY_CERTIFICATE, D.OTHER_PUBLIC_DOCUMENT}, False, False, False, (True, True)),
]


@pytest.mark.parametrize(("docs", "card_matches", "lookup", "number", "expected"), SELF_TABLE)
def test_in07_in09_self(
    docs: set[IdentityDocument], card_matches: bool, lookup: bool, number: bool, expected: tuple[bool, bool]
) -> None:
    result = check_identity(
        IdentityCheckInput(
            number_provided=number,
            documents=frozenset(docs),
            notification_card_matches=card_matches,
            resident_network_checked=lookup,
        )
    )
    assert (result.number_confirmed, result.identity_confirmed) == expected
    assert result.authority_confirmed
    assert result.ok == all(expected)
    assert bool(result.problems) == (not result.ok)


def test_in09_lookup_is_recorded_only_when_it_was_needed() -> None:
    card = check_identity(
        IdentityCheckInput(
            number_provided=True, documents=frozenset({D.MY_NUMBER_CARD}), resident_network_checked=True
        )
    )
    nothing = check_identity(IdentityCheckInput(number_provided=True, resident_network_checked=True))
    assert card.ok and not card.used_resident_network
    assert nothing.ok and nothing.used_resident_network


def test_notification_card_mismatch_names_the_rule() -> None:
    result = check_identity(
        IdentityCheckInput(number_provided=True, documents=frozenset({D.NOTIFICATION_CARD, D.PASSPORT}))
    )
    assert not result.ok
    assert any("通知カード" in p and "2020年5月25日" in p for p in result.problems)
    assert NOTIFICATION_CARD_ISSUANCE_ENDED.isoformat() == "2020-05-25"


# (kind, agent's documents, authority documents, principal's documents, lookup)
#   -> (number ok, agent identity ok, authority ok)
AGENT_TABLE = [
    (
        AgentKind.DELEGATE,
        {D.MY_NUMBER_CARD},
        {A.POWER_OF_ATTORNEY},
        {D.MY_NUMBER_CARD},
        False,
        (True, True, True),
    ),
    (
        AgentKind.DELEGATE,
        {D.DRIVERS_LICENCE},
        {A.POWER_OF_ATTORNEY},
        {D.NOTIFICATION_CARD},
        False,
        (False, True, True),
    ),
    (AgentKind.DELEGATE, {D.DRIVERS_LICENCE}, set(), {D.MY_NUMBER_CARD}, False, (True, True, False)),
    (
        AgentKind.DELEGATE,
        {D.PENSION_CERTIFICATE},
        {A.POWER_OF_ATTORNEY},
        {D.MY_NUMBER_CARD},
        False,
        (True, False, True),
    ),
    (
        AgentKind.DELEGATE,
        {D.PENSION_CERTIFICATE, D.ELIGIBILITY_CERTIFICATE},
        {A.POWER_OF_ATTORNEY},
        set(),
        True,
        (True, True, True),
    ),
    (
        AgentKind.LEGAL,
        {D.PASSPORT},
        {A.LEGAL_STATUS_PROOF},
        {D.RESIDENT_RECORD_WITH_NUMBER},
        False,
        (True, True, True),
    ),
    (
        AgentKind.LEGAL,
        {D.PASSPORT},
        {A.POWER_OF_ATTORNEY},
        {D.RESIDENT_RECORD_WITH_NUMBER},
        False,
        (True, True, False),
    ),
    # IN-08: a tax accountant needs the certificate AND the register check
    (
        AgentKind.TAX_ACCOUNTANT,
        {D.MY_NUMBER_CARD},
        {A.TAX_REPRESENTATION_CERTIFICATE},
        {D.MY_NUMBER_CARD},
        False,
        (True, True, False),
    ),
    (
        AgentKind.TAX_ACCOUNTANT,
        {D.MY_NUMBER_CARD},
        {A.TAX_REPRESENTATION_CERTIFICATE, A.TAX_ACCOUNTANT_REGISTER},
        {D.MY_NUMBER_CARD},
        False,
        (True, True, True),
    ),
]


@pytest.mark.parametrize(
    ("kind", "agent_docs", "authority", "principal_docs", "lookup", "expected"), AGENT_TABLE
)
def test_in08_agent(
    kind: AgentKind,
    agent_docs: set[IdentityDocument],
    authority: set[AuthorityDocument],
    principal_docs: set[IdentityDocument],
    lookup: bool,
    expected: tuple[bool, bool, bool],
) -> None:
    result = check_identity(
        IdentityCheckInput(
            number_provided=True,
            documents=frozenset(principal_docs),
            resident_network_checked=lookup,
            agent_kind=kind,
            agent_documents=frozenset(agent_docs),
            authority_documents=frozenset(authority),
        )
    )
    assert (result.number_confirmed, result.identity_confirmed, result.authority_confirmed) == expected
    assert result.ok == all(expected)


def test_in08_the_principals_documents_do_not_identify_the_agent() -> None:
    result = check_identity(
        IdentityCheckInput(
            number_provided=False,
            documents=frozenset({D.MY_NUMBER_CARD}),
            agent_kind=AgentKind.DELEGATE,
            authority_documents=frozenset({A.POWER_OF_ATTORNEY}),
        )
    )
    assert not result.identity_confirmed


@pytest.mark.parametrize("doc", sorted(D))
def test_one_document_alone_identifies_only_when_it_is_the_card_or_has_a_photo(doc: IdentityDocument) -> None:
    photo = {
        D.DRIVERS_LICENCE,
        D.PASSPORT,
        D.DRIVING_RECORD_CERTIFICATE,
        D.RESIDENCE_CARD,
        D.DISABILITY_HANDBOOK,
    }
    assert identity_by_documents(frozenset({doc})) == (doc == D.MY_NUMBER_CARD or doc in photo)
