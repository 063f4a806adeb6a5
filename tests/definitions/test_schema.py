"""The published JSON Schema of the definition format, and the data it lets through."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from ssoz.definitions.form import compile_definition
from ssoz.definitions.loader import Definition, form_schema, parse_definition
from ssoz.registry.models import EntityType

from .conftest import definition

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "definitions").glob("*/*.yaml"))

MINIMAL = definition(
    """\
    deadline: 2026-03-31
    sections:
      - code: A1
        title: {pl: Obszar 1, en: Area 1}
        fields:
          - code: Q1
            type: single_choice
            label: {pl: Poziom, en: Level}
            choices:
              - {code: 0, label: {pl: brak, en: none}, score: 0}
              - {code: nd, label: {pl: nie dotyczy, en: not applicable}}
    """
).replace('version: "2025"', "version: 2025")


def test_the_schema_is_a_valid_draft_2020_12_schema():
    schema = form_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_schema_knows_every_entity_type_of_the_registry():
    allowed = form_schema()["properties"]["entity_types"]["items"]["enum"]
    assert allowed == [choice.value for choice in EntityType]


def test_a_minimal_definition_is_plain_data_in_document_order():
    data = parse_definition(MINIMAL, filename="minimal.yaml")
    assert isinstance(data, dict) and isinstance(data, Definition)
    assert list(data) == ["format", "code", "version", "title", "kind", "period", "levels"] + [
        "deadline",
        "sections",
    ]
    # YAML would read these as a number and a date; the format wants texts.
    assert data["version"] == "2025"
    assert data["deadline"] == "2026-03-31"
    assert data["sections"][0]["fields"][0]["choices"][0]["code"] == "0"
    jsonschema.validate(data, form_schema())


def test_the_parsed_data_knows_the_line_of_every_item():
    data = parse_definition(MINIMAL, filename="minimal.yaml")
    lines = MINIMAL.splitlines()
    assert lines[data.locations.line(("sections", 0, "fields", 0)) - 1].strip() == "- code: Q1"
    assert "nd" in lines[data.locations.line(("sections", 0, "fields", 0, "choices", 1)) - 1]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_shipped_definition_matches_the_schema_and_compiles(path):
    name = str(path.relative_to(REPO))
    data = parse_definition(path.read_text(encoding="utf-8"), filename=name)
    form = compile_definition(data, filename=name)
    assert form.code == data["code"]
    assert form.refs
