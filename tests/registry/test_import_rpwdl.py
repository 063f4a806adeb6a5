import json
from io import StringIO

import cast
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from ssoz.registry.models import Entity, EntityType, OrganisationalUnit
from ssoz.registry.rpwdl import (
    ColumnMapping,
    MappingError,
    export_rpwdl_csv,
    import_rpwdl_csv,
    load_mapping,
    parse_address,
)
from ssoz.registry.synthetic import generate_registry


def registry_state() -> list[tuple]:
    entities = Entity.objects.order_by("regon").values_list(
        "regon",
        "name",
        "nip",
        "register_book_number",
        "entity_type",
        "founding_body_code",
        "street",
        "building_number",
        "flat_number",
        "postal_code",
        "city",
        "teryt",
        "email",
    )
    units = OrganisationalUnit.objects.order_by("entity__regon", "unit_code").values_list(
        "entity__regon",
        "unit_code",
        "name",
        "regon14",
        "activity_code",
        "street",
        "postal_code",
        "city",
        "teryt",
    )
    return list(entities) + list(units)


@pytest.fixture
def exported(db, tmp_path):
    """A generated registry written as an RPWDL-style CSV, then emptied, with its state."""
    generate_registry(60, seed=21)
    state = registry_state()
    path = tmp_path / "rpwdl.csv"
    export_rpwdl_csv(Entity.objects.prefetch_related("units").order_by("regon"), path)
    Entity.objects.all().delete()
    return path, state


def test_it_creates_the_entities_and_units_of_an_export(exported):
    path, state = exported

    report = import_rpwdl_csv(path)

    assert report.ok and not report.problems
    assert report.entities_created == 60
    assert report.units_created == OrganisationalUnit.objects.count() > 0
    assert registry_state() == state


def test_importing_the_same_file_again_changes_nothing_and_says_so(exported):
    path, state = exported
    import_rpwdl_csv(path)
    updated_at = dict(Entity.objects.values_list("regon", "updated_at"))

    report = import_rpwdl_csv(path)

    assert not report.changed
    assert report.entities_unchanged == 60
    assert report.entities_created == report.entities_updated == 0
    assert report.units_created == report.units_updated == 0
    assert "Nic się nie zmieniło: rejestr już zgadza się z plikiem." in report.summary_lines()
    assert dict(Entity.objects.values_list("regon", "updated_at")) == updated_at
    assert registry_state() == state


def test_a_changed_name_and_address_update_the_entity(db, write_csv, hospital_rows):
    rows = hospital_rows()
    import_rpwdl_csv(write_csv(rows))
    for row in rows:
        row["Nazwa podmiotu"] = "Szpital Kliniczny im. Jana Pawła II w Lublinie"
        row["Ulica"] = "ul. Jaczewskiego"
        row["Numer domu"] = "8"

    report = import_rpwdl_csv(write_csv(rows))

    entity = Entity.objects.get(regon=rows[0]["REGON"])
    assert (report.entities_updated, report.entities_unchanged) == (1, 0)
    assert (report.units_updated, report.units_unchanged) == (0, 2)
    assert entity.name == "Szpital Kliniczny im. Jana Pawła II w Lublinie"
    assert entity.address_line == "ul. Jaczewskiego 8, 20-074 Lublin"


def test_units_are_matched_by_their_code_and_updated_or_added(db, write_csv, hospital_rows):
    rows = hospital_rows(units=2)
    import_rpwdl_csv(write_csv(rows))
    rows[1]["Nazwa jednostki organizacyjnej"] = "Przychodnia Przyszpitalna"
    rows.extend(hospital_rows(rows[0]["REGON"], units=3, nip=rows[0]["NIP"])[2:])

    report = import_rpwdl_csv(write_csv(rows))

    entity = Entity.objects.get(regon=rows[0]["REGON"])
    assert (report.units_created, report.units_updated, report.units_unchanged) == (1, 1, 1)
    assert list(entity.units.values_list("unit_code", "name")) == [
        ("001", "Szpital"),
        ("002", "Przychodnia Przyszpitalna"),
        ("003", "Zakład Opiekuńczo-Leczniczy"),
    ]


def test_a_windows_1250_file_is_recognised_and_read(db, write_csv, hospital_rows):
    rows = hospital_rows(name="Samodzielny Publiczny Zakład Opieki Zdrowotnej w Łęcznej")
    path = write_csv(rows, encoding="cp1250")

    report = import_rpwdl_csv(path)

    assert report.encoding == "cp1250"
    assert report.entities_created == 1
    assert Entity.objects.get().name == "Samodzielny Publiczny Zakład Opieki Zdrowotnej w Łęcznej"
    assert OrganisationalUnit.objects.filter(name="Zakład Opiekuńczo-Leczniczy").count() == 0


