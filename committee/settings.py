"""Paragraf's settings: one file, every deploy-time value from the environment."""

import datetime
import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from committee import localdb

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def database_from_url(url: str) -> dict:
    """Turn postgres://user:password@host:port/name into a Django DATABASES entry.

    As in libpq, `?host=/a/folder` names a Unix socket's folder instead (the private cluster's form).
    """
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise ImproperlyConfigured("DATABASE_URL has a port that is not a number") from None
    if parts.scheme not in ("postgres", "postgresql"):
        raise ImproperlyConfigured(f"DATABASE_URL must start with postgres://, not {parts.scheme!r}")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")) or "paragraf",
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or parse_qs(parts.query).get("host", [""])[0],
        "PORT": str(port or ""),
        # A pool keeps connections warm; psycopg's pool reconnects after a server restart.
        "OPTIONS": {
            "pool": {
                "min_size": 1,
                "max_size": env_int("DATABASE_POOL_SIZE", 10),
                # A synchronous worker holds one connection at a time: waiting only happens when the
                # database is down, and a short wait frees the worker (and the health check) sooner.
                "timeout": env_int("DATABASE_POOL_TIMEOUT", 10),
            }
        },
        # Connections cut by a database restart are noticed before use instead of failing a request.
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"NAME": env_str("DATABASE_TEST_NAME") or None},
    }


DEBUG = env_bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG and env_bool("PARAGRAF_PRODUCTION"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "paragraf-development-key-not-for-production-use-0123456789"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "simple_history",
    "django_tasks_db",
    "django_otp",  # the second factor for confidential case documents (minutes/views/reading.py)
    "django_otp.plugins.otp_totp",
    "committee",
    "minutes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # An announced protocol's pages, PDFs and OParl objects, answered from the files written at its announcement.
    "minutes.publication.serve.PublishedFileMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "minutes.portal.locale.PortalLocaleMiddleware",
    "committee.nul_bytes.RefuseNulBytes",  # before anything that queries with the path, the query or a cookie
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): signed in with a second factor
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "committee.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "minutes.portal.context.portal",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "committee.wsgi.application"

VAR_DIR = Path(env_str("PARAGRAF_VAR_DIR", str(BASE_DIR / "var")))

# PostgreSQL is the only database. Without DATABASE_URL, the private cluster that `./paragraf run`
# starts under var/ (committee/localdb.py), reached through its Unix socket.
DATABASES = {
    "default": database_from_url(env_str("DATABASE_URL") or localdb.database_url(VAR_DIR / "postgres")),
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_ROOT = VAR_DIR / "media"
# Sealed PDFs and exports go through Django's storage API: the local disk by default, or
# S3-compatible object storage with PARAGRAF_STORAGE=s3. Either writes a file whole or not at all.
PARAGRAF_STORAGE = env_str("PARAGRAF_STORAGE", "local")
if PARAGRAF_STORAGE == "local":
    DEFAULT_STORAGE = {"BACKEND": "minutes.storage.AtomicFileSystemStorage"}
elif PARAGRAF_STORAGE == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "minutes.storage.ObjectStorage",
        "OPTIONS": {
            "bucket_name": env_str("PARAGRAF_S3_BUCKET"),
            "endpoint_url": env_str("PARAGRAF_S3_ENDPOINT_URL") or None,
            "region_name": env_str("PARAGRAF_S3_REGION") or None,
            "access_key": env_str("PARAGRAF_S3_ACCESS_KEY") or None,
            "secret_key": env_str("PARAGRAF_S3_SECRET_KEY") or None,
            "location": env_str("PARAGRAF_S3_PREFIX"),
        },
    }
    if not DEFAULT_STORAGE["OPTIONS"]["bucket_name"]:
        raise ImproperlyConfigured("PARAGRAF_S3_BUCKET must be set when PARAGRAF_STORAGE is s3")
else:
    raise ImproperlyConfigured(f"PARAGRAF_STORAGE must be local or s3, not {PARAGRAF_STORAGE!r}")
