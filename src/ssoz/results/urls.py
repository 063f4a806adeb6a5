from django.urls import path

from ssoz.results import survey_views, views

app_name = "results"
urlpatterns = [
    path(
        "administracja/publikacje/<id:publication_id>/wyniki/",
        views.aggregate,
        name="aggregate",
    ),
    path(
        "administracja/publikacje/<id:publication_id>/wyniki-ankiety/",
        survey_views.survey,
        name="survey",
    ),
    path(
        "sprawozdania/<id:report_id>/wyniki-ankiety/",
        survey_views.survey_report,
        name="survey_report",
    ),
]
