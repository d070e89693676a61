"""`kouki certificates batch --as USER`: the yearly (and any later) 資格確認書・資格情報のお知らせ batch.

Issues every pending 資格確認書発行用情報 request from the union into PDFs under
<outbox>/batch-<timestamp>/ (one file per kind, in mailing order), records each issue and writes the
audit rows (kouki.certificates.services.certificate_batch_issue) as USER, a member of staff holding
certificates.issue_certificate (as on the certificate screens). Prints each step and a summary:
documents by kind and the files written. Mailing and returns are then followed on the screen
「資格確認書 一括発行・返戻」. Nothing printed contains a personal number: counts and file names only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kouki.accounts.permissions import Perm
from kouki.cli import CommandError
from kouki.commands.operator import add_operator_argument, command_actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("certificates", help="資格確認書等の一括発行 (certificate batch)")
    kinds = p.add_subparsers(dest="certificates", required=True)
    batch = kinds.add_parser("batch", help="一括発行: 発行依頼のある資格確認書等をPDFに作成し記録する")
    batch.add_argument("--outbox", type=Path, required=True,
                       help="PDFの出力先 (batch-日時 のフォルダを作ります)")
    batch.add_argument("--workers", type=int, default=None, help="並列で作成するプロセス数 (既定: CPU数)")
    add_operator_argument(batch, Perm.ISSUE_CERTIFICATE)
    batch.set_defaults(handler=run_batch)


def run_batch(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    if args.workers is not None and args.workers < 1:
        raise CommandError("--workers must be 1 or more")
    setup_django()
    from kouki.certificates.models import Kind
    from kouki.certificates.services import CertificateError, certificate_batch_issue

    actor = command_actor(args, "certificates batch")

    def progress(message: str) -> None:
        print(f"  {message}", flush=True)

    print("資格確認書等の一括発行を開始します")
    try:
        result = certificate_batch_issue(actor=actor, out_dir=args.outbox,
                                         workers=args.workers, progress=progress)
    except CertificateError as exc:
        raise CommandError(str(exc)) from None
    if result is None:
        print("発行依頼はありません。何も作成していません。")
        return 0
    print(f"一括発行 第{result.batch.pk}回: {result.issued}件 (交付年月日 {result.batch.issued_on})")
    for kind in Kind:
        print(f"  {kind.label}: {result.by_kind.get(kind.value, 0)}件")
    for path in result.files:
        print(f"wrote: {path}")
    sys.stdout.flush()
    return 0
