"""The labels of the registry's codes that have a fixed list (kod resortowy): the kinds of
activity of an organisational unit (part VI) and the legal forms of professional practices
(part IV, codes 93–99). The publishing page and the results read them from here."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTIVITY_KINDS: dict[str, Promise] = {
    "1": _("1 – stacjonarne i całodobowe świadczenia szpitalne"),
    "2": _("2 – stacjonarne i całodobowe świadczenia inne niż szpitalne"),
    "3": _("3 – ambulatoryjne świadczenia zdrowotne"),
}

PRACTICE_LEGAL_FORMS: dict[str, Promise] = {
    "93": _("93 – indywidualna praktyka wyłącznie w zakładzie leczniczym"),
    "94": _("94 – indywidualna specjalistyczna praktyka wyłącznie w zakładzie leczniczym"),
    "95": _("95 – indywidualna praktyka wyłącznie w miejscu wezwania"),
    "96": _("96 – indywidualna specjalistyczna praktyka wyłącznie w miejscu wezwania"),
    "97": _("97 – grupowa praktyka"),
    "98": _("98 – indywidualna praktyka"),
    "99": _("99 – indywidualna specjalistyczna praktyka"),
}
