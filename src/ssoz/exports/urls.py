from django.urls import path

from ssoz.exports import views

app_name = "exports"
urlpatterns = [
    path(
        "administracja/publikacje/<id:publication_id>/eksport/",
        views.publication_export,
        name="publication",
    ),
    path(
        "administracja/publikacje/<id:publication_id>/wyniki/eksport/",
        views.table_export,
        name="table",
    ),
    path("eksport/<uuid:export_id>/pobierz/", views.download, name="download"),
]