def test_a_utf8_file_with_a_byte_order_mark_is_read(db, write_csv, hospital_rows):
    # The BOM sits before the first header, „Numer księgi rejestrowej”; it must still match.
    path = write_csv(hospital_rows(), encoding="utf-8-sig")

    report = import_rpwdl_csv(path)

    assert report.encoding == "utf-8-sig"
    assert Entity.objects.get().register_book_number == "000000012345"


@pytest.mark.parametrize(("delimiter", "shown"), [(";", ";"), (",", ","), ("\t", "\t")])
def test_the_delimiter_is_recognised(db, write_csv, hospital_rows, delimiter, shown):
    rows = hospital_rows(name="Szpital Powiatowy, Oddział w Świdniku")  # a comma inside a value

    report = import_rpwdl_csv(write_csv(rows, delimiter=delimiter))

    assert report.delimiter == shown
    assert Entity.objects.get().name == "Szpital Powiatowy, Oddział w Świdniku"


def test_headers_are_compared_ignoring_case_and_spacing_but_not_diacritics(
    db, write_csv, hospital_rows
):
    rows = [
        {f"  {key.upper().replace(' ', '_')} ": value for key, value in row.items()}
        for row in hospital_rows()
    ]
    assert import_rpwdl_csv(write_csv(rows)).entities_created == 1

    without_diacritics = [
        {key.replace("ść", "sc"): value for key, value in row.items()} for row in hospital_rows()
    ]
    report = import_rpwdl_csv(write_csv(without_diacritics))
    assert not report.ok
    assert "„Miejscowość”" in report.errors[0]


def test_a_row_with_a_bad_regon_is_reported_with_its_line_and_skipped(db, write_csv, hospital_rows):
    good = hospital_rows(units=1)
    bad = hospital_rows(units=1, book="777")
    bad[0]["REGON"] = bad[0]["REGON"][:8] + str((int(bad[0]["REGON"][8]) + 1) % 10)
    later = hospital_rows(units=1, book="888")

    report = import_rpwdl_csv(write_csv(good + bad + later))

    assert report.rows == 3
    assert report.rows_rejected == 1
    [problem] = report.problems
    assert problem.line == 3  # the header is line 1
    assert "ma błędną cyfrę kontrolną" in problem.message
    assert str(problem).startswith("Wiersz 3: REGON ")
    assert Entity.objects.count() == 2


def test_line_numbers_count_physical_lines_of_multi_line_values(db, write_csv, hospital_rows):
    first = hospital_rows(units=1, name="Szpital\nz nazwą w dwóch wierszach")
    bad = hospital_rows(units=1, book="777", teryt="1465")

    report = import_rpwdl_csv(write_csv(first + bad))

    assert [problem.line for problem in report.problems] == [4]
    assert Entity.objects.get().name == "Szpital z nazwą w dwóch wierszach"


def test_a_row_with_an_unknown_voivodeship_is_rejected(db, write_csv, hospital_rows):
    rows = hospital_rows(teryt="3465011")  # 34 is not a voivodeship

    report = import_rpwdl_csv(write_csv(rows))

    assert [problem.line for problem in report.problems] == [2, 3]
    assert "Nieznany kod województwa w kodzie TERYT." in report.problems[0].message
    assert not Entity.objects.exists()


def test_a_unit_regon_that_belongs_to_another_entity_is_rejected(db, write_csv, hospital_rows):
    rows = hospital_rows(units=2)
    rows[1]["REGON jednostki organizacyjnej"] = cast.valid_regon14(cast.valid_regon9(), 2)

    report = import_rpwdl_csv(write_csv(rows))

    assert [problem.line for problem in report.problems] == [3]
    assert "nie należy do podmiotu" in report.problems[0].message
    assert list(OrganisationalUnit.objects.values_list("unit_code", flat=True)) == ["001"]


