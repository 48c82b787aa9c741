"""Issue 12: the team, planning and MKBA pages and the menu ask core.access, with the API's rule.

One table, written out by hand: for each page, each role's exact answer. 302 is the login redirect
(anonymous) or a page's own redirect after a write; 403 the role lacks the capability (the Dutch
403 page); 404 a record (team, report, parameter set) outside the user's scope. ``lead_oost`` and
``foreign_analyst`` belong to another organisation ("Gemeente Elders"); the records in the URLs are
Rekenstad's (tests/caseload/conftest.py).

Before issue 12: the analyst's move was a 400 form error (now 403 at the door), and the menu asked
roles and ``is_staff`` (the privacy officer's audit and inzage items did not exist; a staff
analyst saw "Beheer", an admin without ``is_staff`` did not). The dashboard's "move a youth" lists
wrote no audit row.
"""

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from core.models import AuditLogEntry, User
from reports import services as mkba_services
from reports.models import Report
from tests.factories import UserFactory
from tests.mkba.factories import ParameterSetFactory

D = dt.date
pytestmark = pytest.mark.django_db

ROLES = ("worker", "lead", "analyst", "admin", "privacy", "anonymous", "lead_oost", "foreign_analyst")


@dataclass
class World:
    rekenstad: Any
    users: dict[str, User | None]
    parameter_set: Any
    reports: dict[str, Report]


@pytest.fixture(autouse=True)
def no_jobs(monkeypatch):
    monkeypatch.setattr(mkba_services, "report_enqueue", lambda report_id: None)


def _reports(rekenstad, parameter_set) -> dict[str, Report]:
    approach = rekenstad.trajectories["t1"].approach
    whole, _ = mkba_services.report_request(
        kind=Report.Kind.MKBA_ON_DEMAND,
        organisation=rekenstad.organisation,
        approach=approach,
        period_start=D(2025, 1, 1),
        period_end=D(2025, 7, 1),
        measured_at=D(2025, 12, 31),
        parameter_set=parameter_set,
        requested_by=rekenstad.analyst,
        made_by="demand:analist",
    )
    zuid, _ = mkba_services.report_request(
        kind=Report.Kind.CASELOAD_MONTHLY,
        organisation=rekenstad.organisation,
        team=rekenstad.zuid,
        period_start=D(2025, 2, 1),
        period_end=D(2025, 3, 1),
        made_by="schedule:test",
    )
    return {
        "whole": mkba_services.report_generate(report_id=whole.pk),
        "zuid": mkba_services.report_generate(report_id=zuid.pk),
    }


@pytest.fixture
def world(rekenstad, request) -> World:
    organisation = rekenstad.organisation
    users: dict[str, User | None] = {
        "worker": rekenstad.worker_user,
        "lead": rekenstad.lead_noord,
        "analyst": rekenstad.analyst,
        "admin": UserFactory(username="beheerder", role=User.Role.ADMIN, organisation=organisation),
        "privacy": UserFactory(username="privacy", role=User.Role.PRIVACY_OFFICER, organisation=organisation),
        "anonymous": None,
        "lead_oost": rekenstad.lead_oost,
        "foreign_analyst": UserFactory(
            username="analist-elders", role=User.Role.ANALYST, organisation=rekenstad.other_organisation
        ),
    }
    parameter_set = ParameterSetFactory(organisation=organisation, name="Rekenstad-kengetallen", version=1)
    callspec = getattr(request.node, "callspec", None)
    needs_reports = callspec is not None and PAGES.get(callspec.params.get("page"), (None, None, None, False))[3]
    reports = _reports(rekenstad, parameter_set) if needs_reports else {}
    return World(rekenstad=rekenstad, users=users, parameter_set=parameter_set, reports=reports)


def _move(w: World) -> dict[str, Any]:
    r = w.rekenstad
    return {
        "trajectory": r.trajectories["t1"].pk,
        "to_worker": r.w2.pk,
        "date": "2025-03-01",
        "note": "Kennisgemaakt met Bram; Anna is overbelast.",
        "team": r.noord.pk,
        "datum": "2025-03-01",
        "periode": "4w",
    }


