"""Every kind of document kouki prints, and rendering by kind: one PDF, or a batch of files.

`KINDS` is the registry: each document module declares its `KIND` (a `DocumentKind`: name = file stem,
PDF title, the function that draws one page, page size, batch sizes) and is listed here. Render with

    render_pdf(reminder.KIND, items)                   # one PDF in this process (bytes)
    render_batch(premium_notice.KIND, items, out_dir)  # <name>-001.pdf … in parallel worker processes

or by key instead of the kind: its name ("tokusokujo") or, for the union's certificates, the certificate
kind code of the issue file and the issue records ("1" 資格確認書, "2" 資格情報のお知らせ).

Adding a document kind (say a 申請受付票, an application receipt):
1. data: a frozen dataclass of plain values (no Django, no personal number field), in its own module or
   beside its drawing;
2. drawing: kouki/documents/<name>.py with `draw(c, data)` drawing one page from the blocks of
   kouki.documents.letter (`letter_head`, `heading`, `grid`, `footer`), the canvas helpers of
   kouki.documents.drawing, dates by kouki.rules.wareki and money by kouki.rules.formatting; then
       KIND: DocumentKind[ReceiptData] = DocumentKind("shinsei-uketsukehyo", TITLE, draw, PAGE_SIZE)
   (a booklet of several pages per item also gives `pages=`; a kind printed in large runs may set
   `part_size` and `min_part`);
3. register: add `<name>.KIND` to `KINDS` below;
4. test: pdftotext of a rendered sample shows its text, the font is embedded, the same data give the same
   bytes (tests/documents).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar, Unpack

from kouki.documents import (
    application_receipt,
    benefit_notice,
    counter_receipt,
    disclosure_decision,
    disclosure_notice,
    disclosure_package,
    monthly_review,
    payment_certificate,
    payment_slip,
    premium_change_notice,
    premium_notice,
    refund_notice,
    relief_notice,
    reminder,
    shikaku_joho_oshirase,
    shikaku_kakuninsho,
    transfer_slip,
)
from kouki.documents.batch import BatchOptions, RenderedFile, render_files
from kouki.documents.pages import DocumentKind
from kouki.rules.union_codes import CertificateKind

T = TypeVar("T")

KINDS: dict[str, DocumentKind[Any]] = {
    kind.name: kind
    for kind in (
        shikaku_kakuninsho.KIND,  # 資格確認書
        shikaku_joho_oshirase.KIND,  # 資格情報のお知らせ
        premium_notice.KIND,  # 保険料額決定通知書
        premium_change_notice.KIND,  # 保険料額変更決定通知書
        payment_slip.KIND,  # 納付書 (a booklet: one page per instalment)
        reminder.KIND,  # 督促状
        payment_certificate.KIND,  # 保険料納付確認書
        refund_notice.KIND,  # 還付通知書
        counter_receipt.KIND,  # 領収証書 (A5)
        application_receipt.KIND,  # 申請受付票(控え)
        benefit_notice.PAYMENT_KIND,  # 支給決定通知書 (療養費, 葬祭費, 高額療養費)
        benefit_notice.REFUSAL_KIND,  # 不支給・却下決定通知書
        relief_notice.REDUCTION_KIND,  # 保険料減免決定通知書
        relief_notice.DEFERRAL_KIND,  # 保険料徴収猶予決定通知書
        transfer_slip.KIND,  # 移転票 (paper transfers)
        monthly_review.KIND,  # 監査ログ月次点検報告書 (issue 15 §1)
        disclosure_package.KIND,  # 保有個人情報開示文書(写し)
        disclosure_notice.KIND,  # 開示決定等期限延長通知書
        disclosure_decision.KIND,  # 開示決定等通知書 (開示・訂正・利用停止の決定)
    )
}
# The union's certificate kinds, by the code its issue file and kouki's issue records carry.
CERTIFICATE_KINDS: dict[CertificateKind, DocumentKind[Any]] = {
    CertificateKind.CERTIFICATE: shikaku_kakuninsho.KIND,
    CertificateKind.NOTICE: shikaku_joho_oshirase.KIND,
}
DEFAULT_PART_SIZE = shikaku_kakuninsho.KIND.part_size  # pages per file of a certificate batch


def kind_of(kind: DocumentKind[T] | str) -> DocumentKind[T]:
    """The kind itself, the kind of that name, or the certificate kind of that code; KeyError if none."""
    if isinstance(kind, DocumentKind):
        return kind
    if kind in KINDS:
        return KINDS[kind]
    try:
        return CERTIFICATE_KINDS[CertificateKind(kind)]
    except ValueError:
        raise KeyError(f"no document kind {kind!r}") from None


def file_stem(kind: DocumentKind[Any] | str) -> str:
    return kind_of(kind).name


def render_pdf(kind: DocumentKind[T] | str, items: Iterable[T]) -> bytes:
    """All items, one page each (or each item's pages), in one PDF (in this process)."""
    return kind_of(kind).render(items)


def render_batch(
    kind: DocumentKind[T] | str, items: Sequence[T], out_dir: Path, stem: str | None = None,
    **options: Unpack[BatchOptions],
) -> list[RenderedFile]:  # fmt: skip
    """Render items into out_dir/<stem>-NNN.pdf files (kouki.documents.batch: `workers`, `part_size`)."""
    return render_files(kind_of(kind), items, out_dir, stem, **options)
