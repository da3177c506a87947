import sys

from django.db import DatabaseError, InterfaceError
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .services import health_report


@never_cache
@require_GET
def health(request):
    """Machine-readable health: 200 when the database, broker and a worker all answer."""
    report = health_report()
    return JsonResponse(report, status=200 if report["ok"] else 503)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def server_error(request):
    """handler500: a plain Chinese page, never a traceback. When the database is what
    failed (restarting, unreachable), say so with 503 and Retry-After: the request changed
    nothing (each write is one transaction) and can simply be sent again."""
    error = sys.exc_info()[1]
    if isinstance(error, (DatabaseError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
