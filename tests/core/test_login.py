import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_and_logout(client):
    UserFactory(username="anna", password="correct-horse-battery-staple")

    response = client.post(reverse("login"), {"username": "anna", "password": "correct-horse-battery-staple"})

    assert response.status_code == 302
    assert client.get(reverse("notification_list")).status_code == 200  # logged in


def test_login_is_locked_after_five_failures_even_with_the_right_password(client):
    UserFactory(username="anna", password="correct-horse-battery-staple")
    for _ in range(5):
        client.post(reverse("login"), {"username": "anna", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")

    response = client.post(
        reverse("login"), {"username": "anna", "password": "correct-horse-battery-staple"}, REMOTE_ADDR="10.0.0.1"
    )

    assert response.status_code == 429
    assert client.get(reverse("notification_list"))["Location"].startswith(reverse("login"))  # still not logged in


@pytest.mark.parametrize("password", ["kort", "wachtwoord", "12345678901234", "anna-anna-anna"])
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="anna-anna-anna")
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_a_long_unusual_passphrase_is_accepted():
    validate_password("paars-fietsenrek-onder-de-brug")


@pytest.mark.parametrize(
    ("role", "is_staff", "start"),
    [
        ("worker", False, "/caseload/"),
        ("team_lead", False, "/team/"),
        ("analyst", False, "/rendement/"),
        ("admin", True, "/beheer/"),
    ],
)
def test_each_role_starts_on_its_own_page(client, role, is_staff, start):
    client.force_login(UserFactory(role=role, is_staff=is_staff))

    response = client.get(reverse("home"))

    assert (response.status_code, response["Location"]) == (302, start)


# --- Issue 12, finding 7: lock-out per username, short cool-off, password spraying, password change ---

SPRAYED = "Zomer2026-Zomer2026"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def login_post(client, username: str, password: str, address: str = "10.0.0.1", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def test_an_unsafe_next_lands_on_the_home_page(client):
    UserFactory(username="anna", password="correct-horse-battery-staple")

    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": "anna", "password": "correct-horse-battery-staple", "next": "https://evil.example/"},
    )

    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_lock_out_is_per_username_whatever_the_address(client):
    UserFactory(username="anna", password="correct-horse-battery-staple")
    for number in range(5):
        login_post(client, "anna", f"wrong-{number}", address=f"203.0.113.{number}")

    response = login_post(client, "anna", "correct-horse-battery-staple", address="198.51.100.1")

    assert response.status_code == 429
    assert "Tijdelijk geblokkeerd" in response.content.decode()
    assert client.get(reverse("notification_list")).status_code == 302  # not logged in


def test_a_locked_account_does_not_lock_out_a_colleague_behind_the_same_address(client):
    UserFactory(username="anna", password="correct-horse-battery-staple")
    UserFactory(username="bram", password="paars-fietsenrek-onder-de-brug")
    for number in range(5):
        login_post(client, "anna", f"wrong-{number}")

    response = login_post(client, "bram", "paars-fietsenrek-onder-de-brug")

    assert (response.status_code, response["Location"]) == (302, "/")


def test_the_lock_out_ends_after_a_quarter_of_an_hour(client):
    UserFactory(username="anna", password="correct-horse-battery-staple")
    start = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False):
        for number in range(5):
            login_post(client, "anna", f"wrong-{number}")
    with time_machine.travel(start + datetime.timedelta(minutes=14), tick=False):
        assert login_post(client, "anna", "correct-horse-battery-staple").status_code == 429
    with time_machine.travel(start + datetime.timedelta(minutes=30), tick=False):
        assert login_post(client, "anna", "correct-horse-battery-staple").status_code == 302


def test_one_password_sprayed_over_many_accounts_is_refused_without_revealing_accounts(client):
    UserFactory(username="victim", password=SPRAYED)
    for number in range(10):  # half of them exist
        if number % 2:
            UserFactory(username=f"user{number}")
        response = login_post(client, f"user{number}", SPRAYED, address=f"203.0.113.{number}")
        assert response.status_code == 200  # an ordinary failed login

    victim = login_post(client, "victim", SPRAYED, address="198.51.100.1")
    nobody = login_post(client, "nobody-at-all", SPRAYED, address="198.51.100.2")

    assert (victim.status_code, nobody.status_code) == (429, 429)
    message = "Te veel mislukte inlogpogingen. Wacht even en probeer het daarna opnieuw."
    assert victim.context["form"].non_field_errors() == [message]
    assert nobody.context["form"].non_field_errors() == [message]  # the same answer: no account oracle
    assert client.get(reverse("notification_list")).status_code == 302  # the victim is not logged in
    assert login_post(client, "user1", "correct-horse-battery-staple").status_code == 302  # other passwords work


def test_the_spray_counter_keeps_no_password_in_the_cache(client):
    login_post(client, "anna", SPRAYED)

    keys = list(cache._cache)  # type: ignore[attr-defined]  # LocMemCache in the test settings
    assert len(keys) == 2
    assert not any(SPRAYED in key for key in keys)


@override_settings(CASELOAD_LOGIN_ADDRESS_FAILURE_LIMIT=3)
def test_one_address_trying_many_accounts_is_refused_but_not_another_address(client):
    UserFactory(username="bram", password="paars-fietsenrek-onder-de-brug")
    for number in range(3):
        login_post(client, f"user{number}", f"guess-{number}", address="203.0.113.9")

    assert login_post(client, "bram", "paars-fietsenrek-onder-de-brug", address="203.0.113.9").status_code == 429
    assert login_post(client, "bram", "paars-fietsenrek-onder-de-brug", address="198.51.100.1").status_code == 302


@override_settings(CASELOAD_TRUSTED_PROXIES=["10.0.0.5"])
def test_behind_a_trusted_proxy_the_lock_out_log_names_the_client(client):
    login_post(client, "anna", "wrong", address="10.0.0.5", HTTP_X_FORWARDED_FOR="198.51.100.23")

    assert list(AccessAttempt.objects.values_list("username", "ip_address")) == [("anna", "198.51.100.23")]


def test_every_user_can_change_their_password(client):
    user = UserFactory(username="anna", password="correct-horse-battery-staple")
    client.force_login(user)

    assert 'href="/wachtwoord/"' in client.get(reverse("notification_list")).content.decode()  # in the header
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "paars-fietsenrek-onder-de-brug",
            "new_password2": "paars-fietsenrek-onder-de-brug",
        },
    )

    assert (response.status_code, response["Location"]) == (302, "/wachtwoord/gewijzigd/")
    user.refresh_from_db()
    assert user.check_password("paars-fietsenrek-onder-de-brug")
    assert client.get(response["Location"]).status_code == 200  # still logged in


def test_a_weak_new_password_is_refused(client):
    user = UserFactory(username="anna", password="correct-horse-battery-staple")
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": "correct-horse-battery-staple", "new_password1": "wachtwoord", "new_password2": "wachtwoord"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == [
        "Het wachtwoord is te kort. Het moet ten minste 12 tekens bevatten.",
        "Dit wachtwoord is te algemeen.",
    ]
    user.refresh_from_db()
    assert user.check_password("correct-horse-battery-staple")
