"""Django settings. Everything that differs between installations comes from the environment.

KOUKI_DATABASE_URL  sqlite:///path/to/file.sqlite3 (default: ./kouki.sqlite3) or
                    postgres://user@host:port/dbname
KOUKI_KEYRING       path of the key file for personal-number encryption (outside the database)
KOUKI_AUDIT_CHECKPOINT_FILE  append-only file of sealed audit checkpoints (outside the database)
KOUKI_SECRET_KEY    Django secret key (a random one per process if unset: sessions do not survive restarts)
KOUKI_IDLE_LOGOUT_SECONDS  idle logout (default 900 = 15 minutes, SEC-05)
KOUKI_TERMINAL_HEADER  request header carrying the terminal ID (default X-Kouki-Terminal), trusted only from a
                    proxy in KOUKI_TRUSTED_PROXIES
KOUKI_TRUSTED_PROXIES  addresses of the TLS reverse proxy (comma-separated; default none: the client address)
KOUKI_SECOND_FACTORS  second factors allowed: webauthn, totp, or both (default "webauthn,totp")
KOUKI_WEBAUTHN_RP_ID  WebAuthn relying party ID: the host name staff use (default localhost)
KOUKI_WEBAUTHN_ORIGINS  origins the browser reports, comma-separated (default http://localhost:8000)
KOUKI_SECURE_COOKIES "1" behind TLS: Secure cookies and HSTS (KOUKI_HSTS_SECONDS, default 31536000)
KOUKI_DIRECT_MONTHS the city's regular 普通徴収 months, e.g. "7,8,9,10,11,12,1,2,3" (no default)
KOUKI_LATE_CHARGE_EARLY_MONTHS  延滞金: months of the lower rate after the due date (no default: none charged)
KOUKI_PENSION_STOP_LEAD_MONTHS  months a stop of 特別徴収 needs to reach the pension payer (no default)
KOUKI_PREMIUM_PARAMETERS  JSON file: the union's premium parameters of years the presets lack (e.g. FY2026)
KOUKI_HIGH_COST_PARAMETERS  JSON file: 高額療養費 limit tables of months the built-in one lacks (2026-08 on)
KOUKI_INTEGRATED_ADDRESSEE_DIGITS  width of the 団体内統合宛名番号 (no default: its mapping refuses)
KOUKI_JUKINET_CS    class speaking to the 住基ネット CS (default: the simulator, kouki.sandbox.jukinet)
KOUKI_JUKINET_SIM_DIR  the simulator's national register directory (default ./jukinet-sim)
KOUKI_CHUKAN_SERVER  class speaking to the 中間サーバ (default: the simulator, kouki.sandbox.chukan)
KOUKI_CHUKAN_SIM_DIR the simulated 中間サーバ platform's directory (default ./chukan-sim)
KOUKI_INQUIRY_KEY    the city's 中間サーバ result key file (X25519 private key, mode 0600)
KOUKI_INQUIRY_RESULT_DAYS  days an inquiry result is kept before the purge ([NF]: no default)
KOUKI_RETENTION     retention periods per kind of record, "kind=7y,kind=400d" (kouki.retention.registry; a
                    kind whose period no source gives is never purged until set here)
KOUKI_OUTBOX_DIRS   folders whose sent files `kouki retention purge` may delete (comma-separated; "" = none)
KOUKI_T03_LEGAL_BASIS  "根拠 | 出典" of transfer T03 (not found in the sources; no default: T03 cannot be
                    approved)
KOUKI_DEBUG         "1" for development only
KOUKI_INSURED_NO_CHECK_DIGIT  "warn" (default) or "reject": a 被保険者番号 failing the ×2/×1 check digit in
                    a union file (ADR 0006 §7)
KOUKI_OFFICE_HOURS  "HH:MM-HH:MM" the offices' hours on business days (default 08:30-17:15): out-of-hours
                    activity is counted in the monthly review and flagged to the auditors
KOUKI_REVEAL_* / KOUKI_PERSON_VIEW_*  reading limits per user (_BURST, _BURST_SECONDS, _ALERT_PER_HOUR,
                    _LIMIT_PER_HOUR; docs/operations/reading-alerts.md; defaults in kouki.core.config)
KOUKI_ALERT_*       anomaly alert thresholds (issue 15 §2; defaults in kouki.core.alert_config, 0 = rule off):
                    _COUNTER_WINDOW_MINUTES (180), _OUTSIDE_WARD_PER_DAY (10), _OWN_FAMILY (1),
                    _REVEALS_PER_DAY (200), _PERSON_VIEWS_PER_DAY (1000), _SEARCHES_PER_HOUR (30),
                    _SEARCHES_PER_DAY (100), _OUT_OF_HOURS_PER_DAY (1), _OUT_OF_HOURS_EXEMPT (staff IDs),
                    _NEW_TERMINAL (1), _KNOWN_TERMINALS (terminal IDs; unset = no list), _REFUSALS (5),
                    _REFUSALS_MINUTES (30), _BATCH_ROLES (system_admin), _BATCH_NEW_USER (1);
                    KOUKI_DORMANT_DAYS also raises an alert at a dormant account's sign-in
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent


def database_from_url(url: str) -> dict[str, Any]:
    """Translate KOUKI_DATABASE_URL into a Django DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            path = path.lstrip("/")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or "kouki.sqlite3",
            # IMMEDIATE: a write transaction takes the write lock when it begins, so two worker processes
            # never deadlock upgrading read locks (SQLite answers that with "database is locked" at once)
            "OPTIONS": {"timeout": 30, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                        "transaction_mode": "IMMEDIATE"},
            "TEST": {"NAME": None},
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parsed.path.lstrip("/") or "kouki",
            "USER": unquote(parsed.username or "postgres"),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "127.0.0.1",
            "PORT": str(parsed.port or 5432),
            # A server thread keeps its connection between requests (a new one costs PostgreSQL a process
            # and cold caches on every page); checked before reuse. docs/operations/deployment.md sizing.
            "CONN_MAX_AGE": int(os.environ.get("KOUKI_DB_CONN_MAX_AGE", "600")),
            "CONN_HEALTH_CHECKS": True,
        }
    raise ValueError(f"KOUKI_DATABASE_URL: unsupported scheme {parsed.scheme!r} (use sqlite or postgres)")


