"""The survey's maturity computations: scores worked out as the form works them out, how many
entities stand at each level, peers of the same type and size, widened when too few, the
weakest link beside the mean, and what the next level of a lagging area would take."""

from decimal import Decimal

import pytest
from definitions.test_shipped_forms import CYBER, SURVEY, form
from hypothesis import given, settings
from hypothesis import strategies as st

from ssoz.definitions.form.structure import FieldType
from ssoz.results import maturity
from ssoz.results.aggregates import Scope
from ssoz.results.suppression import Reason

SCALE = maturity.scale_of(form(CYBER))
AREAS = len(SCALE.areas)


def respondent(
    entity_id, level, computers=100, *, voivodeship="14", entity_type="podmiot_leczniczy"
):
    areas = level if isinstance(level, tuple) else (Decimal(level),) * AREAS
    present = [a for a in areas if a is not None]
    overall = sum(present, Decimal(0)) / len(present) if present else None
    return maturity.Respondent(
        entity_id, voivodeship, entity_type, Decimal(computers), areas, overall
    )


# --- The scale, read from the form ------------------------------------------------------------


def test_the_survey_has_twelve_areas_of_forty_controls_and_an_overall_level():
    assert [area.code for area in SCALE.areas] == [f"A{n}" for n in range(1, 13)]
    assert sum(len(area.controls) for area in SCALE.areas) == 40
    assert SCALE.overall_ref == "SCORE"
    assert SCALE.size_ref == "A0_Q5"


def test_a_form_without_scored_areas_has_no_scale():
    from review.conftest import SURVEY as TEST_FORM

    from ssoz.definitions.form import compile_definition
    from ssoz.definitions.loader import parse_definition

    definition = parse_definition(TEST_FORM, filename="test-1.yaml")
    assert maturity.scale_of(compile_definition(definition, filename="test-1.yaml")) is None


def test_scores_are_those_of_the_answers_as_the_form_computes_them():
    scores = SCALE.scores(SURVEY)
    values = form(CYBER).check(SURVEY, stage="save").values

    assert scores.areas == tuple(values.get(area.score_ref) for area in SCALE.areas)
    assert scores.overall == values["SCORE"] == Decimal("2.35")
    assert scores.computers == 420


def _answers():
    """Any answers to the values the scores read: levels, „nie dotyczy”, blanks, and the
    questions that decide which controls are asked."""
    compiled = form(CYBER)
    options = {}
    for ref in SCALE.refs:
        spec = compiled.field(ref)
        if spec.choices:
            options[ref] = st.sampled_from([None, *(c.code for c in spec.choices)])
        elif spec.type == FieldType.YES_NO:
            options[ref] = st.sampled_from([None, "tak", "nie"])
        elif spec.type == FieldType.DATE:
            options[ref] = st.sampled_from([None, "2023-06-30", "31.02.2023"])
        else:
            options[ref] = st.sampled_from([None, "0", "3", "49", "50", "420", "x"])
    return st.fixed_dictionaries(options).map(
        lambda raw: {ref: value for ref, value in raw.items() if value is not None}
    )


@settings(max_examples=150, deadline=None)
@given(raw=_answers())
def test_scores_agree_with_the_forms_own_engine_for_any_answers(raw):
    scores = SCALE.scores(raw)
    values = form(CYBER).check(raw, stage="save").values

    assert scores.areas == tuple(values.get(area.score_ref) for area in SCALE.areas)
    assert scores.overall == values.get("SCORE")


def test_a_control_that_is_not_asked_does_not_count_though_its_answer_was_kept():
    # SIEM alerts (A7_Q5) are asked only when logs are collected centrally.
    raw = {**SURVEY, "A7_Q1": "nie", "A7_Q5": "5"}
    assert SCALE.scores(raw).areas[6] == Decimal("2.00")  # A7_Q2 alone


def test_not_applicable_does_not_count():
    raw = {**SURVEY, "A3_Q3": "nd"}
    assert SCALE.scores(raw).areas[2] == Decimal("2.50")  # (3 + 2) / 2


# --- Levels and the distribution --------------------------------------------------------------


@pytest.mark.parametrize(
    "score,level",
    [(Decimal("0"), 0), (Decimal("2.67"), 2), (Decimal("3.00"), 3), (Decimal("5.00"), 5)],
)
def test_an_entity_is_at_the_whole_level_its_score_reaches(score, level):
    assert maturity.level_of(score) == level


