"""The cost pages (issue 15): /rendement/kosten/ (list with totals per line), add, edit and
delete with confirmation, in Dutch, for analysts and team leads only.

The cohort (tests/mkba/conftest.py) has cost items already: on approach "Jongerenadviseurs +
werktraject" € 1.000 (1b, T1, 1 april 2024), € 400 (2, T2), € 200 (2, T3), € 5.000 (1b, T5) on
trajectories and € 3.000 (1c), € 500 (1b), € 700 (3) on the approach as a whole.
"""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import CostItem, CostLine
from core.models import AuditLogEntry
from tests.factories import CostItemFactory

pytestmark = pytest.mark.django_db
D = datetime.date
LIST = reverse("mkba:cost_list")
NEW = reverse("mkba:cost_create")


def _state():
    return sorted(CostItem.objects.values_list("pk", "trajectory_id", "date", "line", "amount"))


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/inloggen/" in response["Location"]


@pytest.mark.parametrize("role", ["worker_user", "admin"])
def test_workers_and_admins_are_refused(client, cohort, role):
    client.force_login(getattr(cohort, role))
    item = CostItem.objects.filter(trajectory=cohort.t1).get()
    before = _state()
    assert client.get(LIST).status_code == 403
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, {"approach": cohort.approach.pk, "trajectory": cohort.t1.pk}).status_code == 403
    assert client.post(reverse("mkba:cost_delete", args=[item.pk])).status_code == 403
    assert _state() == before
    assert 'href="/rendement/kosten/"' not in client.get("/").content.decode()


