from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from ssoz.accounts.access import pending_applications_for
from ssoz.portal import health
from ssoz.publications.assignment import assignment_survey
from ssoz.reports.models import FormKind
from ssoz.reports.navigation import kind_slug, list_url
from ssoz.reports.selectors import reporter_tasks
from ssoz.review.selectors import waiting_for_review


@login_not_required
def alive(request: HttpRequest) -> HttpResponse:
    """That the application server answers: for its supervisor and the load balancer. It
    touches neither the database nor the session."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
def ready(request: HttpRequest) -> HttpResponse:
    """That this server can do its work (`portal/health.py`): 200, or 503 with what failed.
    It touches no session."""
    found = health.readiness()
    return JsonResponse(found, status=200 if found["ok"] else 503)


@login_not_required
def info(request: HttpRequest) -> HttpResponse:
    """The landing page (/info.html) with „Kontynuuj” leading to the log-in page."""
    return render(request, "portal/info.html")


def home(request: HttpRequest) -> HttpResponse:
    """The first page after logging in."""
    context = {}
    if request.user.is_reporter:
        tasks = reporter_tasks(request.user)
        context["tasks"] = tasks
        questions = assignment_survey(request.user)
        context["survey"] = {
            "asked": bool(questions),
            "due": any(question.answer is None for question in questions),
        }
        context["waiting_for_review"] = [
            (FormKind(kind).label.capitalize(), count, list_url(kind_slug(kind), "wyslane"))
            for kind, count in sorted(tasks.waiting_for_review.items())
        ]
    if request.user.is_administrator:
        context["pending_count"] = pending_applications_for(request.user).count()
        context["review_count"] = waiting_for_review(request.user).count()
    return render(request, "portal/home.html", context)


@login_not_required
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/privacy.html")


@login_not_required
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/accessibility.html")


@login_not_required
def help_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/help.html")


@require_POST
def keep_session_alive(request: HttpRequest) -> JsonResponse:
    """Renews the session; the timeout warning calls it when the user asks for more time."""
    request.session.modified = True
    return JsonResponse({"ok": True})
