"""PDF rendering from Django templates with WeasyPrint."""

from django.template.loader import render_to_string


def preload() -> None:
    """Load WeasyPrint and lay out a page once, so that its fonts are read: the application
    server does this at start (wsgi.py); elsewhere (commands, tests) it happens on the first
    PDF."""
    from weasyprint import HTML

    HTML(string="<p>SSOZ</p>").write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only PDF views need.
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
