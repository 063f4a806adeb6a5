from django.contrib import admin

from ssoz.lib.backoffice import RecordAdmin
from ssoz.reports.models import Report, ReportEvent


@admin.register(Report)
class ReportAdmin(RecordAdmin):
    list_display = ("pk", "publication", "voivodeship", "status", "sent_at", "on_paper")
    list_filter = ("status", "voivodeship", "on_paper")
    list_select_related = ("publication__form_version__definition",)
    show_full_result_count = False  # the country's reports: no second count
    exclude = ("values", "explanations")  # large: the report's own pages show them


@admin.register(ReportEvent)
class ReportEventAdmin(RecordAdmin):
    list_display = ("at", "kind", "report_id", "user", "ip_address")
    list_filter = ("kind",)
    show_full_result_count = False
