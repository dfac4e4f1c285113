from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from core.forms import add_service_error
from core.paging import capped_page
from notifications import selectors, services
from notifications.forms import PreferencesForm

PAGE_SIZE = 50
COUNT_CAP = 1000


class NotificationListView(LoginRequiredMixin, View):
    def get(self, request):
        notifications = selectors.notifications_for(request.user)
        page, count, more = capped_page(
            notifications, request.GET.get("page"), per_page=PAGE_SIZE, cap=COUNT_CAP
        )
        unread = selectors.unread_count(request.user)
        return render(
            request,
            "notifications/list.html",
            {"page": page, "count": count, "more": more, "unread": unread},
        )


class MarkAllReadView(LoginRequiredMixin, View):
    def post(self, request):
        marked = services.mark_read(request.user)
        if marked:
            messages.success(
                request,
                ngettext(
                    "%(count)s notification marked as read.",
                    "%(count)s notifications marked as read.",
                    marked,
                )
                % {"count": marked},
            )
        return redirect("notifications:list")


class OpenNotificationView(LoginRequiredMixin, View):
    """Marks the notification read and follows its link. Only its recipient may open it (anyone else gets
    the 404 of an id that does not exist), and only ever to a path on this site."""

    def get(self, request, pk):
        notification = get_object_or_404(selectors.notifications_for(request.user), pk=pk)
        services.mark_read(request.user, [notification.pk])
        url = notification.url
        # notify() refuses other links; this check also covers rows written some other way.
        if services.is_local_path(url) and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(url)
        return redirect("notifications:list")


class PreferencesView(LoginRequiredMixin, View):
    def get(self, request):
        return self.render(request, self.form(request))

    def post(self, request):
        form = self.form(request, data=request.POST)
        if form.is_valid():
            try:
                services.save_preferences(user=request.user, choices=form.choices())
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Your notification settings are saved."))
                return redirect("notifications:preferences")
        return self.render(request, form)

    @staticmethod
    def form(request, data=None) -> PreferencesForm:
        return PreferencesForm(
            data,
            spaces=selectors.preference_spaces(request.user),
            current=selectors.preferences_of(request.user),
        )

    @staticmethod
    def render(request, form):
        return render(request, "notifications/preferences.html", {"form": form})
