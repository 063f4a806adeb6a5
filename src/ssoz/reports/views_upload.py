"""„Wczytaj wartości z pliku”: a report's values from a CSV or XLSX file, previewed and then
applied; and the template file to fill in."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ssoz.lib.errors import refusal_returns_to
from ssoz.lib.http import attachment, client_ip
from ssoz.reports import access, uploads, workflow
from ssoz.reports.presentation import build_verification_view
from ssoz.reports.views import report_context


class ValuesFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Plik z wartościami (CSV lub XLSX)"),
        help_text=gettext_lazy(
            "Dwie kolumny: kod pola (np. D1.W01.K2) i wartość; wiersz nagłówka jest dozwolony. "
            "Kody odpowiedzi wielokrotnego wyboru oddziel średnikiem. Najwyżej 2 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused by its size before a byte of it is read.
        if upload.size > uploads.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(uploads.too_large().text())
        return upload


@require_http_methods(["GET", "POST"])
@refusal_returns_to("reports:detail", "report_id")
def upload(request: HttpRequest, report_id: int) -> HttpResponse:
    """The file chosen, then the preview of what it would change; nothing is stored here."""
    report = access.get_report_for_reporter(request.user, report_id).report
    if not report.is_editable:
        messages.info(request, workflow.not_editable_message(report))
        return redirect("reports:detail", report.pk)
    form = ValuesFileForm(request.POST, request.FILES) if request.method == "POST" else None
    preview = None
    status = 200
    if form is not None and form.is_valid():
        chosen = form.cleaned_data["file"]
        try:
            preview = uploads.preview_upload(
                report=report, actor=request.user, content=chosen.read(), file_name=chosen.name
            )
        except uploads.UploadRefused as refusal:
            form.add_error("file", refusal.text())
    if form is not None and form.errors:
        status = 400
    context = {
        "report": report,
        "form": form or ValuesFileForm(),
        "preview": preview,
        "view": build_verification_view(report.compiled_form(), preview.check) if preview else None,
    }
    return render(request, "reports/upload.html", context, status=status)


@require_POST
@refusal_returns_to("reports:upload", "report_id")
def apply_upload(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Zastosuj zmiany”: exactly what the preview showed is saved."""
    save = uploads.apply_upload(
        report=report_id,
        actor=request.user,
        key=request.POST.get("preview_key", ""),
        ip_address=client_ip(request),
    )
    if save.ok:
        count = len(save.saved)
        messages.success(
            request,
            ngettext(
                "Zapisano wartości z pliku: zmieniono %(count)d pole.",
                "Zapisano wartości z pliku; zmienione pola: %(count)d.",
                count,
            )
            % {"count": count},
        )
        return redirect("reports:detail", report_id)
    # Somebody saved in between: her values stand, the file's are shown at their fields.
    messages.warning(
        request,
        _(
            "Część wartości z pliku nie została zapisana, bo w międzyczasie ktoś inny zmienił "
            "te pola. Sprawdź zaznaczone pola."
        ),
    )
    allowed = access.get_report_for_user(request.user, report_id)
    context = report_context(allowed, stage="save", save=save)
    return render(request, "reports/detail.html", context, status=409 if save.conflicts else 400)


def _template(request: HttpRequest, report_id: int, suffix: str) -> HttpResponse:
    report = access.get_report_for_user(request.user, report_id).report
    content, content_type, name = uploads.template_file(report, suffix)
    return attachment(HttpResponse(content, content_type=content_type), name, suffix)


@require_GET
def template_csv(request: HttpRequest, report_id: int) -> HttpResponse:
    """The form's template with the report's current values, as CSV."""
    return _template(request, report_id, "csv")


@require_GET
def template_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    """The form's template with the report's current values, as XLSX."""
    return _template(request, report_id, "xlsx")
