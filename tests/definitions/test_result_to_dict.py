"""A check result serialises itself, in either language: what the background save and the
API answer with."""

import json

from definitions.conftest import definition

FORM = definition(
    """\
    sections:
      - code: A
        title: {pl: Dział A, en: Section A}
        fields:
          - {code: A1, type: integer, label: {pl: Lekarze, en: Physicians}, required: true}
          - {code: A2, type: integer, label: {pl: w tym kobiety, en: of whom women}}
          - {code: A3, type: integer, label: {pl: Razem, en: Total}, calculation: "A1 + A2"}
    rules:
      - id: R1
        severity: warning
        expression: "A2 <= A1"
        fields: [A2]
        message: {pl: "Kobiet ({A2}) więcej niż lekarzy ({A1}).", en: "More women than physicians."}
    """
)


def test_a_verified_result_reads_as_plain_data_in_polish_and_english(compile_yaml):
    form = compile_yaml(FORM)
    result = form.check({"A1": "1000", "A2": "15000"}, stage="verify")
    polish = result.to_dict("pl")
    # Polish groups thousands with a no-break space from five digits on.
    assert polish["values"] == {"A1": "1000", "A2": "15\xa0000", "A3": "16\xa0000"}
    assert polish["warnings"] == [
        {"rule": "R1", "fields": ["A2"], "message": "Kobiet (15\xa0000) więcej niż lekarzy (1000)."}
    ]
    assert polish["errors"] == [] and polish["sendable"] is True
    english = result.to_dict("en")
    assert english["values"]["A3"] == "16,000"
    assert english["warnings"][0]["message"] == "More women than physicians."
    json.dumps(english)  # plain data, nothing else


def test_problems_with_values_are_keyed_by_field(compile_yaml):
    result = compile_yaml(FORM).check({"A1": "dużo"}, stage="save")
    data = result.to_dict("pl")
    assert list(data["problems"]) == ["A1"]
    assert data["stage"] == "save" and data["sendable"] is False
