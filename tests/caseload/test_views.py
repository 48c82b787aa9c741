"""The team dashboard, moving a youth from it, and the planning page (server-rendered, Dutch).

Data: the "Rekenstad" fixture (tests/caseload/conftest.py). Figures are worked out by hand there
and in tests/caseload/test_selectors.py; here the page must show them in words.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Handover, Period, Trajectory
from core.models import FtePeriod, Team, User, Worker
from tests.factories import OrganisationFactory, UserFactory

D = dt.date
pytestmark = pytest.mark.django_db
DASHBOARD = reverse("caseload:team_dashboard")
MOVE = reverse("caseload:youth_move")
PLANNING = reverse("caseload:planning")


def text_of(response):
    """The page's visible text with tags stripped and whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style|title)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def worker_row(response, worker):
    html = response.content.decode()
    match = re.search(rf'<tr id="begeleider-{worker.pk}".*?</tr>', html, flags=re.S)
    assert match, f"no row for {worker}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_anonymous_is_sent_to_login(client):
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_worker_may_not_open_the_dashboard(client, rekenstad):
    client.force_login(rekenstad.worker_user)
    assert client.get(DASHBOARD).status_code == 403
    assert client.get(PLANNING).status_code == 403


def test_dashboard_shows_flags_in_words(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    response = client.get(DASHBOARD, {"datum": "2025-03-01", "periode": "4w"})
    assert response.status_code == 200
    page = text_of(response)
    assert "Teamdashboard Noord" in page
    w1 = worker_row(response, rekenstad.w1)
    # On 2025-03-01: 138 of 120 hours = 115%. Last 4 weeks = 2025-02-02 .. 2025-03-01: direct 90 + 60
    # minutes = 2.5 h, indirect 0.5 h, overhead 2 h: 2 / 5 = 40%. t3 long in role.
    assert "overbelast: 115% van de capaciteit" in w1
    assert "te veel overhead: 40% van de geregistreerde uren" in w1
    assert "1 jongere te lang in coaching/uitvoering" in w1
    assert "138,0" in w1 and "120,0" in w1
    assert "2,5 · 0,5 · 2,0" in w1
    # youths by role: coaching 2, uitvoering 0, regie 1, monitoring 0, total 3
    assert "2 0 1 0 3" in w1
    w2 = worker_row(response, rekenstad.w2)
    assert "onderbelast: 1% van de capaciteit" in w2  # 8 / 600 = 1.3%
    # Drill-down to the worker's caseload page of cases.
    assert f'href="/caseload/?begeleider={rekenstad.w1.pk}"' in response.content.decode()
    # Team totals: 146 of 720 hours = 20%.
    assert "onderbelast: 20% van de capaciteit" in page
    # Workers of other teams are not shown.
    assert "Cor Dekker" not in page and "Eva Elders" not in page


def test_dashboard_offers_to_move_a_youth_of_an_overloaded_worker(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    page = client.get(DASHBOARD, {"datum": "2025-03-01"}).content.decode()
    # Issue 16: the youths are loaded when the row is opened, not with the page.
    options = reverse("caseload:team_move_options")
    assert (
        f'hx-get="{options}?team={rekenstad.noord.pk}&amp;datum=2025-03-01&amp;periode=4w&amp;begeleider={rekenstad.w1.pk}"'
        in page
    )
    assert 'name="trajectory"' not in page
    params = {"team": rekenstad.noord.pk, "datum": "2025-03-01", "begeleider": rekenstad.w1.pk}
    html = client.get(options, params).content.decode()
    form = re.search(r'<form method="post" action="/team/verplaats/".*?</form>', html, flags=re.S).group(0)
    t = rekenstad.trajectories
    # w1's youths at 2025-03-01 (y1, y2, y3); the one colleague with room is w2 (1%).
    youth_select = re.search(r'name="trajectory">(.*?)</select>', form, flags=re.S).group(1)
    assert youth_select.count("<option") == 3
    for key in ("t1", "t2", "t3"):
        assert f'value="{t[key].pk}"' in form
    assert f'<option value="{rekenstad.w2.pk}">Bram Claassen (1%)</option>' in form
    # Only an overloaded worker of the team: w2 is not, another organisation's is unknown.
    assert client.get(options, params | {"begeleider": rekenstad.w2.pk}).status_code == 404
    assert client.get(options, params | {"begeleider": rekenstad.w9.pk}).status_code == 404
    assert client.get(options, params | {"team": rekenstad.oost.pk}).status_code == 404


def test_period_choice_changes_the_logged_hours(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    response = client.get(DASHBOARD, {"datum": "2025-02-28", "periode": "maand"})
    # February 2025: direct 1.5, indirect 0.5, overhead 2.0 h -> 50% overhead.
    w1 = worker_row(response, rekenstad.w1)
    assert "1,5 · 0,5 · 2,0" in w1
    assert "te veel overhead: 50% van de geregistreerde uren" in w1


def test_chart_has_twelve_months_back_and_three_ahead(client, rekenstad):
    # The chart follows the page (HTMX): its forecast reads the organisation's history.
    client.force_login(rekenstad.lead_noord)
    page = client.get(DASHBOARD, {"datum": "2025-03-15"}).content.decode()
    assert f'hx-get="{reverse("caseload:team_chart")}?team={rekenstad.noord.pk}&amp;datum=2025-03-15"' in page
    html = client.get(reverse("caseload:team_chart"), {"datum": "2025-03-15"}).content.decode()
    months = re.findall(r'data-month="(\d{4}-\d{2})"', html)
    assert months[0] == "2024-04" and months[-1] == "2025-06" and len(months) == 15
    assert html.count('class="bar projected"') == 3


def test_team_of_another_lead_is_not_found(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    assert client.get(DASHBOARD, {"team": rekenstad.zuid.pk}).status_code == 404
    assert client.get(DASHBOARD, {"team": rekenstad.oost.pk}).status_code == 404
    client.force_login(rekenstad.lead_oost)
    assert client.get(DASHBOARD, {"team": rekenstad.noord.pk}).status_code == 404
    page = text_of(client.get(DASHBOARD, {"datum": "2025-03-01"}))
    assert "Teamdashboard Oost" in page and "Anna Bakker" not in page


def test_analyst_sees_every_team_but_cannot_move_or_drill_down(client, rekenstad):
    client.force_login(rekenstad.analyst)
    response = client.get(DASHBOARD, {"team": rekenstad.zuid.pk, "datum": "2025-03-01"})
    assert response.status_code == 200
    assert "Teamdashboard Zuid" in text_of(response)
    response = client.get(DASHBOARD, {"team": rekenstad.noord.pk, "datum": "2025-03-01"})
    html = response.content.decode()
    assert "overbelast: 115% van de capaciteit" in html
    assert "/team/verplaats/" not in html
    assert "?begeleider=" not in html


def test_team_lead_without_team(client, rekenstad):
    lonely = UserFactory(username="zonder-team", role=User.Role.TEAM_LEAD, organisation=rekenstad.organisation)
    client.force_login(lonely)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert "geen teamleider van een team" in text_of(response)


def test_invalid_filter_falls_back_to_defaults(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    response = client.get(DASHBOARD, {"datum": "gisteren", "periode": "eeuw"})
    assert response.status_code == 200
    assert "Ongeldige filter" in text_of(response)


# --- Moving a youth ----------------------------------------------------------------------------


def move_data(rekenstad, **overrides):
    data = {
        "trajectory": rekenstad.trajectories["t1"].pk,
        "to_worker": rekenstad.w2.pk,
        "date": "2025-03-01",
        "note": "Samen met Bram kennisgemaakt; Anna is overbelast.",
        "team": rekenstad.noord.pk,
        "datum": "2025-03-01",
        "periode": "4w",
    }
    return data | overrides


def test_move_a_youth_is_a_handover(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    response = client.post(MOVE, move_data(rekenstad))
    assert response.status_code == 302
    assert response["Location"] == f"{DASHBOARD}?team={rekenstad.noord.pk}&datum=2025-03-01&periode=4w"
    t1 = Trajectory.objects.get(pk=rekenstad.trajectories["t1"].pk)
    assert t1.worker == rekenstad.w2
    handover = Handover.objects.get(trajectory=t1)
    assert (handover.from_worker, handover.to_worker, handover.created_by) == (
        rekenstad.w1,
        rekenstad.w2,
        rekenstad.lead_noord,
    )
    # The running coaching period was split on the handover date: the later part is w2's.
    periods = list(Period.objects.filter(trajectory=t1).order_by("start_date").values_list("worker_id", "end_date"))
    assert periods == [(rekenstad.w1.pk, D(2025, 3, 1)), (rekenstad.w2.pk, None)]
    # And w2's figures change: 8 (t4 monitoring) + 40 (t1 coaching) = 48 hours a year.
    page = client.get(DASHBOARD, {"datum": "2025-03-01"})
    assert "48,0" in worker_row(page, rekenstad.w2)
    assert "98,0" in worker_row(page, rekenstad.w1)  # 18 + 80


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"note": "   "}, "Een warme overdracht heeft een notitie."),
        ({"to_worker": 10**9}, "Onbekende collega."),
        ({"trajectory": 10**9}, "Onbekend traject."),
    ],
)
def test_bad_move_changes_nothing(client, rekenstad, overrides, message):
    client.force_login(rekenstad.lead_noord)
    response = client.post(MOVE, move_data(rekenstad, **overrides))
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Handover.objects.exists()
    assert Trajectory.objects.get(pk=rekenstad.trajectories["t1"].pk).worker == rekenstad.w1


def test_move_outside_the_scope_changes_nothing(client, rekenstad):
    # Another team's youth, to a worker of the lead's team; and the lead of another organisation.
    client.force_login(rekenstad.lead_noord)
    response = client.post(MOVE, move_data(rekenstad, trajectory=rekenstad.trajectories["t5"].pk))
    assert response.status_code == 400
    client.force_login(rekenstad.lead_oost)
    response = client.post(MOVE, move_data(rekenstad, to_worker=rekenstad.w9.pk, team=""))
    assert response.status_code == 400
    # An analyst may not move youths (core.access: no MOVE_YOUTHS): refused at the door, a 403
    # (issue 12: pages refuse with the capability; it was a 400 form error before).
    client.force_login(rekenstad.analyst)
    assert client.post(MOVE, move_data(rekenstad)).status_code == 403
    client.force_login(rekenstad.worker_user)
    assert client.post(MOVE, move_data(rekenstad)).status_code == 403
    assert not Handover.objects.exists()
    assert Trajectory.objects.get(pk=rekenstad.trajectories["t1"].pk).worker == rekenstad.w1


def test_move_needs_post(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    assert client.get(MOVE).status_code == 405


# --- Planning ---------------------------------------------------------------------------------


def figure(html, element_id):
    return re.search(rf'id="{element_id}">([^<]*)<', html).group(1)


def test_planning_shows_the_study_example(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    html = client.get(PLANNING).content.decode()
    # 50 x 20 + 25 x 6 + 25 x 4 = 1,250 h; / 1200 = 1.042 fte; 100 youths; 12.5 h each; 1200 / 12.5 = 96.
    assert figure(html, "total-hours") == "1.250,0"
    assert figure(html, "fte-needed") == "1,042"
    assert figure(html, "youths") == "100"
    assert figure(html, "hours-per-youth") == "12,5"
    assert figure(html, "youths-per-fte") == "96"
    assert figure(html, "youths-that-fit") == "96"  # in 1.0 fte
    assert "€ 81.250" in html  # 1,250 h x 65 euro
    assert 'value="12,5"' in html and 'value="12.5"' not in html  # the example's inputs with a comma


def test_planning_answers_the_team_leads_questions(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    # 80 coaching youths x 20 h + 40 regie x 6 h = 1,840 h -> 1.533 fte; in 2.5 fte fit
    # 2.5 * 1200 / (1840 / 120) = 195.65 -> 195.7 youths.
    data = {
        "mode": "mix",
        "youths_coaching": "80",
        "hours_coaching": "20",
        "youths_uitvoering": "0",
        "hours_uitvoering": "0",
        "youths_regie": "40",
        "hours_regie": "6",
        "youths_monitoring": "0",
        "hours_monitoring": "0",
        "fte": "2.5",
    }
    html = client.get(PLANNING, data).content.decode()
    assert figure(html, "total-hours") == "1.840,0"
    assert figure(html, "fte-needed") == "1,533"
    assert figure(html, "youths-that-fit") == "195,7"
    assert "genoeg" in html


def test_planning_from_a_composition_and_throughput(client, rekenstad):
    client.force_login(rekenstad.analyst)
    # 25 coaching now, 6 months -> 50 a year x 40 * 6 / 12 = 20 h; regie 12.5 -> 25 x 6; monitoring
    # 12.5 -> 25 x 4: the study's 1,250 h again.
    data = {
        "mode": "samenstelling",
        "now_coaching": "25",
        "now_uitvoering": "0",
        "now_regie": "12,5",  # a decimal comma, as a Dutch team lead types it
        "now_monitoring": "12.5",  # a dot is understood too
        "throughput_months": "6",
        "fte": "1",
    }
    html = client.get(PLANNING, data).content.decode()
    assert figure(html, "total-hours") == "1.250,0"
    assert 'value="12,5" name="now_regie"' in html or 'name="now_regie" value="12,5"' in html
    assert figure(html, "fte-needed") == "1,042"
    # With approach B's coaching norm of 80: 50 x 40 h = 2,000 + 150 + 100 = 2,250 h = 1.875 fte.
    approach_b = rekenstad.trajectories["t3"].approach
    html = client.get(PLANNING, data | {"approach": approach_b.pk}).content.decode()
    assert figure(html, "total-hours") == "2.250,0"
    assert figure(html, "fte-needed") == "1,875"


def test_planning_rejects_bad_input(client, rekenstad):
    client.force_login(rekenstad.lead_noord)
    response = client.get(PLANNING, {"mode": "mix", "youths_coaching": "-3", "fte": "x"})
    assert response.status_code == 200
    assert 'id="planning-result"' not in response.content.decode()
    assert "errorlist" in response.content.decode()


# --- A bounded number of queries ----------------------------------------------------------------


def make_team(size):
    """A team of ``size`` workers with fte, made with bulk_create; its lead."""
    organisation = OrganisationFactory(name=f"Schaal {size}")
    team = Team.objects.create(organisation=organisation, name=f"Groot {size}")
    lead = UserFactory(username=f"lead-{size}", role=User.Role.TEAM_LEAD, organisation=organisation)
    team.leads.add(lead)
    workers = Worker.objects.bulk_create(
        Worker(external_id=f"S{size}-{i:04d}", name=f"Begeleider {i:04d}", team=team) for i in range(size)
    )
    FtePeriod.objects.bulk_create(
        FtePeriod(worker=worker, start_date=D(2025, 1, 1), fte=Decimal("0.8")) for worker in workers
    )
    return lead


def queries_for(client, lead, url, params):
    """The queries of a first view (the shared cache emptied: see the test below for a repeat)."""
    client.force_login(lead)
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def test_dashboard_and_api_queries_do_not_grow_with_the_team(client, rekenstad):
    small, large = make_team(10), make_team(1000)
    params = {"datum": "2025-03-01", "periode": "kwartaal"}
    assert queries_for(client, small, DASHBOARD, params) == queries_for(client, large, DASHBOARD, params)
    api = reverse("api-caseload")
    for api_params in ({"date": "2025-03-01"}, {"from": "2025-01-01", "to": "2026-01-01"}):
        assert queries_for(client, small, api, api_params) == queries_for(client, large, api, api_params)
    # And for a team with youths to move: the overloaded worker's youths, one query, the audit
    # row naming them (issue 12), one insert, and the direct time of the coaching periods that may
    # step down (issue 17), one GROUP BY, and their complexity on the day, one query (neither
    # when no period qualifies).
    assert (
        queries_for(client, rekenstad.lead_noord, DASHBOARD, params)
        <= queries_for(client, small, DASHBOARD, params) + 4
    )


def test_a_repeated_dashboard_view_reads_the_figures_from_the_cache(client, rekenstad):
    # Issue 16: a team lead's repeated views cost a cache read. The rekenstad dashboard's lists
    # (youths to move, to step down) name youths and stay live; the figures come from the cache.
    params = {"datum": "2025-03-01", "periode": "kwartaal"}
    first = queries_for(client, rekenstad.lead_noord, DASHBOARD, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DASHBOARD, params)
    assert response.status_code == 200
    assert len(queries) <= first - 7  # the engine's eight queries, less the one that remains
    assert not any('"core_fteperiod"' in query["sql"] for query in queries.captured_queries)


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-02"])
def test_a_day_out_of_range_is_a_clear_error_not_a_crash(client, rekenstad, day):
    # The review's finding: a month or a year around 9999-12-31 is no date, and every page that
    # looks around its day answered 500. Out of 1900-2199 the filter says so and the default holds.
    client.force_login(rekenstad.lead_noord)
    params = {"team": rekenstad.noord.pk, "datum": day}
    for url in (DASHBOARD, reverse("caseload:team_chart"), reverse("caseload:forecast")):
        response = client.get(url, params)
        assert response.status_code == 200, url
    # The move list falls back to today as the dashboard does: W-1 (0.1 fte, three youths) is overloaded.
    move = client.get(reverse("caseload:team_move_options"), params | {"begeleider": rekenstad.w1.pk})
    assert move.status_code == 200 and 'name="trajectory"' in move.content.decode()
    forecast_page = client.get(reverse("caseload:forecast"), params).content.decode()
    assert "Kies een datum" in forecast_page
    api = client.get(reverse("api-caseload-forecast"), {"team": rekenstad.noord.pk, "date": day})
    assert api.status_code == 400 and "date" in api.json()
    caseload = client.get(reverse("api-caseload"), {"date": day})
    assert caseload.status_code == 400 and "date" in caseload.json()