def test_identifiers_postal_codes_and_teryt_are_normalised(db, write_csv, hospital_rows):
    rows = hospital_rows(units=1)
    regon, regon14 = rows[0]["REGON"], rows[0]["REGON jednostki organizacyjnej"]
    nip = rows[0]["NIP"]
    rows[0].update(
        {
            "REGON": f"{regon[:3]} {regon[3:6]} {regon[6:]}",
            "NIP": f"{nip[:3]}-{nip[3:6]}-{nip[6:8]}-{nip[8:]}",
            "Numer księgi rejestrowej": "0000-12345",
            "Kod pocztowy": "20 074",
            "Identyfikator terytorialny": "06 63 01 1",
            "REGON jednostki organizacyjnej": f"{regon14[:9]}-{regon14[9:]}",
            "Kod resortowy jednostki organizacyjnej": "1",
        }
    )

    report = import_rpwdl_csv(write_csv(rows))

    assert not report.problems
    entity = Entity.objects.get()
    assert (entity.regon, entity.nip) == (regon, nip)
    assert entity.register_book_number == "000000012345"
    assert (entity.postal_code, entity.teryt, entity.voivodeship) == ("20-074", "0663011", "06")
    unit = entity.units.get()
    assert (unit.unit_code, unit.regon14) == ("001", regon14)


def test_a_bad_postal_code_is_rejected(db, write_csv, hospital_rows):
    report = import_rpwdl_csv(write_csv(hospital_rows(units=1, postal_code="20-74")))

    assert "Kod pocztowy ma postać NN-NNN" in report.problems[0].message


def test_a_unit_code_may_be_written_with_the_register_book(db, write_csv, hospital_rows):
    rows = hospital_rows(units=1)
    rows[0]["Kod resortowy jednostki organizacyjnej"] = "000000012345-01"

    report = import_rpwdl_csv(write_csv(rows))

    assert not report.problems
    assert OrganisationalUnit.objects.get().unit_code == "001"


def test_rows_of_an_entity_without_unit_columns_are_allowed(db, write_csv, hospital_rows):
    rows = hospital_rows(units=1)
    for key in list(rows[0]):
        if "jednostki" in key or "działalności" in key:
            rows[0][key] = ""
    entity_only_file = write_csv(
        [{key: value for key, value in rows[0].items() if value}],
    )

    assert import_rpwdl_csv(write_csv(rows)).entities_created == 1
    report = import_rpwdl_csv(entity_only_file)

    assert report.entities_unchanged == 1 and not report.problems
    assert not OrganisationalUnit.objects.exists()


def test_rows_of_one_entity_that_disagree_are_rejected(db, write_csv, hospital_rows):
    rows = hospital_rows(units=2)
    rows[1]["Nazwa podmiotu"] = "Inna nazwa"

    report = import_rpwdl_csv(write_csv(rows))

    [problem] = report.problems
    assert problem.line == 3
    assert "różnią się od wiersza 2 (nazwa)" in problem.message
    assert OrganisationalUnit.objects.count() == 1


def test_a_unit_repeated_with_the_same_data_is_imported_once(db, write_csv, hospital_rows):
    rows = hospital_rows(units=1)

    report = import_rpwdl_csv(write_csv(rows * 3))  # as in a file with one row per cell

    assert not report.problems
    assert report.units_created == 1


def test_a_register_book_number_of_another_entity_is_rejected(db, write_csv, hospital_rows):
    cast.make_entity(register_book_number="000000012345")

    report = import_rpwdl_csv(write_csv(hospital_rows(units=1, book="12345")))

    assert "Numer księgi rejestrowej 000000012345 ma już podmiot" in report.problems[0].message
    assert Entity.objects.count() == 1


def test_a_database_conflict_rolls_back_the_whole_entity_only(db, write_csv, hospital_rows):
    rows = hospital_rows(units=1)
    import_rpwdl_csv(write_csv(rows))
    # A new unit 005 claims the REGON-14 that unit 001 (not in this file) already has: the
    # database refuses it, and the rename in the same row must be rolled back with it.
    conflicting = dict(rows[0])
    conflicting["Kod resortowy jednostki organizacyjnej"] = "005"
    conflicting["Nazwa podmiotu"] = "Nowa nazwa"
    other = hospital_rows(units=1, book="999")

    report = import_rpwdl_csv(write_csv([conflicting, *other]))

    assert [problem.line for problem in report.problems] == [2]
    assert "konflikt z rejestrem" in report.problems[0].message
    entity = Entity.objects.get(regon=rows[0]["REGON"])
    assert entity.name == rows[0]["Nazwa podmiotu"]
    assert list(entity.units.values_list("unit_code", flat=True)) == ["001"]
    assert report.entities_created == 1  # the other entity is imported
    assert Entity.objects.filter(regon=other[0]["REGON"]).exists()


