from django.contrib import admin

from ssoz.lib.backoffice import TechnicalAdmin
from ssoz.registry.models import (
    Entity,
    OrganisationalCell,
    OrganisationalUnit,
    VerifyingOffice,
    VoivodeshipOffice,
)


class _RegistryInline(admin.TabularInline):
    """Rows of an entity kept with it: added and corrected, never deleted, in the log."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return self.admin_site.has_permission(request)


class OrganisationalUnitInline(_RegistryInline):
    model = OrganisationalUnit
    fields = ("unit_code", "name", "regon14", "activity_code", "teryt", "city", "is_active")
    show_change_link = True


class OrganisationalCellInline(_RegistryInline):
    model = OrganisationalCell
    fields = ("cell_code", "name", "specialty_code", "is_active")


@admin.register(OrganisationalUnit)
class OrganisationalUnitAdmin(TechnicalAdmin):
    list_display = ("name", "entity", "unit_code", "activity_code")
    search_fields = ("name", "regon14", "entity__regon", "entity__name")
    raw_id_fields = ("entity",)
    inlines = [OrganisationalCellInline]


@admin.register(VerifyingOffice)
class VerifyingOfficeAdmin(TechnicalAdmin):
    list_display = ("name", "voivodeship", "city", "email")


@admin.register(Entity)
class EntityAdmin(TechnicalAdmin):
    list_display = ("name", "regon", "register_book_number", "entity_type", "voivodeship")
    list_filter = ("entity_type", "voivodeship", "nfz_contract")
    search_fields = ("name", "regon", "nip", "register_book_number")
    inlines = [OrganisationalUnitInline]


@admin.register(VoivodeshipOffice)
class VoivodeshipOfficeAdmin(TechnicalAdmin):
    list_display = ("voivodeship", "name", "city", "email")
