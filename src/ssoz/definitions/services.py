"""Loading definition files: one function for the management command and the upload page."""

from __future__ import annotations

import datetime
import hashlib
import importlib
import json
import zipfile
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from ssoz.accounts.access import require_administrator
from ssoz.definitions.dumper import dump_yaml
from ssoz.definitions.form import CompiledForm, compile_definition, remember_form
from ssoz.definitions.loader import (
    Definition,
    DefinitionError,
    DefinitionProblem,
    parse_definition,
    validate_definition,
)
from ssoz.definitions.models import FormDefinition, FormVersion, RuleCorrection, SourceFormat
from ssoz.lib.polish import plural


class LoadStatus(StrEnum):
    CREATED = "created"  # a new version was stored
    REPLACED = "replaced"  # a changed file replaced a version no report uses yet
    UNCHANGED = "unchanged"  # the same file was loaded before: nothing to do
    CHECKED = "checked"  # checked only (--check, „Tylko sprawdź”): nothing stored
    INVALID = "invalid"  # the file has problems
    REFUSED = "refused"  # a changed file for a version that reports already use
    RULES_CORRECTED = "rules_corrected"  # only the rules of a version in use were corrected


@dataclass
class LoadResult:
    """What happened to one file, in Polish and English, with every problem found."""

    filename: str
    status: LoadStatus
    message_pl: str
    message_en: str
    problems: list[DefinitionProblem] = field(default_factory=list)
    code: str | None = None
    version: str | None = None
    form_version: FormVersion | None = None
    form: CompiledForm | None = None
    correction: RuleCorrection | None = None  # when only the rules were corrected

    @property
    def ok(self) -> bool:
        return self.status not in (LoadStatus.INVALID, LoadStatus.REFUSED)

    @property
    def http_status(self) -> int:
        """The answer's status for a page or the API: 400 for a bad file, 409 for a version
        in use, 201 for a stored one, 200 otherwise."""
        return {
            LoadStatus.INVALID: 400,
            LoadStatus.REFUSED: 409,
            LoadStatus.CREATED: 201,
        }.get(self.status, 200)

    def to_dict(self, language: str | None = None) -> dict[str, Any]:
        """The result as plain data in `language` (by default the active one)."""
        english = (language or get_language() or "pl").startswith("en")
        return {
            "ok": self.ok,
            "status": str(self.status),
            "filename": self.filename,
            "message": self.message(language),
            "code": self.code,
            "version": self.version,
            "problems": [
                {
                    "line": problem.line,
                    "item": problem.item,
                    "message": problem.message_en if english else problem.message_pl,
                }
                for problem in self.problems
            ],
        }

    def message(self, language: str | None = None) -> str:
        english = (language or get_language() or "pl").startswith("en")
        return self.message_en if english else self.message_pl

    def __str__(self) -> str:
        return f"{self.filename}: {self.message_pl}"


def _invalid(filename: str, problems: list[DefinitionProblem]) -> LoadResult:
    n = len(problems)
    return LoadResult(
        filename,
        LoadStatus.INVALID,
        f"Plik zawiera {n} {plural(n, 'błąd', 'błędy', 'błędów')}; nic nie wczytano.",
        f"The file has {n} problem{'s' if n != 1 else ''}; nothing was loaded.",
        problems,
    )


def _one_problem(filename: str, pl: str, en: str) -> LoadResult:
    return _invalid(filename, [DefinitionProblem(filename, None, None, pl, en)])


def source_format(filename: str, content: str | bytes) -> SourceFormat:
    """XLSX by the file's name, or by its content (a ZIP archive); YAML otherwise."""
    if filename.lower().endswith(".xlsx"):
        return SourceFormat.XLSX
    if isinstance(content, bytes) and content.startswith(b"PK\x03\x04"):
        return SourceFormat.XLSX
    return SourceFormat.YAML