def test_a_combined_address_column_is_split(db, write_csv, hospital_rows):
    rows = hospital_rows(units=1)
    for row in rows:
        for key in ("Ulica", "Numer domu", "Kod pocztowy", "Miejscowość"):
            del row[key]
        row["Adres siedziby"] = "al. Kraśnicka 100/2, 20-718 Lublin"

    report = import_rpwdl_csv(write_csv(rows))

    assert not report.problems
    entity = Entity.objects.get()
    assert (entity.street, entity.building_number, entity.flat_number) == (
        "al. Kraśnicka",
        "100",
        "2",
    )
    assert (entity.postal_code, entity.city) == ("20-718", "Lublin")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ul. Szpitalna 12/3, 00-950 Warszawa", ("ul. Szpitalna", "12", "3", "00-950", "Warszawa")),
        ("00-950 Warszawa, ul. Długa 5a", ("ul. Długa", "5a", "", "00-950", "Warszawa")),
        ("Brzezie 36, 21-240 Brzezie", ("", "36", "", "21-240", "Brzezie")),
        ("ul. 3 Maja 7 lok. 4, 35959 Rzeszów", ("ul. 3 Maja", "7", "4", "35-959", "Rzeszów")),
    ],
)
def test_polish_addresses_are_split_into_their_parts(text, expected):
    parts = parse_address(text)
    assert tuple(parts.values()) == expected


def test_an_ended_activity_deactivates_the_entity(db, write_csv, hospital_rows):
    rows = hospital_rows(units=1)
    import_rpwdl_csv(write_csv(rows))
    rows[0]["Data zakończenia działalności"] = "31.12.2020"

    report = import_rpwdl_csv(write_csv(rows))

    assert report.entities_updated == 1
    assert not Entity.objects.get().is_active


def test_an_entity_type_column_is_read_by_its_label(db, write_csv, hospital_rows):
    rows = hospital_rows(units=1, name="Praktyka Lekarska lek. Anna Nowak")
    rows[0]["Typ jednostki"] = "praktyka lekarska"
    unknown = hospital_rows(units=1, book="555")
    unknown[0]["Typ jednostki"] = "Apteka"

    report = import_rpwdl_csv(write_csv(rows + unknown))

    assert Entity.objects.get().entity_type == EntityType.DOCTOR_PRACTICE
    assert "Nieznany typ jednostki „Apteka”." in report.problems[0].message


def test_a_custom_mapping_reads_other_column_names(db, write_csv, tmp_path):
    regon = cast.valid_regon9()
    rows = [
        {
            "regon_podmiotu": regon,
            "nazwa": "Centrum Medyczne Salus Sp. z o.o.",
            "miasto": "Kraków",
            "kod_terc": "1261011",
            "jednostka": "1",
            "nazwa_jednostki": "Przychodnia Specjalistyczna",
        }
    ]
    mapping = {
        "default_entity_type": "podmiot_leczniczy",
        "columns": {
            "regon": "REGON podmiotu",
            "name": ["Nazwa"],
            "city": "Miasto",
            "teryt": "Kod TERC",
            "unit_code": "Jednostka",
            "unit_name": "Nazwa jednostki",
        },
    }
    mapping_file = tmp_path / "mapping.json"
    mapping_file.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")

    report = import_rpwdl_csv(write_csv(rows), mapping=mapping_file)

    assert not report.problems and report.entities_created == 1
    entity = Entity.objects.get()
    assert (entity.regon, entity.city, entity.voivodeship) == (regon, "Kraków", "12")
    assert entity.units.get().name == "Przychodnia Specjalistyczna"
    # The same mapping as a dict: nothing left to do.
    assert not import_rpwdl_csv(write_csv(rows), mapping=mapping).changed


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"columns": {"regon": "R", "name": "N", "teryt": "T", "city": "C", "x": "X"}}, "„x”"),
        ({"columns": {"regon": "R", "name": "N"}}, "teryt, city"),
        ({"columns": []}, "„columns”"),
        (
            {"columns": {"regon": "R", "name": "N", "teryt": "T", "city": "C"},
             "default_entity_type": "apteka"},
            "„apteka”",
        ),
    ],
)  # fmt: skip
def test_an_unusable_mapping_is_refused_with_a_reason(mapping, message):
    with pytest.raises(MappingError, match=message):
        load_mapping(mapping)


def test_the_default_mapping_is_modelled_on_the_rpwdl_01_column_list():
    mapping = load_mapping()

    assert isinstance(mapping, ColumnMapping)
    assert mapping.columns["register_book_number"][0] == "Numer księgi rejestrowej"
    assert mapping.columns["name"][0] == "Nazwa podmiotu"
    assert mapping.columns["regon"][0] == "REGON"
    assert mapping.columns["unit_code"][0] == "Kod resortowy jednostki organizacyjnej"
    assert mapping.columns["teryt"][0] == "Identyfikator terytorialny"


