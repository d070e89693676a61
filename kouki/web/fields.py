"""Form fields shared by the staff screens."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone

from kouki.core.versioning import STALE_MESSAGE
from kouki.rules.wareki import InvalidDateInput, format_wareki_input, parse_date_input

DATE_HELP = "R8.4.1 または 2026-04-01(和暦・西暦のどちらでも)"


def today_typed() -> str:
    """Today as staff type it (R8.4.1), the initial value of a date input: 和暦 first (issue 11 §4)."""
    return format_wareki_input(timezone.localdate())


class WarekiDateField(forms.CharField):
    """A date typed as 2026-04-01 or R8.4.1 (kouki.rules.wareki.parse_date_input); the reason of
    InvalidDateInput is the field's error. Left blank where not required: None."""

    def __init__(
        self, label: str, *, required: bool = True, help_text: str = DATE_HELP, placeholder: str = "R8.4.1"
    ) -> None:
        super().__init__(
            label=label,
            required=required,
            max_length=20,
            help_text=help_text,
            widget=forms.TextInput(attrs={"placeholder": placeholder}),
        )

    def clean(self, value: object) -> date | None:  # type: ignore[override]
        text = str(super().clean(value)).strip()
        if not text:
            return None
        try:
            return parse_date_input(text)
        except InvalidDateInput as exc:
            raise forms.ValidationError(str(exc)) from None


class VersionField(forms.IntegerField):
    """The hidden version (or shown state) an edit form was opened with; the service compares it with the
    locked row (kouki.core.versioning.check_version). Missing or altered: the stale-edit message."""

    def __init__(self, *, required: bool = True) -> None:
        message = STALE_MESSAGE
        super().__init__(widget=forms.HiddenInput, required=required,
                         error_messages={"required": message, "invalid": message})
