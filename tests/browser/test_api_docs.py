"""The API documentation renders in a real browser under the Content-Security-Policy, offline:
the Swagger UI from the vendored sidecar files, its start-up script as a file of its own."""

import pytest
from playwright.sync_api import expect

from core.models import User
from tests.browser.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery-staple"


def test_the_api_docs_render_from_our_own_files_without_breaking_the_policy(browser_page, live_server):
    UserFactory(username="anna", role=User.Role.TEAM_LEAD, password=PASSWORD)
    page = browser_page
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    foreign: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(live_server.url) else foreign.append(request.url))

    login(page, live_server, "anna", PASSWORD)
    page.goto(f"{live_server.url}/api/v1/docs/")

    expect(page.get_by_role("heading", name="Caseload API")).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/youths/").first).to_be_visible()
    assert [problem for problem in problems if "Content Security Policy" in problem] == []
    assert [url for url in foreign if not url.startswith("data:")] == []
