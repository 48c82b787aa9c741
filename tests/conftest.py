import os
from collections.abc import Iterator

import pytest

from tests.services import CHROMIUM, browser_unavailable_reason, integration_unavailable_reason, services_required


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip tests whose services are missing, with the reason; fail them under REQUIRE_SERVICES=1."""
    checks = {"integration": integration_unavailable_reason, "browser": browser_unavailable_reason}
    for marker, check in checks.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = check()
        if reason is None:
            continue
        if services_required():
            pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Each test starts with an empty shared cache: on SQLite a rolled-back test's ids come back in
    the next one, and figures cached under them (issue 16) must not."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def reference_data(django_db_blocker):
    """The rows the data migrations load (ten reference approaches, the default parameter set).

    A transactional test's flush removes them for the tests after it; re-running the migrations'
    own idempotent loaders restores them without serialized_rollback (which clashes with the
    content types that every flush recreates)."""
    from importlib import import_module

    from django.apps import apps

    with django_db_blocker.unblock():
        import_module("mkba.migrations.0002_load_reference_approaches").reference_approaches_load(apps, None)
        import_module("mkba.migrations.0003_load_default_parameter_set").default_parameter_set_load(apps, None)


# Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test body
# are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"]


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[object]:
    if browser_unavailable_reason() is not None:
        pytest.skip(browser_unavailable_reason() or "")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        yield browser
    finally:
        browser.close()
        playwright.stop()


@pytest.fixture
def browser_page(chromium_browser):  # type: ignore[no-untyped-def]
    context = chromium_browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
