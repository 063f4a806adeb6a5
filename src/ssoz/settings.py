"""SSOZ settings, read from the environment.

With nothing set, SSOZ runs the demo: SQLite in ./var, mail written to ./var/mail, DEBUG on.
Production sets DEBUG=0 and then must set SECRET_KEY and ALLOWED_HOSTS; see docs/deployment.md.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SSOZ_VAR_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = envbool("DEBUG", "1")
PRODUCTION = not DEBUG

DEMO_SECRET_KEY = "ssoz-demo-key-not-for-production"  # noqa: S105
SECRET_KEY = os.environ.get("SECRET_KEY", DEMO_SECRET_KEY)
if PRODUCTION and (
    SECRET_KEY == DEMO_SECRET_KEY
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "SSOZ refuses to start in production mode (DEBUG=0) with an insecure SECRET_KEY: "
        "set SECRET_KEY to a random string of at least 50 characters."
    )

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    # Django's admin as the central administrator's technical back office (ssoz.lib.backoffice).
    "ssoz.lib.backoffice.BackOfficeConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "axes",
    "captcha",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "ssoz.portal",
    "ssoz.registry",
    "ssoz.accounts",
    "ssoz.definitions",
    "ssoz.publications",
    "ssoz.reports",
    "ssoz.review",
    "ssoz.jobs",
    "ssoz.completeness",
    "ssoz.results",
    "ssoz.exports",
    "ssoz.api",
]

MIDDLEWARE = [
    "ssoz.lib.request_log.RequestIdMiddleware",
    "ssoz.lib.http.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ssoz.accounts.middleware.SessionRenewalMiddleware",
    "ssoz.portal.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "ssoz.accounts.middleware.ForcePasswordChangeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ssoz.lib.errors.DomainErrorMiddleware",
    # Axes must come last: it turns a locked-out request into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ssoz.urls"
WSGI_APPLICATION = "ssoz.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ssoz.portal.context_processors.site",
            ],
        },
    },
]

# Widgets use the project's templates too (the captcha widget).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ssoz.sqlite3'}"),
        # Persistent connections in production: opening one costs more than a whole save.
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 0 if DEBUG else 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check of persistent connections that costs no query.
    DATABASES["default"]["ENGINE"] = "ssoz.lib.postgresql"
if DATABASES["default"]["ENGINE"].endswith("postgresql") and envbool(
    "DATABASE_PREPARED_STATEMENTS", "0"
):
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets readers work while a writer saves: the deadline-day pattern.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    # The test database is a file rather than memory, so that the task worker the tests start
    # as a process of its own works on the same database as the tests.
    DATABASES["default"]["TEST"] = {
        "NAME": os.environ.get("SSOZ_TEST_DATABASE", str(VAR_DIR / "test.sqlite3"))
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ssoz.accounts.backends.LoginOrEmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# NIST SP 800-63B style: length and a list of common passwords, no composition rules.
PASSWORD_MIN_LENGTH = 12
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after inactivity; every request renews them, and pages warn before the end.
SESSION_IDLE_TIMEOUT = envint("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_WARNING_BEFORE = envint("SESSION_WARNING_BEFORE", 2 * 60)
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT
# Renewed at most once a minute (accounts.middleware.SessionRenewalMiddleware), not written on
# every request.
SESSION_SAVE_EVERY_REQUEST = False
# Django's database sessions, read with a query compiled once (accounts/sessions.py).
SESSION_ENGINE = "ssoz.accounts.sessions"
SESSION_RENEW_AFTER = min(60, max(1, SESSION_IDLE_TIMEOUT // 10))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1" if PRODUCTION else "0")
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1" if PRODUCTION else "0")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY", "0") else None
)
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The nonce lets the one style element of a server-drawn chart (pygal's inline SVG).
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "media-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Log-in throttling (django-axes): an account is locked after AXES_FAILURE_LIMIT failures
# for AXES_COOLOFF_TIME; an address after LOGIN_ADDRESS_FAILURE_LIMIT failures on any accounts.
AXES_FAILURE_LIMIT = envint("LOGIN_ACCOUNT_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("LOGIN_LOCKOUT_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "ssoz.accounts.throttling.canonical_username"
AXES_LOCKOUT_CALLABLE = "ssoz.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", 30)
# Addresses are throttled by ssoz.accounts.throttling with their own, higher limit.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Captcha: an image, with a text question as the accessible alternative (WCAG 1.1.1).
CAPTCHA_IMAGE_SIZE = (160, 50)
CAPTCHA_FONT_SIZE = 34
CAPTCHA_LENGTH = 5
CAPTCHA_TIMEOUT = 20
CAPTCHA_FOREGROUND_COLOR = "#1a1a1a"
CAPTCHA_LETTER_ROTATION = (-25, 25)
# Test mode lets automated acceptance tests register: the captcha then accepts "PASSED".
SSOZ_CAPTCHA_TEST_MODE = envbool("SSOZ_CAPTCHA_TEST_MODE", "0")
if PRODUCTION and SSOZ_CAPTCHA_TEST_MODE:
    raise ImproperlyConfigured(
        "SSOZ_CAPTCHA_TEST_MODE is refused in production mode (DEBUG=0): it disables the captcha."
    )

# Requests an API token may make in a minute (counted in the database, so shared by every
# worker and server).
API_REQUESTS_PER_MINUTE = envint("API_REQUESTS_PER_MINUTE", 600)

# Temporary ("working") passwords sent by „przypomnij hasło”.
TEMPORARY_PASSWORD_VALID_MINUTES = envint("TEMPORARY_PASSWORD_VALID_MINUTES", 60)
TEMPORARY_PASSWORD_REQUEST_INTERVAL = envint("TEMPORARY_PASSWORD_REQUEST_INTERVAL", 60)

LANGUAGE_CODE = "pl"
LANGUAGES = [("pl", _("polski")), ("en", _("angielski"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG
MEDIA_ROOT = VAR_DIR / "media"
# Export files, written by the worker and sent by the web server: on more than one machine this
# is a volume both see (docs/deployment.md).
EXPORTS_ROOT = Path(os.environ.get("SSOZ_EXPORTS_DIR", VAR_DIR / "exports"))
# An export's file can be downloaded for this many hours, then it is removed.
EXPORT_KEEP_HOURS = envint("EXPORT_KEEP_HOURS", 48)
# Connections that copy one CSV export's rows at the same time (PostgreSQL).
EXPORT_COPY_PARTS = envint("EXPORT_COPY_PARTS", 2)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880
# A report page posts every field of its form at once; the largest forms have a few thousand.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
SCAN_MAX_BYTES = envint("SCAN_MAX_BYTES", 10 * 1024 * 1024)
# No request body may be larger: the largest upload (a scan) and its form, with room to spare.
REQUEST_MAX_BYTES = envint("REQUEST_MAX_BYTES", SCAN_MAX_BYTES + 2 * 1024 * 1024)

# E-mail: SMTP when SMTP_HOST is set; otherwise files in var/mail, one per message.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "SSOZ <ssoz@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ["SMTP_HOST"],
                "port": envint("SMTP_PORT", 587),
                "username": os.environ.get("SMTP_USER", ""),
                "password": os.environ.get("SMTP_PASSWORD", ""),
                "use_tls": envbool("SMTP_USE_TLS", "1"),
                "timeout": envint("SMTP_TIMEOUT", 30),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }

# Background work (mail, jobs) goes through Django's tasks framework onto a queue kept in the
# database, which the worker (`manage.py db_worker`) empties; see docs/architecture.md.
# TASKS_BACKEND=immediate runs each task inside the request instead, with no worker.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in ("database", "immediate"):
    raise ImproperlyConfigured("TASKS_BACKEND must be 'database' or 'immediate'.")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks_db.DatabaseBackend"
            if TASKS_BACKEND == "database"
            else "django.tasks.backends.immediate.ImmediateBackend"
        ),
        "QUEUES": ["default"],
    }
}
# A job whose worker stopped answering for this long is marked failed, never left running.
JOB_STALE_AFTER = envint("JOB_STALE_AFTER", 15 * 60)
# Seconds a task may wait for a worker before `zdrowie/gotowy` says the queue stands.
HEALTH_QUEUE_MAX_WAIT = envint("HEALTH_QUEUE_MAX_WAIT", 300)
# The automatic reminder to entities that have not sent goes this many days before the
# deadline (0: no automatic reminders).
SSOZ_REMINDER_DAYS_BEFORE = envint("SSOZ_REMINDER_DAYS_BEFORE", 7)
# Finished task results are kept this many days, then pruned by `manage.py run_periodic`.
TASK_RESULTS_KEEP_DAYS = envint("TASK_RESULTS_KEEP_DAYS", 14)

# LOG_FORMAT=json: one JSON object a line, for a log collector; otherwise lines to read.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text")
# ACCESS_LOG=1: a line for each request (`lib/request_log.py`), the production profile's access log.
ACCESS_LOG = os.environ.get("ACCESS_LOG", "0") == "1"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ssoz.lib.request_log.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # WeasyPrint and its font tools log every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Contacts shown on every page and in the manual's help section.
HELPDESK_PHONE = os.environ.get("HELPDESK_PHONE", "19 239")
HELPDESK_EMAIL = os.environ.get("HELPDESK_EMAIL", "ssoz@cez.gov.pl")
