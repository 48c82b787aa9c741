"""Issue 12, finding 6: Content-Security-Policy without inline script, API docs from vendored files
behind login, no-store on personal data; finding 7: the API throttles anonymous callers, in Dutch."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from cases.models import Trajectory
from core.models import User
from demo.data import demo_data_load

pytestmark = pytest.mark.django_db

EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'"
)
NO_STORE = "max-age=0, no-cache, no-store, must-revalidate, private"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo():
    return demo_data_load(anchor=datetime.date(2026, 3, 1))


class ScriptAudit(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' would block, and every URL."""

    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts: list[str] = []
        self.event_handlers: list[str] = []
        self.javascript_urls: list[str] = []
        self.urls: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self._in_inline_script = True
            self.inline_scripts.append("")
        for name, value in attrs:
            if name.startswith("on"):
                self.event_handlers.append(f"<{tag} {name}>")
            if name in ("src", "href", "action") and value:
                self.urls.append(value)
                if value.strip().lower().startswith("javascript:"):
                    self.javascript_urls.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data: str) -> None:
        if self._in_inline_script:
            self.inline_scripts[-1] += data


def audit(html: str) -> ScriptAudit:
    parser = ScriptAudit()
    parser.feed(html)
    return parser


def test_every_page_carries_the_content_security_policy(client):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    script_src = re.search(r"script-src ([^;]*)", response["Content-Security-Policy"])
    assert script_src is not None and script_src.group(1) == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'


def test_pages_of_the_demo_users_have_no_inline_script(client, demo):
    youth_id = (
        Trajectory.objects.filter(worker__user__username="begeleider", end_date__isnull=True)
        .values_list("youth_id", flat=True)
        .first()
    )
    pages = {
        "begeleider": ["/", "/caseload/", f"/jongeren/{youth_id}/", "/intake/", "/meldingen/", "/wachtwoord/"],
        "teamleider": ["/team/", "/planning/", f"/jongeren/{youth_id}/"],
        "analist": ["/rendement/", "/kengetallen/"],
        "beheerder": ["/beheer/"],
    }
    checked = []
    for username, paths in pages.items():
        client.force_login(User.objects.get(username=username))
        for path in paths:
            response = client.get(path, follow=True)
            assert response.status_code == 200, (username, path)
            assert response["Content-Security-Policy"] == EXPECTED_CSP
            found = audit(response.content.decode())
            assert (found.inline_scripts, found.event_handlers, found.javascript_urls) == ([], [], []), path
            checked.append(path)
    assert len(checked) == 12


def test_a_dossier_page_is_not_stored_by_browser_or_proxy(client, demo):
    trajectory = Trajectory.objects.filter(worker__user__username="begeleider", end_date__isnull=True).first()
    assert trajectory is not None
    client.force_login(User.objects.get(username="begeleider"))

    response = client.get(reverse("cases:youth_dossier", args=[trajectory.youth_id]))

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_an_api_response_is_not_stored_by_browser_or_proxy(client, demo):
    client.force_login(User.objects.get(username="begeleider"))

    response = client.get("/api/v1/youths/")

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE
    assert client.logout() is None and client.get("/api/v1/youths/")["Cache-Control"] == NO_STORE  # refused too


def test_static_files_stay_cacheable(client, demo):
    client.force_login(User.objects.get(username="begeleider"))

    response = client.get("/static/css/app.css")

    assert "no-store" not in response.get("Cache-Control", "")


def test_api_docs_come_from_our_own_static_files_and_load_under_the_policy(client, demo):
    client.force_login(User.objects.get(username="begeleider"))

    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    found = audit(response.content.decode())
    assert found.inline_scripts == []
    assert [url for url in found.urls if urlsplit(url).netloc] == []  # no external host at all
    scripts = [url for url in found.urls if url.endswith(".js") or "script" in url]
    assert [url for url in scripts if url.startswith("/static/")] == [
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js",
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-standalone-preset.js",
    ]
    for url in found.urls:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")) is not None, url
    init_script = client.get(next(url for url in scripts if "script" in urlsplit(url).query))
    assert init_script.status_code == 200
    assert init_script["Content-Type"] == "application/javascript"
    assert "/api/v1/schema/" in init_script.content.decode()
    assert client.get("/api/v1/schema/").status_code == 200


def test_api_docs_and_schema_refuse_anonymous_visitors(client):
    docs = client.get("/api/v1/docs/")
    schema = client.get("/api/v1/schema/")

    assert (docs.status_code, docs["Location"]) == (302, "/inloggen/?next=/api/v1/docs/")
    assert schema.status_code == 403


@override_settings(
    REST_FRAMEWORK={
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/hour", "user": None},
    }
)
def test_anonymous_api_requests_are_throttled_in_dutch(client):
    answers = [client.get("/api/v1/youths/", REMOTE_ADDR="192.0.2.7").status_code for _ in range(3)]
    refused = client.get("/api/v1/youths/", REMOTE_ADDR="192.0.2.7")
    other_address = client.get("/api/v1/youths/", REMOTE_ADDR="192.0.2.8")

    assert answers == [403, 403, 403]  # not signed in, but counted
    assert refused.status_code == 429
    assert refused.json()["detail"] == "Te veel verzoeken. Probeer het over 3600 seconden opnieuw."
    assert refused["Retry-After"] == "3600"
    assert other_address.status_code == 403


@override_settings(
    REST_FRAMEWORK={
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/hour", "user": "5/hour"},
    }
)
def test_signed_in_users_have_their_own_rate_not_the_anonymous_one(client, demo):
    client.force_login(User.objects.get(username="begeleider"))

    answers = [client.get("/api/v1/youths/").status_code for _ in range(6)]

    assert answers == [200, 200, 200, 200, 200, 429]


@override_settings(CASELOAD_TRUSTED_PROXIES=["10.0.0.5"])
def test_the_client_address_is_read_behind_a_trusted_proxy_only():
    from django.test import RequestFactory

    from core.auth import client_ip

    factory = RequestFactory()
    behind_proxy = factory.get("/", REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    direct = factory.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert client_ip(behind_proxy) == "198.51.100.4"  # the address the proxy saw, not what the client wrote
    assert client_ip(direct) == "198.51.100.9"
