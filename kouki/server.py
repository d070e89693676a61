"""The production WSGI server behind `kouki serve` (issue 16 §1): gunicorn running kouki.wsgi.

- Workers are separate processes (`gthread` workers with a few threads each), sized to the machine unless
  KOUKI_WEB_WORKERS / KOUKI_WEB_THREADS say otherwise; SIGHUP to the master reloads them gracefully (new
  workers start with the new code and settings, old ones finish their requests), SIGTERM stops gracefully.
- The access log and the error log go through the same personal-number masking as every other log
  (kouki.privacy.redaction), so a number typed into a URL is never written in clear.
- gunicorn trusts X-Forwarded-* only from KOUKI_TRUSTED_PROXIES (the same setting Django uses), never from
  the client itself.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from kouki.privacy.redaction import RedactPersonalNumbers

# The access log line: client, time, request line, status, bytes, duration in µs, the terminal header
# only as the proxy set it (Django ignores it from anyone else), user agent. No referrer: a referrer is
# another page's URL and adds nothing an auditor needs.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(D)sus "%(a)s"'


class RedactingLogger(Logger):  # type: ignore[misc]
    """gunicorn's logger with the personal-number filter on its access and error logs."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(RedactPersonalNumbers())


def default_workers(cpus: int | None = None) -> int:
    """gunicorn's rule of thumb (2 × cores + 1), at most 9 per machine: kouki's requests wait on the
    database, and threads inside each worker carry the rest."""
    cores = cpus if cpus is not None else (os.cpu_count() or 1)
    return max(2, min(2 * cores + 1, 9))


@dataclass(frozen=True)
class ServerOptions:
    host: str
    port: int
    workers: int
    threads: int
    timeout: int = 120
    graceful_timeout: int = 30
    pidfile: str | None = None
    trusted_proxies: str = ""

    def as_gunicorn(self) -> dict[str, object]:
        options: dict[str, object] = {
            "bind": f"{self.host}:{self.port}",
            "workers": self.workers,
            "threads": self.threads,
            "worker_class": "gthread",
            "timeout": self.timeout,
            "graceful_timeout": self.graceful_timeout,
            "accesslog": "-",
            "errorlog": "-",
            "access_log_format": ACCESS_LOG_FORMAT,
            "logger_class": RedactingLogger,
            "forwarded_allow_ips": self.trusted_proxies or "",
            "proxy_allow_ips": self.trusted_proxies or "",
            "umask": 0o077,
            "proc_name": "kouki",
            # reloads and stops go through signals (systemd: ExecReload=kill -HUP $MAINPID); no second
            # control interface in the service account's home folder
            "control_socket_disable": True,
        }
        if self.pidfile:
            options["pidfile"] = self.pidfile
        return options


class KoukiServer(BaseApplication):  # type: ignore[misc]
    def __init__(self, options: ServerOptions, before_fork: Callable[[], None] | None = None) -> None:
        self._options = options.as_gunicorn()
        self._before_fork = before_fork
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)
        if self._before_fork is not None:
            hook = self._before_fork
            self.cfg.set("pre_fork", lambda _server, _worker: hook())

    def load(self) -> Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]:
        from kouki.wsgi import application

        return application  # type: ignore[return-value]


def run_production_server(options: ServerOptions, before_fork: Callable[[], None] | None = None) -> None:
    KoukiServer(options, before_fork).run()
