from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults
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


#: Where the REST API is served: its 404s are JSON, as every other answer of the API.
API_PREFIX = "/api/"


def page_not_found(request, exception):
    """404: the page for people, and for an address under the API that matches no route (an id that is not a
    number, say) the same JSON body as the API's own 404s, so a program reads one kind of answer."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
