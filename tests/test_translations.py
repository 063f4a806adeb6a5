"""The English translation is complete, up to date with the code and used by the pages."""

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = Path("locale") / "en" / "LC_MESSAGES" / "django.po"
MAKEMESSAGES = "manage.py makemessages -l en --ignore=.venv --ignore=var --no-obsolete"

# %(name)s, %(seconds).1f, %s, %d …; "%%" is a literal percent sign, not a placeholder.
PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[#0+-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


def read_catalogue(path: Path):
    with path.open("rb") as po_file:
        return read_po(po_file)


def forms(text: str | tuple[str, ...] | None) -> tuple[str, ...]:
    if text is None:
        return ()
    return text if isinstance(text, tuple) else (text,)


def placeholders(text: str | tuple[str, ...] | None) -> set[str]:
    return {
        match for form in forms(text) for match in PLACEHOLDER.findall(form or "") if match != "%%"
    }


def first_form(msgid: str | tuple[str, ...]) -> str:
    return forms(msgid)[0]


def test_every_message_has_an_english_translation():
    catalogue = read_catalogue(REPO / CATALOGUE)
    messages = [message for message in catalogue if message.id]
    assert messages, "the English catalogue has no messages"
    assert not catalogue.fuzzy, "the header of the English catalogue is marked fuzzy"

    untranslated = [
        first_form(message.id)
        for message in messages
        if not all(forms(message.string)) or not forms(message.string)
    ]
    fuzzy = [first_form(message.id) for message in messages if message.fuzzy]
    mismatched = [
        f"{first_form(message.id)!r}: {sorted(placeholders(message.id))} in Polish, "
        f"{sorted(placeholders(message.string))} in English"
        for message in messages
        if placeholders(message.id) != placeholders(message.string)
    ]

    assert not untranslated, "messages without an English translation:\n" + "\n".join(untranslated)
    assert not fuzzy, "fuzzy translations (check them and remove the flag):\n" + "\n".join(fuzzy)
    assert not mismatched, "placeholders differ between Polish and English:\n" + "\n".join(
        mismatched
    )


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_the_catalogue_is_up_to_date_with_the_code(tmp_path):
    copy = tmp_path / "ssoz"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    shutil.copytree(REPO / "src", copy / "src", ignore=ignore)
    shutil.copytree(REPO / "locale", copy / "locale", ignore=ignore)
    shutil.copy2(REPO / "manage.py", copy / "manage.py")
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(copy / "src"), os.environ.get("PYTHONPATH")])
        ),
        "DJANGO_SETTINGS_MODULE": "ssoz.settings",
        "SSOZ_VAR_DIR": str(tmp_path / "var"),
    }

    def run(*arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, *arguments],
            cwd=copy,
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )

    # makemessages writes to settings.LOCALE_PATHS: make sure that is the copy, not the repository.
    located = run("-c", "from django.conf import settings; print(settings.LOCALE_PATHS[0])")
    assert located.returncode == 0, located.stderr
    assert Path(located.stdout.strip()).resolve() == (copy / "locale").resolve()

    result = run("manage.py", "makemessages", "-l", "en", "--no-obsolete")
    assert result.returncode == 0, result.stderr

    in_code = {first_form(message.id) for message in read_catalogue(copy / CATALOGUE) if message.id}
    in_catalogue = {
        first_form(message.id) for message in read_catalogue(REPO / CATALOGUE) if message.id
    }
    missing = sorted(in_code - in_catalogue)
    assert not missing, (
        f"{len(missing)} message(s) in the code are missing from {CATALOGUE}:\n"
        + "\n".join(f"  {msgid!r}" for msgid in missing)
        + f"\nRun `python {MAKEMESSAGES}` and translate the new entries."
    )


def reload_translations() -> None:
    """Forget the catalogues Django has loaded, so the freshly compiled ones are read."""
    trans_real._translations.clear()
    trans_real._default = None
    translation.deactivate()


def test_english_pages_are_in_english(client, db):
    call_command("compiletranslations", stdout=io.StringIO())
    reload_translations()
    try:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        response = client.get("/info.html")
        content = response.content.decode()
    finally:
        reload_translations()
    assert response.status_code == 200
    assert "Health Care Statistics System" in content
    assert "Continue" in content
