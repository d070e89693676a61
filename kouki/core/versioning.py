"""Optimistic locking of edit forms (issue 16 §5): two staff on the same record never lose an update.

A record that staff edit from a screen carries a `version` (version_field()). The edit form sends back, in
a hidden field, the version it was shown with; the service locks the row (select_for_update), calls
check_version(row.version, seen) and, when it writes, bump(row). A submit made from a page opened before
somebody else's change is refused with STALE_MESSAGE and changes nothing.

`seen=None` means "no form was involved" (a `kouki` command run by one operator): nothing to compare.
The same check serves a form that guards a computed state rather than a row (the open overpayment that a
refund decision spends): pass the value the page showed and the value now.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.db import models

STALE_MESSAGE = "他の職員が先に更新しました。画面を開き直してください"


class StaleEdit(Exception):
    """The form was opened before another staff member changed the record; nothing was written."""

    def __init__(self) -> None:
        super().__init__(STALE_MESSAGE)


class Versioned(Protocol):
    version: int


def version_field() -> Any:
    """The column: 0 when created (also by bulk inserts that name their columns: db_default), +1 on every
    change made through a screen's service."""
    return models.PositiveIntegerField("版", default=0, db_default=0, editable=False)


def check_version(current: object, seen: object | None) -> None:
    """Refuse (StaleEdit) when the form saw another version than the (locked) row has now."""
    if seen is not None and seen != current:
        raise StaleEdit


def bump(row: Versioned) -> str:
    """The row's next version; returns the field name for save(update_fields=[...])."""
    row.version += 1
    return "version"