def _canonical(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _dates_as_text(value: Any) -> Any:
    """The spreadsheet reader gives dates as dates; the format writes them as text."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _dates_as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_dates_as_text(item) for item in value]
    return value


def _sheet_problem(filename: str, problem: Any) -> DefinitionProblem:
    """A spreadsheet problem: its row is the line, its sheet and column the item."""
    where = []
    if getattr(problem, "sheet", None):
        where.append(f"sheet {problem.sheet}")
    if getattr(problem, "column", None):
        where.append(f"column {problem.column}")
    if getattr(problem, "path", None):
        where.append(f"key {problem.path}")
    return DefinitionProblem(
        filename,
        getattr(problem, "row", None),
        ", ".join(where) or None,
        problem.message,
        problem.message_en,
    )


def _read(
    content: str | bytes, filename: str, fmt: SourceFormat
) -> tuple[Definition, str, str] | LoadResult:
    """The checked data, the text to store and its checksum; or the result of a failure."""
    if fmt == SourceFormat.XLSX:
        if isinstance(content, str):
            return _one_problem(
                filename,
                "Plik XLSX trzeba przekazać jako bajty, nie tekst.",
                "An XLSX file must be given as bytes, not text.",
            )
        try:
            # Imported when needed: the spreadsheet reader (and openpyxl) is optional here.
            xlsx = importlib.import_module("ssoz.definitions.spreadsheet")
        except ImportError:
            return _one_problem(
                filename,
                "Wczytywanie definicji z plików XLSX nie jest jeszcze dostępne; wczytaj plik YAML.",
                "Loading definitions from XLSX files is not available yet; load a YAML file.",
            )
        try:
            data = _dates_as_text(xlsx.read_xlsx(content))
            definition = validate_definition(data, filename=filename)
        except DefinitionError as error:
            return _invalid(filename, error.problems)
        except xlsx.XlsxDefinitionError as error:
            return _invalid(filename, [_sheet_problem(filename, p) for p in error.problems])
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as error:
            # The reader promises its own error for a bad workbook; this is the safety net.
            return _one_problem(
                filename,
                f"Nie można odczytać pliku XLSX: {error}",
                f"Cannot read the XLSX file: {error}",
            )
        plain = json.loads(_canonical(definition))
        # A workbook's bytes change with every save in Excel; its content is what counts.
        checksum = hashlib.sha256(_canonical(plain).encode()).hexdigest()
        return definition, dump_yaml(plain), checksum
    if isinstance(content, bytes):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            return _one_problem(
                filename,
                f"Plik nie jest zapisany w kodowaniu UTF-8 (bajt nr {error.start + 1}). Zapisz "
                "go w edytorze jako UTF-8.",
                f"The file is not encoded in UTF-8 (byte {error.start + 1}). Save it as UTF-8.",
            )
    else:
        text = content.removeprefix("\ufeff")
    try:
        definition = parse_definition(text, filename=filename)
    except DefinitionError as error:
        return _invalid(filename, error.problems)
    return definition, text, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def load_definition(
    text: str | bytes, *, filename: str, actor: Any = None, check_only: bool = False
) -> LoadResult:
    """Check a definition file and store it as a form version.

    Loading the identical file again changes nothing; a changed file for an existing version
    replaces it only while no report uses that version. With ``check_only`` nothing is
    stored. Never raises for a bad file: its problems are in the result.

    Only the central administrator loads definitions; `actor` is None only for the
    operator's commands on the server.
    """
    if actor is not None:
        require_administrator(actor, central=True)
    fmt = source_format(filename, text)
    read = _read(text, filename, fmt)
    if isinstance(read, LoadResult):
        return read
    definition, source, checksum = read
    try:
        form = compile_definition(definition, filename=filename)
    except DefinitionError as error:
        return _invalid(filename, error.problems)
    code, version = form.code, form.version
    if check_only:
        return _checked(filename, form)
    with transaction.atomic():
        form_definition = (
            FormDefinition.objects.select_for_update().filter(code__iexact=code).first()
        )
        if form_definition is None:
            form_definition = FormDefinition.objects.create(
                code=code, title_pl=form.title.pl, title_en=form.title.en
            )
        existing = (
            FormVersion.objects.select_for_update()
            .filter(definition=form_definition, version=version)
            .first()
        )
        if existing is not None and existing.checksum == checksum:
            return LoadResult(
                filename,
                LoadStatus.UNCHANGED,
                f"Bez zmian: wersja {version} formularza {code} jest już wczytana z tego "
                "samego pliku.",
                f"Unchanged: version {version} of form {code} was already loaded from the same "
                "file.",
                code=code,
                version=version,
                form_version=existing,
                form=form,
            )
        data = json.loads(_canonical(definition))
        if (
            existing is not None
            and existing.is_in_use()
            and _only_rules_differ(existing.data, data)
        ):
            correction = RuleCorrection.objects.create(
                form_version=existing,
                previous_data=existing.data,
                previous_checksum=existing.checksum,
                corrected_by=actor if getattr(actor, "pk", None) else None,
            )
            existing.source, existing.source_format = source, fmt
            existing.filename, existing.checksum, existing.data = filename[-255:], checksum, data
            existing.save(update_fields=["source", "source_format", "filename", "checksum", "data"])
            remember_form((existing.pk, checksum), form)
            return LoadResult(
                filename,
                LoadStatus.RULES_CORRECTED,
                f"Poprawiono reguły wersji {version} formularza {code}. Jej pola się nie "
                "zmieniły; sprawozdania tej wersji zostaną sprawdzone ponownie.",
                f"Corrected the rules of version {version} of form {code}. Its fields did not "
                "change; the reports of this version will be checked again.",
                code=code,
                version=version,
                form_version=existing,
                form=form,
                correction=correction,
            )
        if existing is not None and existing.is_in_use():
            return LoadResult(
                filename,
                LoadStatus.REFUSED,
                f"Odmowa: wersja {version} formularza {code} jest już używana w sprawozdaniach, "
                "więc nie można jej zmienić. Zmiana wymaga nowej wersji – nadaj plikowi inną "
                "wartość „version”.",
                f"Refused: version {version} of form {code} is already used by reports and "
                'cannot change. A change needs a new version: give the file another "version".',
                code=code,
                version=version,
                form_version=existing,
            )
        form_version = existing or FormVersion(definition=form_definition, version=version)
        form_version.source = source
        form_version.source_format = fmt
        form_version.filename = filename[-255:]
        form_version.checksum = checksum
        form_version.data = data
        form_version.kind = form.kind
        form_version.period = form.period
        form_version.loaded_at = timezone.now()
        form_version.loaded_by = actor if getattr(actor, "pk", None) else None
        form_version.save()
        form_definition.title_pl = form.title.pl
        form_definition.title_en = form.title.en
        form_definition.code = code
        form_definition.save(update_fields=["title_pl", "title_en", "code"])
    remember_form((form_version.pk, checksum), form)
    if existing is not None:
        return LoadResult(
            filename,
            LoadStatus.REPLACED,
            f"Zastąpiono wersję {version} formularza {code} (żadne sprawozdanie jeszcze jej "
            "nie używało).",
            f"Replaced version {version} of form {code} (no report used it yet).",
            code=code,
            version=version,
            form_version=form_version,
            form=form,
        )
    return LoadResult(
        filename,
        LoadStatus.CREATED,
        f"Wczytano nową wersję {version} formularza {code}.",
        f"Loaded the new version {version} of form {code}.",
        code=code,
        version=version,
        form_version=form_version,
        form=form,
    )


def _only_rules_differ(before: dict, after: dict) -> bool:
    """Whether two definitions of a version differ in their rules alone: then the reports'
    values mean what they meant, and only their checks change."""
    return {k: v for k, v in before.items() if k != "rules"} == {
        k: v for k, v in after.items() if k != "rules"
    }


def _checked(filename: str, form: CompiledForm) -> LoadResult:
    sections, fields, rules = len(form.sections), len(form.refs), len(form.rules)
    summary_pl = (
        f"{sections} {plural(sections, 'dział', 'działy', 'działów')}, "
        f"{fields} {plural(fields, 'pole', 'pola', 'pól')} do wypełnienia, "
        f"{rules} {plural(rules, 'reguła', 'reguły', 'reguł')}"
    )
    summary_en = (
        f"{sections} section{'s' if sections != 1 else ''}, "
        f"{fields} field{'s' if fields != 1 else ''} to fill, "
        f"{rules} rule{'s' if rules != 1 else ''}"
    )
    return LoadResult(
        filename,
        LoadStatus.CHECKED,
        f"Plik jest poprawny: formularz {form.code}, wersja {form.version} ({summary_pl}). "
        "Niczego nie wczytano.",
        f"The file is valid: form {form.code}, version {form.version} ({summary_en}). Nothing "
        "was loaded.",
        code=form.code,
        version=form.version,
        form=form,
    )
