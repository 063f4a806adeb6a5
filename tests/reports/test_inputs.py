"""A page's post, a file's rows and a JSON object are read into the same input, and the save
keeps of each only what the form has, bounded."""

from django.http import QueryDict

from ssoz.reports import inputs, workflow


def save(report, alice, posted):
    return workflow.save_report(
        report=report,
        actor=alice,
        changes=posted.changes,
        base_revision=posted.base_revision,
        explanations=posted.explanations,
        complete=posted.complete,
    )


def test_a_json_object_is_saved_as_the_same_values_typed(report, alice):
    posted = inputs.from_json(
        {
            "values": {"A_TEAM": True, "D1.W01.K2": 12, "A_NOTE": None, "nie-ma": "x"},
            "explanations": {"R1": "Szpital kliniczny.", "wymyślona": "x"},
            "revision": 0,
        },
    )
    assert posted.base_revision == 0 and not posted.complete
    save(report, alice, posted)
    report.refresh_from_db()
    assert report.values == {"A_TEAM": "tak", "D1.W01.K2": "12"}
    assert report.explanations == {"R1": "Szpital kliniczny."}


def test_a_malformed_json_object_saves_nothing_and_raises_nothing(report, alice):
    posted = inputs.from_json(
        {"values": ["not", "a", "mapping"], "explanations": 7, "revision": "-1"},
    )
    assert posted.changes == {} and posted.explanations is None and posted.base_revision is None
    assert not save(report, alice, posted).saved


def test_a_files_rows_are_saved_by_reference(report, alice):
    posted = inputs.from_rows(
        [("D1.W01.K2", 7), ("D1.W01.K3", "2"), ("A_NOTE", None), ("obce", "1")],
        report.form_version.compiled(),
    )
    save(report, alice, posted)
    report.refresh_from_db()
    assert report.values == {"D1.W01.K2": "7", "D1.W01.K3": "2"}


CHOICES = """
format: ssoz-form/1
code: TEST-M
version: "1"
title: {pl: Wybór, en: Choice}
kind: one_time
period: year
levels: [entity]
sections:
  - code: A
    title: {pl: Dział A, en: Section A}
    fields:
      - code: A1
        type: multiple_choice
        label: {pl: Systemy, en: Systems}
        choices:
          - {code: his, label: {pl: HIS, en: HIS}}
          - {code: erp, label: {pl: ERP, en: ERP}}
      - {code: A2, type: text, label: {pl: Uwagi, en: Remarks}}
"""


def test_a_page_post_clears_what_it_no_longer_ticks_but_a_partial_input_does_not():
    from ssoz.definitions.form import compile_definition
    from ssoz.definitions.loader import parse_definition

    form = compile_definition(parse_definition(CHOICES, filename="m.yaml"), filename="m.yaml")
    posted = inputs.from_post(QueryDict("revision=0&A2=raz&A2=dwa&csrfmiddlewaretoken=x"))
    assert posted.complete and posted.changes == {"A2": ["raz", "dwa"]}
    accepted, _refused = inputs.bounded(posted.changes, form, complete=True)
    # A field posted twice keeps its last value, as Django's own reading does; the multiple
    # choice absent from the whole form's post is cleared.
    assert accepted == {"A2": "dwa", "A1": []}
    ticked = inputs.from_post(QueryDict("A1=his&A1=erp"))
    assert inputs.bounded(ticked.changes, form, complete=True)[0] == {"A1": ["his", "erp"]}
    assert inputs.bounded({"A2": "x"}, form)[0] == {"A2": "x"}