ADOPTION = {
    "geldt_vanaf": "2099-03-01",
    "coaching": "45,5",
    "uitvoering": "40",
    "regie": "12",
    "monitoring": "8",
    "bron": "x",
}


def _own_scenario(w: World) -> Any:
    """Rekenstad's own scenario (issue 17, item 6), made on first use."""
    from mkba.models import OwnScenario
    from mkba.services import own_scenario_create

    organisation = w.rekenstad.organisation
    found = OwnScenario.objects.filter(organisation=organisation, name="Plan Noord").first()
    return found or own_scenario_create(
        organisation=organisation, name="Plan Noord", participants=10, approach=w.rekenstad.trajectories["t1"].approach
    )


# page: (method, url of the world, POST data of the world or None, needs stored reports)
PAGES = {
    "dashboard": ("get", lambda w: f"/team/?team={w.rekenstad.noord.pk}", None, False),
    "planning": ("get", lambda w: "/planning/", None, False),
    "norms": ("get", lambda w: "/planning/normen/?van=2025-01-01&tot=2025-03-01", None, False),
    "norm_adopt": ("get", lambda w: "/planning/normen/vaststellen/", None, False),
    "norm_adopt_save": ("post", lambda w: "/planning/normen/vaststellen/", lambda w: dict(ADOPTION), False),
    "advice": ("get", lambda w: f"/team/advies/?team={w.rekenstad.noord.pk}&datum=2025-03-01", None, False),
    "forecast": ("get", lambda w: f"/planning/prognose/?team={w.rekenstad.noord.pk}&datum=2025-03-01", None, False),
    "team_chart": ("get", lambda w: f"/team/grafiek/?team={w.rekenstad.noord.pk}&datum=2025-03-01", None, False),
    "move": ("post", lambda w: "/team/verplaats/", _move, False),
    "move_options": (
        "get",
        lambda w: (
            f"/team/verplaats/opties/?team={w.rekenstad.noord.pk}&datum=2025-03-01&begeleider={w.rekenstad.w1.pk}"
        ),
        None,
        False,
    ),
    "rendement": ("get", lambda w: "/rendement/", None, False),
    "report_list": ("get", lambda w: "/rendement/rapporten/", None, False),
    "report": ("get", lambda w: f"/rendement/rapporten/{w.reports['whole'].pk}/", None, True),
    "report_other_team": ("get", lambda w: f"/rendement/rapporten/{w.reports['zuid'].pk}/", None, True),
    "report_progress": ("get", lambda w: f"/rendement/rapporten/{w.reports['whole'].pk}/voortgang/", None, True),
    "report_pdf": ("get", lambda w: f"/rendement/rapporten/{w.reports['whole'].pk}/pdf/", None, True),
    "report_csv": ("get", lambda w: f"/rendement/rapporten/{w.reports['whole'].pk}/csv/", None, True),
    "report_xlsx": ("get", lambda w: f"/rendement/rapporten/{w.reports['whole'].pk}/xlsx/", None, True),
    "parameter_sets": ("get", lambda w: "/kengetallen/", None, False),
    "parameter_set": ("get", lambda w: f"/kengetallen/{w.parameter_set.pk}/", None, False),
    "parameter_set_edit": ("get", lambda w: f"/kengetallen/{w.parameter_set.pk}/bewerken/", None, False),
    "parameter_set_import": ("get", lambda w: "/kengetallen/importeren/", None, False),
    "parameter_set_export": ("get", lambda w: f"/kengetallen/{w.parameter_set.pk}/export/", None, False),
    "parameter_set_assign": (
        "post",
        lambda w: f"/kengetallen/{w.parameter_set.pk}/koppelen/",
        lambda w: {"approach": w.rekenstad.trajectories["t1"].approach.pk},
        False,
    ),
    "own_scenarios": ("get", lambda w: "/rendement/eigen-scenarios/", None, False),
    "own_scenario_create": (
        "post",
        lambda w: "/rendement/eigen-scenarios/",
        lambda w: {"name": "Nieuw plan", "start": "empty"},
        False,
    ),
    "own_scenario": ("get", lambda w: f"/rendement/eigen-scenarios/{_own_scenario(w).pk}/", None, False),
    "own_scenario_edit": ("get", lambda w: f"/rendement/eigen-scenarios/{_own_scenario(w).pk}/bewerken/", None, False),
    "own_scenario_compare": (
        "get",
        lambda w: f"/rendement/eigen-scenarios/{_own_scenario(w).pk}/vergelijken/",
        None,
        False,
    ),
}

