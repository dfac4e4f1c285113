from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from calendar_app.selectors import upcoming_for
from core.public_pages import public_page
from dashboard.figures import landing_figures
from directory import selectors
from library.selectors import latest_for
from notices.selectors import notices_for


@require_safe
def landing(request):
    """The public page: what the platform is, its live figures, the public pages and how to get in.
    Signed-in users go to their home at once: the redirect is their most frequent request and need not pay
    for the public pages' rate limit (a cache write) or cache."""
    if request.user.is_authenticated:
        return redirect("dashboard:home")
    return _public_landing(request)


@public_page
def _public_landing(request):
    return render(request, "dashboard/landing.html", {"figures": landing_figures(AnonymousUser())})


@require_safe
@login_required
def home(request):
    return render(
        request,
        "dashboard/home.html",
        {
            "memberships": selectors.current_memberships(request.user),
            "waiting_requests": selectors.waiting_membership_requests(request.user),
            "participations": selectors.working_groups_of(request.user),
            "notices": notices_for(request.user)[:5],
            "resources": latest_for(request.user, limit=5),
            "upcoming": upcoming_for(request.user),
        },
    )
