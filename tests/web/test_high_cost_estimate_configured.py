"""The counter's 高額療養費の試算 with KOUKI_HIGH_COST_PARAMETERS: configured months are offered and used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings
from test_high_cost_parameters import table, write

from kouki.accounts.permissions import Role


@pytest.mark.django_db
def test_the_counter_estimate_offers_and_uses_configured_months(
    tmp_path: Path, client_as: Any
) -> None:
    client: Client = client_as(Role.COUNTER_CLERK)
    form = {"month": "2026-09", "income_class": "general_1", "m-TOTAL_FORMS": "4", "m-INITIAL_FORMS": "0",
            "m-MIN_NUM_FORMS": "0", "m-MAX_NUM_FORMS": "4", "m-0-label": "本人",
            "m-0-outpatient_cost": "250000"}  # fmt: skip
    refused = client.post("/high-cost/estimate/", form)
    assert "対応している月から選んでください" in refused.content.decode()
    with override_settings(KOUKI_HIGH_COST_PARAMETERS=str(write(tmp_path, {"2026-08": table()}))):
        page = client.post("/high-cost/estimate/", form).content.decode()
    assert "令和8年9月" in page and "5,000" in page


