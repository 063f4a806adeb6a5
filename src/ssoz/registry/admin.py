from django.contrib import admin

from ssoz.registry.models import Entity, OrganisationalUnit, VoivodeshipOffice


class OrganisationalUnitInline(admin.TabularInline):
    model = OrganisationalUnit
    extra = 0
    fields = ("unit_code", "name", "regon14", "activity_code", "teryt", "city", "is_active")


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ("name", "regon", "register_book_number", "entity_type", "voivodeship")
    list_filter = ("entity_type", "voivodeship")
    search_fields = ("name", "regon", "nip", "register_book_number")
    inlines = [OrganisationalUnitInline]


@admin.register(VoivodeshipOffice)
class VoivodeshipOfficeAdmin(admin.ModelAdmin):
    list_display = ("voivodeship", "name", "city", "email")
