"""Keeping the directory's search index and facet keys in step with every write, wherever it comes from
(services, the technical admin, the reference-data loader, tests).

A person's index depends on their profile, name, memberships, their organisations' names and Working Group
participation: each of those writes refreshes the people concerned in the same transaction, so a search
made right after a change sees it. Set-based loads (the bench's data set) call ``refresh_facet_keys``
themselves.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from directory.models import Membership, Organization, Participation, Profile, User
from directory.people import refresh_search_index

INDEX_FIELDS = {"search_vector", "facet_keys"}


def _members_of(organization_id: int):
    return Membership.objects.filter(organization_id=organization_id, ended_at__isnull=True).values_list(
        "user_id", flat=True
    )


@receiver(post_save, sender=Profile)
def profile_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is None or set(update_fields) - INDEX_FIELDS:
        refresh_search_index([instance.user_id])


@receiver(m2m_changed, sender=Profile.expertise_pillars.through)
def pillars_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        refresh_search_index([instance.pk])


@receiver(post_save, sender=User)
def user_saved(sender, instance, update_fields=None, **kwargs):
    # The name is searched; being active decides whether the person is listed at all.
    if update_fields is None or {"full_name", "preferred_name", "is_active"} & set(update_fields):
        refresh_search_index([instance.pk])


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance, **kwargs):
    # Everyone listed in the directory has a profile (filters and facets live on it): made with the first
    # role, dated as confirmed from then.
    profile, created = Profile.objects.get_or_create(user_id=instance.user_id)
    if not created:  # a new profile has been indexed by its own signal
        refresh_search_index([instance.user_id])


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance, **kwargs):
    refresh_search_index([instance.user_id])


@receiver(post_save, sender=Participation)
@receiver(post_delete, sender=Participation)
def participation_changed(sender, instance, **kwargs):
    refresh_search_index(_members_of(instance.organization_id))


@receiver(post_save, sender=Organization)
def organization_saved(sender, instance, created=False, **kwargs):
    if not created:
        refresh_search_index(_members_of(instance.pk))
