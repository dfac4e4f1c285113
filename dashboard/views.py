from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from calendar_app.selectors import upcoming_for
from core.public_pages import public_page
from dashboard.figures import landing_figures
from dashboard.home import documents_in_themes, needs_updating
from dashboard.waiting import waiting_for
from directory import selectors
from discussions.selectors import recent_for
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
    """What the person has to do (waiting for them, and what they own that needs updating) first, then their
    Working Groups, events, new documents in their themes, recent discussion and notices."""
    user = request.user
    return render(
        request,
        "dashboard/home.html",
        {
            "waiting": waiting_for(user),
            "needs_updating": needs_updating(user),
            "memberships": selectors.current_memberships(user),
            "participations": selectors.working_groups_of(user),
            "upcoming": upcoming_for(user),
            "themes": documents_in_themes(user),
            "threads": recent_for(user),
            "notices": notices_for(user)[:5],
        },
    )
