from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView

from core.paging import capped_page
from directory.mixins import ContentDetailMixin
from directory.views.edit import ContentCreateView, ContentEditView
from directory.views.share import ShareView
from notices import selectors, services
from notices.forms import NoticeForm
from notices.models import Notice

PAGE_SIZE = 50
COUNT_CAP = 1000


class NoticeListView(LoginRequiredMixin, View):
    def get(self, request):
        notices = selectors.notices_for(request.user)
        page, count, more = capped_page(notices, request.GET.get("page"), per_page=PAGE_SIZE, cap=COUNT_CAP)
        return render(request, "notices/list.html", {"page": page, "count": count, "more": more})


class NoticeDetailView(ContentDetailMixin, DetailView):
    model = Notice
    select_related = ("owner", "author", "working_group")
    template_name = "notices/detail.html"
    context_object_name = "notice"


class NoticeCreateView(ContentCreateView):
    form_class = NoticeForm
    template_name = "notices/form.html"
    success_message = gettext_lazy("Notice posted.")

    def save(self, form, *, by) -> Notice:
        return services.save_notice(form=form, by=by)


class NoticeEditView(ContentEditView):
    model = Notice
    form_class = NoticeForm
    template_name = "notices/form.html"
    success_message = gettext_lazy("Notice updated.")

    def save(self, form, *, by) -> None:
        services.save_notice(form=form, by=by)


class NoticeShareView(ShareView):
    model = Notice
