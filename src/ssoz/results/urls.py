from django.urls import path

from ssoz.results import views

app_name = "results"
urlpatterns = [
    path(
        "administracja/publikacje/<id:publication_id>/wyniki/",
        views.aggregate,
        name="aggregate",
    ),
]
