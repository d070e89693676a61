"""The `kouki` command. Each subcommand lives in kouki/commands/<name>.py with `register(subparsers)`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from kouki.errors import CommandError

__all__ = ["CommandError", "main", "setup_django"]

COMMAND_MODULES = (
    "kouki.commands.db",
    "kouki.commands.synth",
    "kouki.commands.imports",
    "kouki.commands.batch",
    "kouki.commands.audit",
    "kouki.commands.alerts",
    "kouki.commands.keys",
    "kouki.commands.backup",
    "kouki.commands.staff",
    "kouki.commands.serve",
    "kouki.commands.demo",
    "kouki.commands.calc",
    "kouki.commands.collect",
    "kouki.commands.certificates",
    "kouki.commands.linkage",
    "kouki.commands.jukinet",
    "kouki.commands.applications",
    "kouki.commands.transfers",
    "kouki.commands.inquiries",
    "kouki.commands.disclosure",
    "kouki.commands.retention",
)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kouki.settings")
    import django

    django.setup()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kouki", description="後期高齢者医療 市町村事務システム")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def restrict_new_files() -> None:
    """Every file and folder kouki creates — database, keyring, outbox files, reports, PDFs — is readable
    by the service account only (0600 files in 0700 folders; issue 14 §2)."""
    os.umask(0o077)


def main(argv: Sequence[str] | None = None) -> int:
    restrict_new_files()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.handler(args)
        after = getattr(args, "after_success", None)  # commands run --as USER: the audit checkpoint
        if result == 0 and after is not None:
            result = after(args)
    except CommandError as exc:
        print(f"kouki {args.command}: {exc}", file=sys.stderr)
        return exc.status
    return result


if __name__ == "__main__":
    sys.exit(main())