def test_the_analyst_sees_items_and_totals_per_line(client, cohort, django_assert_max_num_queries):
    client.force_login(cohort.analyst)
    with django_assert_max_num_queries(12):
        response = client.get(LIST, {"approach": cohort.approach.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="/rendement/kosten/">Kosten</a>' in html  # the menu item
    totals = html[html.index('id="cost-totals"') : html.index('id="cost-items"')]
    # 1b: 500 on the approach, 1.000 + 5.000 on trajectories; 1c: 3.000; 2: 400 + 200; 3: 700.
    assert (
        '1b. Overige kosten interventie</td><td class="num">€ 500,00</td><td class="num">€ 6.000,00</td><td class="num">€ 6.500,00</td><td class="num">3</td>'
        in totals
    )
    assert (
        '2. Extra inzet van zorg of ondersteuning</td><td class="num">€ 0,00</td><td class="num">€ 600,00</td><td class="num">€ 600,00</td>'
        in totals
    )
    assert (
        '<td>Totaal</td><td class="num">€ 4.200,00</td><td class="num">€ 6.600,00</td><td class="num">€ 10.800,00</td><td class="num">7</td>'
        in totals
    )
    assert "1 april 2024" in html
    assert f"traject {cohort.t1.external_id} · jongere {cohort.t1.youth.external_id}" in html
    assert "9.999,00" not in html  # the other approach's item
    assert cohort.t1.youth.last_name not in html  # keys, never names


def test_the_list_narrows_to_a_line_and_dates(client, cohort):
    client.force_login(cohort.analyst)
    response = client.get(
        LIST,
        {
            "approach": cohort.approach.pk,
            "line": "overige_interventie",
            "date_from": "2024-03-01",
            "date_to": "2024-07-01",
        },
    )
    html = response.content.decode()
    assert "€ 1.000,00" in html
    assert "€ 500,00" not in html  # dated 1 juli 2024: the end is exclusive
    assert "€ 5.000,00" not in html


@pytest.mark.parametrize("typed", ["1234,50", "1.234,50", "€ 1.234,50", "1234.50"])
def test_the_analyst_adds_a_cost_with_a_decimal_comma(client, cohort, typed):
    client.force_login(cohort.analyst)
    response = client.post(
        NEW,
        {"approach": cohort.approach.pk, "trajectory": "", "line": "extra_zorg", "date": "2024-03-01", "amount": typed},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?approach={cohort.approach.pk}"
    item = CostItem.objects.latest("pk")
    assert (item.trajectory, item.line, item.amount, item.date) == (
        None,
        "extra_zorg",
        Decimal("1234.50"),
        D(2024, 3, 1),
    )
    page = client.get(response["Location"]).content.decode()
    assert "De kostenpost van € 1.234,50 is opgeslagen." in page
    assert "1 maart 2024" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("abc", "Geef een bedrag in euro, bijvoorbeeld 1.234,50."),
        ("-5", "Het bedrag mag niet negatief zijn."),
        ("12,345", "Hoogstens twee cijfers achter de komma (centen)."),
    ],
)
def test_a_bad_amount_is_shown_and_nothing_is_written(client, cohort, typed, message):
    client.force_login(cohort.analyst)
    before = _state()
    response = client.post(
        NEW,
        {
            "approach": cohort.approach.pk,
            "trajectory": cohort.t1.pk,
            "line": "extra_zorg",
            "date": "2024-03-01",
            "amount": typed,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


def test_the_add_form_offers_the_approachs_trajectories_by_key_and_lines_1b_to_3(client, cohort):
    client.force_login(cohort.analyst)
    html = client.get(NEW, {"approach": cohort.approach.pk}).content.decode()
    assert f"traject {cohort.t1.external_id} · jongere {cohort.t1.youth.external_id} · vanaf 15 januari 2024" in html
    assert cohort.t7.external_id not in html  # another approach
    assert "geen: de aanpak als geheel" in html
    assert "1a. Kosten begeleiding" not in html
    for label in (
        "1b. Overige kosten interventie",
        "1c. Kosten loon en vergoedingen",
        "3. Kosten extra jaren onderwijs",
    ):
        assert label in html
    assert cohort.t1.youth.first_name not in html


def test_a_team_lead_adds_on_their_teams_trajectory_and_reads_approach_level_items(client, cohort):
    client.force_login(cohort.lead)
    html = client.get(NEW).content.decode()
    assert "geen: de aanpak als geheel" not in html
    assert cohort.t3.external_id not in html  # team Zuid

    response = client.post(
        NEW,
        {
            "approach": cohort.approach.pk,
            "trajectory": cohort.t2.pk,
            "line": "extra_onderwijs",
            "date": "2024-04-02",
            "amount": "75",
        },
    )
    assert response.status_code == 302

    listing = client.get(LIST, {"approach": cohort.approach.pk}).content.decode()
    approach_level = CostItem.objects.get(line=CostLine.LOON_VERGOEDINGEN, approach=cohort.approach)
    assert "€ 3.000,00" in listing  # read
    assert reverse("mkba:cost_edit", args=[approach_level.pk]) not in listing  # not changed
    assert client.get(reverse("mkba:cost_edit", args=[approach_level.pk])).status_code == 403
    other_team = CostItem.objects.get(trajectory=cohort.t3)
    assert client.get(reverse("mkba:cost_edit", args=[other_team.pk])).status_code == 404
    assert client.post(reverse("mkba:cost_delete", args=[other_team.pk])).status_code == 404
    assert other_team.amount == CostItem.objects.get(pk=other_team.pk).amount


def test_edit_shows_the_amount_with_a_comma_and_saves(client, cohort):
    client.force_login(cohort.analyst)
    item = CostItemFactory(
        approach=cohort.approach,
        trajectory=cohort.t1,
        line=CostLine.EXTRA_ZORG,
        amount=Decimal("1234.50"),
        date=D(2024, 5, 1),
    )
    url = reverse("mkba:cost_edit", args=[item.pk])
    assert 'value="1234,50"' in client.get(url).content.decode()

    response = client.post(
        url,
        {
            "approach": cohort.approach.pk,
            "trajectory": cohort.t1.pk,
            "line": "extra_zorg",
            "date": "2024-05-01",
            "amount": "2.000",
        },
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.amount == Decimal("2000.00")
    assert AuditLogEntry.objects.filter(object_type="cost_item", action="update", object_id=str(item.pk)).count() == 1


def test_delete_asks_first(client, cohort):
    client.force_login(cohort.analyst)
    item = CostItem.objects.get(trajectory=cohort.t1)
    url = reverse("mkba:cost_delete", args=[item.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Kostenpost verwijderen?" in html
    assert "1 april 2024" in html
    assert "€ 1.000,00" in html
    assert CostItem.objects.filter(pk=item.pk).exists()

    response = client.post(url)
    assert response.status_code == 302
    assert not CostItem.objects.filter(pk=item.pk).exists()
    assert "De kostenpost is verwijderd." in client.get(response["Location"]).content.decode()


def test_another_organisation_reaches_nothing(client, cohort):
    client.force_login(cohort.foreign_analyst)
    item = CostItem.objects.get(trajectory=cohort.t1)
    assert client.get(reverse("mkba:cost_edit", args=[item.pk])).status_code == 404
    assert client.post(reverse("mkba:cost_delete", args=[item.pk])).status_code == 404
    response = client.get(LIST, {"approach": cohort.approach.pk})
    assert response.status_code == 200
    assert "€ 1.000,00" not in response.content.decode()


def test_a_link_from_a_trajectory_preselects_it_and_its_approach(client, cohort):
    client.force_login(cohort.analyst)
    html = client.get(NEW, {"trajectory": cohort.t7.pk}).content.decode()
    assert f'<option value="{cohort.t7.pk}" selected>' in html
    assert f'<option value="{cohort.other_approach.pk}" selected>Groepstraining</option>' in html
    client.force_login(cohort.lead)
    html = client.get(NEW, {"trajectory": cohort.t3.pk}).content.decode()  # another team's: not offered
    assert f'<option value="{cohort.t3.pk}"' not in html
