"""Rate limits: per token (each of a person's programs has its own budget), per person for the session."""

from rest_framework.throttling import SimpleRateThrottle

from api.models import AccessToken


class PerTokenThrottle(SimpleRateThrottle):
    """``API_RATE_LIMIT`` requests per token (or per signed-in person without one); over it, 429 with
    ``Retry-After``. Counted in the cache, so every web process shares one count."""

    scope = "api"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, AccessToken):
            return f"throttle:api:token:{request.auth.pk}"
        if request.user and request.user.is_authenticated:
            return f"throttle:api:user:{request.user.pk}"
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
