"""Identity verification at the counter (本人確認, IN-07…IN-09): which presented documents suffice.

Pure rule: plain values in, a verdict out. Two things are checked (番号法 第16条):

- 番号確認 (the personal number is the person's): needed only when a number is provided with the
  notification. 個人番号カード; or 通知カード, only while its name and address still match the resident
  register (issuance ended 2020-05-25, ADR 0005 #5); or 個人番号付き住民票の写し / 住民票記載事項証明書.
- 身元確認 (the person at the counter is who they say): 個人番号カード; or one photo document
  (運転免許証, 旅券 …, 施行規則 第1条第1項第1号・第2条); or two non-photo public documents (資格確認書,
  年金手帳・年金証書 …, 施行規則 第3条第3項 / 第1条第3項 as cited by the assessment).

IN-09: when no card or valid combination is presented, staff check the 本人確認情報 and the number on the
住基ネット CS terminal; a recorded lookup then stands in for the missing part (assessment L2190–2192).

IN-08 (agent, 施行令 第12条第3項): the agent's own identity (same document rules as above), proof of the
agent's authority (委任状 for a delegate; 戸籍謄本等 for a legal representative; for a 税理士 the
税務代理権限証書 checked against the 税理士名簿, 施行規則 第9条第2項), and the principal's number
confirmation (the principal's card, 通知カード or 住民票, or a 住基ネット lookup).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

NOTIFICATION_CARD_ISSUANCE_ENDED = date(2020, 5, 25)


class IdentityDocument(StrEnum):
    MY_NUMBER_CARD = "my_number_card"
    NOTIFICATION_CARD = "notification_card"
    RESIDENT_RECORD_WITH_NUMBER = "resident_record_with_number"
    DRIVERS_LICENCE = "drivers_licence"
    PASSPORT = "passport"
    DRIVING_RECORD_CERTIFICATE = "driving_record_certificate"
    RESIDENCE_CARD = "residence_card"
    DISABILITY_HANDBOOK = "disability_handbook"
    ELIGIBILITY_CERTIFICATE = "eligibility_certificate"
    PENSION_CERTIFICATE = "pension_certificate"
    OTHER_PUBLIC_DOCUMENT = "other_public_document"


DOCUMENT_LABELS: dict[IdentityDocument, str] = {
    IdentityDocument.MY_NUMBER_CARD: "個人番号カード",
    IdentityDocument.NOTIFICATION_CARD: "通知カード(記載事項が住民票と一致するもの)",
    IdentityDocument.RESIDENT_RECORD_WITH_NUMBER: "個人番号付き住民票の写し・住民票記載事項証明書",
    IdentityDocument.DRIVERS_LICENCE: "運転免許証",
    IdentityDocument.PASSPORT: "旅券",
    IdentityDocument.DRIVING_RECORD_CERTIFICATE: "運転経歴証明書",
    IdentityDocument.RESIDENCE_CARD: "在留カード・特別永住者証明書",
    IdentityDocument.DISABILITY_HANDBOOK: "身体障害者手帳等(写真付き)",
    IdentityDocument.ELIGIBILITY_CERTIFICATE: "資格確認書・被保険者証",
    IdentityDocument.PENSION_CERTIFICATE: "年金手帳・年金証書",
    IdentityDocument.OTHER_PUBLIC_DOCUMENT: "その他の官公署発行書類(写真なし)",
}

NUMBER_DOCUMENTS = frozenset(
    {
        IdentityDocument.MY_NUMBER_CARD,
        IdentityDocument.NOTIFICATION_CARD,
        IdentityDocument.RESIDENT_RECORD_WITH_NUMBER,
    }
)
PHOTO_DOCUMENTS = frozenset(
    {
        IdentityDocument.DRIVERS_LICENCE,
        IdentityDocument.PASSPORT,
        IdentityDocument.DRIVING_RECORD_CERTIFICATE,
        IdentityDocument.RESIDENCE_CARD,
        IdentityDocument.DISABILITY_HANDBOOK,
    }
)
NON_PHOTO_DOCUMENTS = frozenset(
    {
        IdentityDocument.ELIGIBILITY_CERTIFICATE,
        IdentityDocument.PENSION_CERTIFICATE,
        IdentityDocument.OTHER_PUBLIC_DOCUMENT,
    }
)
NON_PHOTO_NEEDED = 2


class AgentKind(StrEnum):
    LEGAL = "legal"  # 法定代理人 (成年後見人 …)
    DELEGATE = "delegate"  # 任意代理人 (家族など、委任状による)
    TAX_ACCOUNTANT = "tax_accountant"  # 税理士


AGENT_KIND_LABELS: dict[AgentKind, str] = {
    AgentKind.LEGAL: "法定代理人",
    AgentKind.DELEGATE: "任意代理人(委任状)",
    AgentKind.TAX_ACCOUNTANT: "税理士",
}


class AuthorityDocument(StrEnum):
    POWER_OF_ATTORNEY = "power_of_attorney"
    LEGAL_STATUS_PROOF = "legal_status_proof"
    TAX_REPRESENTATION_CERTIFICATE = "tax_representation_certificate"
    TAX_ACCOUNTANT_REGISTER = "tax_accountant_register"


AUTHORITY_LABELS: dict[AuthorityDocument, str] = {
    AuthorityDocument.POWER_OF_ATTORNEY: "委任状",
    AuthorityDocument.LEGAL_STATUS_PROOF: "戸籍謄本・登記事項証明書等(法定代理人の資格を証する書類)",
    AuthorityDocument.TAX_REPRESENTATION_CERTIFICATE: "税務代理権限証書",
    AuthorityDocument.TAX_ACCOUNTANT_REGISTER: "税理士名簿との照合",
}

AUTHORITY_NEEDED: dict[AgentKind, frozenset[AuthorityDocument]] = {
    AgentKind.LEGAL: frozenset({AuthorityDocument.LEGAL_STATUS_PROOF}),
    AgentKind.DELEGATE: frozenset({AuthorityDocument.POWER_OF_ATTORNEY}),
    AgentKind.TAX_ACCOUNTANT: frozenset(
        {
            AuthorityDocument.TAX_REPRESENTATION_CERTIFICATE,
            AuthorityDocument.TAX_ACCOUNTANT_REGISTER,
        }
    ),
}


@dataclass(frozen=True)
class IdentityCheckInput:
    """What was presented. For an agent, `documents` are the principal's (for the number) and
    `agent_documents` the agent's own."""

    number_provided: bool
    documents: frozenset[IdentityDocument] = frozenset()
    notification_card_matches: bool = False
    resident_network_checked: bool = False
    agent_kind: AgentKind | None = None
    agent_documents: frozenset[IdentityDocument] = frozenset()
    authority_documents: frozenset[AuthorityDocument] = frozenset()