SECRET_KEY = os.environ.get("KOUKI_SECRET_KEY") or secrets.token_urlsafe(50)
DEBUG = os.environ.get("KOUKI_DEBUG") == "1"
ALLOWED_HOSTS = os.environ.get("KOUKI_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "kouki.accounts",
    "kouki.addressees",
    "kouki.privacy",
    "kouki.income",
    "kouki.interfaces",
    "kouki.eligibility",
    "kouki.jukinet",
    "kouki.notifications",
    "kouki.certificates",
    "kouki.assessment",
    "kouki.collection",
    "kouki.slips",
    "kouki.banking",
    "kouki.stores",
    "kouki.arrears",
    "kouki.applications",
    "kouki.transfers",
    "kouki.inquiries",
    "kouki.rights",
    "kouki.reviews",
    "kouki.disclosure",
    "kouki.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # static files (the screens' scripts) served by the application server itself, compressed and cached
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kouki.web.middleware.IdleLogoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kouki.web.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "kouki.urls"
WSGI_APPLICATION = "kouki.wsgi.application"
AUTH_USER_MODEL = "accounts.StaffUser"
LOGIN_URL = "/login/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(os.environ.get("KOUKI_DATABASE_URL", "sqlite:///kouki.sqlite3"))}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
# Issue 14 §3 (NIST SP 800-63B §5.1.1.2; ADR 0006): at least 12 characters, not common (whole or its core),
# not derived from the user's identifiers, not repetitive, not one of the last KOUKI_PASSWORD_HISTORY; no
# composition rules and no expiry. kouki.accounts.passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "kouki.accounts.passwords.CommonListValidator"},
    {"NAME": "kouki.accounts.passwords.CommonCoreValidator"},
    {"NAME": "kouki.accounts.passwords.IdentifierValidator"},
    {"NAME": "kouki.accounts.passwords.RepetitiveValidator"},
    {"NAME": "kouki.accounts.passwords.HistoryValidator"},
]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Strict"
X_FRAME_OPTIONS = "DENY"

