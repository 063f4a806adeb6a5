"""manage.py load_definitions PATH [PATH…] [--check]: check and load form definition files.

A folder is searched for ``*.yaml`` files at any depth; files are given as they are (``.yaml``
or ``.xlsx``). One line per file says what happened; every problem follows on its own line as
``file:line (item): message``, so that editors and CI can jump to it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ssoz.accounts.models import User
from ssoz.definitions.services import LoadStatus, load_definition


class Command(BaseCommand):
    # Operator help for the command line; argparse cannot format lazy translations.
    help = (
        "Sprawdza i wczytuje definicje formularzy (YAML lub XLSX). Katalogi są przeszukiwane "
        "w poszukiwaniu plików *.yaml. Z --check tylko sprawdza, niczego nie zapisując."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="pliki definicji lub katalogi")
        parser.add_argument(
            "--check",
            action="store_true",
            help="tylko sprawdza pliki, niczego nie zapisując",
        )
        parser.add_argument(
            "--revalidate-as",
            metavar="LOGIN",
            help=(
                "po poprawce reguł uruchamia ponowne sprawdzenie sprawozdań jako zadanie tego "
                "administratora centralnego (widzi je na swojej stronie zadań)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        files: list[Path] = []
        missing = 0
        for name in options["paths"]:
            path = Path(name)
            if path.is_dir():
                found = sorted(path.rglob("*.yaml"))
                if not found:
                    self.stderr.write(f"{path}: brak plików *.yaml")
                files.extend(found)
            elif path.is_file():
                files.append(path)
            else:
                self.stderr.write(f"{path}: nie ma takiego pliku ani katalogu")
                missing += 1
        failed = missing
        actor = self._administrator(options["revalidate_as"])
        for path in files:
            result = load_definition(
                path.read_bytes(), filename=str(path), check_only=options["check"], actor=actor
            )
            if result.ok:
                self.stdout.write(str(result))
                if result.status == LoadStatus.RULES_CORRECTED:
                    self._revalidate(result, actor)
            else:
                failed += 1
                self.stderr.write(self.style.ERROR(str(result)))
                for problem in result.problems:
                    self.stderr.write(str(problem))
        if failed:
            total = len(files) + missing
            raise CommandError(f"Pliki z błędami: {failed} z {total}; popraw wskazane miejsca.")

    def _administrator(self, login: str | None) -> User | None:
        if not login:
            return None
        user = User.objects.filter(username=login, is_active=True).first()
        if user is None or not user.is_central_admin:
            raise CommandError(
                f"{login}: nie ma aktywnego administratora centralnego o tym loginie"
            )
        return user

    def _revalidate(self, result, actor: User | None) -> None:
        """After a correction of rules, the reports of the version are checked again, as the
        upload page does; without an administrator to own the job, say how to start it."""
        if actor is None:
            self.stderr.write(
                self.style.WARNING(
                    "Reguły poprawiono, ale sprawozdań nie sprawdzono ponownie: wczytaj plik "
                    "z --revalidate-as LOGIN albo przez stronę „Definicje formularzy”."
                )
            )
            return
        from ssoz.review.services import start_revalidation

        job = start_revalidation(correction=result.correction, actor=actor, notify=False)
        self.stdout.write(f"Ponowne sprawdzenie sprawozdań: zadanie {job.pk}")
