from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "ssoz.publications"
    verbose_name = "Publikacje formularzy"
