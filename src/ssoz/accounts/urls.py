from django.urls import path

from ssoz.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logowanie/", views.login_view, name="login"),
    path("wyloguj/", views.logout_view, name="logout"),
    path("rejestracja/", views.register, name="register"),
    path("rejestracja/formularz/<str:token>.pdf", views.registration_pdf, name="registration_pdf"),
    path("przypomnij-haslo/", views.password_reminder, name="password_reminder"),
    path("konto/haslo/", views.change_password, name="change_password"),
    path("administracja/wnioski/", views.application_list, name="application_list"),
    path(
        "administracja/wnioski/<id:application_id>/",
        views.application_detail,
        name="application_detail",
    ),
    path(
        "administracja/wnioski/<id:application_id>/skan",
        views.application_scan,
        name="application_scan",
    ),
    path(
        "administracja/wnioski/<id:application_id>/formularz.pdf",
        views.application_pdf,
        name="application_pdf",
    ),
]