# The exact answers, by hand.     worker lead analyst admin privacy anonymous lead_oost foreign_analyst
STATUS = {
    "dashboard":              (403, 200, 200, 200, 403, 302, 404, 404),  # Noord: another org's team is 404
    "planning":               (403, 200, 200, 200, 403, 302, 200, 200),
    "norms":                  (403, 200, 200, 200, 403, 302, 200, 200),  # each their own scope
    "norm_adopt":             (403, 403, 403, 200, 403, 302, 403, 403),  # adopting a norm: the beheerder
    "norm_adopt_save":        (403, 403, 403, 302, 403, 302, 403, 403),
    "advice":                 (403, 200, 403, 403, 403, 302, 404, 403),  # moving youths: leads only
    "forecast":               (403, 200, 200, 200, 403, 302, 404, 404),  # aggregates, as the dashboard
    "team_chart":             (403, 200, 200, 200, 403, 302, 404, 404),  # the dashboard's chart (HTMX)
    "move":                   (403, 302, 403, 403, 403, 302, 404, 403),  # lead_oost: Noord is not his
    "move_options":           (403, 200, 403, 403, 403, 302, 404, 403),  # the move list, when opened
    "rendement":              (403, 200, 200, 200, 403, 302, 200, 200),
    "report_list":            (403, 200, 200, 200, 403, 302, 200, 200),
    "report":                 (403, 200, 200, 200, 403, 302, 404, 404),  # whole approach: every lead
    "report_other_team":      (403, 404, 200, 200, 403, 302, 404, 404),  # Zuid's: not Noord's lead
    "report_progress":        (403, 200, 200, 200, 403, 302, 404, 404),
    "report_pdf":             (403, 200, 200, 200, 403, 302, 404, 404),
    "report_csv":             (403, 200, 200, 200, 403, 302, 404, 404),
    "report_xlsx":            (403, 200, 200, 200, 403, 302, 404, 404),
    "parameter_sets":         (403, 200, 200, 200, 403, 302, 200, 200),
    "parameter_set":          (403, 200, 200, 200, 403, 302, 404, 404),
    "parameter_set_edit":     (403, 403, 200, 200, 403, 302, 403, 404),
    "parameter_set_import":   (403, 403, 200, 200, 403, 302, 403, 200),
    "parameter_set_export":   (403, 200, 200, 200, 403, 302, 404, 404),
    "parameter_set_assign":   (403, 403, 302, 302, 403, 302, 403, 404),
    "own_scenarios":          (403, 200, 200, 200, 403, 302, 200, 200),
    "own_scenario_create":    (403, 403, 302, 302, 403, 302, 403, 302),  # each in their own organisation
    "own_scenario":           (403, 200, 200, 200, 403, 302, 404, 404),
    "own_scenario_edit":      (403, 403, 200, 200, 403, 302, 403, 404),
    "own_scenario_compare":   (403, 200, 200, 200, 403, 302, 404, 404),
}  # fmt: skip


def test_the_table_covers_every_page_and_role():
    assert set(STATUS) == set(PAGES)
    assert all(len(row) == len(ROLES) for row in STATUS.values())


CASES = [
    pytest.param(page, role, STATUS[page][index], id=f"{page}-{role}")
    for page in PAGES
    for index, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("page", "role", "status"), CASES)
