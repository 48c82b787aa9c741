"""The in-app audit page and its CSV download (SPEC §8, issue 12): only the organisation's privacy
officer, only that organisation's rows, newest first, filtered, paginated, downloadable."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from core import services
from core.models import AuditLogEntry, User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

R = User.Role
MARCH = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)  # 10:00 in Amsterdam (CET)
JULY = datetime.datetime(2026, 7, 1, 21, 30, tzinfo=datetime.UTC)  # 23:30 in Amsterdam (CEST)


@pytest.fixture
def trail():  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(name="Gemeente Voorbeeld")
    other = OrganisationFactory(name="Gemeente Elders")
    officer = UserFactory(
        username="privacy", first_name="Petra", last_name="Privacy", role=R.PRIVACY_OFFICER, organisation=organisation
    )
    anna = UserFactory(username="anna", first_name="Anna", last_name="de Boer", organisation=organisation)
    tessa = UserFactory(
        username="tessa", first_name="Tessa", last_name="Teamleider", role=R.TEAM_LEAD, organisation=organisation
    )
    with time_machine.travel(MARCH, tick=False):
        dossier = services.audit_log_record(
            user=anna,
            action="view",
            object_type="youth",
            object_id=11,
            youth_key="J-1",
            organisation=organisation,
            detail="dossier",
        )
    with time_machine.travel(MARCH + datetime.timedelta(days=1), tick=False):
        listed = services.audit_log_read(
            user=tessa, youth_keys=["J-2", "J-1"], organisation_id=organisation.pk, object_type="youth", detail="lijst"
        )
    with time_machine.travel(JULY, tick=False):
        changed = services.audit_log_record(
            user=anna,
            action="update",
            object_type="trajectory",
            object_id=5,
            youth_key="J-2",
            organisation=organisation,
            detail="fase; rol",
        )
        services.audit_log_record(
            user=UserFactory(username="elders", organisation=other),
            action="view",
            object_type="youth",
            object_id=99,
            youth_key="J-1",
            organisation=other,
        )
    anna.delete()  # the trail keeps her name
    return {"officer": officer, "organisation": organisation, "dossier": dossier, "listed": listed, "changed": changed}


def test_the_privacy_officer_sees_exactly_their_organisations_rows_newest_first(client, trail):
    client.force_login(trail["officer"])

    response = client.get(reverse("audit_log"))

    assert response.status_code == 200
    rows = [(entry.pk, entry.actor_name, entry.youth_key_list) for entry in response.context["entries"]]
    assert rows == [
        (trail["changed"].pk, "Anna de Boer", ["J-2"]),
        (trail["listed"].pk, "Tessa Teamleider", ["J-1", "J-2"]),
        (trail["dossier"].pk, "Anna de Boer", ["J-1"]),
    ]
    page = response.content.decode()
    assert "Anna de Boer" in page and "J-1, J-2" in page
    # The other organisation's row (by "elders", object 99) is not on the page; "99" alone could be in a token.
    assert "elders" not in page and "<td>99</td>" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"date_from": "2026-03-03"}, ["changed", "listed"]),
        ({"date_to": "2026-03-02"}, ["dossier"]),
        ({"date_from": "2026-07-01", "date_to": "2026-07-01"}, ["changed"]),  # 23:30 local is still 1 July
        ({"actor": "anna de"}, ["changed", "dossier"]),  # a deleted user's rows are found by name
        ({"actor": "tessa"}, ["listed"]),
        ({"youth_key": "J-1"}, ["listed", "dossier"]),
        ({"youth_key": "J-"}, []),  # a key is matched whole, not as a prefix
        ({"action": "update"}, ["changed"]),
        ({"object_type": "trajectory"}, ["changed"]),
        ({"youth_key": "J-2", "action": "view"}, ["listed"]),
    ],
)
def test_filters(client, trail, query, expected):
    client.force_login(trail["officer"])

    response = client.get(reverse("audit_log"), query)

    assert response.status_code == 200
    assert [entry.pk for entry in response.context["entries"]] == [trail[name].pk for name in expected]


def test_an_impossible_filter_is_said_and_the_download_refused(client, trail):
    client.force_login(trail["officer"])
    query = {"date_from": "2026-07-02", "date_to": "2026-07-01"}

    page = client.get(reverse("audit_log"), query)
    download = client.get(reverse("audit_log_csv"), query)

    assert "De einddatum ligt voor de begindatum." in page.content.decode()
    assert download.status_code == 400
    assert not AuditLogEntry.objects.filter(action="export").exists()


@pytest.mark.parametrize("role", [R.WORKER, R.TEAM_LEAD, R.ANALYST, R.ADMIN])
def test_other_roles_are_refused_the_page_and_the_download(client, trail, role):
    user = UserFactory(role=role, organisation=trail["organisation"], is_staff=role == R.ADMIN)
    client.force_login(user)
    before = AuditLogEntry.objects.count()

    assert client.get(reverse("audit_log")).status_code == 403
    assert client.get(reverse("audit_log_csv")).status_code == 403
    assert AuditLogEntry.objects.count() == before


def test_anonymous_is_sent_to_the_login(client, trail):
    response = client.get(reverse("audit_log"))

    assert (response.status_code, response["Location"]) == (302, "/inloggen/?next=/audit/")
    assert client.get(reverse("audit_log_csv")).status_code == 302


def test_the_csv_holds_the_filtered_rows_and_its_download_is_audited(client, trail):
    client.force_login(trail["officer"])

    response = client.get(reverse("audit_log_csv"), {"date_from": "2026-03-01"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="auditlog-')
    user_id = trail["changed"].user_id
    tessa_id = trail["listed"].user_id
    assert response.content.decode() == (
        "tijdstip;wie;gebruiker-id;actie;soort object;object-id;jongeren;toelichting\n"
        f'2026-07-01T23:30:00+02:00;Anna de Boer;{user_id};gewijzigd;trajectory;5;J-2;"fase; rol"\n'
        f"2026-03-03T10:00:00+01:00;Tessa Teamleider;{tessa_id};ingezien;youth;;J-1, J-2;lijst\n"
        f"2026-03-02T10:00:00+01:00;Anna de Boer;{user_id};ingezien;youth;11;J-1;dossier\n"
    )
    export = AuditLogEntry.objects.get(action="export")
    assert (export.object_type, export.actor_name, export.user_id, export.organisation_id) == (
        "auditlog",
        "Petra Privacy",
        trail["officer"].pk,
        trail["organisation"].pk,
    )
    assert export.detail == "CSV, 3 regels; filters: date_from=2026-03-01"


def test_fifty_rows_a_page_and_the_filters_kept_when_paging(client, trail):
    with time_machine.travel(MARCH - datetime.timedelta(days=1), tick=False):
        extra = [
            services.audit_log_record(
                user=None, action="view", object_type="youth", object_id=number, organisation=trail["organisation"]
            )
            for number in range(49)
        ]
    client.force_login(trail["officer"])

    first = client.get(reverse("audit_log"), {"object_type": "youth"})  # 49 + dossier + list = 51
    second = client.get(reverse("audit_log"), {"object_type": "youth", "pagina": 2})

    assert len(first.context["entries"]) == 50
    assert [entry.pk for entry in second.context["entries"]] == [extra[0].pk]
    page = first.content.decode()
    assert "pagina 1 van 2" in page
    assert 'href="?object_type=youth&amp;pagina=2"' in page


@pytest.mark.parametrize("extra_rows", [0, 120])
def test_the_page_and_the_download_make_a_bounded_number_of_queries(
    client, trail, extra_rows, django_assert_max_num_queries
):
    for number in range(extra_rows):
        services.audit_log_read(
            user=trail["officer"],
            youth_keys=[f"J-{number}", "J-1"],
            organisation_id=trail["organisation"].pk,
            object_type="youth",
        )
    client.force_login(trail["officer"])

    with django_assert_max_num_queries(8):
        assert client.get(reverse("audit_log"), {"youth_key": "J-1"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("audit_log_csv")).status_code == 200


@pytest.mark.parametrize(
    ("role", "is_staff", "start"),
    [(R.PRIVACY_OFFICER, False, "/audit/"), (R.ADMIN, False, "/beheer/"), (R.WORKER, True, "/caseload/")],
)
def test_the_start_page_follows_the_capabilities_not_is_staff(client, role, is_staff, start):
    client.force_login(UserFactory(role=role, is_staff=is_staff))

    response = client.get(reverse("home"))

    assert (response.status_code, response["Location"]) == (302, start)


def test_the_beheerder_sets_the_audit_retention_in_the_admin(client):
    organisation = OrganisationFactory(name="Gemeente Bewaar")
    client.force_login(UserFactory(role=R.ADMIN, is_staff=True, organisation=organisation))

    page = client.get(f"/beheer/core/organisation/{organisation.pk}/change/")

    assert page.status_code == 200
    assert 'name="audit_retention_months" value="84"' in page.content.decode()
