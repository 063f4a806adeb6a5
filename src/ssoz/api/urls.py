from django.urls import path

from ssoz.api import views

app_name = "tokens"
urlpatterns = [
    path("konto/tokeny-api/", views.token_list, name="list"),
    path("konto/tokeny-api/<id:token_id>/uniewaznij/", views.revoke, name="revoke"),
]