# The largest case document (PDF) the agenda accepts, in megabytes.
PARAGRAF_AGENDA_DOCUMENT_MAX_MB = env_int("PARAGRAF_AGENDA_DOCUMENT_MAX_MB", 25)
# How long LibreOffice may take to convert an uploaded Office file to PDF, in seconds.
PARAGRAF_OFFICE_TIMEOUT_SECONDS = env_int("PARAGRAF_OFFICE_TIMEOUT_SECONDS", 60)
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Shared state lives in the database, so any number of web processes and machines can serve:
# sessions (Django's default), the page cache and the task queue. A single process may keep its
# cache in memory instead (PARAGRAF_CACHE=memory).
PARAGRAF_CACHE = env_str("PARAGRAF_CACHE", "database")
if PARAGRAF_CACHE == "database":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "paragraf_cache"}}
elif PARAGRAF_CACHE == "memory":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(f"PARAGRAF_CACHE must be database or memory, not {PARAGRAF_CACHE!r}")

# Rendering and sealing run on workers (`manage.py worker`), never in a web request. The
# queue is a table in the same database, so enqueueing commits with the change that asked for it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PARAGRAF_TASK_ATTEMPTS = env_int("PARAGRAF_TASK_ATTEMPTS", 3)
PARAGRAF_TASK_STALL_SECONDS = env_int("PARAGRAF_TASK_STALL_SECONDS", 120)

# The seal: the organisation's certificate and key (PKCS#12) that sign adjusted protocols and extracts.
# `manage.py create_seal_certificate` makes a self-signed demo one; production brings its own.
PARAGRAF_SEAL_PKCS12 = Path(env_str("PARAGRAF_SEAL_PKCS12") or VAR_DIR / "seal" / "organisation.p12")
PARAGRAF_SEAL_PASSWORD = env_str("PARAGRAF_SEAL_PASSWORD")
if not PARAGRAF_SEAL_PASSWORD:
    if not DEBUG and env_bool("PARAGRAF_PRODUCTION"):
        raise ImproperlyConfigured("PARAGRAF_SEAL_PASSWORD must be set in production")
    PARAGRAF_SEAL_PASSWORD = "paragraf-demo-seal-not-for-production-use"
PARAGRAF_SEAL_TSA_URL = env_str("PARAGRAF_SEAL_TSA_URL")  # an RFC 3161 timestamp authority; unset: none

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "minutes:committee-list"
LOGOUT_REDIRECT_URL = "login"

# Production hardening; `manage.py check --deploy` passes with PARAGRAF_PRODUCTION=1.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG and env_bool("PARAGRAF_PRODUCTION"))
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=env_bool("PARAGRAF_PRODUCTION"))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if env_bool("PARAGRAF_PRODUCTION") else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # the load balancer's health check may come over plain HTTP
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("DJANGO_BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("PARAGRAF_LOG_LEVEL", "WARNING")},
}


# --- Hardening (issue 18): login throttling, security headers, the site's address, mail -----------


def site_url_from_env() -> str:
    """PARAGRAF_SITE_URL as scheme://host[:port], without a trailing slash; empty when unset."""
    value = env_str("PARAGRAF_SITE_URL").strip().rstrip("/")
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(f"PARAGRAF_SITE_URL must look like https://paragraf.example.se, not {value!r}")
    return value


def mailers_from_env(*, production: bool, var_dir: Path) -> dict:
    """Django's MAILERS from PARAGRAF_EMAIL_*: SMTP when a host is set.

    Without a host, development writes each mail to a file under var/mail/, and production has no
    mailer at all: nothing pretends to send (the password reset page says so, `check --deploy` warns).
    """
    host = env_str("PARAGRAF_EMAIL_HOST")
    if not host:
        if production:
            return {}
        return {
            "default": {
                "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "OPTIONS": {"file_path": str(var_dir / "mail")},
            }
        }
    security = env_str("PARAGRAF_EMAIL_SECURITY") or "starttls"
    if security not in ("starttls", "ssl", "none"):
        raise ImproperlyConfigured(f"PARAGRAF_EMAIL_SECURITY must be starttls, ssl or none, not {security!r}")
    return {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": host,
                "port": env_int("PARAGRAF_EMAIL_PORT", {"starttls": 587, "ssl": 465, "none": 25}[security]),
                "username": env_str("PARAGRAF_EMAIL_USER") or None,
                "password": env_str("PARAGRAF_EMAIL_PASSWORD") or None,
                "use_tls": security == "starttls",
                "use_ssl": security == "ssl",
                # A mail server that does not answer must not hold a web worker for long.
                "timeout": env_int("PARAGRAF_EMAIL_TIMEOUT", 10),
            },
        }
    }


