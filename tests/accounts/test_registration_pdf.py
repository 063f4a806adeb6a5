import io

from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ssoz.accounts.services import registration_form_token


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_registration_form_pdf_carries_user_unit_authorisations_and_addressee(
    client, application
):
    application.user.financial_reports = True
    application.user.save()
    token = registration_form_token(application.reference)
    response = client.get(reverse("accounts:registration_pdf", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Formularz rejestracyjny użytkownika" in text
    assert "Mazowiecki Urząd Wojewódzki w Warszawie" in text  # the addressee, top left
    assert "pl. Bankowy 3/5" in text
    assert "dorota" in text
    assert application.entity.name in text
    assert application.entity.regon in text
    assert "Upoważnienie do sprawozdań finansowych TAK" in " ".join(text.split())
    # The form shows the date in Polish time, which differs from UTC around midnight.
    assert timezone.localtime(application.submitted_at).strftime("%d.%m.%Y") in text
    assert "podpis" in text and "pieczątka" in text
    # The application's reference, not its running number, names it.
    assert f"Wniosek nr {application.reference}" in text


def test_the_addressee_stands_in_the_top_left_corner(client, application):
    token = registration_form_token(application.reference)
    content = client.get(reverse("accounts:registration_pdf", args=[token])).content
    page = PdfReader(io.BytesIO(content)).pages[0]
    positions = []

    def visitor(text, cm, tm, font_dict, font_size):
        if "Urząd Wojewódzki" in text:
            # The text's origin in page space: the text matrix applied through the CTM.
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            positions.append((x, y))

    page.extract_text(visitor_text=visitor)
    x, y = positions[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert x < width / 2
    assert y > height * 0.75


def test_a_forged_token_finds_nothing(client, application):
    response = client.get(reverse("accounts:registration_pdf", args=["nie-ma-takiego"]))
    assert response.status_code == 404


def test_administrators_download_the_form_from_the_application(client, application, wanda):
    import cast

    cast.log_in(client, wanda)
    response = client.get(reverse("accounts:application_pdf", args=[application.pk]))
    assert "dorota" in pdf_text(response.content)
