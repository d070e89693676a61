"""The audit vocabulary: every action and target type written anywhere in kouki is a named member.

The scan reads kouki/ (not tests: they write `test.*` rows to exercise the chain) and fails on any
audit_record / AuditItem call whose action or target type is a string literal, an f-string or any
expression other than a vocabulary member or a typed variable (which mypy checks).
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from django.db import transaction

from kouki.core.audit_vocabulary import ACTION_LABELS, TARGET_LABELS, AuditAction, AuditTarget
from kouki.privacy.audit import AuditItem, audit_record, audit_record_many, verify_chain
from kouki.privacy.context import Actor
from kouki.privacy.models import AuditEntry

KOUKI = Path(__file__).resolve().parents[2] / "kouki"
ENUMS = {"AuditAction": AuditAction, "AuditTarget": AuditTarget}


def _audit_calls() -> list[tuple[str, int, str, ast.expr | None]]:
    """(file, line, field, argument) for the action and target type of every audit call in kouki/."""
    found = []
    for path in sorted(KOUKI.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", "") or getattr(func, "attr", "")
            if name not in {"audit_record", "AuditItem"}:
                continue
            keywords = {k.arg: k.value for k in node.keywords}
            for position, field in enumerate(("action", "target_type")):
                arg = keywords.get(field, node.args[position] if len(node.args) > position else None)
                found.append((str(path.relative_to(KOUKI.parent)), node.lineno, field, arg))
    return found


def test_the_scan_sees_the_audit_calls() -> None:
    calls = _audit_calls()
    assert len({(f, line) for f, line, _, _ in calls}) > 70  # every module that audits (78 calls today)


def test_every_action_and_target_written_in_kouki_is_a_vocabulary_member() -> None:
    wrong = []
    for file, line, field, arg in _audit_calls():
        if arg is None:
            if field == "action":
                wrong.append(f"{file}:{line} no action")
            continue  # target type defaults to AuditTarget.NONE
        if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and arg.value.id in ENUMS:
            enum = ENUMS[arg.value.id]
            expected = AuditAction if field == "action" else AuditTarget
            if enum is not expected or arg.attr not in enum.__members__:
                wrong.append(f"{file}:{line} {field}={ast.unparse(arg)}")
        elif not isinstance(arg, ast.Name | ast.Subscript):
            # literals, f-strings, concatenations: only members (or variables typed as members) may go in
            wrong.append(f"{file}:{line} {field}={ast.unparse(arg)}")
    assert wrong == []


@pytest.mark.parametrize("enum", [AuditAction, AuditTarget])
def test_values_are_unique_and_labelled(enum: type[AuditAction] | type[AuditTarget]) -> None:
    # a repeated value would silently make an alias: every name must be its own member
    assert len(enum.__members__) == len(list(enum))
    labels = ACTION_LABELS if enum is AuditAction else TARGET_LABELS
    assert set(labels) == set(enum)
    assert all(member.label.strip() for member in enum)
    assert len({member.label for member in enum}) == len(list(enum))


def test_names_spell_the_stored_values() -> None:
    for member in AuditAction:
        assert member.name == member.value.upper().replace(".", "_"), member


def test_members_are_the_stored_strings() -> None:
    assert AuditAction.ADDRESSEE_CHANGE_APPLY == "addressee.change_apply"
    assert AuditAction("receipt_record") is AuditAction.RECEIPT_RECORD
    assert AuditTarget.PERSON == "person" and AuditTarget.ADDRESSEES_PERSON == "addressees.Person"
    assert AuditTarget.NONE == ""
    assert json.dumps(AuditAction.LOGOUT) == json.dumps("logout")


@pytest.mark.django_db
def test_rows_written_with_members_hold_the_plain_strings_and_verify() -> None:
    actor = Actor(username="clerk01", terminal_id="T-0101", user_id=1)
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.KEYS_ROTATE, target_type=AuditTarget.KEYRING,
                     target_id="k2")
        audit_record_many(actor=actor, items=[
            AuditItem(AuditAction.RECEIPT_RECORD, AuditTarget.RECEIPT, "7"),
        ])
        audit_record(actor=actor, action=AuditAction.LOGOUT)
    rows = list(AuditEntry.objects.order_by("seq").values_list("action", "target_type", "target_id"))
    assert rows == [("keys.rotate", "keyring", "k2"), ("receipt_record", "Receipt", "7"), ("logout", "", "")]
    assert all(type(v) is str for row in rows for v in row)
    assert list(verify_chain()) == []
    assert AuditEntry.objects.filter(action="receipt_record").count() == 1
