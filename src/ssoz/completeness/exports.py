"""The list of entities that have not sent, as CSV for a spreadsheet."""

import csv
from collections.abc import Iterator
from itertools import batched

from django.utils.translation import gettext as _

from ssoz.completeness import selectors
from ssoz.publications.models import Publication

# Rows read and given their contacts at a time: one query for each this many entities.
_CHUNK = 1000
# A cell a spreadsheet would read as a formula (an entity's name is typed by people).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Line:
    """What csv.writer writes to: the line it formats, handed back."""

    def write(self, line: str) -> str:
        return line


def _cell(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def not_reported_csv(
    publication: Publication, scope: selectors.Scope, filters: selectors.NotReportedFilter
) -> Iterator[str]:
    """The lines of the CSV: UTF-8 with a byte order mark and semicolons, which a
    spreadsheet in Polish opens as it is; Polish column headings."""
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    days = selectors.days_to_deadline(publication)
    yield "\ufeff" + writer.writerow(
        [
            _("Nazwa podmiotu"),
            _("REGON"),
            _("Województwo"),
            _("Powiat (TERYT)"),
            _("Typ jednostki"),
            _("E-mail"),
            _("Telefon"),
            _("Adres z rejestru"),
            _("Stan"),
            _("Dni do terminu (ujemne: po terminie)"),
        ]
    )
    obligations = selectors.not_reported(scope, filters).iterator(chunk_size=_CHUNK)
    for chunk in batched(obligations, _CHUNK):
        for row in selectors.with_contacts(publication, chunk):
            entity = row.entity
            yield writer.writerow(
                [
                    _cell(entity.name),
                    entity.regon,
                    entity.voivodeship_name,
                    entity.county,
                    entity.get_entity_type_display(),
                    _cell(", ".join(row.contact.emails)),
                    _cell(", ".join(row.contact.phones)),
                    _("tak") if row.contact.from_registry else _("nie"),
                    row.state.label,
                    days,
                ]
            )
