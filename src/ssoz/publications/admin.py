from django.contrib import admin

from ssoz.lib.backoffice import RecordAdmin
from ssoz.publications.models import Publication


@admin.register(Publication)
class PublicationAdmin(RecordAdmin):
    list_display = ("form_version", "year", "quarter", "deadline", "needs_acceptance")
    list_filter = ("year",)
    list_select_related = ("form_version__definition",)
