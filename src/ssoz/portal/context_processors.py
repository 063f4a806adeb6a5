from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    """Values every page shows: help-desk contacts and the session timeout for its warning."""
    return {
        "helpdesk_phone": settings.HELPDESK_PHONE,
        "helpdesk_email": settings.HELPDESK_EMAIL,
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_warning_before": settings.SESSION_WARNING_BEFORE,
    }
