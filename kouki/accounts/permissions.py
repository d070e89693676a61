"""Named permissions and the roles that hold them (SEC-01…SEC-06). Roles are code, reviewed like code.

A role is a fixed set of permissions; each staff account has exactly one role. Changing what a role
may do is a code change with a review, not a click in a screen (ADR 0004).
"""

from __future__ import annotations

from enum import StrEnum


class Perm(StrEnum):
    VIEW_PERSON = "addressees.view_person"
    VIEW_PERSONAL_NUMBER = "privacy.view_personal_number"
    SEARCH_BY_PERSONAL_NUMBER = "privacy.search_by_personal_number"
    REGISTER_PERSONAL_NUMBER = "privacy.register_personal_number"
    CONFIRM_PERSONAL_NUMBER = "privacy.confirm_personal_number"
    IMPORT_FILES = "interfaces.import_files"
    VIEW_AUDIT = "privacy.view_audit"
    MANAGE_STAFF = "accounts.manage_staff"
    ENTER_NOTIFICATION = "notifications.enter_notification"
    CONFIRM_NOTIFICATION = "notifications.confirm_notification"
    ISSUE_CERTIFICATE = "certificates.issue_certificate"
    DECIDE_COLLECTION = "collection.decide"  # cancel receipts, decide refunds/set-offs, approve write-offs


class Role(StrEnum):
    COUNTER_CLERK = "counter_clerk"
    NUMBER_CLERK = "number_clerk"
    SUPERVISOR = "supervisor"
    SYSTEM_ADMIN = "system_admin"
    AUDITOR = "auditor"


ROLE_LABELS: dict[Role, str] = {
    Role.COUNTER_CLERK: "窓口担当(個人番号なし)",
    Role.NUMBER_CLERK: "個人番号取扱担当",
    Role.SUPERVISOR: "審査・監督者",
    Role.SYSTEM_ADMIN: "システム管理者",
    Role.AUDITOR: "監査担当",
}

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.COUNTER_CLERK: frozenset({Perm.VIEW_PERSON, Perm.ENTER_NOTIFICATION, Perm.ISSUE_CERTIFICATE}),
    Role.NUMBER_CLERK: frozenset(
        {
            Perm.VIEW_PERSON,
            Perm.VIEW_PERSONAL_NUMBER,
            Perm.SEARCH_BY_PERSONAL_NUMBER,
            Perm.REGISTER_PERSONAL_NUMBER,
            Perm.ENTER_NOTIFICATION,
            Perm.ISSUE_CERTIFICATE,
        }
    ),
    Role.SUPERVISOR: frozenset(
        {
            Perm.VIEW_PERSON,
            Perm.VIEW_PERSONAL_NUMBER,
            Perm.SEARCH_BY_PERSONAL_NUMBER,
            Perm.REGISTER_PERSONAL_NUMBER,
            Perm.CONFIRM_PERSONAL_NUMBER,
            Perm.ENTER_NOTIFICATION,
            Perm.CONFIRM_NOTIFICATION,
            Perm.ISSUE_CERTIFICATE,
            Perm.DECIDE_COLLECTION,
        }
    ),
    # The administrator runs the system; business data with personal numbers is not theirs to see.
    Role.SYSTEM_ADMIN: frozenset({Perm.IMPORT_FILES, Perm.MANAGE_STAFF}),
    Role.AUDITOR: frozenset({Perm.VIEW_AUDIT}),
}


def role_has(role: str, perm: Perm) -> bool:
    try:
        return perm in ROLE_PERMISSIONS[Role(role)]
    except ValueError:
        return False
