"""manage.py import_rpwdl export.csv [--mapping m.json] [--dry-run]: load an RPWDL-style export."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ssoz.registry.rpwdl import DEFAULT_MAPPING_PATH, import_rpwdl_csv

# Enough to fix a file by; the count of all rejected rows is in the summary.
MAX_PROBLEMS_SHOWN = 200


class Command(BaseCommand):
    # Operator help for the command line; argparse cannot format lazy translations.
    help = (
        "Importuje eksport RPWDL (CSV): podmioty według REGON, jednostki według kodu (część V). "
        "Wiersze z błędami pomija i wypisuje z numerami wierszy."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="plik CSV z eksportem RPWDL")
        parser.add_argument(
            "--mapping",
            help="plik JSON z mapowaniem kolumn (domyślnie wbudowany, zob. --print-mapping)",
        )
        parser.add_argument(
            "--encoding",
            help="kodowanie pliku, np. utf-8 albo cp1250 (domyślnie rozpoznawane)",
        )
        parser.add_argument(
            "--delimiter",
            choices=[";", ",", "tab"],
            metavar="{;|,|tab}",
            help="separator kolumn (domyślnie rozpoznawany)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="sprawdza plik i pokazuje, co by się zmieniło, niczego nie zapisując",
        )
        parser.add_argument(
            "--print-mapping",
            action="store_true",
            help="wypisuje domyślne mapowanie kolumn (punkt wyjścia dla własnego)",
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["print_mapping"]:
            mapping = json.loads(DEFAULT_MAPPING_PATH.read_text(encoding="utf-8"))
            self.stdout.write(json.dumps(mapping, ensure_ascii=False, indent=2))
            return
        if not options["path"]:
            raise CommandError(_("Podaj plik CSV do zaimportowania."))
        delimiter = "\t" if options["delimiter"] == "tab" else options["delimiter"]
        report = import_rpwdl_csv(
            options["path"],
            mapping=options["mapping"],
            dry_run=bool(options["dry_run"]),
            encoding=options["encoding"],
            delimiter=delimiter,
        )
        if not report.ok:
            raise CommandError("\n".join(report.summary_lines()))
        self.stdout.write(
            _("Plik: kodowanie %(encoding)s, separator „%(delimiter)s”.")
            % {"encoding": report.encoding, "delimiter": report.delimiter.replace("\t", "tab")}
        )
        for problem in report.problems[:MAX_PROBLEMS_SHOWN]:
            self.stderr.write(str(problem))
        if len(report.problems) > MAX_PROBLEMS_SHOWN:
            self.stderr.write(
                _("… i %(n)d kolejnych problemów.")
                % {"n": len(report.problems) - MAX_PROBLEMS_SHOWN}
            )
        style = self.style.SUCCESS if not report.problems else self.style.WARNING
        for line in report.summary_lines():
            self.stdout.write(style(line))
        if report.changed and not options["dry_run"]:
            # Entities that joined (or now meet a programme's condition) get their obligations
            # of the open publications at once, not only at the next periodic run.
            from ssoz.publications.services import oblige_joiners

            added = oblige_joiners()
            self.stdout.write(_("Nowe obowiązki sprawozdawcze z programu: %(n)d.") % {"n": added})
