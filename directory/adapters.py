"""django-allauth adapters: closed sign-up, and mail sent by a background job after commit."""

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings

from core.tasks import enqueue, send_email


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """No open sign-up: accounts come only from invitations and approved access requests."""
        return False

    def send_mail(self, template_prefix, email, context):
        """Render now (the request is at hand), send after commit in a job (retried if SMTP is down)."""
        # allauth's messages greet "from {{ current_site.name }}": the platform has no sites framework.
        context = {**context, "current_site": SimpleNamespace(name=settings.PLATFORM_NAME, domain="")}
        message = self.render_mail(template_prefix, email, context)
        html = next(
            (content for content, mime in getattr(message, "alternatives", []) if mime == "text/html"), ""
        )
        enqueue(
            send_email, subject=message.subject, body=message.body, recipients=list(message.to), html=html
        )


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user) -> str:
        return user.email

    def get_totp_issuer(self) -> str:
        return settings.PLATFORM_NAME
