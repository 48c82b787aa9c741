"""Settings shared by every environment. Everything that differs comes from the environment."""

import importlib.util
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(str(BASE_DIR / ".env"))

SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])

INSTALLED_APPS = [
    "core.apps.CaseloadAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our own static files, no CDN
    "django_celery_beat",
    "django_htmx",
    "axes",
    "core",
    "cases",
    "caseload",
    "mkba",
    "accountability",
    "reports",
    "demo",  # last: the demo data reaches every app above
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Personal data is never kept by a browser or proxy cache (needs request.user).
    "core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.notifications",
                "core.context_processors.access",
            ],
        },
    },
]

# Unset DATABASE_URL: an SQLite file in the project folder, so a new user needs nothing installed.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, worker and scheduler share one SQLite file: wait for locks instead of
    # failing, and use WAL so readers do not block the writer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "core.auth.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},  # Django's, in Dutch
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock an account after five failed logins, for a quarter of an hour. Per username
# only: keyed on username + address, everyone behind one proxy address could be locked out by one
# person, and an attacker with many addresses was never stopped. The client address (for axes'
# log and our own counters) is read behind the configured trusted proxies (core.auth.client_ip).
AXES_FAILURE_LIMIT = env.int("CASELOAD_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("CASELOAD_LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns that a lock-out without the address can be dodged by rotating user agents or cookies:
# not so for a username-only key, and the address is counted separately by core.auth.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.auth.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_COOLOFF_MESSAGE = _("Te veel mislukte inlogpogingen. Probeer het later opnieuw.")
# Addresses (or networks) of the reverse proxies in front of the application, whose
# X-Forwarded-For is believed. Empty (default): no proxy, the client is REMOTE_ADDR.
CASELOAD_TRUSTED_PROXIES = env.list("CASELOAD_TRUSTED_PROXIES", default=[])
# Password spraying (one password tried on many accounts) and one address trying many accounts:
# failed logins are counted per (keyed hash of the) password and per client address in the shared
# cache over a window; past the limit further attempts with it are refused until the window ends.
CASELOAD_LOGIN_SPRAY_WINDOW_MINUTES = env.int("CASELOAD_LOGIN_SPRAY_WINDOW_MINUTES", default=60)
CASELOAD_LOGIN_PASSWORD_FAILURE_LIMIT = env.int("CASELOAD_LOGIN_PASSWORD_FAILURE_LIMIT", default=10)
CASELOAD_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("CASELOAD_LOGIN_ADDRESS_FAILURE_LIMIT", default=50)

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files a browser asks for at the site's root (/favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # HTMX reads the token from the page, not the cookie.
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy through Django's own CSP support (Django >= 6.0; on 5.2 the middleware
# does not exist and the policy is simply not sent). Scripts only from our own files: no inline
# script, no eval (HTMX's eval is switched off in base.html's htmx-config too).
# Styles allow 'unsafe-inline' because of what a style sheet cannot express: the dossier timeline
# positions its bars with computed style="left/width" attributes, chart legends carry their colour
# as a style attribute, a few pages add a <style> block of their own, and the Swagger UI sets
# styles inline. An injected style cannot run code; the script policy stays strict.
_CSP_SELF = "'self'"
SECURE_CSP = {
    "default-src": [_CSP_SELF],
    "script-src": [_CSP_SELF],
    "style-src": [_CSP_SELF, "'unsafe-inline'"],
    "img-src": [_CSP_SELF, "data:"],
    "font-src": [_CSP_SELF],
    "connect-src": [_CSP_SELF],
    "object-src": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": [_CSP_SELF],
    "base-uri": [_CSP_SELF],
}
if importlib.util.find_spec("django.middleware.csp") is not None:
    MIDDLEWARE.insert(1, "django.middleware.csp.ContentSecurityPolicyMiddleware")

# The shared cache: API rate limits and login counters must hold across processes and restarts.
# Redis when REDIS_URL is set (database 1, so Celery's queues in database 0 stay apart), the
# database otherwise (`manage.py createcachetable`, run by `make run`).
if env("REDIS_URL", default=""):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": urlsplit(env("REDIS_URL"))._replace(path="/1").geturl(),
            "KEY_PREFIX": "caseload",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "caseload_cache",
            "KEY_PREFIX": "caseload",
        }
    }

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
        # Last: counts what no class above authenticated against the anonymous rate.
        "core.api.throttling.AnonymousThrottleAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    # Counted in the shared cache above; a rate of None switches a throttle off. The anonymous
    # rate is applied by AnonymousThrottleAuthentication (see there why not here).
    "DEFAULT_THROTTLE_CLASSES": ["core.api.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        # Anonymous callers have nothing to read (every endpoint needs a login); the limit stops
        # guessing and flooding. A signed-in user: a busy day's pages and scripts, not a scraper.
        "anon": env("CASELOAD_API_RATE_ANONYMOUS", default="60/hour"),
        "user": env("CASELOAD_API_RATE_USER", default="2000/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Caseload API",
    "DESCRIPTION": "Caseload, tijdregistratie en maatschappelijk rendement (MKBA) van jongerenbegeleiding.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # The schema and its documentation only for signed-in users, from vendored files.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # The ways to sign in; the anonymous counter among the authentication classes is not one.
    "AUTHENTICATION_WHITELIST": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ReportKindEnum": "reports.models.Report.Kind",
        "AccountabilityReportKindEnum": "reports.api.serializers.ACCOUNTABILITY_KIND_CHOICES",
        "CostLineEnum": "cases.models.CostLine",
    },
}

