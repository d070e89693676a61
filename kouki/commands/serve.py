"""`kouki serve`: run the staff screens (migrating the database first when needed).

This uses Django's development server (single process, no auto-reload), which is right for the demo
and for a trial at one desk. In production the application (kouki.wsgi:application) runs under a WSGI
server such as gunicorn behind a reverse proxy that terminates TLS and sets the terminal header
(X-Kouki-Terminal).
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="職員画面を起動する (demo server; production: kouki.wsgi behind a WSGI server such as gunicorn)",
        description="Serve the staff screens with Django's development server (no auto-reload). "
                    "For production run kouki.wsgi:application under a WSGI server (e.g. gunicorn) behind "
                    "a TLS reverse proxy that sets X-Kouki-Terminal.",
    )
    p.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations first")
    p.set_defaults(handler=run)


def pending_migrations() -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def run(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    if not 0 < args.port < 65536:
        raise CommandError(f"--port {args.port}: must be 1..65535")
    setup_django()
    from django.core.management import call_command

    if not args.no_migrate and pending_migrations():
        call_command("migrate", verbosity=0, interactive=False)
        print("database schema migrated")
    print(f"kouki: serving on http://{args.host}:{args.port}/ (Ctrl+C to stop)")
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
    return 0
