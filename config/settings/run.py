"""`make run`: the product as a user meets it, on the embedded defaults (SQLite, no Redis).

Debug off, so a page that is not there or not allowed answers with the Dutch 404/403/500 pages
instead of Django's technical ones; static files collected into var/ and served by WhiteNoise (with
hashed names, so a browser never keeps an old style sheet) from a real server (gunicorn). Not
WhiteNoise's compressing storage: compressing every file (the API documentation's bundles among
them) took a minute of a first start, for a server on the user's own machine.
"""

from .base import VAR_DIR, env
from .local import *

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

# `manage.py collectstatic` (run by `make run`) fills this; `make clean` removes var/.
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
