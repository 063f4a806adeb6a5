from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefinitionsConfig(AppConfig):
    name = "ssoz.definitions"
    verbose_name = _("Definicje formularzy")
