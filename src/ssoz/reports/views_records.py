"""The repeating records of a report on its pages: the list of cards with their counts and
errors, „Dodaj kartę”, a card's own page with „Zapisz kartę”, „Usuń kartę”, and „Wczytaj karty
z pliku” with its preview and template."""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ssoz.exports.models import EXPORT_CONTENT_TYPES
from ssoz.lib.errors import refusal_returns_to
from ssoz.lib.http import attachment, client_ip
from ssoz.reports import access, inputs, record_uploads, records, uploads
from ssoz.reports.models import Record
from ssoz.reports.presentation import Message, build_report_view

CARDS_PER_PAGE = 100


def _records_page(request: HttpRequest, report_id: int):
    """The report, what the user may do, its form's records and whether the user sees personal
    data in full; 404 for a report the user does not see or a form without records."""
    allowed = access.get_report_for_user(request.user, report_id)
    spec = allowed.report.compiled_form().records
    if spec is None:
        raise Http404
    full = records.sees_personal_data(request.user, allowed.report)
    # Only those who see the values in full may change them: a masked value is never saved.
    return allowed, spec, full, allowed.can_edit and full


def _shown(spec, values: dict, full: bool) -> dict:
    return records.shown(values, spec.form.personal, full)


def _summary_columns(spec) -> list[tuple[str, str]]:
    language = get_language() or "pl"
    return [(ref, spec.form.fields[ref].label.get(language)) for ref in spec.summary]


def _summary_values(spec, record: Record, full: bool) -> list[str]:
    """What the list shows of a record: its summary fields, a choice by its label."""
    language = get_language() or "pl"
    values = _shown(spec, record.values, full)
    out = []
    for ref in spec.summary:
        value = values.get(ref, "")
        field = spec.form.fields[ref]
        if field.choices:
            labels = {choice.code: choice.label.get(language) for choice in field.choices}
            codes = value if isinstance(value, list) else [value]
            value = ", ".join(labels.get(str(code), str(code)) for code in codes if code)
        out.append(str(value))
    return out


def record_list(request: HttpRequest, report_id: int) -> HttpResponse:
    """The report's cards: how many, how many with errors and warnings, and each one with its
    summary and counts, a hundred to a page; „tylko z błędami” shows only those to correct."""
    allowed, spec, full, editable = _records_page(request, report_id)
    report = allowed.report
    only_errors = request.GET.get("bledy") == "1"
    found = Record.objects.filter(report=report).order_by("number")
    if only_errors:
        found = found.filter(errors__gt=0)
    page = Paginator(found.only("number", "values", "errors", "warnings"), CARDS_PER_PAGE).get_page(
        request.GET.get("strona")
    )
    rows = [(record, _summary_values(spec, record, full)) for record in page.object_list]
    return render(
        request,
        "reports/records.html",
        {
            "report": report,
            "spec": spec,
            "summary": records.summary(report),
            "columns": _summary_columns(spec),
            "rows": rows,
            "page": page,
            "only_errors": only_errors,
            "editable": editable,
            "masked": bool(spec.form.personal) and not full,
        },
    )


def _record_context(allowed, spec, full, editable, record: Record | None, values, result, refused):
    view = build_report_view(spec.form, _shown(spec, values, full), result)
    for section in view.sections:
        for item in section.fields:
            if item.ref in refused:
                item.messages.insert(0, Message("error", refused[item.ref]))
    explanations = record.explanations if record is not None else {}
    return {
        "report": allowed.report,
        "spec": spec,
        "record": record,
        "view": view,
        "result": result,
        "editable": editable,
        "warnings_to_explain": [
            (warning, explanations.get(warning.rule_id, "")) for warning in result.warnings
        ],
        "masked": bool(spec.form.personal) and not full,
    }


