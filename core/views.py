from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from core import audit, health
from core.models import SecurityEventKind


@never_cache
@require_GET
def health_view(request):
    """Health for load balancers and monitoring: 200 while pages can be served (database up), else 503.

    A cache or broker failure reports "degraded" with 200: pages still work, background jobs wait.
    """
    body, serving = health.report()
    return JsonResponse(body, status=200 if serving else 503)


def permission_denied(request, exception):
    """403: recorded in the security log (who tried what), then a plain page with a way forward."""
    audit.record(SecurityEventKind.ACCESS_DENIED, request=request, method=request.method)
    return render(request, "403.html", status=403)
