"""The counter pages one at a time (issue 16 §5): time, SQL queries and where the time goes, per page.

    .venv/bin/python -m benchmarks.counter_pages --db-url postgres://postgres@127.0.0.1:5432/kouki_load_city \
        --keyring /tmp/kouki-bench-XXXX/keyring.json [--people 20] [--profile 'person page']

The load test (`python -m benchmarks.load`) measures the pages under 500 staff; this measures what one
request of each costs alone, on the same city, through Django's test client as a signed-in clerk (role
個人番号取扱担当, both factors marked done): the person page, 収納状況, 収納する (the POST and the ledger it
redirects to, as the load test counts it), the 資格確認書 issue form and the issue (POST and the page it
redirects to). Each page is requested for --people people (insured by the load test's set-up: an insured
period, an FY2026 assessment and plan); the table gives the median and the slowest time and the number
of queries. --profile NAME prints cProfile's top functions (cumulative) for that page's requests.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from benchmarks._common import machine, setup
from benchmarks.load.pages import CERTIFICATE_PDF, CSRF, DIRECT_UNPAID, ISSUE_ON, PAID_ON, first

FY = "2026"
RECEIPT_PDF = re.compile(r"/collection/receipts/(\d+)/pdf/")  # the 領収証書 of the payment just taken


class Pages(Protocol):
    def get(self, url: str) -> str: ...
    def post(self, url: str, data: dict[str, str]) -> str: ...


class ClientPages:
    """Django's test client in this process (the SQL queries can be counted)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def get(self, url: str) -> str:
        return str(self.client.get(url).content.decode(errors="replace"))

    def post(self, url: str, data: dict[str, str]) -> str:
        return str(self.client.post(url, data, follow=True).content.decode())


class ServerPages:
    """The production server (`kouki serve`, one worker, one thread) over HTTP with the same session: what
    a request costs with the server's connection handling, one request at a time."""

    def __init__(self, client: Any, port: int) -> None:
        import requests

        self.base = f"http://127.0.0.1:{port}"
        self.session = requests.Session()
        for name, morsel in client.cookies.items():
            self.session.cookies.set(name, morsel.value, domain="127.0.0.1")

    def get(self, url: str) -> str:
        return self._page(self.session.get(self.base + url, timeout=60))

    def post(self, url: str, data: dict[str, str]) -> str:
        return self._page(self.session.post(self.base + url, data=data, timeout=60))

    @staticmethod
    def _page(response: Any) -> str:
        if response.status_code != 200 or "/login" in response.url:
            raise SystemExit(f"the server answered {response.status_code} at {response.url}")
        return str(response.text)


