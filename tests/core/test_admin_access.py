"""The admin holds configuration only, each row scoped to the beheerder's own organisation (issue 12,
finding 1; SPEC.md section 8). A beheerder is an ordinary user with role admin (no superuser); an
operator's superuser configures every organisation; nobody reads case contents in the admin."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission

from cases.models import CostItem, WorkingElement
from core.models import Organisation, Team, User, Worker
from mkba.models import ParameterSet
from reports.models import Report
from tests.factories import (
    ApproachFactory,
    CostItemFactory,
    OrganisationFactory,
    TeamFactory,
    TrajectoryFactory,
    UserFactory,
    WorkerFactory,
)

pytestmark = pytest.mark.django_db

PASSWORD = "paars-fietsenrek-onder-de-brug"

CONFIGURATION_MODELS = {
    ("core", "Organisation"),
    ("core", "Team"),
    ("core", "Worker"),
    ("core", "User"),
    ("cases", "Approach"),
    ("cases", "CostItem"),
    ("cases", "TargetGroup"),
    ("cases", "WorkingElement"),
    ("cases", "Municipality"),
    ("mkba", "ParameterSet"),
    ("mkba", "ReferenceApproach"),
    ("mkba", "Report"),
}
OPERATOR_ONLY_MODELS = {
    ("auth", "Group"),
    ("axes", "AccessAttempt"),
    ("axes", "AccessFailureLog"),
    ("axes", "AccessLog"),
    ("django_celery_beat", "ClockedSchedule"),
    ("django_celery_beat", "CrontabSchedule"),
    ("django_celery_beat", "IntervalSchedule"),
    ("django_celery_beat", "PeriodicTask"),
    ("django_celery_beat", "SolarSchedule"),
}
CASE_CONTENT_URLS = [
    "/beheer/cases/youth/",
    "/beheer/cases/trajectory/",
    "/beheer/cases/period/",
    "/beheer/cases/timeentry/",
    "/beheer/cases/outcome/",
    "/beheer/cases/followup/",
    "/beheer/cases/handover/",
    "/beheer/core/auditlogentry/",
]


@pytest.fixture
def own():
    return OrganisationFactory(name="Gemeente Voorbeeld")


@pytest.fixture
def other():
    return OrganisationFactory(name="Gemeente Elders")


@pytest.fixture
def beheerder(own):
    return UserFactory(username="beheerder", role=User.Role.ADMIN, is_staff=True, organisation=own)


@pytest.fixture
def operator(own):
    return UserFactory(username="root", role=User.Role.WORKER, is_staff=True, is_superuser=True, organisation=None)


def models_listed(response) -> set[tuple[str, str]]:
    return {(app["app_label"], model["object_name"]) for app in response.context["app_list"] for model in app["models"]}


# --- the index: configuration, never case contents ----------------------------------------------------


def test_the_beheerder_sees_exactly_the_configuration_of_the_admin(client, beheerder):
    client.force_login(beheerder)

    response = client.get("/beheer/")

    assert response.status_code == 200
    assert models_listed(response) == CONFIGURATION_MODELS


def test_the_operator_configures_and_runs_the_installation_but_reads_no_case_contents(client, operator):
    client.force_login(operator)

    response = client.get("/beheer/")

    assert response.status_code == 200
    assert models_listed(response) == CONFIGURATION_MODELS | OPERATOR_ONLY_MODELS


@pytest.mark.parametrize("url", CASE_CONTENT_URLS)
def test_case_contents_and_the_audit_log_are_not_in_the_admin(client, beheerder, operator, url):
    TrajectoryFactory(worker=WorkerFactory(team=TeamFactory(organisation=beheerder.organisation)))
    for user in (beheerder, operator):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_a_trajectory_cost_item_is_case_data_and_an_approach_cost_item_configuration(client, beheerder, other):
    trajectory = TrajectoryFactory(worker=WorkerFactory(team=TeamFactory(organisation=beheerder.organisation)))
    approach_cost = CostItemFactory(approach=trajectory.approach, description="Huur praktijklokaal")
    trajectory_cost = CostItemFactory(approach=trajectory.approach, trajectory=trajectory, description="Reiskosten Noa")
    elsewhere = CostItemFactory(approach=ApproachFactory(organisation=other), description="Huur elders")
    client.force_login(beheerder)

    listing = client.get("/beheer/cases/costitem/")

    assert [item.pk for item in listing.context["cl"].result_list] == [approach_cost.pk]
    assert client.get(f"/beheer/cases/costitem/{trajectory_cost.pk}/change/").status_code == 302
    assert client.get(f"/beheer/cases/costitem/{elsewhere.pk}/change/").status_code == 302
    form = client.get("/beheer/cases/costitem/add/").context["adminform"].form
    assert "trajectory" not in form.fields
    assert set(form.fields["approach"].queryset) == {trajectory.approach}
    assert CostItem.objects.count() == 3


# --- rows of the own organisation only ----------------------------------------------------------------


def test_the_beheerder_lists_the_teams_and_workers_of_their_own_organisation_only(client, beheerder, other):
    own_team = TeamFactory(organisation=beheerder.organisation, name="Team Noord")
    other_team = TeamFactory(organisation=other, name="Team Elders")
    own_worker = WorkerFactory(team=own_team, name="Anna Bakker")
    WorkerFactory(team=other_team, name="Bram Elders")
    client.force_login(beheerder)

    teams = client.get("/beheer/core/team/")
    workers = client.get("/beheer/core/worker/")

    assert list(teams.context["cl"].result_list) == [own_team]
    assert list(workers.context["cl"].result_list) == [own_worker]
    # Not even in a list filter: the other organisation's name and team do not appear.
    for page in (teams.content.decode(), workers.content.decode()):
        assert "Gemeente Elders" not in page
        assert "Team Elders" not in page


def test_another_organisations_team_cannot_be_opened_or_changed(client, beheerder, other):
    other_team = TeamFactory(organisation=other, name="Team Elders")
    client.force_login(beheerder)

    page = client.get(f"/beheer/core/team/{other_team.pk}/change/")
    post = client.post(f"/beheer/core/team/{other_team.pk}/change/", {"name": "Overgenomen"})
    delete = client.post(f"/beheer/core/team/{other_team.pk}/delete/", {"post": "yes"})

    # Django's admin answers an object outside the queryset with a redirect to the index.
    assert (page.status_code, page["Location"]) == (302, "/beheer/")
    assert (post.status_code, post["Location"]) == (302, "/beheer/")
    assert (delete.status_code, delete["Location"]) == (302, "/beheer/")
    other_team.refresh_from_db()
    assert (other_team.name, other_team.organisation_id) == ("Team Elders", other.pk)


def test_the_beheerder_edits_their_own_team_and_a_new_team_lands_in_their_organisation(client, beheerder, other):
    own_team = TeamFactory(organisation=beheerder.organisation, name="Team Noord")
    client.force_login(beheerder)

    changed = client.post(f"/beheer/core/team/{own_team.pk}/change/", {"name": "Team Noord-Oost"})
    # The organisation field is shown but not chosen: a posted other organisation is ignored.
    added = client.post("/beheer/core/team/add/", {"name": "Team Zuid", "organisation": other.pk})

    assert (changed.status_code, added.status_code) == (302, 302)
    own_team.refresh_from_db()
    assert own_team.name == "Team Noord-Oost"
    assert Team.objects.get(name="Team Zuid").organisation_id == beheerder.organisation_id
    assert not Team.objects.filter(organisation=other).exists()


def test_foreign_key_choices_offer_the_own_organisation_only(client, beheerder, other):
    own_team = TeamFactory(organisation=beheerder.organisation)
    other_team = TeamFactory(organisation=other)
    colleague = UserFactory(organisation=beheerder.organisation)
    UserFactory(organisation=other)
    own_element = WorkingElement.objects.create(organisation=beheerder.organisation, name="Vaste begeleider")
    WorkingElement.objects.create(organisation=other, name="Maatwerk")
    shared_set = ParameterSet.objects.create(name="Gedeeld", version=1, data={})  # besides the shipped one
    own_set = ParameterSet.objects.create(organisation=beheerder.organisation, name="Eigen", version=1, data={})
    ParameterSet.objects.create(organisation=other, name="Elders", version=1, data={})
    client.force_login(beheerder)

    worker_form = client.get("/beheer/core/worker/add/").context["adminform"].form
    team_form = client.get("/beheer/core/team/add/").context["adminform"].form
    approach_form = client.get("/beheer/cases/approach/add/").context["adminform"].form

    assert list(worker_form.fields["team"].queryset) == [own_team]
    assert set(worker_form.fields["user"].queryset) == {beheerder, colleague}
    assert set(team_form.fields["leads"].queryset) == {beheerder, colleague}
    assert list(team_form.fields["organisation"].queryset) == [beheerder.organisation]
    assert team_form.fields["organisation"].disabled
    assert list(approach_form.fields["working_elements"].queryset) == [own_element]
    shared_sets = set(ParameterSet.objects.filter(organisation=None))
    assert shared_set in shared_sets
    assert set(approach_form.fields["parameter_set"].queryset) == shared_sets | {own_set}

    # A posted team of another organisation is refused as an invalid choice; nothing is made.
    response = client.post(
        "/beheer/core/worker/add/",
        {
            "external_id": "W-NIEUW",
            "name": "Nieuwe Begeleider",
            "team": other_team.pk,
            "function": Worker.Function.BEGELEIDER,
            "is_active": "on",
            "fte_periods-TOTAL_FORMS": "0",
            "fte_periods-INITIAL_FORMS": "0",
            "fte_periods-MIN_NUM_FORMS": "0",
            "fte_periods-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert "team" in response.context["adminform"].form.errors
    assert not Worker.objects.filter(external_id="W-NIEUW").exists()


def test_the_beheerder_configures_their_own_organisation_and_no_other(client, beheerder, other):
    client.force_login(beheerder)
    own = beheerder.organisation

    listing = client.get("/beheer/core/organisation/")
    other_page = client.get(f"/beheer/core/organisation/{other.pk}/change/")
    add = client.get("/beheer/core/organisation/add/")
    delete = client.get(f"/beheer/core/organisation/{own.pk}/delete/")

    assert list(listing.context["cl"].result_list) == [own]
    assert (other_page.status_code, other_page["Location"]) == (302, "/beheer/")
    assert (add.status_code, delete.status_code) == (403, 403)
    assert client.get(f"/beheer/core/organisation/{own.pk}/change/").status_code == 200
    assert Organisation.objects.count() == 2


def test_stored_reports_show_the_own_organisations_metadata_only(client, beheerder, other):
    def report(organisation):
        return Report.objects.create(
            kind=Report.Kind.CASELOAD_MONTHLY,
            organisation=organisation,
            scope_key=f"team:{organisation.pk}",
            period_start=datetime.date(2025, 1, 1),
            period_end=datetime.date(2025, 2, 1),
            status=Report.Status.DONE,
            result_json='{"workers": [{"name": "Anna Bakker"}]}',
            made_by="schedule:test",
        )

    own_report, other_report = report(beheerder.organisation), report(other)
    client.force_login(beheerder)

    listing = client.get("/beheer/mkba/report/")
    page = client.get(f"/beheer/mkba/report/{own_report.pk}/change/")

    assert list(listing.context["cl"].result_list) == [own_report]
    assert page.status_code == 200
    assert "Anna Bakker" not in page.content.decode()
    assert client.get(f"/beheer/mkba/report/{other_report.pk}/change/").status_code == 302


# --- who opens the admin --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [User.Role.WORKER, User.Role.TEAM_LEAD, User.Role.ANALYST, User.Role.PRIVACY_OFFICER])
def test_roles_without_configure_get_no_admin_even_with_a_staff_flag(client, role):
    # The staff flag set by mistake opens nothing: core.access decides, by role.
    client.force_login(UserFactory(role=role, is_staff=True))

    for url in ("/beheer/", "/beheer/core/team/", "/beheer/core/user/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/beheer/login/?next={url}"


@pytest.mark.parametrize(
    "url",
    [
        "/beheer/auth/group/",
        "/beheer/axes/accessattempt/",
        "/beheer/axes/accesslog/",
        "/beheer/django_celery_beat/periodictask/",
        "/beheer/django_celery_beat/crontabschedule/",
    ],
)
def test_schedules_lockouts_and_groups_are_the_operators(client, beheerder, operator, url):
    # Even Django permissions granted to the beheerder (by an operator, say) open nothing here.
    beheerder.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["auth", "axes", "django_celery_beat"])
    )
    client.force_login(beheerder)
    assert client.get(url).status_code == 403
    client.force_login(operator)
    assert client.get(url).status_code == 200


# --- users -----------------------------------------------------------------------------------------------


def test_the_beheerder_manages_their_own_organisations_users_but_no_superuser(client, beheerder, other):
    colleague = UserFactory(username="collega", organisation=beheerder.organisation)
    UserFactory(username="elders", organisation=other)
    operator_here = UserFactory(username="operator", organisation=beheerder.organisation, is_superuser=True)
    client.force_login(beheerder)

    listing = client.get("/beheer/core/user/")

    assert {user.username for user in listing.context["cl"].result_list} == {"beheerder", "collega"}
    # The operator's account, though in this organisation, is out of reach: its password included.
    assert client.get(f"/beheer/core/user/{operator_here.pk}/change/").status_code == 302
    assert client.get(f"/beheer/core/user/{operator_here.pk}/password/").status_code == 404
    form = client.get(f"/beheer/core/user/{colleague.pk}/change/").context["adminform"].form
    assert set(form.fields) == {
        "username",
        "password",
        "first_name",
        "last_name",
        "email",
        "role",
        "organisation",
        "is_active",
    }
    assert [value for value, _label in form.fields["role"].choices if value] == list(User.Role.values)


def test_the_beheerder_cannot_create_a_superuser_nor_hand_out_staff_or_permissions(client, beheerder, other):
    group = Group.objects.create(name="alles")
    client.force_login(beheerder)

    def add(username, role):
        return client.post(
            "/beheer/core/user/add/",
            {
                "username": username,
                "usable_password": "true",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "role": role,
                "organisation": other.pk,
                "is_superuser": "on",
                "is_staff": "on",
                "groups": [group.pk],
            },
        )

    assert add("nieuwe-beheerder", User.Role.ADMIN).status_code == 302
    assert add("nieuwe-begeleider", User.Role.WORKER).status_code == 302

    made = {user.username: user for user in User.objects.filter(username__startswith="nieuwe-")}
    assert {name: (u.is_superuser, u.is_staff, u.organisation_id) for name, u in made.items()} == {
        "nieuwe-beheerder": (False, True, beheerder.organisation_id),
        "nieuwe-begeleider": (False, False, beheerder.organisation_id),
    }
    assert not Group.objects.get(pk=group.pk).user_set.exists()


def test_the_beheerder_cannot_make_themselves_a_superuser(client, beheerder):
    client.force_login(beheerder)

    response = client.post(
        f"/beheer/core/user/{beheerder.pk}/change/",
        {
            "username": "beheerder",
            "first_name": "Bea",
            "last_name": "Heerder",
            "email": "",
            "role": User.Role.ADMIN,
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
        },
    )

    assert response.status_code == 302
    beheerder.refresh_from_db()
    assert (beheerder.first_name, beheerder.is_superuser, beheerder.user_permissions.count()) == ("Bea", False, 0)
