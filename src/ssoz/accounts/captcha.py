"""The registration captcha: an image code, or a text question for those who cannot see it.

The text question is the accessible alternative that WCAG 1.1.1 asks of a CAPTCHA: a screen
reader reads it and a braille display shows it. In test mode (SSOZ_CAPTCHA_TEST_MODE, refused
in production) the word PASSED is accepted, so automated acceptance tests can register.
"""

import secrets

from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

IMAGE = "image"
TEXT = "text"

_NUMBER_WORDS = {
    "pl": ["zero", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem",
           "dziewięć", "dziesięć", "jedenaście", "dwanaście", "trzynaście", "czternaście",
           "piętnaście", "szesnaście", "siedemnaście", "osiemnaście", "dziewiętnaście",
           "dwadzieścia"],
    "en": ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
           "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
           "seventeen", "eighteen", "nineteen", "twenty"],
}  # fmt: skip


def text_question_challenge() -> tuple[str, str]:
    """A sum of two small numbers; stored as '7+2' and asked in words."""
    left, right = secrets.randbelow(10) + 1, secrets.randbelow(10) + 1
    return f"{left}+{right}", str(left + right)


def question_in_words(challenge: str, language: str) -> str:
    words = _NUMBER_WORDS["en" if language.startswith("en") else "pl"]
    left, right = (int(part) for part in challenge.split("+"))
    return _("Ile to jest %(left)s dodać %(right)s? Wpisz wynik cyframi.") % {
        "left": words[left],
        "right": words[right],
    }


def answer_as_digits(answer: str) -> str:
    """Accept the sum written in words too („dziewięć” for 9)."""
    cleaned = answer.strip().lower()
    for words in _NUMBER_WORDS.values():
        if cleaned in words:
            return str(words.index(cleaned))
    return cleaned


class SSOZCaptchaWidget(CaptchaTextInput):
    template_name = "accounts/captcha_widget.html"

    def __init__(self, mode: str = IMAGE) -> None:
        self.mode = mode
        generator = "ssoz.accounts.captcha.text_question_challenge" if mode == TEXT else None
        super().__init__(generator=generator)

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        # The key's hidden input gets only its id, name and value: `required`, `aria-*` and
        # autocomplete="off" (all passed to every subwidget) are not valid HTML on a hidden
        # input. The registration form says autocomplete="off" instead, which keeps browsers
        # from restoring a stale key on reload, as the library's attribute meant to.
        hidden = context["widget"]["subwidgets"][0]
        hidden["attrs"] = {"id": hidden["attrs"]["id"]} if "id" in hidden["attrs"] else {}
        context["mode"] = self.mode
        if self.mode == TEXT:
            from django.utils.translation import get_language

            store = CaptchaStore.objects.get(hashkey=self._key)
            context["question"] = question_in_words(store.challenge, get_language() or "pl")
        return context


class SSOZCaptchaField(CaptchaField):
    default_error_messages = {"invalid": gettext_lazy("Przepisz kod z obrazka jeszcze raz.")}

    def __init__(self, mode: str = IMAGE, **kwargs: object) -> None:
        kwargs.setdefault("label", gettext_lazy("Przepisz kod z obrazka"))
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": gettext_lazy("Kod nie zgadza się. Przepisz nowy kod."),
                "required": gettext_lazy("Przepisz kod z obrazka."),
                "incomplete": gettext_lazy("Przepisz kod z obrazka."),
            },
        )
        super().__init__(widget=SSOZCaptchaWidget(mode), **kwargs)

    def clean(self, value: list[str]) -> list[str]:
        if value and len(value) > 1 and value[1]:
            if settings.SSOZ_CAPTCHA_TEST_MODE and value[1].strip().upper() == "PASSED":
                CaptchaStore.objects.filter(hashkey=value[0]).delete()
                return value
            value = [value[0], answer_as_digits(value[1])]
        try:
            return super().clean(value)
        except ValidationError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
