"""Reads of the registry used by other apps."""

from django.db.models import QuerySet

from ssoz.registry.models import Entity


def find_entities(*, regon: str = "", register_book: str = "") -> QuerySet[Entity]:
    """Active entities under a REGON (9 or 14 digits) or a register-book number.

    This is what the registration page offers in its „Jednostka” field.
    """
    if regon and len(regon) in (9, 14) and regon.isdigit():
        return Entity.objects.filter(is_active=True).with_regon(regon).order_by("name")
    if register_book and register_book.isdigit():
        return (
            Entity.objects.filter(is_active=True)
            .with_register_book(register_book.zfill(12))
            .order_by("name")
        )
    return Entity.objects.none()
