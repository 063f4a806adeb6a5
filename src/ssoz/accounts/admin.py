from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from ssoz.accounts.models import AccountEvent, RegistrationApplication, User


@admin.register(User)
class SSOZUserAdmin(UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "entity", "is_active")
    list_filter = ("role", "is_active", "voivodeship")
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "SSOZ",
            {
                "fields": (
                    "phone",
                    "role",
                    "entity",
                    "voivodeship",
                    "financial_reports",
                    "psychiatric_card_only",
                    "must_change_password",
                )
            },
        ),
    )
    raw_id_fields = ("entity",)


@admin.register(RegistrationApplication)
class RegistrationApplicationAdmin(admin.ModelAdmin):
    list_display = ("user", "entity", "status", "submitted_at", "form_received_at")
    list_filter = ("status",)
    raw_id_fields = ("user", "entity")


@admin.register(AccountEvent)
class AccountEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "user", "actor", "ip_address")
    list_filter = ("kind",)
    readonly_fields = ("at", "kind", "user", "actor", "ip_address", "details")