# Behind a TLS reverse proxy (issue 14 §3; docs/operations/security.md). KOUKI_TRUSTED_PROXIES: the
# proxy's addresses (comma-separated); only a request from one of them may name its terminal
# (KOUKI_TERMINAL_HEADER), its client (X-Forwarded-For) and its scheme (X-Forwarded-Proto).
# KOUKI_SECURE_COOKIES=1: cookies only over HTTPS and HSTS (KOUKI_HSTS_SECONDS, default one year).
KOUKI_TRUSTED_PROXIES = os.environ.get("KOUKI_TRUSTED_PROXIES", "")
# `kouki serve` (issue 16 §1; docs/operations/deployment.md): worker processes and threads per worker
KOUKI_WEB_WORKERS = os.environ.get("KOUKI_WEB_WORKERS", "")
KOUKI_WEB_THREADS = os.environ.get("KOUKI_WEB_THREADS", "")
SECURE_COOKIES = os.environ.get("KOUKI_SECURE_COOKIES") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = int(os.environ.get("KOUKI_HSTS_SECONDS", "31536000")) if SECURE_COOKIES else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if KOUKI_TRUSTED_PROXIES else None

LANGUAGE_CODE = "ja"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# WhiteNoise serves the apps' static folders directly (no collectstatic step to forget on an upgrade);
# files are re-read only at start, so a reload (SIGHUP) picks up new ones.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False

