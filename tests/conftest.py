import os

import background
import cast
import pytest
from django.core.cache import cache
from hypothesis import settings as hypothesis_profiles

from ssoz.accounts.models import Role

# The suite draws the same examples on every run, so that a run fails only on a change of the
# code; a search for new counterexamples is a run of its own: HYPOTHESIS_PROFILE=explore.
hypothesis_profiles.register_profile("suite", derandomize=True, print_blob=True)
hypothesis_profiles.register_profile("explore", derandomize=False, print_blob=True)
hypothesis_profiles.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


def pytest_collection_modifyitems(config, items):
    # The browser walks of the shipped forms prove the pages, which are the same on either
    # database; the suite on PostgreSQL leaves them out to stay within CI's time.
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        skip = pytest.mark.skip(reason="runs on SQLite only (sqlite_only)")
        for item in items:
            if item.get_closest_marker("sqlite_only"):
                item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EXPORTS_ROOT = tmp_path / "exports"
    settings.SSOZ_CAPTCHA_TEST_MODE = False
    # Tasks run inside the test unless a test starts the worker (the `task_worker` fixture).
    settings.TASKS_BACKEND = "immediate"
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    cache.clear()


@pytest.fixture
def mazovian_office(db):
    return cast.make_office("14")


@pytest.fixture
def hospital(db, mazovian_office):
    """Alice's hospital in Mazowieckie, with three organisational units."""
    return cast.make_entity(units=3)


@pytest.fixture
def clinic(db):
    """Charlie's clinic in Śląskie."""
    cast.make_office("24", name="Śląski Urząd Wojewódzki w Katowicach", city="Katowice")
    return cast.make_entity(name="Przychodnia Zdrowie Sp. z o.o.", teryt="2469011", city="Katowice")


@pytest.fixture
def alice(hospital):
    return cast.make_user("alice", entity=hospital, first_name="Alicja", last_name="Nowak")


@pytest.fixture
def bob(hospital):
    return cast.make_user("bob", entity=hospital, first_name="Bartosz")


@pytest.fixture
def fiona(hospital):
    """Alice's colleague, authorised for financial reports."""
    return cast.make_user("fiona", entity=hospital, financial_reports=True, first_name="Fiona")


@pytest.fixture
def piotr(hospital):
    """Alice's colleague whose account may fill only the MZ/Szp-11B card."""
    return cast.make_user("piotr", entity=hospital, psychiatric_card_only=True, first_name="Piotr")


@pytest.fixture
def charlie(clinic):
    return cast.make_user("charlie", entity=clinic, first_name="Czesław")


@pytest.fixture
def wanda(db):
    return cast.make_user("wanda", role=Role.REGIONAL_ADMIN, voivodeship="14", first_name="Wanda")


@pytest.fixture
def olaf(db):
    return cast.make_user("olaf", role=Role.REGIONAL_ADMIN, voivodeship="24", first_name="Olaf")


@pytest.fixture
def celina(db):
    return cast.make_user("celina", role=Role.CENTRAL_ADMIN, first_name="Celina")


@pytest.fixture
def anna(db):
    """An analyst at the Ministry: the results of the whole country, nothing to change."""
    return cast.make_user("anna", role=Role.ANALYST, first_name="Anna")


@pytest.fixture
def application(hospital):
    """Dorota has registered for Alice's hospital and waits for activation."""
    return cast.make_applicant("dorota", hospital)


@pytest.fixture
def smtp_server():
    """A real SMTP server on a free port; its `.mailbox` holds what it received."""
    with background.SMTPServer() as server:
        yield server


@pytest.fixture
def task_worker(settings, transactional_db, smtp_server):
    """The queue in the database and the worker emptying it, as in production: the test
    enqueues, `manage.py db_worker` runs the tasks in its own process, and its mail reaches
    `smtp_server`. Yields the server's mailbox."""
    settings.TASKS_BACKEND = "database"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with background.Worker(smtp_server.port):
        yield smtp_server.mailbox
