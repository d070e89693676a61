"""`kouki audit`: the sealed audit and reference logs (issue 14 §1, docs/operations/audit-trail.md).

    kouki audit verify [--checkpoint-file FILE]   keys, links, sequence, checkpoints, database guards
    kouki audit checkpoint --as USER              append a sealed checkpoint of both heads to the file
    kouki audit search … --as USER                the auditor's desk: search the trails (audit_desk.py)
    kouki audit person ADDRESSEE_NO --as USER     who saw this person's number, and why

verify exits 0 when everything holds (warnings are printed: no checkpoint file, a database role that may
change the logs), 1 when a row, a checkpoint line or a guard fails, naming the first bad row per log.
checkpoint runs as a staff member holding RUN_BATCHES (or $KOUKI_BATCH_USER); scheduled after each batch
and at least daily.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kouki.accounts.permissions import Perm
from kouki.commands.audit_desk import register_desk
from kouki.commands.audit_review import register_review_commands
from kouki.commands.operator import add_operator_argument, command_actor


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="監査ログ (audit log)")
    audit_sub = p.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="監査ログ・参照記録の改ざん検査 (verify both chains)")
    verify.add_argument("--batch-size", type=int, default=5000)
    verify.add_argument("--checkpoint-file", type=Path, default=None,
                        help="checkpoint file to check against (default: $KOUKI_AUDIT_CHECKPOINT_FILE; "
                             "after a restore: the copy taken with the backup)")
    verify.set_defaults(handler=run_verify)
    checkpoint = audit_sub.add_parser("checkpoint", help="チェックポイントを記録する (seal the heads)")
    add_operator_argument(checkpoint, Perm.RUN_BATCHES)
    checkpoint.set_defaults(handler=run_checkpoint)
    register_review_commands(audit_sub)  # monthly-report, review (issue 15 §1)
    register_desk(audit_sub)


def run_verify(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.privacy.integrity import verify_all
    from kouki.privacy.keys import KeyringError

    try:
        report = verify_all(batch_size=args.batch_size, checkpoint_file=args.checkpoint_file)
    except KeyringError as exc:
        raise CommandError(f"cannot verify without the audit keys: {exc}") from None
    for chain, tally in report.tallies.items():
        head = f", head seq {tally.head_seq} hash {tally.head_hash}" if tally.rows else ""
        print(f"{chain} log: {tally.rows} rows{head}")
    if report.checkpoint is not None:
        cp = report.checkpoint
        print(f"last checkpoint: line {cp.line} of {report.checkpoint_file} at {cp.at}, "
              + ", ".join(f"{c} seq {a.seq}" for c, a in cp.heads.items()))
    for warning in report.warnings:
        print(f"WARNING: {warning}")
    if report.ok:
        print("OK: chains intact under the audit key, no sequence gap, database guards in place"
              + (", consistent with the last checkpoint" if report.checkpoint else ""))
        return 0
    for problem in sorted(report.problems, key=lambda p: (p.chain, p.seq)):
        print(str(problem))
    for text in report.other_problems:
        print(text)
    for problem in report.first_bad_rows():
        print(f"first bad row: {problem}")
    print(f"FAILED: {len(report.problems) + len(report.other_problems)} problems")
    return 1


def run_checkpoint(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    setup_django()
    from kouki.privacy.checkpoint import CheckpointError, write_checkpoint
    from kouki.privacy.keys import KeyringError

    actor = command_actor(args, "audit checkpoint")
    try:
        result = write_checkpoint(actor=actor)
    except (CheckpointError, KeyringError, OSError) as exc:
        raise CommandError(str(exc)) from None
    if result.problems:
        for problem in result.problems:
            print(str(problem))
        print("FAILED: no checkpoint written; run `kouki audit verify` and investigate")
        return 1
    print(f"checkpoint appended to {result.path}: "
          + ", ".join(f"{c} seq {a.seq}" for c, a in result.heads.items()))
    return 0