# Absolute links that outlive the request (feeds, calendars, mails) use this address, never the
# Host header, which any client can set and a cache would then keep.
PARAGRAF_SITE_URL = site_url_from_env()

# The OParl API's license and contact (System and Body). Decisions and other documents of a
# Swedish authority are free of copyright (upphovsrättslagen 9 §), hence CC0 unless set.
# How published files leave (minutes/publication/serve.py): "" this process sends them,
# "x-accel:/prefix/" nginx does (X-Accel-Redirect), "redirect" a 302 to the storage's URL.
PARAGRAF_PUBLISHED_ACCEL = env_str("PARAGRAF_PUBLISHED_ACCEL")
if PARAGRAF_PUBLISHED_ACCEL and not (
    PARAGRAF_PUBLISHED_ACCEL == "redirect"
    or (PARAGRAF_PUBLISHED_ACCEL.startswith("x-accel:/") and PARAGRAF_PUBLISHED_ACCEL.endswith("/"))
):
    raise ImproperlyConfigured(
        f"PARAGRAF_PUBLISHED_ACCEL must be empty, redirect or x-accel:/prefix/, not {PARAGRAF_PUBLISHED_ACCEL!r}"
    )
# How often each worker re-reads every published file against its checksum (0: never).
PARAGRAF_PUBLISHED_VERIFY_HOURS = env_int("PARAGRAF_PUBLISHED_VERIFY_HOURS", 24)

PARAGRAF_OPARL_LICENSE = env_str("PARAGRAF_OPARL_LICENSE", "https://creativecommons.org/publicdomain/zero/1.0/")
PARAGRAF_OPARL_CONTACT_EMAIL = env_str("PARAGRAF_OPARL_CONTACT_EMAIL")
PARAGRAF_OPARL_CONTACT_NAME = env_str("PARAGRAF_OPARL_CONTACT_NAME")
PARAGRAF_BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY")

MAILERS = mailers_from_env(production=env_bool("PARAGRAF_PRODUCTION"), var_dir=VAR_DIR)
DEFAULT_FROM_EMAIL = env_str("PARAGRAF_EMAIL_FROM", "paragraf@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Login throttling (django-axes): after PARAGRAF_LOGIN_FAILURE_LIMIT failed sign-ins to one account
# (from anywhere) or from one address (to any account), that account or address is refused for
# PARAGRAF_LOGIN_LOCKOUT_MINUTES, counted from the last failure. Attempts are rows in the database,
# shared by every process; an administrator lifts a lockout in the admin or with `axes_reset_*`.
INSTALLED_APPS += ["axes"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("PARAGRAF_LOGIN_FAILURE_LIMIT", 10)
PARAGRAF_LOGIN_LOCKOUT_MINUTES = env_int("PARAGRAF_LOGIN_LOCKOUT_MINUTES", 30)
if AXES_FAILURE_LIMIT < 1 or PARAGRAF_LOGIN_LOCKOUT_MINUTES < 1:
    raise ImproperlyConfigured("PARAGRAF_LOGIN_FAILURE_LIMIT and PARAGRAF_LOGIN_LOCKOUT_MINUTES must be above 0")
AXES_COOLOFF_TIME = datetime.timedelta(minutes=PARAGRAF_LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# A success must not wipe the failures: signing in to one's own account from an address would
# otherwise erase the count against every other account tried from it.
AXES_RESET_ON_SUCCESS = False
AXES_CLIENT_IP_CALLABLE = "committee.accounts.client_address"
AXES_LOCKOUT_CALLABLE = "committee.accounts.lockout_response"
AXES_SENSITIVE_PARAMETERS = []  # the log names the account and the address tried (never the password)

# Security headers. The policy allows scripts and styles from this site only (and scripts that
# carry the request's nonce); htmx is configured in base.html to need neither eval nor inline styles.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],  # Bootstrap draws its check marks and arrows as data: SVGs
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
TEMPLATES[0]["OPTIONS"]["context_processors"].append("django.template.context_processors.csp")
# base.html makes each message a Bootstrap alert named by its tag; Bootstrap calls an error "danger".
MESSAGE_TAGS = {40: "danger"}  # django.contrib.messages.constants.ERROR
OTP_TOTP_ISSUER = "Paragraf"  # the name an authenticator app shows beside the code

MIDDLEWARE += [
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "committee.headers.SecurityHeadersMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]
