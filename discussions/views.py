"""Discussion pages: thin views over selectors and services. An invisible thread (or a reply in one) is a
404, the same page as a missing one; a visible one the user may not change is a 403."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.forms import chosen
from core.paging import capped_page
from directory import sharing
from directory.mixins import VisibleObjectMixin
from directory.models import WorkingGroup
from directory.views.share import ShareView
from discussions import rules, selectors, services
from discussions.forms import ReplyForm, ThreadForm
from discussions.models import Thread

PAGE_SIZE = 50
COUNT_CAP = 1000


def _tell(request, report: services.MentionReport) -> None:
    for level, text in report.messages():
        getattr(messages, level)(request, text)


def _working_group(request) -> WorkingGroup | None:
    return chosen(request.GET, "working_group", WorkingGroup.objects.all())


class ThreadListView(LoginRequiredMixin, View):
    def get(self, request):
        threads = selectors.threads_for(request.user)
        group = _working_group(request)
        if group is not None:
            threads = threads.filter(working_group=group)
        page, count, more = capped_page(threads, request.GET.get("page"), per_page=PAGE_SIZE, cap=COUNT_CAP)
        return render(
            request,
            "discussions/list.html",
            {
                "page": page,
                "count": count,
                "more": more,
                "working_group": group,
                "working_groups": WorkingGroup.objects.filter(is_active=True).order_by("number"),
            },
        )


class ThreadMixin(VisibleObjectMixin):
    model = Thread
    select_related = ("owner", "author", "working_group", "hidden_by")


class ThreadDetailView(ThreadMixin, View):
    def get(self, request, pk):
        return self.render(request, self.get_object(), None)

    def render(self, request, thread, form, status=200):
        user = request.user
        page = selectors.thread_page(user, thread)
        moderator = rules.can_moderate_thread(user, thread)
        may_reply = rules.can_reply_to_thread(user, thread)
        context = {
            "thread": thread,
            "replies": page.replies,
            "moderator": moderator,
            "may_reply": may_reply,
            "form": form if form is not None else (ReplyForm(user=user) if may_reply else None),
            "may_edit": rules.can_edit_thread(user, thread),
            "may_share": rules.can_share_thread(user, thread),
            "audience": sharing.describe(thread),
        }
        return render(request, "discussions/detail.html", context, status=status)


class ReplyCreateView(ThreadMixin, View):
    """POST only: the reply form lives on the thread page."""

    def post(self, request, pk):
        thread = self.get_object()
        form = ReplyForm(request.POST, user=request.user)
        if not form.is_valid():
            return ThreadDetailView().render(request, thread, form, status=400)
        try:
            reply, report = services.post_reply(thread=thread, by=request.user, form=form)
        except services.Refused as refused:
            messages.error(request, refused.message)
            return redirect(thread)
        messages.success(request, _("Reply posted."))
        _tell(request, report)
        return redirect(reply)


class ThreadCreateView(LoginRequiredMixin, View):
    def get(self, request):
        form = ThreadForm(user=request.user, working_group=_working_group(request))
        return render(request, "discussions/form.html", {"form": form})

    def post(self, request):
        form = ThreadForm(request.POST, user=request.user)
        if request.POST.get("post_anyway") is not None:
            form.offer_post_anyway()
        if form.is_valid():
            # Before posting, say who the thread would not reach (guests and observers of a members-only
            # thread, mentioned people who cannot read it), so that leaving them out is a choice.
            left_out = None if form.post_anyway else services.left_out(form=form, by=request.user)
            if not left_out:
                thread, report = services.save_thread(form=form, by=request.user)
                messages.success(request, _("Thread started."))
                _tell(request, report)
                return redirect(thread)
            form.offer_post_anyway()
            return render(request, "discussions/form.html", {"form": form, "left_out": left_out})
        return render(request, "discussions/form.html", {"form": form})


class ThreadEditView(ThreadMixin, View):
    def get_object(self, queryset=None):
        thread = super().get_object(queryset)
        if thread.author_id != self.request.user.pk or not rules.can_edit_thread(self.request.user, thread):
            raise PermissionDenied
        return thread

    def get(self, request, pk):
        thread = self.get_object()
        form = ThreadForm(instance=thread, user=request.user)
        return render(request, "discussions/form.html", {"form": form, "thread": thread})

    def post(self, request, pk):
        thread = self.get_object()
        form = ThreadForm(request.POST, instance=thread, user=request.user)
        if form.is_valid():
            try:
                thread, report = services.save_thread(form=form, by=request.user)
            except services.Refused as refused:
                messages.error(request, refused.message)
                return redirect(thread)
            messages.success(request, _("Thread updated; the earlier version stays in its history."))
            _tell(request, report)
            return redirect(thread)
        return render(request, "discussions/form.html", {"form": form, "thread": thread})


class ReplyMixin(LoginRequiredMixin):
    def get_reply(self, pk):
        replies = selectors.visible_replies(self.request.user).select_related(
            "thread", "thread__owner", "thread__working_group", "author"
        )
        return get_object_or_404(replies, pk=pk)


class ReplyEditView(ReplyMixin, View):
    def get_object(self, pk):
        reply = self.get_reply(pk)
        if reply.author_id != self.request.user.pk:
            raise PermissionDenied
        return reply

    def get(self, request, pk):
        reply = self.get_object(pk)
        form = ReplyForm(instance=reply, user=request.user)
        return render(request, "discussions/reply_form.html", {"form": form, "reply": reply})

    def post(self, request, pk):
        reply = self.get_object(pk)
        form = ReplyForm(request.POST, instance=reply, user=request.user)
        if form.is_valid():
            try:
                reply, report = services.edit_reply(reply=reply, by=request.user, form=form)
            except services.Refused as refused:
                messages.error(request, refused.message)
                return redirect(reply.thread)
            messages.success(request, _("Reply updated; the earlier version stays in the history."))
            _tell(request, report)
            return redirect(reply)
        return render(request, "discussions/reply_form.html", {"form": form, "reply": reply})


class ThreadShareView(ShareView):
    model = Thread


class HistoryView(ThreadMixin, View):
    def get(self, request, pk):
        thread = self.get_object()
        moderator = rules.can_moderate_thread(request.user, thread)
        versions = selectors.history(request.user, thread, moderator=moderator)
        return render(
            request,
            "discussions/history.html",
            {"thread": thread, "versions": versions, "moderator": moderator},
        )


class ModerateThreadView(ThreadMixin, View):
    """POST only: hide / unhide / lock / unlock a thread (the space's managers)."""

    operation = ""

    def post(self, request, pk):
        thread = self.get_object()
        if self.operation in ("hide", "unhide"):
            services.set_hidden(post=thread, hidden=self.operation == "hide", by=request.user)
        else:
            services.set_locked(thread=thread, locked=self.operation == "lock", by=request.user)
        messages.success(request, MODERATION_MESSAGES[self.operation])
        return redirect(thread)


class ModerateReplyView(ReplyMixin, View):
    """POST only: hide / unhide a reply (the space's managers)."""

    operation = ""

    def post(self, request, pk):
        reply = self.get_reply(pk)
        services.set_hidden(post=reply, hidden=self.operation == "hide", by=request.user)
        messages.success(request, MODERATION_MESSAGES[f"reply_{self.operation}"])
        return redirect(reply)


MODERATION_MESSAGES = {
    "hide": gettext_lazy("Thread hidden: only moderators see its text."),
    "unhide": gettext_lazy("Thread shown again."),
    "lock": gettext_lazy("Thread locked: it takes no new replies."),
    "unlock": gettext_lazy("Thread unlocked."),
    "reply_hide": gettext_lazy("Reply hidden: only moderators see its text."),
    "reply_unhide": gettext_lazy("Reply shown again."),
}
