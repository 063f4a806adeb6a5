"""The text of a repeating rule written for one row: ``*`` in a reference is the row's code,
``{*}`` and ``{*label}`` in a message its code and label; nothing else changes."""

from __future__ import annotations

import pytest

from ssoz.definitions.rules import repeat


@pytest.mark.parametrize(
    ("source", "written"),
    [
        ("D2.*.K5 <= D2.*.K1", "D2.W03.K5 <= D2.W03.K1"),
        ("D2.*.K5 <= D1.*.K2", "D2.W03.K5 <= D1.W03.K2"),
        ("if D2.*.K1 > 0 then D2.*.K5 > 0", "if D2.W03.K1 > 0 then D2.W03.K5 > 0"),
        ("prev(D2.*.K1) >= 0", "prev(D2.W03.K1) >= 0"),
        ("sum(D2.*.K1:K4) = D2.*.K5", "sum(D2.W03.K1:K4) = D2.W03.K5"),
        ("D1.W01.* = sum(D1.W02:W09.*)", "D1.W01.W03 = sum(D1.W02:W09.W03)"),
    ],
)
def test_a_star_that_is_a_whole_segment_of_a_reference_becomes_the_code(source, written):
    assert repeat.for_item(source, "W03").text == written


@pytest.mark.parametrize(
    ("source", "written"),
    [
        ("D2.*.K5 * 2 <= D2.*.K1", "D2.W03.K5 * 2 <= D2.W03.K1"),
        ("D2.*.K5*2 <= D2.*.K1", "D2.W03.K5*2 <= D2.W03.K1"),
        ("D2.W01.K1*2 <= D2.*.K1", "D2.W01.K1*2 <= D2.W03.K1"),
        ("2*D2.*.K1 > 0", "2*D2.W03.K1 > 0"),
        ("D2.*.K5*D2.*.K1 > 0", "D2.W03.K5*D2.W03.K1 > 0"),
        ("(D2.*.K1)*(D2.*.K5) > 0", "(D2.W03.K1)*(D2.W03.K5) > 0"),
        ("Q1 × D2.*.K1 > 0", "Q1 × D2.W03.K1 > 0"),
    ],
)
def test_multiplication_is_left_alone(source, written):
    assert repeat.for_item(source, "W03").text == written


@pytest.mark.parametrize(
    "source",
    [
        "name = 'D2.*.K1'",
        'name = "D2.*.K1"',
        "name = 'it\\'s D2.*.K1'",
        "Q1.*2 > 0",  # not a whole segment: the parser says what is wrong
        "Q1 ** 2 > 0",
    ],
)
def test_a_star_in_a_text_or_not_standing_alone_is_left_alone(source):
    assert repeat.for_item(source, "W03").text == source
    assert repeat.stars(source) == []


def test_stars_gives_the_offset_of_each_star_standing_for_the_row():
    assert repeat.stars("D2.*.K5 * 2 <= D2.*.K1") == [3, 18]


def test_a_message_shows_the_code_and_the_label_as_text():
    written = repeat.message_for_item(
        "Wiersz {*} „{*label}”: etaty ({D2.*.K5}) i ({round(D2.*.K5 * 2, 1)}).", "W03", "Lekarze"
    )
    assert (
        written.text == "Wiersz W03 „Lekarze”: etaty ({D2.W03.K5}) i ({round(D2.W03.K5 * 2, 1)})."
    )


def test_braces_in_a_label_stay_braces_and_never_become_placeholders():
    written = repeat.message_for_item("„{*label}”", "W03", "Ogółem {D1.W01.K1} }")
    assert written.text == "„Ogółem {{D1.W01.K1}} }}”"


def test_doubled_braces_and_quoted_stars_in_a_message_are_left_alone():
    template = "{{*}} {{*label}} {name = 'D2.*.K1'} *"
    assert repeat.message_for_item(template, "W03", "x").text == template
    assert repeat.message_stars(template) == []


def test_message_stars_finds_placeholders_and_stars_in_placeholders():
    assert repeat.message_stars("{*} {*label} {D2.*.K1}") == [0, 4, 17]


def test_a_position_in_the_written_text_points_back_at_the_rule_as_written():
    written = repeat.for_item("D2.*.K5 <=\n  D1.*.K9", "W03")
    assert written.text == "D2.W03.K5 <=\n  D1.W03.K9"
    assert written.position(1, 1) == (1, 1)
    assert written.position(1, 4) == (1, 4)  # inside "W03": the star
    assert written.position(1, 6) == (1, 4)
    assert written.position(1, 7) == (1, 5)  # the dot after it
    assert written.position(2, 3) == (2, 3)
    assert written.position(2, 10) == (2, 8)  # "9"
