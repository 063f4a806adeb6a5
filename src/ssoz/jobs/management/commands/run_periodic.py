"""Housekeeping that runs on a schedule: `manage.py run_periodic`, from cron or a systemd timer
(the tasks framework has no scheduler of its own; see docs/deployment.md).

Each step is safe to run at any time and as often as wanted: it only acts on what is due.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from ssoz.accounts.models import DuplicateRegistration, TemporaryPassword
from ssoz.accounts.services import PENDING_LINK_DAYS
from ssoz.api.tokens import clear_old as clear_old_api_records
from ssoz.completeness.services import send_due_reminders
from ssoz.exports.services import remove_expired_exports
from ssoz.jobs.models import Job
from ssoz.jobs.services import fail_stale_jobs
from ssoz.publications.services import oblige_joiners
from ssoz.reports.uploads import remove_stale_previews

# Jobs are shown to the people who started them for this long.
JOBS_KEEP_DAYS = 90


class Command(BaseCommand):
    help = (
        "Runs the periodic housekeeping: stale jobs, reminders of near deadlines, old task "
        "results, sessions, passwords."
    )

    def handle(self, *args, **options) -> None:
        now = timezone.now()
        self.report("stale jobs marked failed", fail_stale_jobs(now))
        self.report("expired export files removed", remove_expired_exports(now))
        self.report("obligations given to entities that joined", oblige_joiners())
        self.report("entities reminded of a near deadline", send_due_reminders())
        old_jobs = Job.objects.filter(created_at__lt=now - timedelta(days=JOBS_KEEP_DAYS))
        self.report("old jobs removed", old_jobs.delete()[0])
        old_duplicates = DuplicateRegistration.objects.filter(
            submitted_at__lt=now - timedelta(days=PENDING_LINK_DAYS)
        )
        self.report("old duplicate registrations removed", old_duplicates.delete()[0])
        expired = TemporaryPassword.objects.filter(expires_at__lt=now - timedelta(days=1))
        self.report("expired temporary passwords removed", expired.delete()[0])
        self.report(
            "expired sessions removed", Session.objects.filter(expire_date__lt=now).delete()[0]
        )
        self.report("stale previews of uploaded files removed", remove_stale_previews(now))
        answers, uses = clear_old_api_records(now)
        self.report("old API idempotency answers removed", answers)
        self.report("old API use counts removed", uses)
        if settings.TASKS_BACKEND == "database":
            call_command(
                "prune_db_task_results",
                min_age_days=settings.TASK_RESULTS_KEEP_DAYS,
                verbosity=0,
            )
        call_command("captcha_clean", verbosity=0)

    def report(self, what: str, count: int) -> None:
        self.stdout.write(f"{what}: {count}")