def test_a_file_without_the_required_columns_imports_nothing(db, write_csv, hospital_rows):
    rows = [{k: v for k, v in row.items() if k != "REGON"} for row in hospital_rows()]

    report = import_rpwdl_csv(write_csv(rows))

    assert not report.ok
    assert "„REGON”" in report.errors[0]
    assert report.summary_lines()[0] == "Pliku nie zaimportowano."
    assert not Entity.objects.exists()


def test_an_unreadable_file_is_reported_not_raised(db, tmp_path):
    report = import_rpwdl_csv(tmp_path / "missing.csv")
    assert not report.ok
    assert report.errors[0].startswith("Nie można odczytać pliku")


def test_dry_run_reports_what_would_change_but_writes_nothing(exported):
    path, _ = exported

    report = import_rpwdl_csv(path, dry_run=True)

    assert report.entities_created == 60 and report.units_created > 0
    assert "To była próba (--dry-run): niczego nie zapisano." in report.summary_lines()
    assert not Entity.objects.exists()
    assert not OrganisationalUnit.objects.exists()


def test_an_uploaded_file_can_be_imported(db, write_csv, hospital_rows):
    content = write_csv(hospital_rows(), encoding="cp1250").read_bytes()
    upload = SimpleUploadedFile("rpwdl.csv", content, content_type="text/csv")

    report = import_rpwdl_csv(upload)

    assert report.entities_created == 1 and report.units_created == 2


def test_the_command_prints_the_summary_and_the_rejected_lines(db, write_csv, hospital_rows):
    rows = hospital_rows(units=2)
    rows[1]["Identyfikator terytorialny"] = "3465011"
    path = write_csv(rows)
    out, err = StringIO(), StringIO()

    call_command("import_rpwdl", str(path), stdout=out, stderr=err)

    assert "Wiersz 3: Nieznany kod województwa w kodzie TERYT." in err.getvalue()
    summary = out.getvalue()
    assert "Plik: kodowanie utf-8, separator „;”." in summary
    assert "Wiersze danych: 2, odrzucone: 1." in summary
    assert "Podmioty – nowe: 1, zmienione: 0, bez zmian: 0." in summary
    assert "Jednostki organizacyjne – nowe: 1, zmienione: 0, bez zmian: 0." in summary


def test_the_command_says_when_nothing_changed_and_honours_dry_run(db, write_csv, hospital_rows):
    path = write_csv(hospital_rows())
    call_command("import_rpwdl", str(path), stdout=StringIO())
    out = StringIO()

    call_command("import_rpwdl", str(path), "--dry-run", stdout=out)

    assert "Nic się nie zmieniło" in out.getvalue()
    assert "niczego nie zapisano" in out.getvalue()


def test_the_command_fails_on_a_file_it_cannot_import(db, write_csv):
    path = write_csv([{"Coś": "innego"}])

    with pytest.raises(CommandError, match="Pliku nie zaimportowano"):
        call_command("import_rpwdl", str(path), stdout=StringIO())


def test_the_command_prints_the_default_mapping_as_a_starting_point():
    out = StringIO()

    call_command("import_rpwdl", "--print-mapping", stdout=out)

    assert load_mapping(json.loads(out.getvalue())) == load_mapping()


def test_an_imported_entity_gets_the_obligations_of_the_open_programme(
    db, write_csv, hospital_rows
):
    """The survey is published to every health care provider, due in a month; a hospital
    the import brings in afterwards is obliged at once."""
    import datetime

    from django.utils import timezone
    from reports.conftest import SURVEY

    from ssoz.definitions.services import load_definition
    from ssoz.publications.condition import FilingCondition
    from ssoz.publications.services import publish_form

    survey = load_definition(SURVEY, filename="test-1.yaml").form_version
    publication = publish_form(
        form_version=survey,
        year=2025,
        quarter=None,
        deadline=timezone.localdate() + datetime.timedelta(days=30),
        entities=Entity.objects.none(),
        actor=None,
        condition=FilingCondition(entity_types=("podmiot_leczniczy",)),
    )
    out = StringIO()
    call_command("import_rpwdl", str(write_csv(hospital_rows())), stdout=out)
    (entity,) = Entity.objects.all()
    assert publication.obligations.filter(entity=entity).exists()
    assert "Nowe obowiązki sprawozdawcze z programu: 1." in out.getvalue()
