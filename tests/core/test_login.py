import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
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