def test_page_status_per_role(client, world, page, role, status):
    method, url, data, _ = PAGES[page]
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    response = getattr(client, method)(url(world), data(world) if data else None)
    assert response.status_code == status
    if status == 302 and user is None:
        assert response["Location"].startswith(reverse("login"))
    if status == 403:
        assert "Geen toegang" in response.content.decode()


@pytest.mark.parametrize("role", ["privacy", "analyst", "admin", "lead_oost"])
def test_refused_moves_change_nothing(client, world, role):
    client.force_login(world.users[role])
    client.post("/team/verplaats/", _move(world))
    t1 = world.rekenstad.trajectories["t1"]
    t1.refresh_from_db()
    assert t1.worker == world.rekenstad.w1


def test_privacy_officer_gets_no_figures_from_the_caseload_api(client, world):
    """The API twin of the dashboard: a privacy officer has no worker record and no aggregates, so
    the document has no worker and no team (the page is a 403)."""
    client.force_login(world.users["privacy"])
    document = client.get(reverse("api-caseload"), {"date": "2025-03-01"}).json()
    assert (document["workers"], document["teams"]) == ([], [])


# --- The audit row of the dashboard's "move a youth" lists -------------------------------------


def _keys_named(entry: AuditLogEntry) -> set[str]:
    """The youths a read row names (``core.services.audit_log_read`` keeps them in ``youth_keys``)."""
    return {key for key in re.split(r"[\s|,;]+", entry.youth_keys) if key}


