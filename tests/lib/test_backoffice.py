"""Django's admin as the technical back office: the central administrator's only, every change
logged, and no workflow done through it."""

import cast
import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from ssoz.accounts.models import Role


def test_the_central_administrator_corrects_an_entity_and_the_change_is_logged(
    client, celina, hospital
):
    cast.log_in(client, celina)
    assert client.get(reverse("admin:index")).status_code == 200
    url = reverse("admin:registry_entity_change", args=[hospital.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        field.name: field.value() if field.value() is not None else ""
        for field in page.context["adminform"].form
    }
    data.update(
        {
            "phone": "22 326 52 00",
            "units-TOTAL_FORMS": "3",
            "units-INITIAL_FORMS": "3",
            "units-MIN_NUM_FORMS": "0",
            "units-MAX_NUM_FORMS": "1000",
        }
    )
    for number, unit in enumerate(hospital.units.order_by("pk")):
        for name in ("unit_code", "name", "regon14", "activity_code", "teryt", "city"):
            data[f"units-{number}-{name}"] = getattr(unit, name)
        data[f"units-{number}-is_active"] = "on" if unit.is_active else ""
        data[f"units-{number}-id"] = str(unit.pk)
        data[f"units-{number}-entity"] = str(hospital.pk)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    hospital.refresh_from_db()
    assert hospital.phone == "22 326 52 00"
    entry = LogEntry.objects.get(object_id=str(hospital.pk), action_flag=CHANGE)
    assert entry.user == celina
    assert entry.get_change_message() == "Zmodyfikowano Telefon."
    history = client.get(reverse("admin:registry_entity_history", args=[hospital.pk]))
    assert "Zmodyfikowano Telefon." in history.content.decode()


def test_an_accounts_role_and_authorisations_are_not_changed_here(client, celina, alice):
    cast.log_in(client, celina)
    page = client.get(reverse("admin:accounts_user_change", args=[alice.pk]))
    form = page.context["adminform"].form
    for field in ("role", "entity", "financial_reports", "is_active", "is_superuser"):
        assert field not in form.fields, field
    assert client.get(reverse("admin:accounts_user_add")).status_code == 403


def test_what_workflows_write_is_read_only(client, celina, application):
    cast.log_in(client, celina)
    url = reverse("admin:accounts_registrationapplication_change", args=[application.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert not page.context["has_change_permission"]
    assert client.post(url, {"status": "rejected"}).status_code == 403
    assert client.get(reverse("admin:reports_report_changelist")).status_code == 200
    delete = reverse("admin:registry_entity_delete", args=[application.entity_id])
    assert client.get(delete).status_code == 403


@pytest.mark.parametrize("who", ["alice", "wanda"])
def test_nobody_else_gets_in(client, request, who):
    user = request.getfixturevalue(who)
    assert user.role != Role.CENTRAL_ADMIN
    cast.log_in(client, user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_the_back_office_keeps_a_units_cells_and_the_verifying_offices(client, celina, hospital):
    from ssoz.registry.models import OrganisationalCell, VerifyingOffice

    unit = hospital.units.first()
    OrganisationalCell.objects.create(
        unit=unit, name="Oddział chorób wewnętrznych", cell_code="001", specialty_code="4000"
    )
    cast.log_in(client, celina)
    page = client.get(reverse("admin:registry_organisationalunit_change", args=[unit.pk]))
    assert page.status_code == 200
    assert "Oddział chorób wewnętrznych" in page.content.decode()
    office = VerifyingOffice.objects.get()
    listing = client.get(reverse("admin:registry_verifyingoffice_changelist"))
    assert office.name in listing.content.decode()
