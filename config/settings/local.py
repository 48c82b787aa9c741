"""Local development and `make run`: the embedded defaults, debug on unless said otherwise."""

from .base import *
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# A development key only; production.py refuses to start without DJANGO_SECRET_KEY.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-development-key-not-for-production-use-0123456789")