def test_the_move_lists_leave_one_audit_row_naming_their_youths(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    client.get("/team/", {"datum": "2025-03-01"})  # the page: its own row (the step-down list)
    before = AuditLogEntry.objects.count()
    # Issue 16: the move list is loaded when the lead opens the overloaded worker's row.
    response = client.get("/team/verplaats/opties/", {"datum": "2025-03-01", "begeleider": rekenstad.w1.pk})
    html = response.content.decode()
    # The page names w1's youths y1, y2, y3 in the move form (first names Y1, Y2, Y3).
    select = re.search(r'name="trajectory">(.*?)</select>', html, flags=re.S).group(1)
    assert select.count("<option") == 3
    rows = list(AuditLogEntry.objects.order_by("pk")[before:])
    assert len(rows) == 1
    entry = rows[0]
    assert (entry.user, entry.organisation_id, entry.action, entry.object_type) == (
        rekenstad.lead_noord,
        rekenstad.organisation.pk,
        AuditLogEntry.Action.VIEW,
        "youth",
    )
    assert "teamdashboard" in entry.detail
    assert _keys_named(entry) == {"y1", "y2", "y3"}


def test_a_dashboard_that_names_no_youth_writes_no_audit_row(client, rekenstad):
    # The analyst sees the same overloaded worker but no move lists (no MOVE_YOUTHS); Zuid's lead
    # has no overloaded worker on that day.
    for user, team in ((rekenstad.analyst, rekenstad.noord), (rekenstad.lead_zuid, rekenstad.zuid)):
        client.force_login(user)
        before = AuditLogEntry.objects.count()
        response = client.get("/team/", {"team": team.pk, "datum": "2025-03-01"})
        assert response.status_code == 200 and 'name="trajectory"' not in response.content.decode()
        assert AuditLogEntry.objects.count() == before


def test_a_refused_move_that_shows_the_lists_again_is_audited_too(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    before = AuditLogEntry.objects.count()
    data = {"trajectory": 10**9, "to_worker": rekenstad.w2.pk, "date": "2025-03-01", "note": "x"}
    context = {"team": rekenstad.noord.pk, "datum": "2025-03-01", "begeleider": rekenstad.w1.pk}
    response = client.post("/team/verplaats/", data | context)
    assert response.status_code == 400
    assert 'name="trajectory"' in response.content.decode()  # the list again, open, beside the errors
    rows = list(AuditLogEntry.objects.order_by("pk")[before:])
    assert len(rows) == 1 and _keys_named(rows[0]) == {"y1", "y2", "y3"}


# --- Report notifications go to those who may open the report ------------------------------------


def test_a_requester_who_may_no_longer_open_reports_is_not_notified(world):
    """report_recipients asks core.access: the requester, now a privacy officer, is left out."""
    rekenstad = world.rekenstad
    requester = UserFactory(username="was-analist", role=User.Role.PRIVACY_OFFICER, organisation=rekenstad.organisation)
    report, _ = mkba_services.report_request(
        kind=Report.Kind.CASELOAD_MONTHLY,
        organisation=rekenstad.organisation,
        team=rekenstad.noord,
        period_start=D(2025, 2, 1),
        period_end=D(2025, 3, 1),
        requested_by=requester,
        made_by="demand:was-analist",
    )
    assert mkba_services.report_recipients(report) == [rekenstad.lead_noord]


# --- The menu -------------------------------------------------------------------------------------

LABELS = {
    "caseload": "Mijn caseload",
    "youths": "Jongeren",
    "intake": "Intake",
    "team": "Team",
    "planning": "Planning",
    "mkba": "Rendement",
    "reports": "Rapporten",
    "accountability": "Verantwoording",
    "parameter_sets": "Kengetallen",
    "inzage": "Inzage",
    "audit": "Auditlog",
    "admin": "Beheer",
    "costs": "Kosten",
}

# Which items each role's menu shows, by hand.
MENU = {
    "worker": {"caseload", "youths", "intake"},
    "lead": {
        "caseload",
        "youths",
        "intake",
        "team",
        "planning",
        "mkba",
        "reports",
        "accountability",
        "parameter_sets",
        "inzage",
        "costs",
    },
    "analyst": {"team", "planning", "mkba", "reports", "accountability", "parameter_sets", "costs"},
    "admin": {"team", "planning", "mkba", "reports", "accountability", "parameter_sets", "admin"},
    "privacy": {"inzage", "audit"},
}


def _menu(response) -> dict[str, str]:
    nav = re.search(r'<nav class="mainnav">(.*?)</nav>', response.content.decode(), flags=re.S).group(1)
    return {text.strip(): href for href, text in re.findall(r'<a href="([^"]*)">([^<]*)</a>', nav)}


def _href(item: str) -> str:
    names = {
        "caseload": "cases:my_caseload",
        "youths": "cases:youth_list",
        "intake": "cases:intake_queue",
        "team": "caseload:team_dashboard",
        "planning": "caseload:planning",
        "mkba": "mkba:report",
        "reports": "mkba:report_list",
        "accountability": "accountability:monitor",
        "parameter_sets": "mkba:parameter_set_list",
        "inzage": "cases:inzage_lookup",
        "audit": "audit_log",
        "admin": "admin:index",
        "costs": "mkba:cost_list",
    }
    return reverse(names[item])


@pytest.mark.parametrize("role", list(MENU))
def test_menu_items_per_role(client, world, role):
    client.force_login(world.users[role])
    response = client.get(reverse("notification_list"))
    assert response.status_code == 200
    assert _menu(response) == {LABELS[item]: _href(item) for item in MENU[role]}


def test_the_admin_link_follows_the_capability_not_is_staff(client, world):
    staff_analyst = UserFactory(
        username="staf", role=User.Role.ANALYST, is_staff=True, organisation=world.rekenstad.organisation
    )
    client.force_login(staff_analyst)
    assert "Beheer" not in _menu(client.get(reverse("notification_list")))
    plain_admin = UserFactory(
        username="beheer2", role=User.Role.ADMIN, is_staff=False, organisation=world.rekenstad.organisation
    )
    client.force_login(plain_admin)
    assert _menu(client.get(reverse("notification_list")))["Beheer"] == reverse("admin:index")


def test_the_menu_renders_before_the_audit_and_inzage_pages_exist(client, world):
    """With the real URLs: the guarded items show only when their page exists, and never break."""
    client.force_login(world.users["privacy"])
    response = client.get(reverse("notification_list"))
    assert response.status_code == 200
    expected = {}
    for item in ("inzage", "audit"):
        try:
            expected[LABELS[item]] = _href(item)
        except NoReverseMatch:
            continue
    assert _menu(response) == expected
