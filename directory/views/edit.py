"""Editing a piece of content: one view for the content apps whose edit is "the form, then the service".
Only those who may change the object reach it (``ObjectActionMixin``: unseen is 404, seen but not
theirs is 403); the write itself goes through the app's service, which checks again."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View

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
