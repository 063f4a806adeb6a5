from django.urls import path

from ssoz.review import views, views_publish

app_name = "review"
urlpatterns = [
    path("administracja/sprawozdania/", views.queue, name="queue"),
    path("administracja/sprawozdania/<int:report_id>/", views.review_report, name="report"),
    path("administracja/sprawozdania/<int:report_id>/zatwierdz/", views.approve, name="approve"),
    path(
        "administracja/sprawozdania/<int:report_id>/zwroc/",
        views.return_for_correction,
        name="return",
    ),
    path(
        "administracja/sprawozdania/<int:report_id>/otworz-do-korekty/",
        views.reopen,
        name="reopen",
    ),
    path("administracja/publikacje/", views_publish.publication_list, name="publications"),
    path("administracja/publikacje/nowa/", views_publish.publish, name="publish"),
]
