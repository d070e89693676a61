"""kouki.web.fields.WarekiDateField: the one date field of the staff forms."""

from __future__ import annotations

from datetime import date

import pytest
from django import forms

from kouki.web.fields import WarekiDateField


class _Form(forms.Form):
    on = WarekiDateField("基準日")
    since = WarekiDateField("開始日", required=False, placeholder="S21.5.1")


@pytest.mark.parametrize("text", ["2026-04-01", "R8.4.1", " R8.4.1 "])
def test_a_typed_date_is_read_as_a_date(text: str) -> None:
    form = _Form(data={"on": text, "since": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"on": date(2026, 4, 1), "since": None}


def test_a_required_date_left_blank_and_a_wrong_date_are_field_errors() -> None:
    form = _Form(data={"on": "", "since": "R8.13.1"})
    assert not form.is_valid()
    assert set(form.errors) == {"on", "since"}


def test_the_field_renders_as_a_short_text_input_with_its_placeholder() -> None:
    html = str(_Form()["since"])
    assert 'placeholder="S21.5.1"' in html and 'maxlength="20"' in html
