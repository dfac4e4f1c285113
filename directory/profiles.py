"""Writing profiles: who may edit whose, photos checked and re-encoded, the search index kept current."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from directory import rules
from directory.indexing import batched
from directory.models import Profile, User

PHOTO_SIZE = (400, 400)
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


#: The signed-in person's time zone and chosen language ("" when none), kept in their session once read
#: (directory.middleware).
ZONE_SESSION_KEY = "_person_time_zone"
LANGUAGE_SESSION_KEY = "_person_language"


def zone_of(person) -> ZoneInfo:
    """The zone a person reads times in: their profile's, or UTC without one (an unknown name, UTC too)."""
    return preferences_of(person)[0]


def language_named(code: str | None) -> str:
    """A language of the platform ("" for an unknown code or none: the browser's language is used)."""
    return code if code in dict(settings.LANGUAGES) else ""


def preferences_of(person) -> tuple[ZoneInfo, str]:
    """The zone a person reads times in and the language they chose ("" for none): from a profile read with
    ``select_related`` without a query, else in one query."""
    if isinstance(person, User) and User.profile.is_cached(person):
        profile = getattr(person, "profile", None)
        zone, language = (profile.time_zone, profile.language) if profile else (None, "")
    else:
        settings_of = Profile.objects.filter(user_id=getattr(person, "pk", None))
        zone, language = settings_of.values_list("time_zone", "language").first() or (None, "")
    return zone_named(zone), language_named(language)


@contextmanager
def addressed_to(person) -> Iterator[None]:
    """Words and times for one person, as on their own pages: an e-mail or a digest is written in the
    language they chose (the platform's default without one) and gives times in their zone."""
    zone, language = preferences_of(person)
    with translation.override(language or settings.LANGUAGE_CODE), timezone.override(zone):
        yield


def zone_named(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def profile_of(person: User) -> Profile:
    profile = getattr(person, "profile", None)
    if profile is None:
        profile, _created = Profile.objects.get_or_create(
            user=person, defaults={"reconfirmed_at": person.date_joined}
        )
    return profile


def clean_photo(upload) -> ContentFile:
    """An uploaded photo, checked by its content (not its name) and re-encoded as a 400×400 JPEG, so what
    is stored is always a plain image whatever was uploaded."""
    if upload.size > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo is larger than %(mb)d MB.") % {"mb": settings.PHOTO_MAX_BYTES // (1024 * 1024)}
        )
    try:
        with Image.open(upload) as probe:
            probe.verify()
            kind = probe.format
        upload.seek(0)
        with Image.open(upload) as image:
            if kind not in PHOTO_FORMATS:
                raise ValidationError(_("Upload a JPEG, PNG or WebP image."))
            image.draft("RGB", PHOTO_SIZE)
            picture = image.convert("RGB")
            picture.thumbnail(PHOTO_SIZE)
            buffer = io.BytesIO()
            picture.save(buffer, format="JPEG", quality=85)
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ValidationError(
            _("This file is not an image we can read. Upload a JPEG, PNG or WebP photo.")
        ) from None
    return ContentFile(buffer.getvalue(), name="photo.jpg")


def choose_language(*, person: User, language: str) -> None:
    """A signed-in person's language from the switcher: kept on their profile, for their e-mails and for
    every browser they sign in from."""
    profile = profile_of(person)
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language", "updated_at"])


@transaction.atomic
@batched()
def save_profile(*, by, person: User, form) -> Profile:
    if not rules.can_edit_profile(by, person):
        raise PermissionDenied
    profile = form.save(commit=False)
    photo = form.cleaned_data.get("photo_upload")
    if photo:
        old = profile.photo.name if profile.photo else ""
        profile.photo.save("photo.jpg", photo, save=False)
        if old:
            transaction.on_commit(lambda: profile.photo.storage.delete(old))
    profile.save()
    form.save_m2m()
    person.full_name = form.cleaned_data["full_name"]
    person.preferred_name = form.cleaned_data["preferred_name"]
    person.save(update_fields=["full_name", "preferred_name"])
    return profile
