from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.generic import RedirectView

from ssoz.portal import views

app_name = "portal"
urlpatterns = [
    path("", login_not_required(RedirectView.as_view(pattern_name="portal:info")), name="root"),
    path("info.html", views.info, name="info"),
    path("zdrowie/zyje", views.alive, name="alive"),
    path("zdrowie/gotowy", views.ready, name="ready"),
    path("start/", views.home, name="home"),
    path("ochrona-danych/", views.privacy, name="privacy"),
    path("deklaracja-dostepnosci/", views.accessibility, name="accessibility"),
    path("pomoc/", views.help_page, name="help"),
    path("sesja/przedluz/", views.keep_session_alive, name="keep_alive"),
]