def test_the_distribution_counts_entities_at_each_level_of_each_area_and_overall():
    everyone = [respondent(1, 1), respondent(2, "2.67"), respondent(3, 2), respondent(4, 5)]
    everyone.append(respondent(5, (None,) * AREAS))

    rows = maturity.distribution(SCALE, everyone, suppressed=False)

    assert len(rows) == AREAS + 1
    first = rows[0]
    assert first.label == "Obszar 1. Organizacja i zarządzanie"
    assert first.counts == {"0": 0, "1": 1, "2": 2, "3": 0, "4": 0, "5": 1, "none": 1}
    assert first.total == 5
    assert rows[-1].label == "Ogólny poziom dojrzałości"
    assert rows[-1].counts["2"] == 2
    assert not first.hidden


def test_under_suppression_a_level_held_by_fewer_than_three_is_hidden_and_protected():
    everyone = [respondent(n, 3) for n in range(1, 6)] + [respondent(6, 0)]

    first = maturity.distribution(SCALE, everyone, suppressed=True)[0]

    assert first.hidden["0"] == Reason.FEW
    # One more cell is hidden with it, or the total would tell the hidden one.
    assert len(first.hidden) >= 2
    assert first.counts["3"] == 5


# --- Means by group ---------------------------------------------------------------------------


def test_means_by_voivodeship_with_the_country_last():
    everyone = [respondent(1, 4, voivodeship="14")] + [
        respondent(n, 2, voivodeship="24") for n in (2, 3, 4)
    ]

    rows = maturity.group_means(SCALE, everyone, "wojewodztwo", suppressed=False)

    assert [(r.label, r.count, r.overall) for r in rows] == [
        ("mazowieckie", 1, Decimal("4.00")),
        ("śląskie", 3, Decimal("2.00")),
        ("Razem", 4, Decimal("2.50")),
    ]
    assert all(r.hidden is None for r in rows)


def test_under_suppression_a_group_of_fewer_than_three_is_hidden_with_a_complement():
    everyone = [respondent(1, 4, voivodeship="14")] + [
        respondent(n, 2 + n % 2, voivodeship="24") for n in (2, 3, 4, 5)
    ]

    rows = {
        r.label: r for r in maturity.group_means(SCALE, everyone, "wojewodztwo", suppressed=True)
    }

    assert rows["mazowieckie"].hidden == Reason.FEW
    # Śląskie alone beside the country's mean would give Mazowieckie away.
    assert rows["śląskie"].hidden is not None or rows["Razem"].hidden is not None
    cells = rows["mazowieckie"].area_cells()
    assert all(hidden for _mean, hidden in cells)


# --- Peers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "computers,band",
    [(0, "1-49"), (1, "1-49"), (49, "1-49"), (50, "50-249"), (249, "50-249"), (250, "250+")],
)
def test_size_bands_by_the_count_of_computers(computers, band):
    assert maturity.size_band(Decimal(computers)) == band


def test_peers_are_other_entities_of_the_same_type_and_size_band():
    me = respondent(1, 2, computers=300)
    others = [respondent(n, level, computers=400) for n, level in ((2, 2), (3, 3), (4, 4))]
    small = [respondent(9, 5, computers=10)]

    peers = maturity.peers_of(me, [me, *others, *small])

    assert (peers.basis, peers.count, peers.band) == ("band", 3, "250+")
    assert peers.areas[0] == Decimal("3.00")  # itself and the small entity left out


def test_a_band_with_fewer_than_three_peers_is_widened_to_the_entity_type():
    me = respondent(1, 2, computers=300)
    everyone = [
        me,
        respondent(2, 4, computers=400),
        respondent(3, 1, computers=10),
        respondent(4, 1, computers=60),
        respondent(5, 5, computers=60, entity_type="praktyka_lekarska"),
    ]

    peers = maturity.peers_of(me, everyone)

    assert (peers.basis, peers.count) == ("type", 3)
    assert peers.areas[0] == Decimal("2.00")  # (4 + 1 + 1) / 3; the other type left out


def test_fewer_than_three_peers_of_the_type_show_no_peer_line():
    me = respondent(1, 2)
    peers = maturity.peers_of(me, [me, respondent(2, 4), respondent(3, 4, computers=5)])

    assert not peers.shown
    assert peers.areas == (None,) * AREAS


