from django.http import JsonResponse
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
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)
