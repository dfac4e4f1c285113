"""django-allauth adapters."""

from allauth.account.adapter import DefaultAccountAdapter


class ClosedSignupAdapter(DefaultAccountAdapter):
    """No open sign-up: accounts come only from invitations and approved access requests."""

    def is_open_for_signup(self, request):
        return False
