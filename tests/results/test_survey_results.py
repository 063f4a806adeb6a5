"""„Wyniki ankiety”: administrators read the survey's levels across the country (a regional one
under statistical confidentiality beyond her voivodeship) and one entity against its peers;
the reporter of an approved survey sees her entity against its peers and what the next level
of its lagging areas would take, and nobody else's answers."""

import csv
import io

import cast
import pytest
from definitions.test_shipped_forms import SURVEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from results.conftest import answer_survey, publish_cyber, silesian_clinic

from ssoz.results import maturity
from ssoz.results.suppression import Reason


def rated(level: str, **changes: str) -> dict[str, str]:
    """The plausible survey with every control at `level`, then `changes`."""
    from definitions.test_shipped_forms import form

    compiled = form("ankieta-cyber/2023.yaml")
    controls = {
        ref: level
        for ref, spec in compiled.fields.items()
        if any(choice.score is not None for choice in spec.choices)
    }
    return {**SURVEY, **controls, **changes}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # These stories are about results, not passwords: a fast hasher for the cast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The hospital: defined (3) everywhere but awareness (1), monitoring (2) and no backups at all.
HOSPITAL = rated(
    "3", A10_Q1="1", A10_Q3="1", A7_Q2="2", A7_Q5="2", A6_Q1="0", A6_Q2="nie", A6_Q3="nie"
)


@pytest.fixture
def surveyed(cyber_survey, hospital, clinic, alice, charlie, wanda, olaf, celina):
    """ANKIETA-CYBER 2023, approved for the Mazovian hospital (420 computers), three Silesian
    clinics of its size at levels 2, 3 and 4, and Charlie's small clinic (30 computers) at 1."""
    silesian = [silesian_clinic(n) for n in range(3)]
    publication = publish_cyber(cyber_survey, [hospital, clinic, *silesian], celina)
    answer_survey(publication, hospital, alice, HOSPITAL, reviewer=wanda)
    for entity, level in zip(silesian, "234", strict=True):
        clerk = cast.make_user(f"clerk{entity.pk}", entity=entity)
        answer_survey(publication, entity, clerk, rated(level), reviewer=olaf)
    answer_survey(publication, clinic, charlie, rated("1", A0_Q5="30"), reviewer=olaf)
    return publication


def admin_page(publication, **query):
    """The survey results page's address and query, for `client.get(*admin_page(…))`."""
    return reverse("results:survey", args=[publication.pk]), query


def oblige(publication, entities, actor):
    from ssoz.publications.services import add_obligations
    from ssoz.registry.models import Entity

    add_obligations(
        publication=publication,
        entities=Entity.objects.filter(pk__in=[entity.pk for entity in entities]),
        actor=actor,
    )


def distribution_row(response, label):
    return next(row for row in response.context["distribution"] if row.label.startswith(label))


def test_the_central_administrator_sees_the_levels_of_every_area_unsuppressed(
    client, surveyed, celina
):
    cast.log_in(client, celina)
    response = client.get(*admin_page(surveyed))

    assert response.status_code == 200
    assert response.context["respondents_count"] == 5
    backups = distribution_row(response, "Obszar 6.")
    # The hospital (0, 3, 3, 3 → 2.25), the clinics at 2, 3, 4 and Charlie's at 1.
    assert backups.counts == {"0": 0, "1": 1, "2": 2, "3": 1, "4": 1, "5": 0, "none": 0}
    assert backups.hidden == {}
    awareness = distribution_row(response, "Obszar 10.")
    assert awareness.counts["1"] == 2
    by_voivodeship = {row.label: row for row in response.context["by_voivodeship"]}
    assert by_voivodeship["mazowieckie"].count == 1
    assert by_voivodeship["mazowieckie"].hidden is None
    assert str(by_voivodeship["śląskie"].overall) == "2.50"  # (1 + 2 + 3 + 4) / 4


def test_a_regional_administrator_sees_the_country_under_confidentiality(client, surveyed, wanda):
    cast.log_in(client, wanda)
    response = client.get(*admin_page(surveyed))

    awareness = distribution_row(response, "Obszar 10.")
    assert awareness.hidden["1"] == Reason.FEW  # the hospital and Charlie's clinic
    by_voivodeship = {row.label: row for row in response.context["by_voivodeship"]}
    assert by_voivodeship["mazowieckie"].hidden == Reason.FEW
    content = response.content.decode()
    assert "ukryte: tajemnica statystyczna" in content
    assert "dane ukryte ze względu na tajemnicę statystyczną" in content


