"""Named permissions and the roles that hold them (SEC-01…SEC-06). Roles are code, reviewed like code.

A role is a fixed set of permissions; each staff account has exactly one role. Changing what a role
may do is a code change with a review, not a click in a screen (ADR 0004).

`Jimu` names the 15 事務 of the assessment (requirements §1.1, BF-01): every screen and batch job is
tagged with one, and only the ★ ones may read or write 個人番号.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Jimu(IntEnum):
    """事務 number (BF-01), values as numbered in the 特定個人情報保護評価書."""

    ELIGIBILITY = 1
    CARD_HANDOVER = 2
    CARD_RETURN = 3
    BENEFIT_APPLICATIONS = 4
    PREMIUM_APPLICATIONS = 5
    PREMIUM_COLLECTION = 6
    FUNERAL_EXPENSES = 7
    PREMIUM_NOTICE_HANDOVER = 8
    DEFERRAL_APPLICATIONS = 9
    DEFERRAL_DECISION_HANDOVER = 10
    REDUCTION_APPLICATIONS = 11
    REDUCTION_DECISION_HANDOVER = 12
    DECLARATIONS = 13
    SICKNESS_ALLOWANCE = 14
    INCIDENTAL = 15

    @property
    def label(self) -> str:
        return JIMU_LABELS[self]

    @property
    def handles_personal_numbers(self) -> bool:
        """★ in the assessment: may read or write 個人番号 (BF-01)."""
        return self in NUMBER_JIMU


JIMU_LABELS: dict[Jimu, str] = {
    Jimu.ELIGIBILITY: "被保険者の資格管理に関する申請及び届出の受付",
    Jimu.CARD_HANDOVER: "被保険者証及び資格証明書の引渡し",
    Jimu.CARD_RETURN: "被保険者証及び資格証明書の返還の受付",
    Jimu.BENEFIT_APPLICATIONS: "医療給付に関する申請及び届出の受付並びに証明書の引渡し",
    Jimu.PREMIUM_APPLICATIONS: "保険料に関する申請の受付",
    Jimu.PREMIUM_COLLECTION: "保険料の徴収",
    Jimu.FUNERAL_EXPENSES: "葬祭費の支給に係る申請書の提出の受付",
    Jimu.PREMIUM_NOTICE_HANDOVER: "保険料の額に係る通知書の引渡し",
    Jimu.DEFERRAL_APPLICATIONS: "保険料の徴収猶予に係る申請書の提出の受付",
    Jimu.DEFERRAL_DECISION_HANDOVER: "徴収猶予の申請に対する広域連合が行う処分に係る通知書の引渡し",
    Jimu.REDUCTION_APPLICATIONS: "保険料の減免に係る申請書の提出の受付",
    Jimu.REDUCTION_DECISION_HANDOVER: "減免の申請に対する広域連合が行う処分に係る通知書の引渡し",
    Jimu.DECLARATIONS: "申告書の提出の受付",
    Jimu.SICKNESS_ALLOWANCE: "傷病手当金の支給に係る申請書の受付",
    Jimu.INCIDENTAL: "上記に掲げる事務に付随する事務",
}

# The 事務 that handle 特定個人情報 (★; requirements §1.1, BF-01): 1, 4, 5, 6, 9, 11, 13, 15.
NUMBER_JIMU = frozenset({
    Jimu.ELIGIBILITY,
    Jimu.BENEFIT_APPLICATIONS,
    Jimu.PREMIUM_APPLICATIONS,
    Jimu.PREMIUM_COLLECTION,
    Jimu.DEFERRAL_APPLICATIONS,
    Jimu.REDUCTION_APPLICATIONS,
    Jimu.DECLARATIONS,
    Jimu.INCIDENTAL,
})


class Perm(StrEnum):
    VIEW_PERSON = "addressees.view_person"
    VIEW_PERSONAL_NUMBER = "privacy.view_personal_number"
    SEARCH_BY_PERSONAL_NUMBER = "privacy.search_by_personal_number"
    REGISTER_PERSONAL_NUMBER = "privacy.register_personal_number"
    CONFIRM_PERSONAL_NUMBER = "privacy.confirm_personal_number"
    IMPORT_FILES = "interfaces.import_files"
    VIEW_AUDIT = "privacy.view_audit"
    ACKNOWLEDGE_ALERTS = "privacy.acknowledge_alerts"  # record that an auditors' alert was looked into
    RECORD_AUDIT_REVIEW = "reviews.record_review"  # record the monthly log review (issue 15 §1)
    MANAGE_STAFF = "accounts.manage_staff"
    ENTER_NOTIFICATION = "notifications.enter_notification"
    CONFIRM_NOTIFICATION = "notifications.confirm_notification"
    ENTER_APPLICATION = "applications.enter_application"
    CONFIRM_APPLICATION = "applications.confirm_application"
    ISSUE_CERTIFICATE = "certificates.issue_certificate"
    DECIDE_COLLECTION = "collection.decide"  # cancel receipts, decide refunds/set-offs, approve write-offs
    RUN_BATCHES = "interfaces.run_batches"  # plans and notices, slips, 督促状, 延滞金 recomputation
    MANAGE_KEYS = "privacy.manage_keys"  # rotate, re-encrypt and retire personal-number keys
    # 団体内統合宛名番号 ↔ 宛名 for the 中間サーバ side (issue 13 §1; ADR 0006)
    LINK_INTEGRATED_NUMBER = "privacy.link_integrated_number"
    JUKINET_LOOKUP = "jukinet.lookup"  # 住基ネット 本人確認情報照会 (IN-09; issue 13 §3)
    # a section head's request for a new account or a role change in their office (issue 14 §4, SEC-05)
    REQUEST_ACCOUNTS = "accounts.request_accounts"
    # the 15 transfers as registered definitions (issue 13 §4, SEC-28; ADR 0006)
    REGISTER_TRANSFERS = "transfers.register"  # register the catalogue's definitions and their new versions
    APPROVE_TRANSFER = "transfers.approve"  # record a side's approval (決裁) of a definition's version
    EXECUTE_TRANSFER = "transfers.execute"  # carry out a transfer: a file, a lookup, a paper 移転票
    # 情報照会 through the 中間サーバ (issue 13 §2, SEC-29): a role of its own (INQUIRY_CLERK)
    INQUIRE = "inquiries.inquire"
    # 受付票 of inquiries and complaints about personal information (SEC-38; issue 15 §4)
    RECORD_PRIVACY_INQUIRY = "rights.record_inquiry"  # record an inquiry, its answer and follow-up
    VIEW_PRIVACY_INQUIRIES = "rights.view_inquiries"  # search and read the 受付票 (auditors too)
    # 開示請求・訂正請求・利用停止請求 (issue 15 §3): the clerk receives and prepares, a supervisor approves
    REGISTER_DISCLOSURE = "disclosure.register"  # 受付, 決定案, 延長, 開示文書の作成, 実施の記録
    APPROVE_DISCLOSURE = "disclosure.approve"  # approve a decision prepared by someone else (four-eyes)
    # retention (issue 15 §5): the plan (kinds, periods, what has expired) and the purge that deletes it
    VIEW_RETENTION = "retention.view_plan"
    PURGE_EXPIRED = "retention.purge"


PERM_LABELS: dict[Perm, str] = {
    Perm.VIEW_PERSON: "宛名の照会",
    Perm.VIEW_PERSONAL_NUMBER: "個人番号の表示",
    Perm.SEARCH_BY_PERSONAL_NUMBER: "個人番号による検索",
    Perm.REGISTER_PERSONAL_NUMBER: "個人番号の登録",
    Perm.CONFIRM_PERSONAL_NUMBER: "個人番号の確認",
    Perm.IMPORT_FILES: "ファイルの取込・送信",
    Perm.VIEW_AUDIT: "監査ログの閲覧",
    Perm.ACKNOWLEDGE_ALERTS: "監査警告の確認",
    Perm.RECORD_AUDIT_REVIEW: "監査ログの月次点検の記録",
    Perm.MANAGE_STAFF: "職員アカウントの管理",
    Perm.ENTER_NOTIFICATION: "届出の入力",
    Perm.CONFIRM_NOTIFICATION: "届出の再鑑",
    Perm.ENTER_APPLICATION: "申請の受付",
    Perm.CONFIRM_APPLICATION: "申請の再鑑",
    Perm.ISSUE_CERTIFICATE: "資格確認書等の発行",
    Perm.DECIDE_COLLECTION: "収納の決定(取消・還付・充当・不納欠損の承認)",
    Perm.RUN_BATCHES: "一括処理の実行(期割・通知書・納付書・督促状・延滞金)",
    Perm.MANAGE_KEYS: "個人番号暗号鍵の管理",
    Perm.LINK_INTEGRATED_NUMBER: "団体内統合宛名番号の対応付け(中間サーバ連携)",
    Perm.JUKINET_LOOKUP: "住基ネット本人確認情報の照会",
    Perm.REQUEST_ACCOUNTS: "職員アカウントの申請(所属長)",
    Perm.REGISTER_TRANSFERS: "移転定義の登録",
    Perm.APPROVE_TRANSFER: "移転定義の承認(決裁の記録)",
    Perm.EXECUTE_TRANSFER: "特定個人情報の移転の実行",
    Perm.INQUIRE: "中間サーバによる情報照会",
    Perm.RECORD_PRIVACY_INQUIRY: "個人情報に関する問合せ受付票の記録",
    Perm.VIEW_PRIVACY_INQUIRIES: "個人情報に関する問合せ受付票の閲覧",
    Perm.REGISTER_DISCLOSURE: "開示・訂正・利用停止請求の受付と決定案の作成",
    Perm.APPROVE_DISCLOSURE: "開示・訂正・利用停止の決定の承認",
    Perm.VIEW_RETENTION: "保存期間と消去対象の確認",
    Perm.PURGE_EXPIRED: "保存期間を過ぎた記録の消去",
}


class Role(StrEnum):
    COUNTER_CLERK = "counter_clerk"
    NUMBER_CLERK = "number_clerk"
    SUPERVISOR = "supervisor"
    SYSTEM_ADMIN = "system_admin"
    AUDITOR = "auditor"
    INQUIRY_CLERK = "inquiry_clerk"


ROLE_LABELS: dict[Role, str] = {
    Role.COUNTER_CLERK: "窓口担当(個人番号なし)",
    Role.NUMBER_CLERK: "個人番号取扱担当",
    Role.SUPERVISOR: "審査・監督者",
    Role.SYSTEM_ADMIN: "システム管理者",
    Role.AUDITOR: "監査担当",
    Role.INQUIRY_CLERK: "情報照会担当(中間サーバ)",
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.COUNTER_CLERK: frozenset(
        {Perm.VIEW_PERSON, Perm.ENTER_NOTIFICATION, Perm.ENTER_APPLICATION, Perm.ISSUE_CERTIFICATE,
         Perm.RECORD_PRIVACY_INQUIRY, Perm.VIEW_PRIVACY_INQUIRIES, Perm.REGISTER_DISCLOSURE}
    ),
    Role.NUMBER_CLERK: frozenset(
        {
            Perm.VIEW_PERSON,
            Perm.VIEW_PERSONAL_NUMBER,
            Perm.SEARCH_BY_PERSONAL_NUMBER,
            Perm.REGISTER_PERSONAL_NUMBER,
            Perm.LINK_INTEGRATED_NUMBER,
            Perm.JUKINET_LOOKUP,
            Perm.ENTER_NOTIFICATION,
            Perm.ENTER_APPLICATION,
            Perm.ISSUE_CERTIFICATE,
            Perm.EXECUTE_TRANSFER,
            Perm.RECORD_PRIVACY_INQUIRY,
            Perm.VIEW_PRIVACY_INQUIRIES,
            Perm.REGISTER_DISCLOSURE,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Perm.VIEW_PERSON,
            Perm.VIEW_PERSONAL_NUMBER,
            Perm.SEARCH_BY_PERSONAL_NUMBER,
            Perm.REGISTER_PERSONAL_NUMBER,
            Perm.CONFIRM_PERSONAL_NUMBER,
            Perm.LINK_INTEGRATED_NUMBER,
            Perm.JUKINET_LOOKUP,
            Perm.ENTER_NOTIFICATION,
            Perm.CONFIRM_NOTIFICATION,
            Perm.ENTER_APPLICATION,
            Perm.CONFIRM_APPLICATION,
            Perm.ISSUE_CERTIFICATE,
            Perm.DECIDE_COLLECTION,
            # the section head of kouki's roles: requests accounts and role changes for their office,
            # which the system administrator approves (issue 14 §4; ADR 0006)
            Perm.REQUEST_ACCOUNTS,
            Perm.APPROVE_TRANSFER,
            Perm.EXECUTE_TRANSFER,
            Perm.RECORD_PRIVACY_INQUIRY,
            Perm.VIEW_PRIVACY_INQUIRIES,
            Perm.REGISTER_DISCLOSURE,
            Perm.APPROVE_DISCLOSURE,
        }
    ),
    # The administrator runs the system; business data with personal numbers is not theirs to see.
    # Batches and file exchanges run on the batch calendar under the administrator's name (SEC-13, SEC-16).
    Role.SYSTEM_ADMIN: frozenset(
        {Perm.IMPORT_FILES, Perm.RUN_BATCHES, Perm.MANAGE_KEYS, Perm.MANAGE_STAFF, Perm.REGISTER_TRANSFERS,
         Perm.VIEW_RETENTION, Perm.PURGE_EXPIRED}
    ),
    # auditors see what is kept how long and what the purge would delete; only the administrator purges
    Role.AUDITOR: frozenset({Perm.VIEW_AUDIT, Perm.ACKNOWLEDGE_ALERTS, Perm.VIEW_PRIVACY_INQUIRIES,
                             Perm.VIEW_RETENTION, Perm.RECORD_AUDIT_REVIEW}),
    # 情報照会 (issue 13 §2; SEC-29): authenticated and permitted apart from the rest, as the 中間サーバ's own
    # 職員認証・権限管理 [PIA L239–282 ⑨]. Whoever inquires maps the person to the 団体内統合宛名番号
    # (the only key the 中間サーバ side knows) and sees the person; nothing else, no personal number.
    Role.INQUIRY_CLERK: frozenset({Perm.VIEW_PERSON, Perm.LINK_INTEGRATED_NUMBER, Perm.INQUIRE}),
}


def role_has(role: str, perm: Perm) -> bool:
    try:
        return perm in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False
