"""Newsletter pages: the archive for everyone signed in; the Secretariat's list, opening a period, editing,
previewing and sending; one's subscription; and the unsubscribe link of the e-mails, open without sign-in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from core.forms import add_service_error
from core.paging import page_of
from directory.mixins import SecretariatRequiredMixin
from newsletters import emails, rules, selectors, services
from newsletters.forms import NewsletterForm, PeriodForm, SubscriptionForm

PAGE_SIZE = 50


class ArchiveView(LoginRequiredMixin, View):
    def get(self, request):
        page = page_of(request, selectors.archive(), per_page=PAGE_SIZE)
        return render(
            request,
            "newsletters/archive.html",
            {"page": page, "may_manage": rules.can_manage_newsletters(request.user)},
        )


class IssueView(LoginRequiredMixin, View):
    """An issue as its readers read it; for the Secretariat, also how far its sending went."""

    def get(self, request, pk):
        newsletter = selectors.newsletter_for(request.user, pk)
        may_manage = rules.can_manage_newsletters(request.user)
        context = {"newsletter": newsletter, "may_manage": may_manage}
        if may_manage and not newsletter.is_draft:
            context["report"] = selectors.delivery_report(newsletter)
        return render(request, "newsletters/issue.html", context)


class ManageView(SecretariatRequiredMixin, View):
    def get(self, request):
        page = page_of(request, selectors.managed(), per_page=PAGE_SIZE)
        return render(request, "newsletters/manage.html", {"page": page})


class OpenPeriodView(SecretariatRequiredMixin, View):
    def get(self, request):
        today = timezone.localdate()
        form = PeriodForm(initial={"kind": "bimonthly", "start": today.replace(day=1), "end": today})
        return render(request, "newsletters/open.html", {"form": form})

    def post(self, request):
        form = PeriodForm(request.POST)
        if form.is_valid():
            try:
                newsletter = services.open_period(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Draft compiled from the period's data: review and edit it."))
                return redirect("newsletters:edit", pk=newsletter.pk)
        return render(request, "newsletters/open.html", {"form": form})


class DraftMixin(SecretariatRequiredMixin):
    """A draft the Secretariat works on; a sent issue answers with a message and its page."""

    def draft(self, request, pk):
        newsletter = selectors.newsletter_for(request.user, pk)
        if not newsletter.is_draft:
            messages.info(request, _("This newsletter was sent: it can no longer be changed."))
        return newsletter


class EditView(DraftMixin, View):
    def get(self, request, pk):
        newsletter = self.draft(request, pk)
        if not newsletter.is_draft:
            return redirect(newsletter)
        return render(request, "newsletters/edit.html", {"form": NewsletterForm(instance=newsletter)})

    def post(self, request, pk):
        newsletter = self.draft(request, pk)
        if not newsletter.is_draft:
            return redirect(newsletter)
        form = NewsletterForm(request.POST, instance=newsletter)
        if form.is_valid():
            try:
                services.save_draft(form=form, by=request.user)
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Draft saved."))
                return redirect("newsletters:preview", pk=newsletter.pk)
        return render(request, "newsletters/edit.html", {"form": form})


class PreviewView(SecretariatRequiredMixin, View):
    """The message exactly as it is sent — subject, headers, HTML and plain-text parts — addressed to the
    reader (their own unsubscribe link), built by the same function as the sending. Both parts come from
    ``render_to_string``, marked safe (the text one rendered without escaping): the template escapes them
    with ``force_escape`` into the page and the sandboxed frame's ``srcdoc``."""

    def get(self, request, pk):
        newsletter = selectors.newsletter_for(request.user, pk)
        message = emails.message_for(newsletter, request.user)
        html = next(content for content, mimetype in message.alternatives if mimetype == "text/html")
        context = {
            "newsletter": newsletter,
            "message": message,
            "html": html,
            "list_unsubscribe": message.extra_headers["List-Unsubscribe"],
            "subscribers": selectors.subscribers().count(),
        }
        return render(request, "newsletters/preview.html", context)


class SendView(DraftMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        newsletter = self.draft(request, pk)
        if newsletter.is_draft:
            try:
                services.start_sending(newsletter=newsletter, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Sending: the e-mails go out in batches in the background."))
        return redirect(newsletter)


class SubscriptionView(LoginRequiredMixin, View):
    def get(self, request):
        return render(
            request, "newsletters/subscription.html", {"subscribed": selectors.is_subscribed(request.user)}
        )

    def post(self, request):
        form = SubscriptionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose to receive the newsletters or not."))
            return redirect("newsletters:subscription")
        subscribed = form.cleaned_data["action"] == "subscribe"
        services.set_subscribed(person=request.user, subscribed=subscribed)
        if subscribed:
            messages.success(request, _("You will receive the newsletters."))
        else:
            messages.success(request, _("You will no longer receive the newsletters."))
        return redirect("newsletters:subscription")


# Mail clients unsubscribe in one click by POSTing to the List-Unsubscribe address (RFC 8058) without a
# CSRF token or a session: the signed token in the address is the only authority, and all it can do is
# stop the newsletters of the person it was made for — nothing a forged request could abuse.
@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """The unsubscribe link of an e-mail, without sign-in: GET asks to confirm (a link scanner that opens it
    unsubscribes nobody), POST unsubscribes. A forged or altered token is a 404."""

    def person(self, token):
        person = emails.person_of(token)
        if person is None:
            raise Http404
        return person

    def get(self, request, token):
        self.person(token)
        return render(request, "newsletters/unsubscribe.html", {"done": False})

    def post(self, request, token):
        services.set_subscribed(person=self.person(token), subscribed=False)
        return render(request, "newsletters/unsubscribe.html", {"done": True})
