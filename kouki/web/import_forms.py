"""Form of the 取込 screen: the kind of file (from the shared registry) and the file, checked in Japanese
next to their fields."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

from kouki.core.config import import_upload_max_bytes
from kouki.interfaces.import_kinds import KINDS, KINDS_BY_NAME, ImportKind


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}MB" if size >= 1024 * 1024 else f"{size:,}バイト"


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="ファイルの種類",
        choices=[("", "選択してください"), *((k.name, k.label) for k in KINDS)],
        error_messages={
            "required": "ファイルの種類を選択してください",
            "invalid_choice": "ファイルの種類を一覧から選択してください",
        },
    )
    file = forms.FileField(
        label="ファイル",
        error_messages={
            "required": "取り込むファイルを選択してください",
            "empty": "ファイルが空です",
            "invalid": "ファイルを受け取れませんでした",
        },
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["file"].help_text = f"上限 {_megabytes(import_upload_max_bytes())}"

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        limit = import_upload_max_bytes()
        if upload.size is not None and upload.size > limit:
            raise forms.ValidationError(f"ファイルが大きすぎます(上限 {_megabytes(limit)})")
        return upload

    def chosen_kind(self) -> ImportKind:
        return KINDS_BY_NAME[self.cleaned_data["kind"]]
