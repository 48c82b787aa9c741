"""Which real services and tools this test run can reach (PostgreSQL, Redis, Chromium, poppler), and why not."""

import os
import shutil
import socket
import subprocess
from functools import cache
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings


def services_required() -> bool:
    return os.environ.get("REQUIRE_SERVICES") == "1"


def _port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@cache
def integration_unavailable_reason() -> str | None:
    """None when PostgreSQL (as the test database) and Redis (as the broker) are reachable."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return "integration tests need PostgreSQL: set DATABASE_URL=postgres://... (now the SQLite default)"
    if not _port_open(database.get("HOST") or "127.0.0.1", int(database.get("PORT") or 5432)):
        return f"PostgreSQL unreachable at {database.get('HOST')}:{database.get('PORT')}"
    redis_url = os.environ.get("REDIS_URL", "")
    if not redis_url:
        return "integration tests need Redis: set REDIS_URL=redis://... (now the embedded broker)"
    parsed = urlparse(redis_url)
    if not _port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379):
        return f"Redis unreachable at {parsed.hostname}:{parsed.port}"
    return None


CHROMIUM = "/usr/bin/chromium"


@cache
def browser_unavailable_reason() -> str | None:
    if not os.path.exists(CHROMIUM) and not shutil.which("chromium"):
        return "browser tests need Debian's chromium (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests need the playwright package"
    return None


def pdf_text(pdf: bytes, directory: Path) -> str:
    """The text of a PDF as poppler's ``pdftotext -layout`` reads it.

    Without pdftotext the test is skipped with the reason (a fresh machine's ``make test``), and
    fails under REQUIRE_SERVICES=1 (CI installs poppler-utils), as the service checks do.
    """
    if shutil.which("pdftotext") is None:
        reason = "reading a PDF back needs poppler's pdftotext (apt-get install poppler-utils)"
        if services_required():
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)
    path = directory / "document.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", "-layout", str(path), "-"]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout
