from django.urls import path

from ssoz.review import views

app_name = "review"
urlpatterns = [
    path("administracja/sprawozdania/", views.queue, name="queue"),
    path(
        "administracja/sprawozdania/zatwierdz-bez-ostrzezen/",
        views.bulk_approve,
        name="bulk_approve",
    ),
    path("administracja/sprawozdania/<id:report_id>/", views.review_report, name="report"),
    path("administracja/sprawozdania/<id:report_id>/zatwierdz/", views.approve, name="approve"),
    path(
        "administracja/sprawozdania/<id:report_id>/zwroc/",
        views.return_for_correction,
        name="return",
    ),
    path("administracja/sprawozdania/<id:report_id>/akceptuj/", views.accept, name="accept"),
    path(
        "administracja/sprawozdania/<id:report_id>/cofnij-zatwierdzenie/",
        views.withdraw,
        name="withdraw",
    ),
    path(
        "administracja/sprawozdania/<id:report_id>/otworz-do-korekty/",
        views.reopen,
        name="reopen",
    ),
]
