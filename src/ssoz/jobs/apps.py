from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "ssoz.jobs"
    verbose_name = "Zadania w tle"
