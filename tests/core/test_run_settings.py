"""`make run` serves the product as a user meets it (issue 15): debug off, the Dutch error pages,
a refused request as one line in the log (no stack trace), static files and a favicon."""

import io
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from config.settings.log_filters import RefusedRequestWithoutTraceback
from core.models import User
from tests.factories import OrganisationFactory, UserFactory

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent

PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
favicon = Client().get("/favicon.ico")
print(json.dumps({
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "static_root": str(settings.STATIC_ROOT),
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "whitenoise": "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE,
    "favicon": [favicon.status_code, favicon.get("Content-Type", "")],
}))
"""


def run_settings(**env: str) -> dict[str, object]:
    """The run settings as `make run` starts them (a process of their own, no DJANGO_ variables)."""
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings.run", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_the_run_settings_have_debug_off_and_serve_localhost():
    settings = run_settings()
    assert settings["debug"] is False
    assert {"127.0.0.1", "localhost"} <= set(settings["allowed_hosts"])  # type: ignore[arg-type]
    assert settings["static_root"] == str(PROJECT_DIR / "var" / "static")
    assert settings["staticfiles"] == "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
    assert settings["whitenoise"] is True


def test_the_favicon_is_served_at_the_root():
    # The Django test client's host is "testserver"; the default hosts are checked above.
    settings = run_settings(DJANGO_ALLOWED_HOSTS="testserver")
    assert settings["favicon"] == [200, "image/x-icon"]
    assert (PROJECT_DIR / "static" / "root" / "favicon.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"


@pytest.fixture
def console_output() -> Iterator[io.StringIO]:
    """What the console handler of the LOGGING setting writes (the server's log), captured."""
    handler = next(
        handler
        for handler in logging.getLogger().handlers
        if any(isinstance(filter_, RefusedRequestWithoutTraceback) for filter_ in handler.filters)
    )
    assert isinstance(handler, logging.StreamHandler)
    output = io.StringIO()
    previous = handler.setStream(output)
    try:
        yield output
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_page_that_is_not_there_is_the_dutch_404_in_one_log_line(client, caplog, console_output):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/bestaat-niet/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "Niet gevonden" in page
    assert 'href="/"' in page  # a way back
    assert "Traceback" not in page and "Page not found" not in page
    assert [record.getMessage() for record in caplog.records] == ["Not Found: /bestaat-niet/"]
    assert console_output.getvalue() == "Not Found: /bestaat-niet/\n"


@pytest.mark.django_db
@override_settings(DEBUG=False)
def test_a_refused_page_is_the_dutch_403_in_one_log_line(client, caplog, console_output):
    worker = UserFactory(role=User.Role.WORKER, organisation=OrganisationFactory())
    client.force_login(worker)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get("/instellingen/planning/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Geen toegang" in page
    assert 'href="/"' in page
    assert "Traceback" not in page and "403 Forbidden" not in page
    assert [record.getMessage() for record in caplog.records] == [
        "Forbidden (Permission denied): /instellingen/planning/"
    ]
    output = console_output.getvalue()
    assert output == "Forbidden (Permission denied): /instellingen/planning/\n"
    assert "Traceback" not in output


def test_an_error_keeps_its_traceback():
    """Only refused requests lose theirs: a 500 is what an operator must read in full."""
    try:
        raise RuntimeError("kapot")
    except RuntimeError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "boom", None, sys.exc_info())
    record.status_code = 500
    assert RefusedRequestWithoutTraceback().filter(record) is True
    assert record.exc_info is not None


@override_settings(DEBUG=False)
def test_the_500_page_is_dutch_and_stands_alone(client):
    from django.template import loader

    page = loader.get_template("500.html").render({})
    assert "Er ging iets mis" in page
    assert 'href="/"' in page
    assert "Server Error" not in page
