"""ファイル取込: a member of staff holding Perm.IMPORT_FILES takes in a counterpart file of a chosen kind.

The kinds and their importers are the ones `kouki import KIND FILE` uses (kouki.interfaces.import_kinds);
the file is taken in as the signed-in member of staff (ImportRecord.imported_by and the audit row name
them). Rejected: every error with file, line, field and reason, and nothing changed. The history lists
every ImportRecord. Nothing shown here holds a personal number (reasons and file names are redacted).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from kouki.accounts.permissions import Jimu, Perm
from kouki.collection.web_selectors import staff_names
from kouki.core.paging import page_of
from kouki.interfaces.field_labels import field_label
from kouki.interfaces.import_kinds import record_kind_label
from kouki.interfaces.importing import ImportOutcome, LineError, WrongFileKind
from kouki.interfaces.selectors import imports_newest_first
from kouki.privacy.redaction import redact
from kouki.stores.models import WorkKind
from kouki.web.access import actor_for, staff_view
from kouki.web.import_forms import ImportForm
from kouki.web.import_upload import take_in_upload

SHOWN_LINES = 200
WRONG_KIND = "選択した種類のファイルではありません(ファイルの見出しを確認してください)。何も変更していません"
HISTORY_ROWS = 100

COUNT_LABELS: dict[str, str] = {
    "stored_numbers": "個人番号を登録",
    "pending_numbers": "個人番号を確認リストへ(既存と異なる番号など)",
    "created": "所得・課税情報の新規",
    "replaced": "所得・課税情報の訂正",
    "stale": "履歴として残した以前の決定",
    "booked": "速報による収納",
    "confirmed": "確報による確定",
    "cancelled": "取消",
    "debited": "振替済",
    "failed": "振替不能",
    "receipts": "記録した収納",
    "failed_instalments": "振替不能となった期別",
    "slips": "発行した納付書",
    "deducted": "特別徴収済",
    "not_deducted": "特別徴収できなかった期(未徴収一覧へ)",
}


def count_label(name: str) -> str:
    if name.startswith("work_"):
        code = name.removeprefix("work_")
        if code in WorkKind.values:
            return f"要確認: {WorkKind(code).label}"
    return COUNT_LABELS.get(name, "その他")


@dataclass(frozen=True)
class ShownLine:
    line: int
    field: str
    reason: str


def _shown(errors: list[LineError]) -> list[ShownLine]:
    return [ShownLine(e.line, field_label(e.field), redact(e.reason)) for e in errors[:SHOWN_LINES]]


def _result(outcome: ImportOutcome) -> dict[str, object]:
    summary = outcome.summary
    return {
        "outcome": outcome.outcome.value,
        "file_name": redact(outcome.file_name),
        "record": outcome.import_record,
        "line_count": outcome.line_count,
        "record_count": outcome.record_count,
        "applied": summary.applied if summary else 0,
        "skipped": summary.skipped if summary else 0,
        "counts": [(count_label(k), v) for k, v in sorted(summary.counts.items())] if summary else [],
        "errors": _shown(outcome.errors),
        "error_count": len(outcome.errors),
        "warnings": _shown(outcome.warnings),
        "warning_count": len(outcome.warnings),
        "more_lines": SHOWN_LINES,
    }


@staff_view(permission=Perm.IMPORT_FILES, business_function=Jimu.INCIDENTAL)
def import_view(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            outcome = take_in_upload(form.chosen_kind(), form.cleaned_data["file"], actor=actor_for(request))
        except WrongFileKind:
            form.add_error("kind", WRONG_KIND)
        else:
            result = _result(outcome)
            form = ImportForm()
    return render(request, "web/imports.html", {"form": form, "result": result})


@dataclass(frozen=True)
class HistoryRow:
    imported_at: object
    who: str
    kind: str
    file_name: str
    line_count: int
    applied_count: int
    error_count: int
    warning_count: int
    status: str
    rejected: bool


def _who(username: str, names: dict[str, str]) -> str:
    if username.startswith("system:"):
        return "自動処理(実行者の記録なし)"
    return names.get(username, username)  # the name; a removed account keeps its username


@staff_view(permission=Perm.IMPORT_FILES, business_function=Jimu.INCIDENTAL, methods=("GET",))
def import_history_view(request: HttpRequest) -> HttpResponse:
    listed = page_of(request, imports_newest_first(), per_page=HISTORY_ROWS)  # paged in the database
    records = listed.rows
    names = staff_names(r.imported_by for r in records)
    rows = [
        HistoryRow(r.imported_at, _who(r.imported_by, names), record_kind_label(r.kind), redact(r.file_name),
                   r.line_count, r.applied_count, r.error_count, r.warning_count, r.get_status_display(),
                   r.status == "rejected")
        for r in records
    ]  # fmt: skip
    return render(request, "web/imports_history.html",
                  {"rows": rows, "page": listed.page, "page_query": listed.query})
