"""One issue as one person receives it — the preview and the sending build it here, so the preview is the
message — and the signed unsubscribe links it carries.

The unsubscribe token is the person's id signed with the project's secret key under a salt of its own
(``django.core.signing``): it works without signing in, cannot be forged or altered into another person's,
and needs no table. It does not expire — a link in last year's issue still unsubscribes.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from directory.models import User
from directory.profiles import addressed_to
from newsletters.models import Newsletter
from notifications.services import absolute

SALT = "newsletters.unsubscribe"


def unsubscribe_token(person: User) -> str:
    return signing.Signer(salt=SALT).sign_object(person.pk)


def person_of(token: str) -> User | None:
    """The active person an unsubscribe token was made for, or None for a forged, altered or stale one."""
    try:
        pk = signing.Signer(salt=SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def unsubscribe_link(person: User) -> str:
    return absolute(reverse("newsletters:unsubscribe", kwargs={"token": unsubscribe_token(person)}))


def subject_of(newsletter: Newsletter) -> str:
    return f"{settings.PLATFORM_NAME} · {newsletter.title}"


def message_for(newsletter: Newsletter, person: User, *, connection=None) -> EmailMultiAlternatives:
    """The issue for ``person``: a plain-text body and its HTML alternative from the same text, the
    personal unsubscribe link in both, and ``List-Unsubscribe`` headers (RFC 2369, one-click RFC 8058)."""
    link = unsubscribe_link(person)
    context = {
        "newsletter": newsletter,
        "person": person,
        "unsubscribe_link": link,
        "archive_link": absolute(reverse("newsletters:archive")),
        "issue_link": absolute(newsletter.get_absolute_url()),
    }
    # The frame (greeting, links, unsubscribing) in the person's language; the issue's own text as the
    # Secretariat wrote it.
    with addressed_to(person):
        text = render_to_string("newsletters/email/newsletter.txt", context)
        html = render_to_string("newsletters/email/newsletter.html", context)
    message = EmailMultiAlternatives(
        subject_of(newsletter),
        text,
        None,
        [person.email],
        connection=connection,
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(html, "text/html")
    return message
