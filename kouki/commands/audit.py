"""`kouki audit verify`: walk the hash chain of the audit log and report every broken row."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="監査ログ (audit log)")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="監査ログの改ざん検査 (verify the hash chain)")
    verify.add_argument("--batch-size", type=int, default=5000)
    verify.set_defaults(handler=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from kouki.privacy.audit import verify_report
    from kouki.privacy.models import AuditEntry

    rows, problems = verify_report(batch_size=args.batch_size)
    if not problems:
        print(f"OK: audit chain intact, {rows} rows")
        head = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
        if head is not None:
            # Recorded outside the database (e.g. in the operations log), the head shows a cut-off tail.
            print(f"head: seq {head.seq} hash {head.hash}")
        return 0
    for problem in problems:
        print(f"seq {problem.seq}: {problem.reason}")
    print(f"FAILED: {len(problems)} problems in {rows} rows")
    return 1
