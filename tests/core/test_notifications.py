import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from core.models import Notification
from core.services import notification_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_notification_is_shown_counted_and_marked_read(client):
    user = UserFactory(username="anna")
    notification_send(users=[user, user], text="Rapport klaar", url="/rapporten/1/")
    client.force_login(user)

    page = client.get(reverse("notification_list"))

    assert page.context["unread_notifications"] == 1  # the same user twice is told once
    assert "Rapport klaar" in page.content.decode()
    client.post(reverse("notifications_read"))
    assert Notification.objects.filter(read_at__isnull=True).count() == 0


@override_settings(CASELOAD_SEND_EMAIL=True, CASELOAD_BASE_URL="https://caseload.example.org")
def test_email_where_configured_and_the_user_has_an_address():
    notification_send(
        users=[UserFactory(email="anna@example.org"), UserFactory(email="")], text="Rapport klaar", url="/r/1/"
    )

    assert [(m.to, m.body) for m in mail.outbox] == [
        (["anna@example.org"], "Rapport klaar\nhttps://caseload.example.org/r/1/")
    ]


def test_no_email_unless_configured():
    notification_send(users=[UserFactory(email="anna@example.org")], text="Rapport klaar")
    assert mail.outbox == []
