from django.urls import path

from ssoz.jobs import views

app_name = "jobs"
urlpatterns = [
    path("zadania/<uuid:job_id>/", views.job_detail, name="detail"),
    path("zadania/<uuid:job_id>/stan.json", views.job_state, name="state"),
]
