"""Keeping the directory's search index and facet keys in step with every write, wherever it comes from
(services, the technical admin, the reference-data loader, tests).

A person's index depends on their profile, name, memberships, their organisations' names and Working Group
participation: each of those writes refreshes the people concerned in the same transaction, so a search
made right after a change sees it. Set-based loads (the bench's data set) call ``refresh_facet_keys``
themselves.
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from directory.models import Membership, Organization, Participation, Profile, User
from directory.people import refresh_search_index

#: Saving only these (the index itself, the language of their pages) changes nothing a person is found by.
NOT_SEARCHED = {"search_vector", "facet_keys", "language", "updated_at"}

_batch = threading.local()


@contextmanager
def batched():
    """Within this block, the people to refresh are collected and refreshed once at its end: a profile
    edit saves the profile, its pillars and the name, which would otherwise refresh the same person four
    times. Nothing is refreshed if the block fails (its transaction is rolled back anyway)."""
    if getattr(_batch, "ids", None) is not None:  # already inside a batch: the outer one refreshes
        yield
        return
    _batch.ids = set()
    try:
        yield
        ids = _batch.ids
    finally:
        _batch.ids = None
    if ids:
        refresh_search_index(ids)


def _refresh(user_ids) -> None:
    pending = getattr(_batch, "ids", None)
    if pending is None:
        refresh_search_index(user_ids)
    else:
        pending.update(user_ids)


def _members_of(organization_id: int):
    return Membership.objects.filter(organization_id=organization_id, ended_at__isnull=True).values_list(
        "user_id", flat=True
    )


@receiver(post_save, sender=Profile)
def profile_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or set(update_fields) - NOT_SEARCHED:
        _refresh([instance.user_id])


@receiver(m2m_changed, sender=Profile.expertise_pillars.through)
def pillars_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        _refresh([instance.pk])


@receiver(post_save, sender=User)
def user_saved(sender, instance, update_fields=None, **kwargs):
    # The name is searched; being active decides whether the person is listed at all.
    if update_fields is None or {"full_name", "preferred_name", "is_active"} & set(update_fields):
        _refresh([instance.pk])


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance, **kwargs):
    # Everyone listed in the directory has a profile (filters and facets live on it): made with the first
    # role, dated as confirmed from then.
    profile, created = Profile.objects.get_or_create(user_id=instance.user_id)
    if not created:  # a new profile has been indexed by its own signal
        _refresh([instance.user_id])


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance, **kwargs):
    _refresh([instance.user_id])


@receiver(post_save, sender=Participation)
@receiver(post_delete, sender=Participation)
def participation_changed(sender, instance, **kwargs):
    _refresh(_members_of(instance.organization_id))


@receiver(post_save, sender=Organization)
def organization_saved(sender, instance, created=False, **kwargs):
    if not created:
        _refresh(_members_of(instance.pk))
