"""Parameter sets as versioned data (SPEC §2, §4, §6): the shipped default, import, editing as a
new version, export, and validation with errors by JSON path and nothing written."""

import json

import pytest

from cases.models import Approach
from core.exceptions import ApplicationError
from core.models import User
from mkba import calculations, selectors, services
from mkba.models import DEFAULT_PARAMETER_SET_NAME, ImmutableRecordError, ParameterSet, ReferenceApproach
from tests.factories import ApproachFactory, OrganisationFactory, UserFactory
from tests.mkba.conftest import FROM, MEASURED_AT, TO
from tests.mkba.factories import parameters_data

pytestmark = pytest.mark.django_db


# --- The data migration ----------------------------------------------------------------------------


def test_data_migration_loaded_the_ten_reference_approaches():
    references = list(ReferenceApproach.objects.order_by("number"))
    assert [reference.number for reference in references] == list(range(1, 11))
    file_data = {item.number: item for item in calculations.reference_approaches_load()}
    for reference in references:
        printed = file_data[reference.number]
        assert reference.name == printed.name
        assert reference.total_costs == printed.total_costs
        assert reference.total_benefits == printed.total_benefits
        assert reference.social_ratio == printed.social_ratio
        assert selectors.reference_approach_as_calculation(reference) == printed
    fourth = references[3]
    assert fourth.name == "Jongerenadviseurs + werktraject (W&I)"
    assert fourth.participants == 264
    assert fourth.costs["overige_interventie"] == 2200
    assert (fourth.total_costs, fourth.total_benefits, fourth.balance) == (3000, 11050, 8050)
    assert references[9].immaterial_shares["criminaliteit_overlast"] == 0.4558  # approach 10


def test_data_migration_loaded_the_indicative_default_set():
    default = ParameterSet.objects.get(organisation=None, name=DEFAULT_PARAMETER_SET_NAME, version=1)
    assert default.is_indicative
    assert "name" not in default.data and "notes" not in default.data
    assert calculations.parameter_set_validate(default.data) == []
    # the notes say how the values were derived from the reference approaches
    assert "INDICATIEF" in default.notes
    assert "Werkwijze" in default.notes and "annuïteitsfactor" in default.notes
    with calculations.DEFAULT_PARAMETERS_PATH.open(encoding="utf-8") as file:
        shipped = json.load(file)
    assert default.name == shipped["name"] == DEFAULT_PARAMETER_SET_NAME
    assert default.data["outcomes"] == shipped["outcomes"]


# --- Versioning ------------------------------------------------------------------------------------


@pytest.fixture
def organisation():
    return OrganisationFactory(name="Gemeente Voorbeeld")


@pytest.fixture
def analyst(organisation):
    return UserFactory(username="analist", organisation=organisation, role=User.Role.ANALYST)


def test_import_then_edit_makes_a_new_version_and_keeps_the_old(organisation, analyst):
    first = services.parameter_set_create(
        organisation=organisation, name="Eigen set", data=parameters_data(), created_by=analyst
    )
    assert first.version == 1
    edited = parameters_data(hourly_rate=70)
    second = services.parameter_set_version_create(
        parameter_set=first, organisation=organisation, data=edited, created_by=analyst
    )
    first.refresh_from_db()
    assert (second.name, second.version, second.based_on) == ("Eigen set", 2, first)
    assert second.data["hourly_rate"] == 70
    assert first.data["hourly_rate"] == 60  # unchanged
    assert second.notes == first.notes  # taken over when not given
    # importing the same name again continues the sequence
    third = services.parameter_set_create(organisation=organisation, name="Eigen set", data=parameters_data())
    assert third.version == 3


def test_a_saved_version_cannot_be_changed(organisation):
    parameter_set = services.parameter_set_create(organisation=organisation, name="Vast", data=parameters_data())
    parameter_set.notes = "stiekem gewijzigd"
    with pytest.raises(ImmutableRecordError):
        parameter_set.save()
    parameter_set.refresh_from_db()
    assert parameter_set.notes == ""


def test_a_report_names_the_version_it_used(organisation):
    approach = ApproachFactory(organisation=organisation)
    first = services.parameter_set_create(organisation=organisation, name="Set", data=parameters_data())
    services.approach_parameter_set_assign(approach=approach, parameter_set=first)
    second = services.parameter_set_version_create(
        parameter_set=first, organisation=organisation, data=parameters_data(hourly_rate=80)
    )
    approach.refresh_from_db()
    assert approach.parameter_set == second  # the approach follows its set to the new version
    output = selectors.mkba_report_generate(approach=approach, date_from=FROM, date_to=TO, measured_at=MEASURED_AT)
    assert output["parameter_set"] == {"name": "Set", "version": 2}
    older = selectors.mkba_report_generate(
        approach=approach, date_from=FROM, date_to=TO, measured_at=MEASURED_AT, parameter_set=first
    )
    assert older["parameter_set"] == {"name": "Set", "version": 1}


