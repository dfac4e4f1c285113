"""Personal iCalendar feeds: made, renewed and revoked by their owner; read by calendar clients with the
token as their credential, answered from a version computed without reading the events."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views import View

from calendar_app import ical, selectors, services
from calendar_app.forms import FeedForm
from calendar_app.models import Feed


def feed_url(request, token: str) -> str:
    return request.build_absolute_uri(reverse("calendar_app:feed", kwargs={"token": token}))


class FeedListView(LoginRequiredMixin, View):
    def get(self, request):
        return self.render(request, FeedForm(user=request.user))

    def post(self, request):
        form = FeedForm(request.POST, user=request.user)
        if form.is_valid():
            feed, token = services.create_feed(form=form, by=request.user)
            messages.success(request, _("Feed created. Copy its address now: it is shown only once."))
            return self.render(
                request, FeedForm(user=request.user), new_url=feed_url(request, token), new_feed=feed
            )
        return self.render(request, form)

    def render(self, request, form, **extra):
        return render(
            request,
            "calendar_app/feeds.html",
            {"form": form, "feeds": list(selectors.feeds_of(request.user)), **extra},
        )


class FeedActionView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def feed(self, request, pk) -> Feed:
        return get_object_or_404(Feed, pk=pk, user_id=request.user.pk, revoked_at__isnull=True)


class FeedRegenerateView(FeedActionView):
    def post(self, request, pk):
        feed = self.feed(request, pk)
        token = services.regenerate_feed(feed=feed, by=request.user)
        messages.success(
            request, _("New address made; the old one no longer works. Copy it now: it is shown once.")
        )
        return render(
            request,
            "calendar_app/feeds.html",
            {
                "form": FeedForm(user=request.user),
                "feeds": list(selectors.feeds_of(request.user)),
                "new_url": feed_url(request, token),
                "new_feed": feed,
            },
        )


class FeedRevokeView(FeedActionView):
    def post(self, request, pk):
        services.revoke_feed(feed=self.feed(request, pk), by=request.user)
        messages.success(request, _("Feed revoked: its address no longer works."))
        return redirect("calendar_app:feeds")


def _not_found() -> HttpResponse:
    # The same plain answer for a malformed, unknown, regenerated or revoked token: no hint of existence.
    return HttpResponse(b"Not found", status=404, content_type="text/plain")


class FeedView(View):
    """A subscription feed, for calendar clients (no session: the token is the credential). Conditional
    requests are answered from a version computed without reading the events."""

    http_method_names = ["get", "head"]

    def get(self, request, token):
        feed = selectors.live_feed(token)
        if feed is None:
            return _not_found()
        etag, last_modified = selectors.feed_version(feed)
        modified_stamp = int(last_modified.timestamp())
        # Django's own conditional GET (If-None-Match, then If-Modified-Since): a 304 costs no event read.
        response = get_conditional_response(request, etag=etag, last_modified=modified_stamp)
        if response is None:
            body = ical.feed(selectors.feed_rows(feed), name=feed.name)
            response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
            response["Content-Disposition"] = 'inline; filename="calendar.ics"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(modified_stamp)
        response["Cache-Control"] = "private, no-cache"
        response["X-Content-Type-Options"] = "nosniff"
        return response
