from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from ssoz.accounts.models import AccountEvent, RegistrationApplication, User
from ssoz.lib.backoffice import RecordAdmin, TechnicalAdmin

# What an account may do is changed through the pages that call the services (activation,
# the authorisations), never here.
WORKFLOW_FIELDS = (
    "role",
    "entity",
    "voivodeship",
    "office",
    "financial_reports",
    "psychiatric_card_only",
    "is_active",
    "is_staff",
    "is_superuser",
    "groups",
    "user_permissions",
    "last_login",
    "date_joined",
)


@admin.register(User)
class SSOZUserAdmin(TechnicalAdmin, UserAdmin):
    list_display = ("username", "email", "first_name", "last_name", "role", "entity", "is_active")
    list_filter = ("role", "is_active", "voivodeship")
    search_fields = ("username", "email", "first_name", "last_name")
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
                    "office",
                    "financial_reports",
                    "psychiatric_card_only",
                    "must_change_password",
                )
            },
        ),
    )
    readonly_fields = WORKFLOW_FIELDS

    def has_add_permission(self, request) -> bool:
        return False  # accounts are made by registration and activated by the workflow


@admin.register(RegistrationApplication)
class RegistrationApplicationAdmin(RecordAdmin):
    list_display = ("user", "entity", "status", "submitted_at", "form_received_at")
    list_filter = ("status",)


@admin.register(AccountEvent)
class AccountEventAdmin(RecordAdmin):
    list_display = ("at", "kind", "user", "actor", "ip_address")
    list_filter = ("kind",)
