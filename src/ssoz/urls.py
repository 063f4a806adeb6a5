from captcha import views as captcha_views
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path, register_converter
from django.views.i18n import set_language

from ssoz.api import core as api
from ssoz.lib.ids import IdConverter

# Registered before the apps' patterns are read: every object id in an address is `<id:…>`.
register_converter(IdConverter, "id")

urlpatterns = [
    path("", include("ssoz.portal.urls")),
    path("", include("ssoz.accounts.urls")),
    path("", include("ssoz.definitions.urls")),
    path("", include("ssoz.publications.urls")),
    path("", include("ssoz.reports.urls")),
    path("", include("ssoz.review.urls")),
    path("", include("ssoz.jobs.urls")),
    path("", include("ssoz.completeness.urls")),
    path("", include("ssoz.results.urls")),
    path("", include("ssoz.exports.urls")),
    path("", include("ssoz.api.urls")),
    # Systems that report by themselves: a token, not a session, says who calls.
    path("api/v1/", api.urls()),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    # The registration page's captcha image is shown to visitors who have no account yet.
    re_path(
        r"^captcha/image/(?P<key>\w+)/$",
        login_not_required(captcha_views.captcha_image),
        name="captcha-image",
        kwargs={"scale": 1},
    ),
    re_path(
        r"^captcha/image/(?P<key>\w+)@2/$",
        login_not_required(captcha_views.captcha_image),
        name="captcha-image-2x",
        kwargs={"scale": 2},
    ),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
