import pytest

from tests.services import browser_unavailable_reason, integration_unavailable_reason, services_required


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