def test_an_area_rated_by_fewer_than_three_peers_shows_no_peer_mean():
    me = respondent(1, 2)
    unrated = (None,) + (Decimal(3),) * (AREAS - 1)
    others = [respondent(2, 4), respondent(3, unrated), respondent(4, unrated)]

    peers = maturity.peers_of(me, [me, *others])

    assert peers.areas[0] is None  # one peer alone rated area 1
    assert peers.areas[1] == Decimal("3.33")


# --- The weakest link -------------------------------------------------------------------------


def _profile(areas, controls, peers_level=None):
    me = respondent(1, areas)
    others = [respondent(n, peers_level) for n in (2, 3, 4)] if peers_level is not None else []
    found = maturity.Respondents(SCALE, [me, *others], controls)
    return maturity.profile(SCALE, found, 1)


def _all_controls(level):
    return {control.ref: level for control in SCALE.controls}


def test_a_mean_of_four_with_backups_at_zero_is_not_mature():
    areas = tuple(Decimal(4) if a.code != "A6" else Decimal(3) for a in SCALE.areas)
    controls = {**_all_controls(4), "A6_Q1": 0}

    profile = _profile(areas, controls)

    assert [(area.code, score) for area, score in profile.weakest] == [("A6", Decimal(3))]
    zeros = profile.critical_zeros
    assert [(z.area.code, z.control.ref) for z in zeros] == [("A6", "A6_Q1")]
    assert str(zeros[0].control.label) == "Kopie zapasowe systemów kluczowych"
    assert profile.is_mature_by_mean_only


def test_an_area_at_zero_is_a_critical_zero_of_its_own():
    areas = (Decimal(0),) + (Decimal(3),) * (AREAS - 1)
    controls = {**_all_controls(3), "A1_Q6": 0, "A1_Q7": 0, "A1_Q8": 0}

    zeros = _profile(areas, controls).critical_zeros

    assert [(z.area.code, z.control) for z in zeros] == [("A1", None)]


def test_without_zeros_there_is_no_critical_gap():
    profile = _profile((Decimal(2),) * AREAS, _all_controls(2))
    assert profile.critical_zeros == []
    assert not profile.is_mature_by_mean_only


# --- Lagging areas and the next level ---------------------------------------------------------


def test_the_three_areas_furthest_behind_the_peers_with_their_next_level():
    scores = {"A10": Decimal(1), "A7": Decimal(2), "A6": Decimal("2.25")}
    areas = tuple(scores.get(area.code, Decimal(3)) for area in SCALE.areas)
    controls = {**_all_controls(3), "A10_Q1": 1, "A10_Q3": 1, "A7_Q2": 2, "A7_Q5": 2, "A6_Q1": 0}

    lagging = _profile(areas, controls, peers_level=3).lagging()

    assert [(lag.area.code, lag.gap, lag.against_peers) for lag in lagging] == [
        ("A10", Decimal(2), True),
        ("A7", Decimal(1), True),
        ("A6", Decimal("0.75"), True),
    ]
    backups = lagging[2].steps[0]
    assert (backups.control.ref, backups.level, backups.next_level) == ("A6_Q1", 0, 1)
    assert str(backups.description).startswith("1 – Początkowy")
    restore = next(step for step in lagging[2].steps if step.control.ref == "A6_Q4")
    assert restore.next_level == 4
    assert restore.hint.pl == "czas odtworzenia jest mierzony i porównywany z założonym"
    assert restore.hint.en == "the restore time is measured and compared with the target"


def test_without_peers_the_areas_lag_behind_level_five():
    areas = tuple(Decimal(n % 5) for n in range(AREAS))
    lagging = _profile(areas, _all_controls(2)).lagging()

    assert all(not lag.against_peers and lag.reference == 5 for lag in lagging)
    assert [lag.score for lag in lagging] == [Decimal(0)] * 3


def test_an_area_at_level_five_is_not_lagging_and_a_control_at_five_has_no_next_level():
    areas = (Decimal(5),) * (AREAS - 1) + (Decimal(4),)
    controls = {**_all_controls(5), "A12_Q2": 3}

    lagging = _profile(areas, controls).lagging()

    assert [lag.area.code for lag in lagging] == ["A12"]
    assert [step.control.ref for step in lagging[0].steps] == ["A12_Q2"]


def test_the_scope_of_a_voivodeship_keeps_its_respondents_only():
    found = maturity.Respondents(
        SCALE, [respondent(1, 2, voivodeship="14"), respondent(2, 2, voivodeship="24")]
    )
    assert [r.entity_id for r in found.within(Scope("24", suppressed=False))] == [2]
    assert len(found.within(Scope(None, suppressed=True))) == 2
