"""Adding and editing a piece of content: one view each for the content apps whose write is "the form, then
the service". Only those who may change an object reach its edit page (``ObjectActionMixin``: unseen is
404, seen but not theirs is 403); the write itself goes through the app's service, which checks again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.views import View

from directory.forms import started_in_group
from directory.mixins import ObjectActionMixin


class ContentEditView(ObjectActionMixin, View):
    """Subclasses name the ``model``, its ``form_class`` (which takes the ``user``), the ``template_name``
    (given the form and the object under the model's name), the ``success_message``, and ``save``."""

    form_class = None
    template_name = ""
    success_message = ""

    def save(self, form, *, by) -> None:
        """Write the valid form through the app's service."""
        raise NotImplementedError

    def get(self, request, pk):
        return self.render(self.form_class(instance=self.get_object(), user=request.user))

    def post(self, request, pk):
        form = self.form_class(request.POST, instance=self.get_object(), user=request.user)
        if not form.is_valid():
            return self.render(form)
        self.save(form, by=request.user)
        messages.success(request, self.success_message)
        return redirect(form.instance)

    def render(self, form):
        context = {"form": form, self.model._meta.model_name: form.instance}
        return render(self.request, self.template_name, context)


class ContentCreateView(LoginRequiredMixin, View):
    """Adding content whose creation is the form then the service: subclasses name the ``form_class``
    (which takes the ``user``), the ``template_name``, the ``success_message``, and ``save`` (returns the
    new object). A "new" link from a Working Group's space (``?working_group=``) pre-fills its audience."""

    form_class = None
    template_name = ""
    success_message = ""

    def save(self, form, *, by):
        """Write the valid form through the app's service; returns the new object."""
        raise NotImplementedError

    def get(self, request):
        form = self.form_class(user=request.user)
        form.start_audience(request.user, started_in_group(request))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = self.form_class(request.POST, user=request.user)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form})
        created = self.save(form, by=request.user)
        messages.success(request, self.success_message)
        return redirect(created)
