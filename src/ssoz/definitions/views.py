"""Pages of form definitions: the list of forms and versions, the upload of a definition file,
a version's structure and its source file."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from ssoz.accounts.access import require_administrator
from ssoz.definitions.loader import form_schema
from ssoz.definitions.models import FormDefinition, FormVersion
from ssoz.definitions.services import LoadStatus, load_definition
from ssoz.review.services import start_revalidation

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
ALLOWED_SUFFIXES = (".yaml", ".yml", ".xlsx")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plik definicji (YAML lub XLSX)"),
        help_text=_("Jedna wersja jednego formularza, najwyżej 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,.xlsx"}),
    )
    check_only = forms.BooleanField(
        label=_("Tylko sprawdź plik, niczego nie wczytuj"), required=False
    )
    notify = forms.BooleanField(
        label=_(
            "Po poprawce reguł wersji już używanej powiadom sprawozdawców sprawozdań w "
            "przygotowaniu, które zmienią stan"
        ),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_SUFFIXES):
            raise forms.ValidationError(_("Wybierz plik .yaml albo .xlsx."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Plik jest za duży: definicja może mieć najwyżej 2 MB."))
        return upload


@require_http_methods(["GET", "POST"])
def definition_list(request: HttpRequest) -> HttpResponse:
    """„Definicje formularzy”: every form with its versions, and the upload of a new file."""
    # The central administrator loads new versions; a regional administrator may look.
    require_administrator(request.user, central=request.method == "POST")
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = load_definition(
                upload.read(),
                filename=upload.name,
                actor=request.user,
                check_only=form.cleaned_data["check_only"],
            )
            if result.status == LoadStatus.RULES_CORRECTED:
                messages.success(request, result.message())
                job = start_revalidation(
                    correction=result.correction,
                    actor=request.user,
                    notify=form.cleaned_data["notify"],
                )
                return redirect("jobs:detail", job.pk)
            if result.ok and result.status != LoadStatus.CHECKED:
                messages.success(request, result.message())
                return redirect("definitions:list")
            status = result.http_status
        else:
            status = 400
    versions = FormVersion.objects.select_related("loaded_by").defer("source", "data")
    definitions = FormDefinition.objects.prefetch_related(Prefetch("versions", queryset=versions))
    return render(
        request,
        "definitions/definition_list.html",
        {
            "definitions": definitions,
            "form": form,
            "result": result,
            "may_load": request.user.is_central_admin,
        },
        status=status,
    )


@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What a loaded version contains: sections, fields, tables and rules, as compiled."""
    require_administrator(request.user)
    versions = FormVersion.objects.select_related("definition", "loaded_by")
    version = get_object_or_404(versions, pk=pk)
    return render(
        request,
        "definitions/version_detail.html",
        {"version": version, "compiled": version.compiled(), "in_use": version.is_in_use()},
    )


@require_GET
def version_source(request: HttpRequest, pk: int) -> HttpResponse:
    """The version's definition as YAML (a spreadsheet upload is kept as its YAML form)."""
    require_administrator(request.user)
    version = get_object_or_404(FormVersion.objects.select_related("definition"), pk=pk)
    code = "".join(c if c.isalnum() or c in "-_." else "-" for c in version.definition.code)
    response = HttpResponse(version.source, content_type="application/yaml; charset=utf-8")
    filename = f"{code.lower()}-{version.version}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_not_required
@require_GET
def published_schema(request: HttpRequest) -> JsonResponse:
    """The JSON Schema of the definition format, public so that editors and tools can use it."""
    response = JsonResponse(form_schema(), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Type"] = "application/schema+json"
    return response
