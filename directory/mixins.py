"""View mixins: every object view reads through ``visible_to``; role-gated pages check the role first."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from directory import sharing
from directory.models import Organization
from directory.rules import can, can_administer_platform, can_manage_organization


class SecretariatRequiredMixin(LoginRequiredMixin):
    """Pages of the Secretariat's administration: 403 for everyone else (the page itself is no secret)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_administer_platform(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ManagedOrganizationMixin(LoginRequiredMixin):
    """Pages that change an organisation's people or profile: its organisation admins and the Secretariat
    only; anyone else gets a 403 (the organisation and its people are no secret, the right to change them
    is)."""

    def managed_organization(self, request, pk) -> Organization:
        organization = get_object_or_404(Organization, pk=pk)
        if not can_manage_organization(request.user, organization):
            raise PermissionDenied
        return organization


class VisibleObjectMixin(LoginRequiredMixin):
    """Detail and edit views of content: the object is fetched through ``visible_to``, so an object the user
    may not see is a 404 — the same page as one that does not exist, revealing nothing (as Zulip's
    ``access_stream_by_id`` does)."""

    model = None
    select_related: tuple[str, ...] = ("owner",)

    def get_queryset(self):
        return self.model.objects.visible_to(self.request.user).select_related(*self.select_related)

    def get_object(self, queryset=None):
        return get_object_or_404(
            queryset if queryset is not None else self.get_queryset(), pk=self.kwargs["pk"]
        )


class ObjectActionMixin(VisibleObjectMixin):
    """Views that change an object: visible but not allowed is 403 (the user knows it exists). ``action``
    names the model's registered rule (directory.rules.register_content_rules)."""

    action = "change"

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not can(self.request.user, self.action, obj):
            raise PermissionDenied
        return obj


class ContentDetailMixin(VisibleObjectMixin):
    """A content object's page: read through ``visible_to``, with its "who can see this?" panel and whether
    the reader may change or share it (the model's registered rules, directory.rules.can)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        context.update(
            audience=sharing.describe(obj),
            may_change=can(user, "change", obj),
            may_share=can(user, "share", obj),
        )
        return context
