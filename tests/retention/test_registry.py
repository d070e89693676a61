"""The registry of kinds (issue 15 §5): every table and clock exists, every kind names its basis and source,
the legal 7 years is the inquiries' own, nothing of premiums or assessment is purgeable (DATA-02), the audit
chain is never purged, and docs/operations/retention.md lists every kind."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.db import models

from kouki.inquiries.services import RETENTION_YEARS
from kouki.retention.registry import KINDS, KINDS_BY_KEY, KOUKI_RETENTION
from kouki.rules.retention import Period

DOC = Path(__file__).resolve().parents[2] / "docs" / "operations" / "retention.md"
PERMANENT_APPS = {"assessment", "collection", "income", "slips", "arrears", "banking", "addressees"}


def test_every_table_and_clock_exists_and_every_kind_names_its_basis() -> None:
    assert len(KINDS_BY_KEY) == len(KINDS)
    for kind in KINDS:
        assert kind.basis and kind.source, kind.key
        assert kind.targets or kind.files or kind.never, kind.key
        for target in kind.targets:
            model = apps.get_model(target.model)
            assert isinstance(model._meta.get_field(target.clock), models.DateField), target
            for label, name in target.children:
                assert apps.get_model(label)._meta.get_field(name).related_model is model


def test_the_seven_years_are_the_inquiries_own_and_a_minimum() -> None:
    kind = KINDS_BY_KEY["inquiry_records"]
    assert kind.default == kind.minimum == Period(RETENTION_YEARS, "y")


def test_only_sourced_periods_have_a_default() -> None:
    with_default = {k.key for k in KINDS if k.default is not None}
    assert with_default == {"inquiry_records", "sessions"}  # 施行令30条; an expired session records nothing


def test_no_premium_or_assessment_record_can_be_purged() -> None:  # DATA-02
    labels = {t.model for k in KINDS if not k.never for t in k.targets}
    labels |= {c for k in KINDS if not k.never for t in k.targets for c, _ in t.children}
    assert not {label.split(".")[0] for label in labels} & PERMANENT_APPS
    assert {"audit_log", "reference_log", "personal_numbers", "premium_records"} <= {
        k.key for k in KINDS if k.never}
    assert KINDS_BY_KEY["inquiry_results"].setting == "KOUKI_INQUIRY_RESULT_DAYS"
    assert all(k.setting == KOUKI_RETENTION for k in KINDS if k.key != "inquiry_results")


@pytest.mark.parametrize("kind", [k.key for k in KINDS])
def test_the_operations_page_lists_the_kind(kind: str) -> None:
    assert f"`{kind}`" in DOC.read_text(encoding="utf-8")
