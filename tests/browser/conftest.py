"""Helpers for the browser tests; the Chromium fixtures live in tests/conftest.py so that one
Playwright instance serves every directory (a second one in the same thread fails to start)."""


def login(page, live_server, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)