def start_server(port: int, conn_max_age: str) -> subprocess.Popen[bytes]:
    from benchmarks.load.__main__ import LOAD_LIMITS, wait_until_up

    env = {**os.environ, **LOAD_LIMITS, "PYTHONPATH": os.getcwd()}
    if conn_max_age:
        env["KOUKI_DB_CONN_MAX_AGE"] = conn_max_age
    server = subprocess.Popen([sys.executable, "-m", "kouki.cli", "serve", "--host", "127.0.0.1", "--port",
                               str(port), "--no-migrate", "--workers", "1", "--threads", "1"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    wait_until_up(f"http://127.0.0.1:{port}/login/")
    return server


def _count_queries(fn: Callable[[], Any]) -> tuple[float, int, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        out = fn()
        took = time.perf_counter() - started
    return took, len(queries), out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db-url", required=True)
    parser.add_argument("--keyring", type=Path, required=True)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--server", action="store_true",
                        help="through `kouki serve` (one worker, one thread) over HTTP, not the test client")
    parser.add_argument("--server-port", type=int, default=8799)
    parser.add_argument("--server-conn-max-age", default="", help="the server's KOUKI_DB_CONN_MAX_AGE")
    parser.add_argument("--new-connections", action="store_true",
                        help="close the database connection before each request (CONN_MAX_AGE=0's cost)")
    parser.add_argument("--callers", default="", help="with --profile: who calls functions matching this")
    parser.add_argument("--sort", default="cumulative", help="cProfile order: cumulative or tottime")
    parser.add_argument("--profile", default="", help="a page's name: print its cProfile top 30")
    args = parser.parse_args()
    # the server must accept this process's session: both sign with the same key
    os.environ.setdefault("KOUKI_SECRET_KEY", secrets.token_urlsafe(50))
    setup(args.db_url, args.keyring)

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from django.utils import timezone

    from benchmarks._common import signed_in_client
    from benchmarks.load.insured import insure, insured_sample, payers
    from kouki.accounts.permissions import Role

    print(machine())
    client = signed_in_client(f"pages{random.randrange(10**6):06d}", Role.NUMBER_CLERK.value, "counter_pages")
    people = insured_sample(max(3000, args.people), timezone.localdate())
    insure(people)
    paying = payers(people)[: args.people]
    sample = people[: args.people]
    times: dict[str, list[tuple[float, int | None]]] = {}
    profiler = cProfile.Profile()
    pages: Pages = ServerPages(client, args.server_port) if args.server else ClientPages(client)

    def hit(name: str, fn: Callable[[], str]) -> str:
        if args.new_connections:
            connection.close()  # as a server without persistent connections: each request connects
        if name == args.profile:
            profiler.enable()
        took, queries, out = _count_queries(fn)
        if name == args.profile:
            profiler.disable()
        times.setdefault(name, []).append((took, None if args.server else queries))
        return out

    def certificate(person: int) -> None:
        hit("person page", lambda: pages.get(f"/persons/{person}/"))
        url = f"/persons/{person}/certificates/issue/"
        form = hit("certificate (issue form)", lambda: pages.get(url))
        issued = hit("certificate (issue)", lambda: pages.post(url, {
            "kind": "1", "reason": "5", "on": first(ISSUE_ON, form), "limit_category": "",
            "csrfmiddlewaretoken": first(CSRF, form)}))
        issue = max(map(int, CERTIFICATE_PDF.findall(issued)), default=0)
        if issue:
            hit("certificate (PDF)", lambda: pages.get(f"/certificates/{issue}/pdf/"))

    def payment(person: int) -> None:
        ledger = hit("payment (収納状況)", lambda: pages.get(f"/collection/persons/{person}/?fy={FY}"))
        unpaid = DIRECT_UNPAID.search(ledger)
        if unpaid is None:
            return
        instalment, amount = unpaid.group(1), unpaid.group(2).replace(",", "")
        paid = hit("payment (収納する)", lambda: pages.post(f"/collection/persons/{person}/receipts/", {
            "fy": FY, "amount": amount, "paid_on": first(PAID_ON, ledger), "instalment": instalment,
            "csrfmiddlewaretoken": first(CSRF, ledger)}))
        receipt = first(RECEIPT_PDF, paid)
        if receipt:
            hit("payment (領収証書 PDF)", lambda: pages.get(f"/collection/receipts/{receipt}/pdf/"))

    server = start_server(args.server_port, args.server_conn_max_age) if args.server else None
    try:
        for person in sample:
            certificate(person)
        for person in paying:
            payment(person)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(60)
    print("| page | requests | median ms | slowest ms | queries |")
    print("|---|---:|---:|---:|---:|")
    for name, rows in times.items():
        ms = [t * 1000 for t, _ in rows]
        queries = sorted({q for _, q in rows if q is not None})
        shown = ("—" if not queries else str(queries[0]) if len(queries) == 1
                 else f"{queries[0]}–{queries[-1]}")
        print(f"| {name} | {len(rows)} | {statistics.median(ms):.0f} | {max(ms):.0f} | {shown} |")
    if args.profile:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
        if args.callers:
            pstats.Stats(profiler).print_callers(args.callers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
