"""The schedules page (SPEC §5: the periodic jobs are scheduled in the database, editable by an
admin): the beheerder sees in Dutch when each job runs and last ran, changes the day and time,
switches a job off, and puts the defaults back; nobody else opens it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask, PeriodicTasks

from core.exceptions import ApplicationError
from core.models import AuditLogEntry, User
from reports import schedules
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/instellingen/planning/"
MONTHLY = "Caseloadrapport per team (maandelijks)"
AUDIT_PURGE = "Bewaartermijn: auditlog opschonen (dagelijks)"
STALLED = "Rapporten: vastgelopen taken opnieuw versturen"


@pytest.fixture
def installed():
    schedules.schedules_install()


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Gemeente Voorbeeld")


@pytest.fixture
def beheerder(organisation):
    return UserFactory(username="beheer", role=User.Role.ADMIN, organisation=organisation)


def task(name: str) -> PeriodicTask:
    return PeriodicTask.objects.select_related("crontab").get(name=name)


def crontab_of(name: str) -> tuple[str, str, str, str, str]:
    crontab = task(name).crontab
    return (crontab.minute, crontab.hour, crontab.day_of_month, crontab.month_of_year, crontab.day_of_week)


def change_url(name: str) -> str:
    return reverse("mkba:schedule_change", args=[task(name).pk])


# --- in words ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("crontab", "words"),
    [
        (("0", "6", "1", "*", "*"), "de 1e van de maand om 06:00"),
        (("30", "6", "1", "1,4,7,10", "*"), "de 1e van januari, april, juli en oktober om 06:30"),
        (("0", "7", "2", "1", "*"), "2 januari om 07:00"),
        (("0", "3", "*", "*", "*"), "elke dag om 03:00"),
        (("*/15", "*", "*", "*", "*"), "elk kwartier"),
        (("*/10", "*", "*", "*", "*"), "elke 10 minuten"),
        (("45", "8", "*", "*", "1"), "elke maandag om 08:45"),
        (("0", "9", "*", "*", "1,4"), "elke maandag en donderdag om 09:00"),
        (("0", "9", "*", "*", "0"), "elke zondag om 09:00"),
        (("0", "*/2", "*", "*", "*"), "volgens het schema 0 */2 * * * (minuut, uur, dag, maand, weekdag)"),
    ],
)
def test_a_crontab_in_dutch_words(crontab, words):
    minute, hour, day_of_month, month_of_year, day_of_week = crontab
    assert (
        schedules.crontab_in_words(
            minute=minute, hour=hour, day_of_month=day_of_month, month_of_year=month_of_year, day_of_week=day_of_week
        )
        == words
    )


# --- who opens it ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_the_login(client, installed):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
    response = client.post(change_url(MONTHLY), {"day_of_month": "3", "time": "05:15"})
    assert response.status_code == 302
    assert crontab_of(MONTHLY) == ("0", "6", "1", "*", "*")


@pytest.mark.parametrize("role", [User.Role.WORKER, User.Role.TEAM_LEAD, User.Role.ANALYST, User.Role.PRIVACY_OFFICER])
def test_other_roles_are_refused_and_change_nothing(client, installed, organisation, role):
    client.force_login(UserFactory(role=role, organisation=organisation))
    assert client.get(LIST_URL).status_code == 403
    response = client.post(change_url(MONTHLY), {"day_of_month": "3", "time": "05:15"})
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()
    assert client.post(reverse("mkba:schedule_reset")).status_code == 403
    assert crontab_of(MONTHLY) == ("0", "6", "1", "*", "*")
    assert task(MONTHLY).enabled
    assert not AuditLogEntry.objects.filter(object_type="schedule").exists()


def test_a_beheerder_without_an_organisation_is_refused(client, installed):
    client.force_login(UserFactory(role=User.Role.ADMIN, organisation=None))
    assert client.get(LIST_URL).status_code == 403


def test_the_beheerder_sees_every_schedule_in_dutch(client, installed, beheerder, django_assert_max_num_queries):
    PeriodicTask.objects.filter(name=MONTHLY).update(
        last_run_at=datetime.datetime(2026, 11, 1, 5, 0, tzinfo=datetime.UTC)
    )
    client.force_login(beheerder)
    with django_assert_max_num_queries(12):
        response = client.get(LIST_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Planning van de achtergrondtaken" in page
    for default in schedules.SCHEDULE_DEFAULTS:
        assert default.name in page
    assert "De 1e van de maand om 06:00" in page
    assert "De 1e van januari, april, juli en oktober om 06:30" in page
    assert "Elke dag om 03:30" in page
    assert "Elk kwartier" in page
    assert "1 november 2026 06:00" in page  # 05:00 UTC is 06:00 in Amsterdam
    assert "nog niet" in page
    # The quarter-hourly sweep has no single time to change: only on/off.
    assert f'id="id_schedule_{task(STALLED).pk}_time"' not in page
    assert f'id="id_schedule_{task(STALLED).pk}_enabled"' in page


def test_an_operator_opens_it_too(client, installed):
    operator = UserFactory(username="operator", is_superuser=True, is_staff=True, organisation=None)
    client.force_login(operator)
    assert client.get(LIST_URL).status_code == 200


def test_other_periodic_tasks_are_listed_after_the_defaults(client, installed, beheerder):
    every_hour, _ = IntervalSchedule.objects.get_or_create(every=2, period=IntervalSchedule.HOURS)
    PeriodicTask.objects.create(name="Eigen taak", task="core.audit_log_delete_expired", interval=every_hour)
    client.force_login(beheerder)
    page = client.get(LIST_URL).content.decode()
    assert "Eigen taak" in page
    assert "Elke 2 uur" in page
    assert page.index("Eigen taak") > page.index(STALLED)


# --- changing ----------------------------------------------------------------------------------------


def test_the_beheerder_changes_the_day_and_time(client, installed, beheerder):
    client.force_login(beheerder)
    PeriodicTasks.objects.all().delete()
    response = client.post(change_url(MONTHLY), {"day_of_month": "3", "time": "05:15", "enabled": "on"}, follow=True)
    assert response.status_code == 200
    assert crontab_of(MONTHLY) == ("15", "5", "3", "*", "*")
    assert task(MONTHLY).crontab.timezone.key == "Europe/Amsterdam"
    assert task(MONTHLY).enabled
    page = response.content.decode()
    assert "Opgeslagen: Caseloadrapport per team (maandelijks) draait de 3e van de maand om 05:15 (aan)." in page
    assert PeriodicTasks.last_change() is not None  # the running scheduler reloads its schedule
    entry = AuditLogEntry.objects.get(object_type="schedule")
    assert entry.user == beheerder
    assert entry.action == AuditLogEntry.Action.UPDATE
    assert entry.detail == "Caseloadrapport per team (maandelijks): de 3e van de maand om 05:15, aan"
    # The other schedule on the same old crontab kept it.
    assert crontab_of("MKBA-rapport per aanpak (per kwartaal)") == ("30", "6", "1", "1,4,7,10", "*")


def test_the_beheerder_switches_a_schedule_off_and_on(client, installed, beheerder):
    client.force_login(beheerder)
    client.post(change_url(AUDIT_PURGE), {"time": "03:30"})
    assert not task(AUDIT_PURGE).enabled
    assert crontab_of(AUDIT_PURGE) == ("30", "3", "*", "*", "*")
    client.post(change_url(STALLED), {})
    assert not task(STALLED).enabled
    assert crontab_of(STALLED) == ("*/15", "*", "*", "*", "*")
    client.post(change_url(AUDIT_PURGE), {"time": "03:30", "enabled": "on"})
    assert task(AUDIT_PURGE).enabled


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"day_of_month": "31", "time": "06:00", "enabled": "on"}, "Kies een dag van 1 tot en met 28"),
        ({"day_of_month": "0", "time": "06:00", "enabled": "on"}, "Kies een dag van 1 tot en met 28"),
        ({"day_of_month": "drie", "time": "06:00", "enabled": "on"}, "Vul een dag in als getal."),
        ({"day_of_month": "1", "time": "25:00", "enabled": "on"}, "Vul een tijd in als uu:mm"),
        ({"day_of_month": "1", "time": "", "enabled": "on"}, "Vul een tijd in."),
        ({"day_of_month": "", "time": "06:00"}, "Vul een dag in."),
    ],
)
def test_bad_input_gives_a_dutch_error_and_writes_nothing(client, installed, beheerder, data, message):
    client.force_login(beheerder)
    before = PeriodicTask.objects.get(name=MONTHLY).date_changed
    response = client.post(change_url(MONTHLY), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert crontab_of(MONTHLY) == ("0", "6", "1", "*", "*")
    assert task(MONTHLY).enabled
    assert task(MONTHLY).date_changed == before
    assert not AuditLogEntry.objects.filter(object_type="schedule").exists()


def test_an_unknown_schedule_is_not_found(client, installed, beheerder):
    client.force_login(beheerder)
    assert client.post("/instellingen/planning/999999/", {"enabled": "on"}).status_code == 404


def test_get_does_not_change(client, installed, beheerder):
    client.force_login(beheerder)
    assert client.get(change_url(MONTHLY)).status_code == 405
    assert client.get(reverse("mkba:schedule_reset")).status_code == 405


def test_the_service_refuses_a_part_that_is_not_one_fixed_value(installed):
    with pytest.raises(ApplicationError) as raised:
        schedules.schedule_change(periodic_task_id=task(STALLED).pk, enabled=True, hour=5, minute=0)
    assert raised.value.fields == {
        "hour": ["Dit deel van de planning ligt vast en kan hier niet worden gewijzigd."],
        "minute": ["Dit deel van de planning ligt vast en kan hier niet worden gewijzigd."],
    }
    assert crontab_of(STALLED) == ("*/15", "*", "*", "*", "*")


def test_the_service_checks_the_ranges_itself(installed):
    with pytest.raises(ApplicationError) as raised:
        schedules.schedule_change(periodic_task_id=task(MONTHLY).pk, enabled=True, day_of_month=29, hour=24, minute=60)
    assert set(raised.value.fields) == {"day_of_month", "hour", "minute"}
    assert raised.value.extra["codes"] == [
        schedules.ScheduleErrorCode.DAY_OUT_OF_RANGE,
        schedules.ScheduleErrorCode.HOUR_OUT_OF_RANGE,
        schedules.ScheduleErrorCode.MINUTE_OUT_OF_RANGE,
    ]
    assert crontab_of(MONTHLY) == ("0", "6", "1", "*", "*")


def test_switching_off_forgets_the_last_run(installed):
    PeriodicTask.objects.filter(name=MONTHLY).update(last_run_at=timezone.now())
    schedules.schedule_change(periodic_task_id=task(MONTHLY).pk, enabled=False)
    assert task(MONTHLY).last_run_at is None  # django-celery-beat's rule: off clears the last run


def test_the_defaults_come_back(client, installed, beheerder):
    client.force_login(beheerder)
    client.post(change_url(MONTHLY), {"day_of_month": "3", "time": "05:15"})
    client.post(change_url(STALLED), {})
    response = client.post(reverse("mkba:schedule_reset"), follow=True)
    assert "De standaardplanning is teruggezet" in response.content.decode()
    assert crontab_of(MONTHLY) == ("0", "6", "1", "*", "*")
    assert task(MONTHLY).enabled
    assert task(STALLED).enabled
    assert AuditLogEntry.objects.filter(object_type="schedule", detail="Standaardplanning teruggezet").count() == 1
    assert CrontabSchedule.objects.filter(minute="15", hour="5", day_of_month="3").exists()  # left, harmless


# --- where the beheerder finds it --------------------------------------------------------------------


def test_the_admin_index_links_the_page_and_hides_the_machinery(client, installed, beheerder):
    client.force_login(beheerder)
    page = client.get("/beheer/").content.decode()
    assert f'href="{LIST_URL}"' in page
    assert "Planning van de achtergrondtaken" in page
    assert 'href="/beheer-dataset/import/"' in page and 'href="/beheer-dataset/export/"' in page
    assert "/beheer/django_celery_beat/" not in page
    assert "/beheer/axes/" not in page


def test_the_operator_keeps_the_machinery_in_the_admin(client, installed):
    client.force_login(UserFactory(username="operator", is_superuser=True, is_staff=True, organisation=None))
    page = client.get("/beheer/").content.decode()
    assert f'href="{LIST_URL}"' in page
    assert "/beheer/django_celery_beat/" in page
    assert "/beheer/axes/" in page


def test_a_beheerder_of_one_of_several_organisations_may_not_change_every_organisations_jobs(
    client, installed, beheerder
):
    # The schedules hold for the whole installation: with a second organisation only an operator
    # changes them (a beheerder could otherwise switch off the other organisation's retention job).
    OrganisationFactory(name="Gemeente Elders")
    client.force_login(beheerder)
    assert client.get(LIST_URL).status_code == 403