# Celery. Unset REDIS_URL: kombu's filesystem transport in var/, so the worker and the
# scheduler still run as real processes on a machine with nothing installed.
REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "filesystem://"
if not REDIS_URL:
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # The exchange table too (kombu's default: a control/ folder wherever a process starts).
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # Redelivery after a worker died mid-task (acks_late): a little longer than the longest task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_RESULT_BACKEND = None
# No results kept, so nothing to expire: beat adds no nightly celery.backend_cleanup job.
CELERY_RESULT_EXPIRES = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="caseload@localhost")
# Notifications are always shown in the application; e-mail only where a deployment says so.
CASELOAD_SEND_EMAIL = env.bool("CASELOAD_SEND_EMAIL", default=False)
CASELOAD_BASE_URL = env("CASELOAD_BASE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refused_without_traceback": {"()": "config.settings.log_filters.RefusedRequestWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refused_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Redis redelivers a message whose worker died mid-task (acks_late) once it has been unacknowledged
# for the visibility timeout; kombu looks for such messages every interval x throttle seconds
# (10 x 10 by default). Tests and demos that kill workers set a short timeout and a 1-second sweep.
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    if env("CELERY_UNACKED_RESTORE_INTERVAL", default=""):
        CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_interval"] = env.int("CELERY_UNACKED_RESTORE_INTERVAL")
        CELERY_BROKER_TRANSPORT_OPTIONS["unacked_restore_throttle"] = 1

# Stored reports (SPEC §5). The queue of the report jobs (empty: Celery's default queue; a
# deployment may route them to a worker of their own). CASELOAD_REPORT_STEP_DELAY: seconds the
# report job waits between its progress steps, for demonstrations and tests only (0 in production).
CASELOAD_REPORT_QUEUE = env("CASELOAD_REPORT_QUEUE", default="")
CASELOAD_REPORT_STEP_DELAY = env.float("CASELOAD_REPORT_STEP_DELAY", default=0.0)
# A report still pending after this many minutes (its message lost, e.g. the broker was down when it
# was requested) or running longer than the task time limit is sent again by the sweep job.
CASELOAD_REPORT_STALLED_MINUTES = env.int("CASELOAD_REPORT_STALLED_MINUTES", default=15)
# WeasyPrint (the reports' PDF) logs every screen-only CSS rule it skips; only its errors matter.
LOGGING["loggers"]["weasyprint"] = {"level": "ERROR"}  # type: ignore[index]
