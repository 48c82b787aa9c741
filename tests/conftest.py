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
