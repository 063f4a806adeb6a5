"""Entry point of `manage.py` and of the `ssoz` console script."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ssoz.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
