from django.contrib import admin

from ssoz.lib.backoffice import TechnicalAdmin
from ssoz.registry.models import Entity, OrganisationalUnit, VoivodeshipOffice


class OrganisationalUnitInline(admin.TabularInline):
    model = OrganisationalUnit
    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    fields = ("unit_code", "name", "regon14", "activity_code", "teryt", "city", "is_active")


@admin.register(Entity)
class EntityAdmin(TechnicalAdmin):
    list_display = ("name", "regon", "register_book_number", "entity_type", "voivodeship")
    list_filter = ("entity_type", "voivodeship")
    search_fields = ("name", "regon", "nip", "register_book_number")
    inlines = [OrganisationalUnitInline]


@admin.register(VoivodeshipOffice)
class VoivodeshipOfficeAdmin(TechnicalAdmin):
    list_display = ("voivodeship", "name", "city", "email")
