"""`kouki serve`: run the staff screens (migrating the database first when needed).

By default the production WSGI server (gunicorn, kouki.server): worker processes sized to the
machine, graceful reload on SIGHUP, masked access logs, `/healthz/` for health checks, static files served by
WhiteNoise. `--dev` runs Django's development server instead (one process, no auto-reload), for a trial at
one desk. Behind a TLS reverse proxy see docs/operations/deployment.md.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="職員画面を起動する (production server gunicorn; --dev: Django's development server)",
        description="Serve the staff screens with gunicorn (workers sized to the machine; SIGHUP reloads "
                    "gracefully, SIGTERM stops gracefully). --dev uses Django's development server. "
                    "Behind a TLS reverse proxy set KOUKI_TRUSTED_PROXIES and KOUKI_SECURE_COOKIES=1.",
    )
    p.add_argument("--host", default="127.0.0.1", help="listen address (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--workers", type=int, default=None,
                   help="worker processes (default KOUKI_WEB_WORKERS, else 2 × cores + 1, at most 9)")
    p.add_argument("--threads", type=int, default=None,
                   help="threads per worker (default KOUKI_WEB_THREADS, else 4)")
    p.add_argument("--pid-file", default=None, help="write the master's pid here (for `kill -HUP` reloads)")
    p.add_argument("--dev", action="store_true",
                   help="Django's development server instead (one process; not for production)")
    p.add_argument("--no-migrate", action="store_true", help="do not apply pending migrations first")
    p.set_defaults(handler=run)


def pending_migrations() -> int:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def _positive(given: int | None, configured: int | None, what: str, default: int) -> int:
    from kouki.cli import CommandError

    value = given if given is not None else configured if configured is not None else default
    if not 1 <= value <= 64:
        raise CommandError(f"{what} {value}: must be 1..64")
    return value


def run(args: argparse.Namespace) -> int:
    from kouki.cli import CommandError, setup_django

    if not 0 < args.port < 65536:
        raise CommandError(f"--port {args.port}: must be 1..65535")
    setup_django()
    from django.core.management import call_command
    from django.db import connections

    if not args.no_migrate and pending_migrations():
        call_command("migrate", verbosity=0, interactive=False)
        print("database schema migrated")
    if args.dev:
        print(f"kouki: development server on http://{args.host}:{args.port}/ (Ctrl+C to stop)")
        call_command("runserver", f"{args.host}:{args.port}", use_reloader=False, use_threading=True)
        return 0

    from kouki.core.config import ConfigError, access_config, web_server_config
    from kouki.server import ServerOptions, default_workers, run_production_server

    try:
        configured = web_server_config()
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    options = ServerOptions(
        host=args.host,
        port=args.port,
        workers=_positive(args.workers, configured.workers, "workers", default_workers()),
        threads=_positive(args.threads, configured.threads, "threads", 4),
        pidfile=args.pid_file,
        trusted_proxies=",".join(sorted(access_config().trusted_proxies)),
    )
    connections.close_all()  # the workers open their own connections; none may be inherited over fork
    print(f"kouki: serving on http://{args.host}:{args.port}/ with {options.workers} workers × "
          f"{options.threads} threads (SIGHUP reloads, Ctrl+C stops)", flush=True)
    run_production_server(options, before_fork=connections.close_all)
    return 0
