"""Settings for pytest: fast hashing, no throttling, e-mail kept in memory."""

from .base import *
from .base import DATABASES, MIDDLEWARE, REST_FRAMEWORK, env

SECRET_KEY = env("DJANGO_SECRET_KEY", default="test-key-not-for-production-use-0123456789abcdef")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Throttling off (a rate of None) unless a test sets a rate: the classes stay, so such a test can.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None}}
# One process, no table to create: the tests of the shared backend choice read the settings module.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "caseload-test"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# No collected static files in tests: the live server and runserver serve them from the finders.
MIDDLEWARE = [m for m in MIDDLEWARE if m != "whitenoise.middleware.WhiteNoiseMiddleware"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite, with a flush that respects the audit log's append-only trigger.
    DATABASES["default"]["ENGINE"] = "tests.sqlite_backend"
