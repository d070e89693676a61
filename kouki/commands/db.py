"""`kouki migrate`: create or upgrade the database schema."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("migrate", help="データベースを作成・更新する (create or upgrade the schema)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from kouki.cli import setup_django

    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    print("database schema is up to date")
    return 0
