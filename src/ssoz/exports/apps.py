from django.apps import AppConfig


class ExportsConfig(AppConfig):
    name = "ssoz.exports"
    verbose_name = "Eksport danych"
