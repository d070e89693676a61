"""Writes of the addressee registry, as the other apps import them: resident-register changes (住基異動)
with history, one at a time (`addressees.changes`) or a whole file at once (`addressees.changes_bulk`),
and 住登外者 (`addressees.nonresident`). Which versions a change closes, supersedes or inserts is decided
once, by the pure history rules (`kouki.rules.history`); the two change modules only execute them.
"""

from __future__ import annotations

from kouki.addressees.changes import ChangeApplied, ChangeNotApplicable, resident_change_apply
from kouki.addressees.changes_bulk import ChangeNotApplicableAt, resident_changes_apply_many
from kouki.addressees.nonresident import nonresident_register

__all__ = [
    "ChangeApplied",
    "ChangeNotApplicable",
    "ChangeNotApplicableAt",
    "nonresident_register",
    "resident_change_apply",
    "resident_changes_apply_many",
]
