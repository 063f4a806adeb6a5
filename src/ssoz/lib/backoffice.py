"""Django's admin as the technical back office: for the central administrator only.

Every change made there is in the admin's own log (`LogEntry`, shown as each object's
history). No workflow is done through it: what the workflows write — applications, reports,
publications, obligations, the audit trails — is read-only here, and a user's role, entity and
authorisations change only through the pages that call the services, so the access rule and
the audit hold.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class BackOffice(admin.AdminSite):
    site_header = "SSOZ – administracja techniczna"
    site_title = "SSOZ"

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_authenticated and user.is_central_admin)


class BackOfficeConfig(AdminConfig):
    default_site = "ssoz.lib.backoffice.BackOffice"


class TechnicalAdmin(admin.ModelAdmin):
    """Data the central administrator may correct here; nothing is deleted (rows are referred
    to by reports and logs), every change is logged."""

    def _central(self, request) -> bool:
        return self.admin_site.has_permission(request)

    def has_module_permission(self, request) -> bool:
        return self._central(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._central(request)

    def has_add_permission(self, request) -> bool:
        return self._central(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._central(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RecordAdmin(TechnicalAdmin):
    """What a workflow writes: to be read here, changed only through the pages."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
