"""The floors the deadline-day benchmark measures SSOZ's save against, on the same server:

- a trivial Django view (nothing read, nothing written);
- a bare save: the same posted body read, and its values written with one UPDATE, with no
  session, user, access check, form, merge or audit row.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from ssoz.reports.models import Report


@login_not_required
def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


@csrf_exempt
@login_not_required
def bare_save(request, report_id: int):
    values = {key: request.POST[key] for key in request.POST if key not in ("revision", "action")}
    Report.objects.filter(pk=report_id).update(values=values)
    return JsonResponse({"ok": True, "revision": 0})


urlpatterns = [
    path("floor/trivial/", trivial),
    path("floor/bare-save/<int:report_id>/", bare_save),
    path("", include("ssoz.urls")),
]