def test_editing_the_shared_default_makes_an_own_version(organisation, analyst):
    shared = selectors.parameter_set_default(organisation)
    own = services.parameter_set_version_create(
        parameter_set=shared, organisation=organisation, data=shared.data | {"hourly_rate": 72}, created_by=analyst
    )
    assert (own.organisation, own.name, own.version, own.based_on) == (organisation, shared.name, 2, shared)
    assert own.is_indicative  # taken over from the shared set
    assert selectors.parameter_set_default(organisation) == own
    other = OrganisationFactory(name="Gemeente Elders")
    assert selectors.parameter_set_default(other) == shared  # others keep the shared set
    assert ParameterSet.objects.filter(organisation=None, name=shared.name).count() == 1


def test_a_set_of_another_organisation_cannot_be_edited(organisation):
    foreign = services.parameter_set_create(
        organisation=OrganisationFactory(name="Elders"), name="Hun set", data=parameters_data()
    )
    with pytest.raises(ApplicationError):
        services.parameter_set_version_create(parameter_set=foreign, organisation=organisation, data=parameters_data())


def test_export_is_the_section_6_json_and_imports_back(organisation):
    parameter_set = services.parameter_set_create(
        organisation=organisation, name="Rond", data=parameters_data(), notes="Eigen cijfers 2024"
    )
    document = selectors.parameter_set_export(parameter_set)
    assert document["name"] == "Rond" and document["version"] == 1 and document["notes"] == "Eigen cijfers 2024"
    for key in (
        "hourly_rate",
        "productive_hours_per_fte",
        "discount_rate",
        "cost_basis",
        "main_outcome",
        "cost_bearers",
        "immaterial_shares",
        "outcomes",
    ):
        assert document[key] == parameters_data()[key]
    assert calculations.parameter_set_validate(document) == []
    again = services.parameter_set_create(organisation=organisation, name="", data=json.loads(json.dumps(document)))
    assert (again.name, again.version, again.notes) == ("Rond", 2, "Eigen cijfers 2024")
    assert again.data == parameter_set.data


def test_import_of_the_shipped_file_takes_its_description_as_notes(organisation):
    with calculations.DEFAULT_PARAMETERS_PATH.open(encoding="utf-8") as file:
        document = json.load(file)
    imported = services.parameter_set_create(organisation=organisation, name="Kopie", data=document)
    assert imported.notes.startswith("INDICATIEF.")
    assert "description" not in imported.data


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        (
            parameters_data(cost_bearers={"extra_zorg": {"gemeente": 0.5, "zorgverzekeraar": 0.4}}),
            "$.cost_bearers.extra_zorg",
            "de aandelen tellen op tot 0.9 in plaats van 1",
        ),
        (parameters_data(hourly_rate=-5), "$.hourly_rate", "mag niet negatief zijn (nu -5)"),
        (
            parameters_data(outcomes={"work": {"baseline": 1.5, "streams": []}}),
            "$.outcomes.work.baseline",
            "het nulalternatief (baseline) moet tussen 0 en 1 liggen (nu 1.5)",
        ),
        (
            parameters_data(outcomes={"work": {"baseline": -0.1, "streams": []}}),
            "$.outcomes.work.baseline",
            "het nulalternatief (baseline) moet tussen 0 en 1 liggen (nu -0.1)",
        ),
        (
            parameters_data(
                outcomes={
                    "work": {
                        "baseline": 0.2,
                        "streams": [
                            {"line": "werk", "stakeholder": "gemeente", "amount": -100, "first_year": 0, "years": 1}
                        ],
                    }
                }
            ),
            "$.outcomes.work.streams[0].amount",
            "mag niet negatief zijn (nu -100)",
        ),
        ({"outcomes": {}}, "$.hourly_rate", "verplicht veld ontbreekt"),
    ],
)
def test_invalid_sets_are_refused_with_dutch_messages_by_path_and_nothing_is_written(organisation, data, path, message):
    before = ParameterSet.objects.count()
    with pytest.raises(ApplicationError) as raised:
        services.parameter_set_create(organisation=organisation, name="Fout", data=data)
    assert message in raised.value.fields[path]
    assert ParameterSet.objects.count() == before
    base = ParameterSet.objects.get(organisation=None, name=DEFAULT_PARAMETER_SET_NAME)
    with pytest.raises(ApplicationError):
        services.parameter_set_version_create(parameter_set=base, organisation=organisation, data=data)
    assert ParameterSet.objects.count() == before


def test_visibility_own_and_shared_only(organisation, analyst):
    own = services.parameter_set_create(organisation=organisation, name="Eigen", data=parameters_data())
    foreign = services.parameter_set_create(
        organisation=OrganisationFactory(name="Elders"), name="Hun set", data=parameters_data()
    )
    visible = set(selectors.parameter_sets_visible_to(analyst))
    assert own in visible and foreign not in visible
    assert selectors.parameter_set_default(organisation) in visible
    worker = UserFactory(username="anna", organisation=organisation, role=User.Role.WORKER)
    assert not selectors.parameter_sets_visible_to(worker).exists()
    assert not selectors.approaches_for_mkba(worker).exists()


def test_assigning_a_foreign_set_is_refused(organisation):
    approach = ApproachFactory(organisation=organisation)
    foreign = services.parameter_set_create(
        organisation=OrganisationFactory(name="Elders"), name="Hun set", data=parameters_data()
    )
    with pytest.raises(ApplicationError):
        services.approach_parameter_set_assign(approach=approach, parameter_set=foreign)
    assert Approach.objects.get(pk=approach.pk).parameter_set is None
