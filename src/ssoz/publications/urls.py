from django.urls import path

from ssoz.publications import views, views_survey

app_name = "publications"
urlpatterns = [
    path("ankieta-przypisujaca/", views_survey.assignment_survey, name="assignment_survey"),
    path("administracja/publikacje/", views.publication_list, name="list"),
    path("administracja/publikacje/nowa/", views.publish, name="publish"),
    path(
        "administracja/publikacje/<id:publication_id>/termin/",
        views.change_deadline,
        name="deadline",
    ),
    path(
        "administracja/publikacje/<id:publication_id>/zamknij/",
        views.close_period,
        name="close",
    ),
    path(
        "administracja/publikacje/<id:publication_id>/akceptacja/",
        views.acceptance,
        name="acceptance",
    ),
    path(
        "administracja/publikacje/<id:publication_id>/sprawdz/",
        views.recheck,
        name="recheck",
    ),
]