@dataclass(frozen=True)
class IdentityCheckResult:
    number_confirmed: bool  # True also when no number was provided (nothing to confirm)
    identity_confirmed: bool  # the person at the counter: the insured person, or the agent
    authority_confirmed: bool  # True for a person applying for themself
    problems: tuple[str, ...] = field(default=())  # Japanese, for the screen
    used_resident_network: bool = False

    @property
    def ok(self) -> bool:
        return self.number_confirmed and self.identity_confirmed and self.authority_confirmed


def _number_by_documents(docs: frozenset[IdentityDocument], card_matches: bool) -> bool:
    if IdentityDocument.MY_NUMBER_CARD in docs or IdentityDocument.RESIDENT_RECORD_WITH_NUMBER in docs:
        return True
    return IdentityDocument.NOTIFICATION_CARD in docs and card_matches


def identity_by_documents(docs: frozenset[IdentityDocument]) -> bool:
    """身元確認 by documents alone: the card, one photo document, or two non-photo documents."""
    if IdentityDocument.MY_NUMBER_CARD in docs or docs & PHOTO_DOCUMENTS:
        return True
    return len(docs & NON_PHOTO_DOCUMENTS) >= NON_PHOTO_NEEDED


def check_identity(case: IdentityCheckInput) -> IdentityCheckResult:
    """The verdict on one counter visit; `problems` says what is missing, in the screen's words."""
    problems: list[str] = []
    lookup = case.resident_network_checked
    used_lookup = False
    number_ok = not case.number_provided or _number_by_documents(
        case.documents, case.notification_card_matches
    )
    if not number_ok and lookup:
        number_ok = used_lookup = True
    if not number_ok and IdentityDocument.NOTIFICATION_CARD in case.documents:
        problems.append(
            "通知カードは氏名・住所が住民票と一致する場合に限り番号確認に使えます(2020年5月25日に発行終了)"
        )
    if not number_ok:
        problems.append(
            "番号確認ができていません(個人番号カード・通知カード・個人番号付き住民票、または住基ネット照会)"
        )

    if case.agent_kind is None:
        identity_ok = identity_by_documents(case.documents)
        if not identity_ok and lookup:
            identity_ok = used_lookup = True
        if not identity_ok:
            problems.append(
                "身元確認ができていません(個人番号カード、写真付き書類1点、写真なし書類2点、"
                "または住基ネット照会)"
            )
        return IdentityCheckResult(number_ok, identity_ok, True, tuple(problems), used_lookup)

    identity_ok = identity_by_documents(case.agent_documents)
    if not identity_ok:
        problems.append(
            "代理人の身元確認ができていません(代理人の個人番号カード、写真付き書類1点、または写真なし書類2点)"
        )
    missing = AUTHORITY_NEEDED[case.agent_kind] - case.authority_documents
    authority_ok = not missing
    if missing:
        names = "・".join(AUTHORITY_LABELS[d] for d in sorted(missing))
        problems.append(f"代理権の確認ができていません({AGENT_KIND_LABELS[case.agent_kind]}: {names})")
    return IdentityCheckResult(number_ok, identity_ok, authority_ok, tuple(problems), used_lookup)