def test_her_own_voivodeship_she_sees_in_full(client, surveyed, wanda):
    cast.log_in(client, wanda)
    response = client.get(*admin_page(surveyed, zakres="14"))

    assert response.context["respondents_count"] == 1
    backups = distribution_row(response, "Obszar 6.")
    assert backups.counts["2"] == 1
    assert backups.hidden == {}
    assert [row.hidden for row in response.context["by_type"]] == [None, None]


def test_another_voivodeship_alone_is_refused(client, surveyed, wanda):
    cast.log_in(client, wanda)
    assert client.get(*admin_page(surveyed, zakres="24")).status_code == 400


def test_she_may_choose_only_an_entity_whose_survey_she_sees(client, surveyed, wanda, clinic):
    cast.log_in(client, wanda)
    response = client.get(*admin_page(surveyed, podmiot=clinic.pk))

    assert response.status_code == 400
    assert "Wybierz podmiot z listy." in response.content.decode()
    listed = client.get(*admin_page(surveyed)).context["entities"]
    assert [item["obligation__entity__name"] for item in listed] == ["Szpital Bródnowski SPZOZ"]


def test_an_administrator_finds_an_entity_and_sees_its_radar_against_its_peers(
    client, surveyed, celina, hospital
):
    cast.log_in(client, celina)
    found = client.get(*admin_page(surveyed, szukaj="bródnowski")).context["entities"]
    assert [item["obligation__entity_id"] for item in found] == [hospital.pk]

    response = client.get(*admin_page(surveyed, podmiot=hospital.pk))

    profile = response.context["profile"]
    assert (profile.peers.basis, profile.peers.count) == ("band", 3)
    assert str(profile.peers.areas[0]) == "3.00"
    content = response.content.decode()
    assert '<svg role="img" aria-labelledby="maturity-radar-title"' in content
    assert "<script" not in content.split("maturity-radar-title")[1].split("</svg>")[0]
    assert "Kopie zapasowe systemów kluczowych" in content  # a critical zero
    assert "Najniżej oceniony obszar:" in content


def test_a_small_entity_is_compared_with_its_type_when_its_band_has_too_few(
    client, surveyed, celina, clinic
):
    cast.log_in(client, celina)
    profile = client.get(*admin_page(surveyed, podmiot=clinic.pk)).context["profile"]

    assert (profile.peers.basis, profile.peers.band, profile.peers.count) == ("type", "1-49", 4)


def test_sent_surveys_count_only_when_asked(
    client, surveyed, celina, cyber_survey, mazovian_office
):
    late = cast.make_entity(name="Szpital Powiatowy", teryt="1465011")
    clerk = cast.make_user("late", entity=late)
    oblige(surveyed, [late], celina)
    answer_survey(surveyed, late, clerk, rated("2"))
    cast.log_in(client, celina)

    assert client.get(*admin_page(surveyed)).context["respondents_count"] == 5
    assert client.get(*admin_page(surveyed, wszystkie="on")).context["respondents_count"] == 6


def test_the_tables_download_as_csv_as_shown(client, surveyed, wanda, hospital):
    cast.log_in(client, wanda)
    url, query = admin_page(surveyed, podmiot=hospital.pk)
    page = client.get(url, query).content.decode()
    assert "tabela=rozklad" in page and "tabela=podmiot" in page

    body = client.get(url, {**query, "format": "csv", "tabela": "rozklad"}).content.decode()
    assert body.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert lines[0][:3] == ["Obszar", "0", "1"]
    awareness = next(line for line in lines if line[0].startswith("Obszar 10."))
    assert awareness[2] == "×"  # hidden as on the page

    body = client.get(url, {**query, "format": "csv", "tabela": "wojewodztwa"}).content.decode()
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert lines[1][:3] == ["mazowieckie", "×", "×"]

    body = client.get(url, {**query, "format": "csv", "tabela": "podmiot"}).content.decode()
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert lines[0] == ["Obszar", "Podmiot", "Średnia grupy porównawczej"]
    assert lines[10] == ["Obszar 10. Świadomość i szkolenia", "1,00", "3,00"]


def test_the_page_takes_the_same_queries_however_many_surveys_were_sent(
    client, surveyed, celina, hospital
):
    cast.log_in(client, celina)
    url, query = admin_page(surveyed, podmiot=hospital.pk, szukaj="Przychodnia")
    client.get(url, query)  # the compiled form and the session, once
    with CaptureQueriesContext(connection) as five:
        client.get(url, query)
    more = [silesian_clinic(n) for n in range(10, 14)]
    oblige(surveyed, more, celina)
    olaf = type(celina).objects.get(username="olaf")
    for entity in more:
        clerk = cast.make_user(f"clerk{entity.pk}", entity=entity)
        answer_survey(surveyed, entity, clerk, rated("4"), reviewer=olaf)
    with CaptureQueriesContext(connection) as nine:
        response = client.get(url, query)

    assert response.context["respondents_count"] == 9
    assert len(nine) == len(five)