KOUKI_KEYRING = os.environ.get("KOUKI_KEYRING", "")
# Append-only file of sealed checkpoints of the audit and reference chains (issue 14 §1), outside the
# database and copied into every backup; empty = `kouki audit checkpoint` refuses and verify warns.
KOUKI_AUDIT_CHECKPOINT_FILE = os.environ.get("KOUKI_AUDIT_CHECKPOINT_FILE", "")
# Header in which the TLS reverse proxy names the workstation (it must overwrite any client value);
# empty = use the client address. Recorded in reference and audit logs (SEC-11).
KOUKI_TERMINAL_HEADER = os.environ.get("KOUKI_TERMINAL_HEADER", "X-Kouki-Terminal")
KOUKI_IDLE_LOGOUT_SECONDS = int(os.environ.get("KOUKI_IDLE_LOGOUT_SECONDS", "900"))
KOUKI_LOCKOUT_THRESHOLD = int(os.environ.get("KOUKI_LOCKOUT_THRESHOLD", "5"))
KOUKI_LOCKOUT_SECONDS = int(os.environ.get("KOUKI_LOCKOUT_SECONDS", "1800"))
# Issue 14 §3–§4 (ADR 0006): the threshold above locks one account at one client address; this many
# consecutive failures from all addresses together lock the account everywhere.
KOUKI_LOCKOUT_ACCOUNT_LIMIT = int(os.environ.get("KOUKI_LOCKOUT_ACCOUNT_LIMIT", "20"))
KOUKI_PASSWORD_HISTORY = int(os.environ.get("KOUKI_PASSWORD_HISTORY", "5"))
# Reading limits per user (issue 14 §6): only those set in the environment; kouki.core.config.reading_limits
# has the defaults and checks the values.
globals().update({
    name: os.environ[name]
    for name in (f"KOUKI_{reading}_{what}" for reading in ("REVEAL", "PERSON_VIEW")
                 for what in ("BURST", "BURST_SECONDS", "ALERT_PER_HOUR", "LIMIT_PER_HOUR"))
    if name in os.environ
})
KOUKI_OFFICE_HOURS = os.environ.get("KOUKI_OFFICE_HOURS", "")  # "08:30-17:15" when unset (kouki.core.config)
# 開示請求 (issue 15 §3): only those set in the environment; kouki.core.config.disclosure_config has the
# defaults (30/30/90/30 days, 10円 a page) with their sources and checks the values.
globals().update({
    name: os.environ[name]
    for name in (f"KOUKI_DISCLOSURE_{what}" for what in (
        "DECISION_DAYS", "EXTENSION_DAYS", "FOLLOW_UP_DAYS", "AGENT_DOCUMENT_DAYS", "NEAR_DUE_DAYS",
        "COPY_FEE_YEN", "STAFF_SHOWN"))
    if name in os.environ
})
KOUKI_DORMANT_DAYS = int(os.environ.get("KOUKI_DORMANT_DAYS", "90"))
# Anomaly alert thresholds (issue 15 §2): only those set in the environment; kouki.core.alert_config has the
# defaults and checks the values.
globals().update({name: value for name, value in os.environ.items() if name.startswith("KOUKI_ALERT_")})
KOUKI_ENROLMENT_HOURS = int(os.environ.get("KOUKI_ENROLMENT_HOURS", "72"))
# Issue 14 §5 (docs/operations/staff-accounts.md, tls-proxy.md): the second factors allowed
# ("webauthn", "totp" or both, the default), and the WebAuthn relying party: its ID is the host name the
# staff use (never an IP address), its origins the URLs they reach (https://… behind the TLS proxy).
KOUKI_SECOND_FACTORS = os.environ.get("KOUKI_SECOND_FACTORS", "webauthn,totp")
KOUKI_WEBAUTHN_RP_ID = os.environ.get("KOUKI_WEBAUTHN_RP_ID", "localhost")
KOUKI_WEBAUTHN_RP_NAME = os.environ.get("KOUKI_WEBAUTHN_RP_NAME", "kouki")
KOUKI_WEBAUTHN_ORIGINS = os.environ.get("KOUKI_WEBAUTHN_ORIGINS", "http://localhost:8000")
KOUKI_WEBAUTHN_CHALLENGE_SECONDS = int(os.environ.get("KOUKI_WEBAUTHN_CHALLENGE_SECONDS", "300"))
# 納付書 GS1-128 code (ADR 0007): biller code (6 digits; "900000" is synthetic) and the free-field layout.
KOUKI_SLIP_BILLER_CODE = os.environ.get("KOUKI_SLIP_BILLER_CODE", "900000")
KOUKI_SLIP_FREE_FIELD = os.environ.get(
    "KOUKI_SLIP_FREE_FIELD", "fiscal_year:4,slip_no:12,period:2,reserve:3=000"
)
# さいたま市's regular direct-payment (普通徴収) months are not published ([NF]): unset = None, and planning
# a plan that needs them stops with an error naming this setting. kouki.core.config parses it.
KOUKI_DIRECT_MONTHS: str | None = os.environ.get("KOUKI_DIRECT_MONTHS") or None
# 延滞金 (ADR 0006 §4): the city's 条例 article was not found. Unset = no 延滞金 is computed; "1" = the model
# ordinance (the lower rate for 1 month after the due date), "3" = the Tokyo wards' wording.
KOUKI_LATE_CHARGE_EARLY_MONTHS: str | None = os.environ.get("KOUKI_LATE_CHARGE_EARLY_MONTHS") or None
# Years of 延滞金特例基準割合 published after this release, e.g. "2027:1.9" (kouki.core.config parses it).
KOUKI_LATE_CHARGE_SPECIAL_RATES: str | None = os.environ.get("KOUKI_LATE_CHARGE_SPECIAL_RATES") or None
KOUKI_PENSION_STOP_LEAD_MONTHS: str | None = os.environ.get("KOUKI_PENSION_STOP_LEAD_MONTHS") or None
# The union's premium parameters of fiscal years the presets do not hold (a JSON file naming each year's
# source; kouki.core.config.premium_parameter_overrides, docs/operations/premium-parameters.md).
KOUKI_PREMIUM_PARAMETERS = os.environ.get("KOUKI_PREMIUM_PARAMETERS", "")
KOUKI_HIGH_COST_PARAMETERS = os.environ.get("KOUKI_HIGH_COST_PARAMETERS", "")
# 団体内統合宛名番号: width ([NF], no default; the mapping for the 中間サーバ refuses while unset)
KOUKI_INTEGRATED_ADDRESSEE_DIGITS: str | None = os.environ.get("KOUKI_INTEGRATED_ADDRESSEE_DIGITS") or None
# 住基ネット CS: the class that speaks to it (the simulator by default; a real connection is another class)
KOUKI_JUKINET_CS = os.environ.get("KOUKI_JUKINET_CS", "kouki.sandbox.jukinet.simulator.SimulatedCS")
# the simulator's national register (a JSON file written by `kouki jukinet seed`)
KOUKI_JUKINET_SIM_DIR = os.environ.get("KOUKI_JUKINET_SIM_DIR", "jukinet-sim")
# 中間サーバ (情報照会, issue 13 §2): the class that speaks to it (the simulator by default), the simulator's
# state directory, the city's result key file (X25519, `kouki inquiries key-init`), and the days a result
# is kept before the purge deletes it ([NF] in the PIA: no default, the purge refuses while unset)
KOUKI_CHUKAN_SERVER = os.environ.get(
    "KOUKI_CHUKAN_SERVER", "kouki.sandbox.chukan.platform.SimulatedChukanServer"
)
KOUKI_CHUKAN_SIM_DIR = os.environ.get("KOUKI_CHUKAN_SIM_DIR", "chukan-sim")
KOUKI_INQUIRY_KEY = os.environ.get("KOUKI_INQUIRY_KEY", "")
KOUKI_INQUIRY_RESULT_DAYS: str | None = os.environ.get("KOUKI_INQUIRY_RESULT_DAYS") or None
# Retention (issue 15 §5; docs/operations/retention.md): the installation's periods per kind of record, and
# the outbox folders whose files (SEC-22) the purge may delete. kouki.retention reads both.
KOUKI_RETENTION = os.environ.get("KOUKI_RETENTION", "")
KOUKI_OUTBOX_DIRS = os.environ.get("KOUKI_OUTBOX_DIRS", "")
# Transfer T03 (区政推進部): its legal basis is not found in the sources ([NF]); set it with the source it is
# taken from ("basis | source", e.g. from the 決裁) to let the definition be registered and approved
KOUKI_T03_LEGAL_BASIS = os.environ.get("KOUKI_T03_LEGAL_BASIS", "")
# 被保険者番号 check digit in union files: "warn" (default: the rule is not officially confirmed) or "reject"
KOUKI_INSURED_NO_CHECK_DIGIT = os.environ.get("KOUKI_INSURED_NO_CHECK_DIGIT", "warn")
# 取込 screen: the largest upload in bytes (default 32 MiB) and where it waits while taken in (0700 directory,
# removed afterwards; "" = the system's temp directory). kouki.core.config reads both.
KOUKI_IMPORT_MAX_BYTES = int(os.environ.get("KOUKI_IMPORT_MAX_BYTES", str(32 * 1024 * 1024)))
KOUKI_IMPORT_UPLOAD_DIR = os.environ.get("KOUKI_IMPORT_UPLOAD_DIR", "")
# Other city settings (KOUKI_CITY_NAME, KOUKI_MUNICIPALITY_CODE, KOUKI_INSURER_NAME, …) have their defaults
# in kouki.core.config, the one place that reads KOUKI_* settings.

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_personal_numbers": {"()": "kouki.privacy.redaction.RedactPersonalNumbers"}},
    "formatters": {"access": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                              "style": "{"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_personal_numbers"],
        },
        # the access log of `kouki serve` (Django's "django.server" logger, which does not propagate to the
        # root): the same masking, so that a number in a URL never reaches the log in clear (issue 14 §2)
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "access",
            "filters": ["redact_personal_numbers"],
        },
    },
    "loggers": {"django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False}},
    "root": {"handlers": ["console"], "level": os.environ.get("KOUKI_LOG_LEVEL", "INFO")},
}
