from django.urls import path

from ssoz.reports import views, views_history, views_lists, views_records, views_upload

app_name = "reports"
urlpatterns = [
    path("sprawozdania/", views_lists.report_list, name="list"),
    path(
        "sprawozdania/obowiazek/<id:obligation_id>/",
        views_lists.obligation_window,
        name="obligation",
    ),
    path(
        "sprawozdania/obowiazek/<id:obligation_id>/aktywuj/",
        views_lists.activate_shortcut,
        name="activate",
    ),
    path(
        "sprawozdania/obowiazek/<id:obligation_id>/za-kogo/",
        views_lists.choose_level,
        name="choose_level",
    ),
    path(
        "sprawozdania/obowiazek/<id:obligation_id>/papierowe/",
        views.enter_paper_report,
        name="paper",
    ),
    path("sprawozdania/<id:report_id>/", views.report_detail, name="detail"),
    path("sprawozdania/<id:report_id>/zapisz/", views.autosave, name="autosave"),
    path("sprawozdania/<id:report_id>/wczytaj/", views_upload.upload, name="upload"),
    path(
        "sprawozdania/<id:report_id>/wczytaj/zastosuj/",
        views_upload.apply_upload,
        name="upload_apply",
    ),
    path(
        "sprawozdania/<id:report_id>/szablon.csv",
        views_upload.template_csv,
        name="template_csv",
    ),
    path(
        "sprawozdania/<id:report_id>/szablon.xlsx",
        views_upload.template_xlsx,
        name="template_xlsx",
    ),
    path("sprawozdania/<id:report_id>/karty/", views_records.record_list, name="records"),
    path("sprawozdania/<id:report_id>/karty/nowa/", views_records.record_new, name="record_new"),
    path(
        "sprawozdania/<id:report_id>/karty/wczytaj/",
        views_records.records_upload,
        name="records_upload",
    ),
    path(
        "sprawozdania/<id:report_id>/karty/wczytaj/zastosuj/",
        views_records.records_upload_apply,
        name="records_upload_apply",
    ),
    path(
        "sprawozdania/<id:report_id>/karty/szablon.csv",
        views_records.records_template_csv,
        name="records_template_csv",
    ),
    path(
        "sprawozdania/<id:report_id>/karty/szablon.xlsx",
        views_records.records_template_xlsx,
        name="records_template_xlsx",
    ),
    path(
        "sprawozdania/<id:report_id>/karty/<id:number>/",
        views_records.record_detail,
        name="record",
    ),
    path(
        "sprawozdania/<id:report_id>/karty/<id:number>/usun/",
        views_records.record_remove,
        name="record_remove",
    ),
    path("sprawozdania/<id:report_id>/wyslij/", views.send_confirmation, name="send"),
    path(
        "sprawozdania/<id:report_id>/wyslij-zerowe/",
        views.send_zero_confirmation,
        name="send_zero",
    ),
    path(
        "sprawozdania/<id:report_id>/prosba-o-korekte/",
        views.request_reopening,
        name="request_reopening",
    ),
    path(
        "sprawozdania/<id:report_id>/wersje/<id:number>.pdf",
        views_history.version_pdf,
        name="version_pdf",
    ),
    path("sprawozdania/<id:report_id>/wersje/", views_history.compare_versions, name="versions"),
    path("sprawozdania/<id:report_id>/historia/", views_history.history, name="history"),
]