def test_the_survey_results_are_linked_from_the_completeness_pages(client, surveyed, wanda):
    cast.log_in(client, wanda)
    page = client.get(reverse("completeness:summary", args=[surveyed.pk])).content.decode()
    assert reverse("results:survey", args=[surveyed.pk]) in page


def test_a_form_without_a_maturity_scale_has_no_survey_results(client, survey, celina, hospital):
    publication = publish_cyber(survey, [hospital], celina)
    cast.log_in(client, celina)
    assert client.get(reverse("results:survey", args=[publication.pk])).status_code == 404
    page = client.get(reverse("completeness:summary", args=[publication.pk])).content.decode()
    assert reverse("results:survey", args=[publication.pk]) not in page


def test_reporters_see_no_administrators_results(client, surveyed, alice):
    cast.log_in(client, alice)
    assert client.get(*admin_page(surveyed)).status_code == 403


# --- The reporter's page ----------------------------------------------------------------------


def hospital_report(publication):
    return publication.reports.get(obligation__entity__name="Szpital Bródnowski SPZOZ")


def test_the_reporter_of_an_approved_survey_sees_her_entity_against_its_peers(
    client, surveyed, alice
):
    report = hospital_report(surveyed)
    cast.log_in(client, alice)
    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    url = reverse("results:survey_report", args=[report.pk])
    assert url in detail

    response = client.get(url)

    assert response.status_code == 200
    lagging = response.context["lagging"]
    assert [lag.area.code for lag in lagging] == ["A10", "A7", "A6"]
    content = response.content.decode()
    assert '<svg role="img" aria-labelledby="maturity-radar-title"' in content
    assert "2 – Powtarzalny: stosowane regularnie, ale nieopisane w dokumentach" in content
    assert "czas odtworzenia jest mierzony i porównywany z założonym" in content
    assert (
        "inne podmioty tego samego typu i tej samej wielkości (250 i więcej komputerów): 3."
        in content
    )


def test_the_peers_figures_are_means_of_three_entities_never_one_others_answers(
    client, cyber_survey, hospital, clinic, alice, charlie, wanda, olaf, celina
):
    """With one other entity only, the reporter sees no peer line at all."""
    publication = publish_cyber(cyber_survey, [hospital, clinic], celina)
    report = answer_survey(publication, hospital, alice, HOSPITAL, reviewer=wanda)
    answer_survey(publication, clinic, charlie, rated("4"), reviewer=olaf)
    cast.log_in(client, alice)

    response = client.get(reverse("results:survey_report", args=[report.pk]))

    assert not response.context["profile"].peers.shown
    content = response.content.decode()
    assert "Linii grupy porównawczej nie pokazano" in content
    assert "4,00" not in content and "4.00" not in content
    assert all(not lag.against_peers for lag in response.context["lagging"])


def test_the_reporter_of_a_survey_not_yet_approved_sees_no_results(
    client, cyber_survey, hospital, alice, celina
):
    publication = publish_cyber(cyber_survey, [hospital], celina)
    report = answer_survey(publication, hospital, alice, HOSPITAL)  # sent, not approved
    cast.log_in(client, alice)

    detail = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("results:survey_report", args=[report.pk]) not in detail
    response = client.get(reverse("results:survey_report", args=[report.pk]))

    assert response.status_code == 200
    assert "profile" not in response.context
    assert "<svg" not in response.content.decode()
    assert "gdy administrator zatwierdzi ankietę" in response.content.decode()


def test_another_entitys_reporter_gets_not_found(client, surveyed, charlie):
    cast.log_in(client, charlie)
    url = reverse("results:survey_report", args=[hospital_report(surveyed).pk])
    assert client.get(url).status_code == 404


def test_the_reporters_figures_download_as_csv(client, surveyed, alice):
    cast.log_in(client, alice)
    url = reverse("results:survey_report", args=[hospital_report(surveyed).pk])
    body = client.get(url, {"format": "csv"}).content.decode()
    lines = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert lines[6] == ["Obszar 6. Kopie zapasowe i ciągłość działania", "2,25", "3,00"]


def test_respondents_are_read_in_one_query(surveyed, django_assert_num_queries, hospital):
    scale = maturity.scale_of(surveyed.form_version.compiled())
    with django_assert_num_queries(1):
        found = maturity.respondents(surveyed, scale, controls_of=hospital.pk)
    assert len(found.all) == 5
    assert found.controls["A6_Q1"] == 0
