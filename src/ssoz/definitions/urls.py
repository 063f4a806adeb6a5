from django.urls import path

from ssoz.definitions import views

app_name = "definitions"

urlpatterns = [
    path("administracja/definicje/", views.definition_list, name="list"),
    path("administracja/definicje/<id:pk>/", views.version_detail, name="version_detail"),
    path("administracja/definicje/<id:pk>/zrodlo/", views.version_source, name="version_source"),
    path("definicje/form.schema.json", views.published_schema, name="schema"),
]