@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Dodaj kartę”: an empty card; saved, it is checked and shown on its own page."""
    allowed, spec, full, editable = _records_page(request, report_id)
    if request.method == "POST":
        posted = inputs.from_post(request.POST)
        saved = records.add_record(
            report=report_id,
            actor=request.user,
            values=posted.changes,
            explanations=posted.explanations,
            ip_address=client_ip(request),
        )
        messages.success(
            request, _("Zapisano kartę nr %(number)d.") % {"number": saved.record.number}
        )
        return redirect("reports:record", report_id, saved.record.number)
    if not editable:
        return redirect("reports:records", report_id)
    result = records.check_record(allowed.report, {}, stage="save")
    context = _record_context(allowed, spec, full, editable, None, {}, result, {})
    return render(request, "reports/record.html", context)


@require_http_methods(["GET", "POST"])
def record_detail(request: HttpRequest, report_id: int, number: int) -> HttpResponse:
    """A card's page: its values with what its rules found, „Zapisz kartę” while editable."""
    allowed, spec, full, editable = _records_page(request, report_id)
    refused: dict[str, str] = {}
    if request.method == "POST":
        posted = inputs.from_post(request.POST)
        saved = records.change_record(
            report=report_id,
            number=number,
            actor=request.user,
            values=posted.changes,
            explanations=posted.explanations,
            ip_address=client_ip(request),
        )
        if not saved.refused:
            messages.success(request, _("Zapisano kartę nr %(number)d.") % {"number": number})
            return redirect("reports:record", report_id, number)
        refused = saved.refused
    record = Record.objects.filter(report=allowed.report, number=number).first()
    if record is None:
        raise Http404
    result = records.check_record(allowed.report, record.values)
    context = _record_context(allowed, spec, full, editable, record, record.values, result, refused)
    return render(request, "reports/record.html", context, status=400 if refused else 200)


@require_http_methods(["GET", "POST"])
def record_remove(request: HttpRequest, report_id: int, number: int) -> HttpResponse:
    """„Usuń kartę”, after a confirmation."""
    allowed, spec, full, editable = _records_page(request, report_id)
    if request.method == "POST":
        records.remove_record(
            report=report_id, number=number, actor=request.user, ip_address=client_ip(request)
        )
        messages.success(request, _("Usunięto kartę nr %(number)d.") % {"number": number})
        return redirect("reports:records", report_id)
    record = Record.objects.filter(report=allowed.report, number=number).first()
    if record is None:
        raise Http404
    if not editable:
        return redirect("reports:record", report_id, number)
    return render(
        request,
        "reports/record_remove.html",
        {"report": allowed.report, "spec": spec, "record": record},
    )


class RecordsFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Plik z kartami (CSV lub XLSX)"),
        help_text=gettext_lazy(
            "Pierwszy wiersz: kody pól karty (jak w szablonie); dalej jeden wiersz na kartę. "
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
@refusal_returns_to("reports:records", "report_id")
def records_upload(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Wczytaj karty z pliku”: the file chosen, then the preview of the cards it holds;
    nothing is stored here."""
    allowed, spec, full, editable = _records_page(request, report_id)
    if not editable:
        return redirect("reports:records", report_id)
    report = uploads.editable_report(request.user, report_id)
    form = RecordsFileForm(request.POST, request.FILES) if request.method == "POST" else None
    preview = None
    if form is not None and form.is_valid():
        chosen = form.cleaned_data["file"]
        try:
            preview = record_uploads.preview_records(
                report=report, actor=request.user, content=chosen.read(), file_name=chosen.name
            )
        except uploads.UploadRefused as refusal:
            form.add_error("file", refusal.text())
    context = {
        "report": report,
        "spec": spec,
        "form": form or RecordsFileForm(),
        "preview": preview,
    }
    status = 400 if form is not None and form.errors else 200
    return render(request, "reports/records_upload.html", context, status=status)


@require_POST
@refusal_returns_to("reports:records_upload", "report_id")
def records_upload_apply(request: HttpRequest, report_id: int) -> HttpResponse:
    """„Zastosuj”: the report's cards become the previewed file's."""
    count = record_uploads.apply_records(
        report=report_id,
        actor=request.user,
        key=request.POST.get("preview_key", ""),
        ip_address=client_ip(request),
    )
    messages.success(request, _("Wczytano karty z pliku: %(count)d.") % {"count": count})
    return redirect("reports:records", report_id)


def _records_template(request: HttpRequest, report_id: int, suffix: str) -> HttpResponse:
    allowed, spec, full, editable = _records_page(request, report_id)
    report = allowed.report
    if suffix == "csv":
        content, content_type = record_uploads.template_csv(report), EXPORT_CONTENT_TYPES["csv"]
    else:
        content, content_type = record_uploads.template_xlsx(report), EXPORT_CONTENT_TYPES["xlsx"]
    code = report.form_version.definition.code.replace("/", "-")
    name = f"{code}-karty-{report.publication.period_label}"
    return attachment(HttpResponse(content, content_type=content_type), name, suffix)


@require_GET
def records_template_csv(request: HttpRequest, report_id: int) -> HttpResponse:
    """The header of a file of cards, as CSV."""
    return _records_template(request, report_id, "csv")


@require_GET
def records_template_xlsx(request: HttpRequest, report_id: int) -> HttpResponse:
    """The header of a file of cards, with the fields' labels and answers, as XLSX."""
    return _records_template(request, report_id, "xlsx")
