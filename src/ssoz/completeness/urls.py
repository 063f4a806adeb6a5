from django.urls import path

from ssoz.completeness import views

app_name = "completeness"
urlpatterns = [
    path("administracja/kompletnosc/", views.index, name="index"),
    path(
        "administracja/publikacje/<id:publication_id>/kompletnosc/",
        views.summary,
        name="summary",
    ),
    path(
        "administracja/publikacje/<id:publication_id>/kompletnosc/niewyslane/",
        views.not_reported,
        name="not_reported",
    ),
    path(
        "administracja/publikacje/<id:publication_id>/kompletnosc/niewyslane.csv",
        views.not_reported_csv,
        name="not_reported_csv",
    ),
    path(
        "administracja/publikacje/<id:publication_id>/kompletnosc/przypomnienie/",
        views.remind,
        name="remind",
    ),
    path(
        "administracja/publikacje/<id:publication_id>/kompletnosc/zwolnione/",
        views.exempted,
        name="exempted",
    ),
    path("administracja/obowiazki/<id:obligation_id>/zwolnienie/", views.exempt, name="exempt"),
    path(
        "administracja/obowiazki/<id:obligation_id>/cofnij-zwolnienie/",
        views.lift_exemption,
        name="lift_exemption",
    ),
]
