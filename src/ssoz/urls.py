from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

admin.site.site_header = "SSOZ – administracja techniczna"

urlpatterns = [
    path("", include("ssoz.portal.urls")),
    path("", include("ssoz.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("captcha/", include("captcha.urls")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
