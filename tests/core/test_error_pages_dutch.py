"""Issue 15: a refused form (an expired CSRF token) and a bad request get a Dutch page too."""

import pytest
from django.test import Client

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_expired_form_gets_the_dutch_page():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    response = client.post("/tijd/", {"minutes": 30})
    assert response.status_code == 403
    assert "Dit formulier is verlopen" in response.content.decode()


def test_a_bad_request_page_is_dutch(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.views.defaults import bad_request

    request = rf.get("/")
    request.user = AnonymousUser()
    response = bad_request(request, Exception("kapot"))
    assert response.status_code == 400 and "Dit verzoek kan niet worden verwerkt" in response.content.decode()
